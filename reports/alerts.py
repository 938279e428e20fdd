"""Surge alerts (未诉先办 预警): one kind of matter suddenly up in one place.

A water cut in a district, tourism complaints over a holiday, wage arrears before the Spring Festival,
heating at the start of winter: each is a rule (keywords, optional categories, a season) counted per
district (or city-wide) on the report day and compared with the same count over the previous days.
When the day's count is both large enough and several times the baseline, the responsible departments
get an alert listing the orders behind it, so they can act on the whole class of problems.

Thresholds differ between cities, so they are configuration (`AlertSettings`, YAML), not code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reports.records import OrderRecord

#: Scope key used for city-wide rules.
CITY_WIDE = "全市"
#: Label used for orders whose district is unknown.
NO_DISTRICT = "未填写区县"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Season(_Strict):
    """When a seasonal rule is active; all given conditions must hold (none given: always active).

    ``start``/``end`` are ``MM-DD`` and may wrap around the new year (``11-01`` to ``03-15``).
    ``holidays`` names statutory holidays as the `chinese_calendar` library spells them
    (``Spring Festival``, ``National Day``, ``Labour Day`` ...); the rule is active from
    ``days_before`` days before such a holiday until ``days_after`` days after it. For years the
    library does not know yet, ``fallback_months`` decides instead.
    """

    start: str | None = None
    end: str | None = None
    holidays: list[str] = Field(default_factory=list)
    days_before: int = Field(default=0, ge=0, le=120)
    days_after: int = Field(default=0, ge=0, le=30)
    fallback_months: list[int] = Field(default_factory=list)

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            dt.date.fromisoformat(f"2000-{value}")
        except ValueError:
            raise ValueError(f"expected MM-DD, got {value!r}") from None
        return value

    @model_validator(mode="after")
    def _both_ends(self) -> Season:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither")
        return self

    def active_on(self, day: dt.date) -> bool:
        """Whether a rule with this season applies on `day`."""
        if self.start and self.end:
            md = day.strftime("%m-%d")
            inside = (
                self.start <= md <= self.end if self.start <= self.end else md >= self.start or md <= self.end
            )
            if not inside:
                return False
        if self.holidays:
            return self._near_holiday(day)
        return True

    def _near_holiday(self, day: dt.date) -> bool:
        wanted = set(self.holidays)
        try:
            for offset in range(-self.days_after, self.days_before + 1):
                is_holiday, name = chinese_calendar.get_holiday_detail(day + dt.timedelta(days=offset))
                if is_holiday and name in wanted:
                    return True
        except NotImplementedError:
            return day.month in self.fallback_months
        return False


class AlertRule(_Strict):
    """One kind of matter to watch, e.g. water cuts per district."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    keywords: list[str] = Field(min_length=1)
    #: category names (or codes) the order must have; empty: any category
    categories: list[str] = Field(default_factory=list)
    #: departments to alert; empty: the lead departments of the matching orders
    departments: list[str] = Field(default_factory=list)
    scope: Literal["district", "city"] = "district"
    min_count: int | None = Field(default=None, ge=1)
    ratio: float | None = Field(default=None, ge=1.0)
    season: Season = Season()


class TopicSurge(_Strict):
    """A catch-all rule: any dispatch-catalogue topic surging in one district."""

    enabled: bool = True
    min_count: int = Field(default=8, ge=1)
    ratio: float = Field(default=3.0, ge=1.0)


class AlertSettings(_Strict):
    """Alert thresholds of one city (the ``alerts:`` section of a report settings file)."""

    #: days before the report day that form the baseline
    baseline_days: int = Field(default=7, ge=1, le=90)
    #: a day's count must reach this many orders ...
    min_count: int = Field(default=5, ge=1)
    #: ... and this multiple of the baseline's daily mean (a mean under 1 counts as 1)
    ratio: float = Field(default=3.0, ge=1.0)
    rules: list[AlertRule] = Field(default_factory=list)
    topic_surge: TopicSurge = TopicSurge()

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: list[AlertRule]) -> list[AlertRule]:
        names = [r.name for r in rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate rule names: {', '.join(dupes)}")
        return rules


class Alert(BaseModel):
    """A raised alert, ready for the report and for the departments it names."""

    rule: str
    label: str
    scope: str
    day: dt.date
    count: int
    baseline: float
    ratio: float
    departments: list[str]
    order_numbers: list[str]
    #: false when the same rule already fired for the same scope the day before
    new: bool = True

    @property
    def title(self) -> str:
        return f"{self.scope}{self.label}"


def load_alert_settings(path: str | Path | None = None) -> AlertSettings:
    """The ``alerts`` section of a report settings file (default: the bundled one)."""
    from reports.settings import load_report_settings

    return load_report_settings(path).alerts


def _day_bounds(day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def _matches(rule: AlertRule, record: OrderRecord, text: str, category_names: set[str]) -> bool:
    if category_names and record.category not in category_names:
        return False
    return any(k in text for k in rule.keywords)


def detect_alerts(
    records: Sequence[OrderRecord],
    day: dt.date,
    settings: AlertSettings,
    *,
    timezone: str = "Asia/Shanghai",
    category_aliases: dict[str, str] | None = None,
    check_previous_day: bool = True,
) -> list[Alert]:
    """Alerts raised on `day` by the orders filed that day, against the preceding baseline days.

    Args:
        records: Orders; only those filed from ``day - baseline_days`` to the end of `day` count.
        day: The report day (local date in `timezone`).
        settings: Thresholds and rules.
        timezone: The city's time zone; days are local days.
        category_aliases: Maps category codes to names, so rules may name either.
        check_previous_day: Mark alerts that also fired the day before as not new.

    Returns:
        Alerts sorted by how far the count exceeds the baseline, largest first.
    """
    tz = ZoneInfo(timezone)
    aliases = category_aliases or {}
    first = day - dt.timedelta(days=settings.baseline_days)
    start, _ = _day_bounds(first, tz)
    _, end = _day_bounds(day, tz)
    window = [r for r in records if start <= r.created_at < end]
    by_day: dict[dt.date, list[OrderRecord]] = defaultdict(list)
    for r in window:
        by_day[r.created_at.astimezone(tz).date()].append(r)

    alerts = _alerts_for(day, by_day, settings, aliases)
    if check_previous_day and alerts:
        yesterday = {
            (a.rule, a.scope) for a in _alerts_for(day - dt.timedelta(days=1), by_day, settings, aliases)
        }
        for alert in alerts:
            alert.new = (alert.rule, alert.scope) not in yesterday
    return alerts


def _alerts_for(
    day: dt.date,
    by_day: dict[dt.date, list[OrderRecord]],
    settings: AlertSettings,
    aliases: dict[str, str],
) -> list[Alert]:
    """Evaluate every rule for one day, using the `baseline_days` before it."""
    baseline_days = [day - dt.timedelta(days=i) for i in range(1, settings.baseline_days + 1)]
    today = by_day.get(day, [])
    if not today:
        return []
    alerts: list[Alert] = []
    texts = {id(r): r.text for d in [day, *baseline_days] for r in by_day.get(d, [])}

    for rule in settings.rules:
        if not rule.season.active_on(day):
            continue
        cats = {aliases.get(c, c) for c in rule.categories}

        def scope_of(r: OrderRecord, rule: AlertRule = rule) -> str:
            return CITY_WIDE if rule.scope == "city" else (r.district or NO_DISTRICT)

        hits_today: dict[str, list[OrderRecord]] = defaultdict(list)
        for r in today:
            if _matches(rule, r, texts[id(r)], cats):
                hits_today[scope_of(r)].append(r)
        if not hits_today:
            continue
        base_counts: Counter[str] = Counter()
        for d in baseline_days:
            for r in by_day.get(d, []):
                if _matches(rule, r, texts[id(r)], cats):
                    base_counts[scope_of(r)] += 1
        min_count = rule.min_count or settings.min_count
        ratio = rule.ratio or settings.ratio
        for scope, hits in hits_today.items():
            alert = _judge(
                rule.name,
                rule.label,
                scope,
                day,
                hits,
                base_counts[scope],
                settings.baseline_days,
                min_count,
                ratio,
            )
            if alert is not None:
                alert.departments = list(rule.departments) or _lead_departments(hits)
                alerts.append(alert)

    if settings.topic_surge.enabled:
        alerts.extend(_topic_surges(day, today, baseline_days, by_day, settings, alerts))
    alerts.sort(key=lambda a: (-(a.count / max(a.baseline, 1.0)), -a.count, a.rule, a.scope))
    return alerts


def _topic_surges(
    day: dt.date,
    today: list[OrderRecord],
    baseline_days: list[dt.date],
    by_day: dict[dt.date, list[OrderRecord]],
    settings: AlertSettings,
    named: list[Alert],
) -> list[Alert]:
    """Catalogue topics (or categories when no topic is set) surging in one district.

    A topic surge whose orders are mostly already in a named rule's alert is dropped: "停水 in 南湖区"
    says more than "供水 in 南湖区" about the same orders.
    """
    covered = {n for a in named for n in a.order_numbers}
    surge = settings.topic_surge

    def key(r: OrderRecord) -> tuple[str, str]:
        return (r.district or NO_DISTRICT, r.topic or r.category or "未分类")

    groups: dict[tuple[str, str], list[OrderRecord]] = defaultdict(list)
    for r in today:
        groups[key(r)].append(r)
    base: Counter[tuple[str, str]] = Counter(key(r) for d in baseline_days for r in by_day.get(d, []))
    out = []
    for (scope, topic), hits in groups.items():
        alert = _judge(
            f"topic:{topic}",
            topic,
            scope,
            day,
            hits,
            base[(scope, topic)],
            settings.baseline_days,
            surge.min_count,
            surge.ratio,
        )
        if alert is None:
            continue
        if sum(r.number in covered for r in hits) * 2 >= len(hits):
            continue
        alert.departments = _lead_departments(hits)
        out.append(alert)
    return out


def _judge(
    rule: str,
    label: str,
    scope: str,
    day: dt.date,
    hits: list[OrderRecord],
    baseline_total: int,
    baseline_days: int,
    min_count: int,
    ratio: float,
) -> Alert | None:
    count = len(hits)
    mean = baseline_total / baseline_days
    if count < min_count or count < ratio * max(mean, 1.0):
        return None
    return Alert(
        rule=rule,
        label=label,
        scope=scope,
        day=day,
        count=count,
        baseline=round(mean, 2),
        ratio=round(count / max(mean, 1.0), 2),
        departments=[],
        order_numbers=sorted(r.number for r in hits),
    )


def _lead_departments(hits: list[OrderRecord]) -> list[str]:
    counts = Counter(r.lead_department for r in hits if r.lead_department)
    return [code for code, _ in counts.most_common()]
