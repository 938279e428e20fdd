"""The daily report's numbers: volume breakdowns, the three rates, and the supervision lists.

Each function is a pure computation over `OrderRecord`s for one local day, so every figure can be
checked exactly on a few constructed orders. Definitions (also printed as the report's footnotes):

* **volume** (受理量): orders filed on the day;
* **response rate** (响应率): of the orders whose response window (``response_hours`` after filing)
  ends on the day, the share a department signed for within it; judging orders by the day their window
  closes means every order counted can already be called on time or late; orders redirected elsewhere
  or withdrawn within the window are left out;
* **resolution rate** (解决率): of the orders rated on the day (回访), the share the citizen confirmed
  resolved; when the callback did not ask, a rating above the city's unsatisfied threshold counts as
  resolved (an unsatisfied rating sends the order back for rework);
* **satisfaction rate** (满意率): of the same ratings, the share at or above ``satisfied_at_or_above``;
* **overdue** (超期): open at the as-of time, past its deadline, and not replied to;
* **chased again and again** (反复催办): open, chased at least the city's ``supervision.chases`` times;
* **rated unsatisfactory twice** (屡办未决): open, rated unsatisfactory at least
  ``supervision.unsatisfied_ratings`` times;
* **returns** (退单): returns in the window, counted against the department that returned the order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from reports.alerts import NO_DISTRICT
from reports.model import (
    CountItem,
    DepartmentReturns,
    OrderRef,
    Rate,
    Rates,
    Supervision,
    SupervisionList,
    Volume,
)
from reports.records import OrderRecord
from reports.settings import DailySettings
from workorders.config import CityConfig
from workorders.deadlines import DeadlineEngine
from workorders.enums import UrgencyTier
from workorders.labels import CHANNEL_LABELS, status_label

NO_CATEGORY = "未分类"
NOT_DISPATCHED = "未派单"


def day_bounds(day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The local day as a half-open interval of aware datetimes."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)


def department_label(config: CityConfig, code: str | None) -> str:
    if not code:
        return NOT_DISPATCHED
    return next((d.name for d in config.departments if d.code == code), code)


def _breakdown(values: Sequence[str], label: Callable[[str], str]) -> list[CountItem]:
    counts = Counter(values)
    items = [CountItem(key=k, label=label(k), count=c) for k, c in counts.items()]
    return sorted(items, key=lambda i: (-i.count, i.label))


def filed_between(records: Sequence[OrderRecord], start: dt.datetime, end: dt.datetime) -> list[OrderRecord]:
    return [r for r in records if start <= r.created_at < end]


def volume(
    records: Sequence[OrderRecord], day: dt.date, config: CityConfig, *, list_idle_departments: bool = True
) -> Volume:
    """Orders filed on `day`, by channel, category, lead department and district."""
    tz = ZoneInfo(config.timezone)
    start, end = day_bounds(day, tz)
    today = filed_between(records, start, end)
    yesterday = filed_between(records, start - dt.timedelta(days=1), start)
    week = filed_between(records, start - dt.timedelta(days=7), start)
    by_department = _breakdown(
        [r.lead_department or "" for r in today], lambda k: department_label(config, k or None)
    )
    busy = {i.key for i in by_department}
    idle = [d.name for d in config.departments if d.code not in busy] if list_idle_departments else []
    return Volume(
        total=len(today),
        previous_day=len(yesterday),
        average_7d=round(len(week) / 7, 2),
        by_channel=_breakdown([r.channel for r in today], lambda k: CHANNEL_LABELS.get(k, k)),
        by_category=_breakdown([r.category or NO_CATEGORY for r in today], lambda k: k),
        by_department=by_department,
        by_district=_breakdown([r.district or NO_DISTRICT for r in today], lambda k: k),
        departments_without_orders=idle,
        trend=[
            CountItem(
                key=d.isoformat(),
                label=d.strftime("%m-%d"),
                count=len(filed_between(records, *day_bounds(d, tz))),
            )
            for d in (day - dt.timedelta(days=k) for k in range(7, -1, -1))
        ],
    )


def rates(
    records: Sequence[OrderRecord],
    day: dt.date,
    config: CityConfig,
    settings: DailySettings,
    as_of: dt.datetime,
) -> Rates:
    """Response, resolution and satisfaction rates of `day` (definitions in the module docstring)."""
    tz = ZoneInfo(config.timezone)
    start, end = day_bounds(day, tz)
    window = dt.timedelta(hours=settings.response_hours)
    responded = considered = 0
    for r in filed_between(records, start - window, end):
        due = r.created_at + window
        if r.redirect_kind or not (start <= due < end) or due > as_of:
            continue  # not due on this day (or not yet due), or handled through another channel
        signed = r.signed_for_at is not None and r.signed_for_at <= due
        if not signed and r.withdrawn_at is not None and r.withdrawn_at <= due:
            continue  # withdrawn before anyone had to respond
        considered += 1
        responded += signed

    threshold = config.supervision.unsatisfied_at_or_below
    resolved = satisfied = rated = 0
    for r in records:
        todays = [e for e in r.ratings if start <= e.at < end]
        if not todays:
            continue
        last = max(todays, key=lambda e: e.at)
        rated += 1
        resolved += last.resolved if last.resolved is not None else last.rating > threshold
        satisfied += last.rating >= settings.satisfied_at_or_above

    def on_day(value: dt.datetime | None) -> bool:
        return value is not None and start <= value < end

    hours = f"{settings.response_hours:g}"
    return Rates(
        response=Rate(
            name="响应率",
            numerator=responded,
            denominator=considered,
            definition=f"响应时限（受理后 {hours} 小时）在当日届满的工单中，按时被承办部门签收的比例"
            "（转其他渠道办理的、时限内撤单的不计）",
        ),
        resolution=Rate(
            name="解决率",
            numerator=resolved,
            denominator=rated,
            definition=f"当日回访的工单中，群众表示已解决的比例（回访未询问时，评分高于 {threshold} 分视为已解决）",
        ),
        satisfaction=Rate(
            name="满意率",
            numerator=satisfied,
            denominator=rated,
            definition=f"当日回访的工单中，评分不低于 {settings.satisfied_at_or_above} 分（满分 5 分）的比例",
        ),
        replied=sum(on_day(r.replied_at) for r in records),
        closed=sum(on_day(r.closed_at) for r in records),
        rated=rated,
    )


def order_ref(record: OrderRecord, config: CityConfig, detail: str = "") -> OrderRef:
    tz = ZoneInfo(config.timezone)
    return OrderRef(
        number=record.number,
        title=record.title or record.request[:40],
        district=record.district,
        category=record.category,
        department=department_label(config, record.lead_department),
        status=status_label(record.status),
        created_at=record.created_at.astimezone(tz),
        deadline_at=record.deadline_at.astimezone(tz) if record.deadline_at else None,
        detail=detail,
    )


def _overdue_detail(record: OrderRecord, cutoff: dt.datetime, engine: DeadlineEngine) -> str:
    assert record.deadline_at is not None
    late = cutoff - record.deadline_at
    if late < dt.timedelta(days=1):
        return f"超期 {max(1, int(late.total_seconds() // 3600))} 小时"
    tz = engine.timezone
    # The cutoff is usually the midnight after the report day; the last day counted is the report day.
    last_day = (cutoff - dt.timedelta(microseconds=1)).astimezone(tz).date()
    working = engine.working_days_between(record.deadline_at.astimezone(tz).date(), last_day)
    return f"超期 {late.days} 天（{working} 个工作日）"


def supervision(
    records: Sequence[OrderRecord],
    day: dt.date,
    config: CityConfig,
    settings: DailySettings,
    as_of: dt.datetime,
    *,
    department: str | None = None,
) -> Supervision:
    """The supervision lists as of `as_of`, and the departments with the most returns.

    Args:
        records: All orders (a department's orders are picked here: the orders it returned no longer
            carry its code, but their returns still count against it).
        day: The report day; the returns window ends with it.
        config: City config: supervision thresholds, deadline rules, department names.
        settings: List lengths and the returns window.
        as_of: The moment the lists describe (end of day, or now for today).
        department: Only this department's orders and returns.
    """
    engine = DeadlineEngine(config)
    sup = config.supervision
    open_now = [
        r
        for r in records
        if r.is_open_at(as_of)
        and not r.redirect_kind
        and (department is None or r.lead_department == department)
    ]

    overdue = [
        r
        for r in open_now
        if r.deadline_at is not None
        and r.deadline_at < as_of
        and (r.replied_at is None or r.replied_at > as_of)
        and r.urgency != UrgencyTier.EMERGENCY.value
    ]
    overdue.sort(key=lambda r: (r.deadline_at, r.number))  # most overdue first
    chased = sorted(
        (r for r in open_now if r.chase_count >= sup.chases), key=lambda r: (-r.chase_count, r.number)
    )
    unsatisfied = sorted(
        (r for r in open_now if r.unsatisfied_count >= sup.unsatisfied_ratings),
        key=lambda r: (-r.unsatisfied_count, r.number),
    )
    limit = settings.list_limit

    tz = ZoneInfo(config.timezone)
    day_start, end = day_bounds(day, tz)
    since = day_start - dt.timedelta(days=settings.returns_window_days - 1)
    returned: dict[str, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for r in records:
        for event in r.returns:
            if since <= event.at < end and (department is None or event.department == department):
                returned[event.department or ""].append((event.at, r.number))
    by_department = [
        DepartmentReturns(
            department=code,
            label=department_label(config, code or None) if code else "未记录部门",
            count=len(items),
            count_on_day=sum(day_start <= at < end for at, _ in items),
            order_numbers=sorted({n for _, n in items}),
        )
        for code, items in returned.items()
    ]
    by_department.sort(key=lambda d: (-d.count, d.label))

    return Supervision(
        overdue=SupervisionList(
            name="超期未办结工单",
            definition="截至统计时刻仍未答复、已超过办理时限的工单（按超期时长排序）",
            total=len(overdue),
            orders=[order_ref(r, config, _overdue_detail(r, as_of, engine)) for r in overdue[:limit]],
        ),
        chased=SupervisionList(
            name="反复催办工单",
            definition=f"尚未办结、被催办 {sup.chases} 次及以上的工单",
            total=len(chased),
            orders=[order_ref(r, config, f"催办 {r.chase_count} 次") for r in chased[:limit]],
        ),
        unsatisfied=SupervisionList(
            name="屡办未决工单",
            definition=f"尚未办结、群众评价不满意 {sup.unsatisfied_ratings} 次及以上的工单",
            total=len(unsatisfied),
            orders=[order_ref(r, config, f"不满意 {r.unsatisfied_count} 次") for r in unsatisfied[:limit]],
        ),
        returns_window_days=settings.returns_window_days,
        returns_by_department=by_department[:limit],
    )
