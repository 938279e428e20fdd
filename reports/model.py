"""The daily report as data: every number the HTML/PDF pages show, JSON-serialisable.

Keeping the report a plain model (no rendering concerns) lets the API return it as JSON, the web helper
render it with its own templates, and the tests check each section's numbers exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from reports.alerts import Alert
from reports.hot_issues import HotIssue

ReportState = Literal["complete", "partial", "future"]


class CountItem(BaseModel):
    """One bar of a breakdown: a key (code), its display label and its count."""

    key: str
    label: str
    count: int


class Rate(BaseModel):
    """A ratio with its parts, so a reader (and a test) can see what it was computed from."""

    name: str
    numerator: int
    denominator: int
    definition: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value(self) -> float | None:
        """The ratio, or None when the denominator is zero (nothing to measure that day)."""
        return None if self.denominator == 0 else self.numerator / self.denominator

    def percent(self) -> str:
        """``"87.5%"``, or ``"—"`` when there was nothing to measure."""
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"


class Volume(BaseModel):
    """Orders filed on the report day, and how they split."""

    total: int
    previous_day: int
    #: mean daily count over the 7 days before the report day
    average_7d: float
    by_channel: list[CountItem]
    by_category: list[CountItem]
    by_department: list[CountItem]
    by_district: list[CountItem]
    #: configured departments that got no order that day (labels)
    departments_without_orders: list[str]
    #: daily counts of the 7 days before the report day and of the day itself (key: ISO date)
    trend: list[CountItem] = Field(default_factory=list)


class Rates(BaseModel):
    response: Rate
    resolution: Rate
    satisfaction: Rate
    replied: int
    closed: int
    rated: int


class OrderRef(BaseModel):
    """An order as a supervision list or a hot issue shows it."""

    number: str
    title: str
    district: str | None = None
    category: str | None = None
    department: str | None = None
    status: str
    created_at: dt.datetime
    deadline_at: dt.datetime | None = None
    detail: str = ""


class SupervisionList(BaseModel):
    """One list (overdue, chased, 屡办未决); `total` counts all, `orders` holds the first ones."""

    name: str
    definition: str
    total: int
    orders: list[OrderRef]


class DepartmentReturns(BaseModel):
    department: str
    label: str
    count: int
    count_on_day: int
    order_numbers: list[str]


class Supervision(BaseModel):
    overdue: SupervisionList
    chased: SupervisionList
    unsatisfied: SupervisionList
    returns_window_days: int
    returns_by_department: list[DepartmentReturns]


class HotIssueSection(BaseModel):
    window_days: int
    orders_in_window: int
    issues: list[HotIssue]
    #: order refs of each issue's samples, keyed by issue rank
    samples: dict[int, list[OrderRef]] = Field(default_factory=dict)
    embedder: str
    note: str | None = None


class DailyReport(BaseModel):
    """The daily report (日报) of one city, or one department of it, for one local day."""

    city: str
    day: dt.date
    timezone: str
    state: ReportState
    generated_at: dt.datetime
    #: figures are as of this moment (the end of the day, or now for today's partial report)
    as_of: dt.datetime
    department: str | None = None
    department_label: str | None = None
    notices: list[str] = Field(default_factory=list)
    volume: Volume | None = None
    rates: Rates | None = None
    hot_issues: HotIssueSection | None = None
    alerts: list[Alert] = Field(default_factory=list)
    supervision: Supervision | None = None
    definitions: list[str] = Field(default_factory=list)
    #: department code → name, for the codes that alerts and hot issues carry
    department_labels: dict[str, str] = Field(default_factory=dict)

    def department_names(self, codes: list[str]) -> str:
        """``"市水务集团、属地区县人民政府"`` for a list of codes (unknown codes as they are)."""
        return "、".join(self.department_labels.get(c, c) for c in codes) or "—"

    @property
    def title(self) -> str:
        department = self.department_label or ""
        if self.city.endswith("市") and department.startswith("市"):
            department = department[1:]  # 示范市 + 市水务集团 reads 示范市水务集团
        scope = f"{self.city}{department}"
        return f"{scope}12345热线日报（{self.day:%Y年%m月%d日}）"
