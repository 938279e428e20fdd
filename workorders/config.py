"""The city's settings (城市配置): departments, dispatch catalogue, deadline tiers, emergency numbers.

One YAML file holds everything a city changes when it adopts the product. It is validated once, at
start-up, and every error names the key that is wrong (``dispatch_catalogue[3].lead: unknown
department 'housng'``), so a bad deployment fails loudly before it takes a single call.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workorders.enums import RedirectKind, UrgencyTier
from workorders.errors import ConfigError

DEMO_CONFIG_NAME = "demo_city.yaml"


class _Strict(BaseModel):
    """Base for config sections: unknown keys are errors, not silently ignored typos."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CityInfo(_Strict):
    name: str
    code: str
    province: str = ""
    districts: list[str] = Field(default_factory=list)
    #: The number citizens call for a human operator (12345, or the local form some cities print).
    hotline: str = Field(default="12345", pattern=r"^[0-9-]{3,20}$")


class EmergencyNumber(_Strict):
    """A number that takes over emergencies (110/119/120/122), and what it is for."""

    number: str
    name: str
    covers: str


class Department(_Strict):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    phone: str = ""


class Category(_Strict):
    """A first-level category (一级分类); `code` doubles as the Open311 service code."""

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    description: str = ""


class CatalogueEntry(_Strict):
    """One line of the dispatch catalogue (派单目录): category and topic → lead and assisting units."""

    category: str
    topic: str
    keywords: list[str] = Field(default_factory=list)
    lead: str
    assisting: list[str] = Field(default_factory=list)


class DeadlineRule(_Strict):
    """How long a tier has; exactly one of hours, working_days or days is set."""

    hours: int | None = Field(default=None, gt=0)
    working_days: int | None = Field(default=None, gt=0)
    days: int | None = Field(default=None, gt=0)
    #: total extension allowed, in the same unit; 0 means the tier cannot be extended
    max_extension: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _one_unit(self) -> DeadlineRule:
        given = [u for u in ("hours", "working_days", "days") if getattr(self, u) is not None]
        if len(given) != 1:
            raise ValueError(f"set exactly one of hours, working_days, days (got {given or 'none'})")
        return self

    @property
    def unit(self) -> str:
        """The unit this rule counts in (``hours``, ``working_days`` or ``days``)."""
        return next(u for u in ("hours", "working_days", "days") if getattr(self, u) is not None)

    @property
    def amount(self) -> int:
        value = getattr(self, self.unit)
        assert value is not None
        return int(value)


class Deadlines(_Strict):
    urgent: DeadlineRule
    expedited: DeadlineRule
    normal: DeadlineRule
    petition: DeadlineRule

    def for_tier(self, tier: UrgencyTier) -> DeadlineRule:
        if tier is UrgencyTier.EMERGENCY:
            raise ConfigError("emergencies are handed over to 110/119/120/122 and have no 12345 deadline")
        return getattr(self, tier.value)


class Calendar(_Strict):
    """Extra calendar data, used only for years the holiday library does not know yet."""

    extra_holidays: list[dt.date] = Field(default_factory=list)
    extra_workdays: list[dt.date] = Field(default_factory=list)


class Supervision(_Strict):
    """When an order is put under supervision (督办)."""

    unsatisfied_ratings: int = Field(default=2, gt=0)
    chases: int = Field(default=3, gt=0)
    #: a rating at or below this counts as unsatisfied (1–5 scale)
    unsatisfied_at_or_below: int = Field(default=2, ge=1, le=5)


class Repeats(_Strict):
    window_days: int = Field(default=30, gt=0)


class CityConfig(_Strict):
    city: CityInfo
    timezone: str = "Asia/Shanghai"
    emergency_numbers: dict[str, EmergencyNumber]
    departments: list[Department]
    categories: list[Category]
    dispatch_catalogue: list[CatalogueEntry]
    deadlines: Deadlines
    calendar: Calendar = Calendar()
    supervision: Supervision = Supervision()
    repeats: Repeats = Repeats()
    #: The city's own article for each matter 12345 does not accept (e.g. its hotline regulation's
    #: list of excluded matters). Kinds left out keep the product's default citation.
    redirect_citations: dict[RedirectKind, Annotated[str, Field(min_length=3)]] = {}

    @field_validator("departments", "categories")
    @classmethod
    def _unique_codes(cls, items: list[Department] | list[Category]) -> list:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.code in seen:
                raise ValueError(f"[{i}].code: duplicate code {item.code!r}")
            seen.add(item.code)
        return items

    @model_validator(mode="after")
    def _references_resolve(self) -> CityConfig:
        departments = {d.code for d in self.departments}
        categories = {c.name for c in self.categories} | {c.code for c in self.categories}
        for i, entry in enumerate(self.dispatch_catalogue):
            where = f"dispatch_catalogue[{i}]"
            if entry.category not in categories:
                raise ValueError(f"{where}.category: unknown category {entry.category!r}")
            if entry.lead not in departments:
                raise ValueError(f"{where}.lead: unknown department {entry.lead!r}")
            for j, code in enumerate(entry.assisting):
                if code not in departments:
                    raise ValueError(f"{where}.assisting[{j}]: unknown department {code!r}")
        for cat in self.categories:
            if not any(self.category_matches(e.category, cat) for e in self.dispatch_catalogue):
                raise ValueError(f"categories: {cat.name!r} has no entry in dispatch_catalogue")
        return self

    # -- lookups -------------------------------------------------------------------------------

    @staticmethod
    def category_matches(ref: str, category: Category) -> bool:
        return ref in (category.code, category.name)

    def department(self, code: str) -> Department:
        for dep in self.departments:
            if dep.code == code:
                return dep
        raise ConfigError(f"unknown department {code!r}")

    def category(self, name_or_code: str) -> Category:
        for cat in self.categories:
            if self.category_matches(name_or_code, cat):
                return cat
        raise ConfigError(f"unknown category {name_or_code!r}")

    def catalogue_for(self, category: str) -> list[CatalogueEntry]:
        """The catalogue lines of a category (by name or code), in file order."""
        cat = self.category(category)
        return [e for e in self.dispatch_catalogue if self.category_matches(e.category, cat)]

    def route(self, category: str, text: str = "") -> CatalogueEntry:
        """Pick the catalogue line for a category: the one whose keywords best match the text.

        Falls back to the category's first line, which by convention is its general topic.
        """
        entries = self.catalogue_for(category)
        best, best_hits = entries[0], 0
        for entry in entries:
            hits = sum(1 for kw in entry.keywords if kw and kw in text)
            if hits > best_hits:
                best, best_hits = entry, hits
        return best


def format_validation_errors(err: ValidationError) -> str:
    """Pydantic errors as ``key.path[3].name: message; ...`` so a config error names the bad key."""
    lines = []
    for e in err.errors():
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"]).lstrip(".")
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(lines)


def parse_city_config(data: object, source: str = "<config>") -> CityConfig:
    """Validate already-parsed YAML data; raise `ConfigError` naming the bad key(s)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the config must be a mapping at the top level")
    try:
        return CityConfig.model_validate(data)
    except ValidationError as err:
        raise ConfigError(f"{source}: {format_validation_errors(err)}") from None


def read_yaml_file(path: str | Path | None, package: str, default_name: str, what: str) -> tuple[object, str]:
    """Parse a YAML settings file, or the default bundled in `package`; return the data and its source.

    Raises:
        ConfigError: the file is missing or not valid YAML (the message names the file and `what` it is).
    """
    if path is None:
        text = resources.files(package).joinpath(default_name).read_text(encoding="utf-8")
        source = f"{package}/{default_name}"
    else:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"{p}: {what} file not found")
        text, source = p.read_text(encoding="utf-8"), str(p)
    try:
        return yaml.safe_load(text), source
    except yaml.YAMLError as err:
        raise ConfigError(f"{source}: not valid YAML: {err}") from None


def load_city_config(path: str | Path | None = None) -> CityConfig:
    """Load and validate a city config; without a path, the bundled demo city's."""
    data, source = read_yaml_file(path, "workorders", DEMO_CONFIG_NAME, "config")
    return parse_city_config(data, source)
