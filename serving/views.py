"""What each audience sees of an order, and the Chinese labels the pages show.

Citizens see their own order without internal fields; staff see everything the triage suggested,
with overdue flags and the actions the lifecycle allows next; public and Open311 text has phone and
ID numbers masked. Titles never show personal data (`order_title`), whatever their source.

Every datetime leaves the API in the city's time zone with its offset (``2026-11-27T23:59:59+08:00``),
as Open311 already does: the database hands back UTC while freshly computed deadlines carry the
city's offset, and a client must not see both forms for the same field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from serving.logs import mask_text
from workorders.config import CityConfig
from workorders.enums import EventKind, Status
from workorders.labels import CITIZEN_STATUS_LABELS, STATUS_LABELS, channel_label
from workorders.lifecycle import allowed_actions
from workorders.schemas import EventRead, WorkOrderRead
from workorders.validation import mask_personal_data, mask_phone, order_title

URGENCY_LABELS = {
    "emergency": "紧急警情",
    "urgent": "紧急",
    "expedited": "加急",
    "normal": "一般",
    "petition": "信访",
}
#: The triage heads as trainers know them (the code name stays beside it on the page).
HEAD_LABELS = {"category": "分类", "department": "承办单位", "urgency": "紧急程度", "matter_type": "诉求类型"}
ACTION_LABELS = {
    EventKind.RECLASSIFY: "确认/修改分类与承办单位",
    EventKind.DISPATCH: "派单",
    EventKind.SIGN_FOR: "签收",
    EventKind.START_HANDLING: "开始办理",
    EventKind.RETURN: "退单",
    EventKind.REASSIGN: "改派",
    EventKind.EXTEND: "延期",
    EventKind.REPLY: "答复",
    EventKind.CLOSE: "办结",
    EventKind.SUPPLEMENT: "补充材料",
    EventKind.WITHDRAW: "撤单",
    EventKind.CHASE: "催单",
    EventKind.SUPERVISE: "督办",
    EventKind.REWORK: "重办",
    EventKind.RATE: "回访评价",
    EventKind.LINK_REPEAT: "并单",
    EventKind.FILED: "受理",
    EventKind.DEADLINE_FALLBACK: "时限按备用日历计算",
}
#: Actions staff may request from the console and the API (rating is the citizen's, but operators
#: record phone callbacks too).
STAFF_ACTIONS = tuple(a for a in EventKind if a not in (EventKind.FILED, EventKind.DEADLINE_FALLBACK))


def city_time(value: dt.datetime | None, tz: ZoneInfo) -> dt.datetime | None:
    """`value` in the city's time zone, so that the API serialises it with the city's UTC offset."""
    if value is None:
        return None
    if value.tzinfo is None:  # stored naive by an old SQLite row: the database keeps UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(tz)


def _tz(config: CityConfig) -> ZoneInfo:
    return ZoneInfo(config.timezone)


class CitizenOrder(BaseModel):
    """A citizen's own order: what was asked, where it stands, the reply, the rating."""

    number: str
    status: Status
    status_label: str
    title: str
    request: str
    category: str | None
    lead_department_name: str | None
    created_at: dt.datetime
    deadline_at: dt.datetime | None
    reply_text: str | None
    replied_at: dt.datetime | None
    rating: int | None
    can_rate: bool
    citizen_phone: str | None


class StaffOrder(BaseModel):
    """An order as operators see it, with triage suggestions and the next allowed actions."""

    id: int
    number: str
    channel: str
    channel_label: str
    status: Status
    status_label: str
    citizen_name: str | None
    citizen_phone: str | None
    anonymous: bool
    title: str
    request: str
    facts: str
    address: str | None
    district: str | None
    category: str | None
    topic: str | None
    lead_department: str | None
    lead_department_name: str | None
    assisting_departments: list[str]
    assisting_department_names: list[str]
    urgency: str
    urgency_label: str
    matter_type: str
    #: when the matter happened (发生时间), as the citizen gave it; None when not asked or not known
    incident_time: dt.datetime | None
    #: the same in the citizen's words (每天晚上), which is all there is for a recurring problem
    incident_time_text: str | None
    deadline_at: dt.datetime | None
    overdue: bool
    supervised: bool
    extended_amount: int
    return_count: int
    chase_count: int
    rating: int | None
    reply_text: str | None
    triage: dict[str, Any] | None
    created_at: dt.datetime
    updated_at: dt.datetime
    allowed_actions: list[str]


def department_name(config: CityConfig, code: str | None) -> str | None:
    if not code:
        return None
    return next((d.name for d in config.departments if d.code == code), code)


def citizen_view(order: WorkOrderRead, config: CityConfig) -> CitizenOrder:
    """The citizen's own order; phone and ID numbers masked in every field, as in public views.

    The view may be shown on a shared screen or forwarded, so a number typed into the complaint is
    masked like the phone field is.
    """
    tz = _tz(config)
    return CitizenOrder(
        number=order.number,
        status=order.status,
        status_label=CITIZEN_STATUS_LABELS[order.status],
        title=order_title(order.title, order.request),
        request=mask_personal_data(order.request),
        category=order.category,
        lead_department_name=department_name(config, order.lead_department),
        created_at=city_time(order.created_at, tz),
        deadline_at=city_time(order.deadline_at, tz),
        reply_text=order.reply_text,
        replied_at=city_time(order.replied_at, tz),
        rating=order.rating,
        can_rate=order.status is Status.REPLIED,
        citizen_phone=mask_phone(order.citizen_phone) if order.citizen_phone else None,
    )


def staff_view(order: WorkOrderRead, config: CityConfig, now: dt.datetime) -> StaffOrder:
    """An order for operators; the title is cleaned of personal data (it is shown in the queue)."""
    tz = _tz(config)
    overdue = order.is_overdue(now)
    return StaffOrder(
        id=order.id,
        number=order.number,
        channel=order.channel.value,
        channel_label=channel_label(order.channel),
        status=order.status,
        status_label=STATUS_LABELS[order.status],
        citizen_name=order.citizen_name,
        citizen_phone=order.citizen_phone,
        anonymous=order.anonymous,
        title=order_title(order.title, order.request),
        request=order.request,
        facts=order.facts,
        address=order.address,
        district=order.district,
        category=order.category,
        topic=order.topic,
        lead_department=order.lead_department,
        lead_department_name=department_name(config, order.lead_department),
        assisting_departments=order.assisting_departments,
        assisting_department_names=[department_name(config, d) or d for d in order.assisting_departments],
        urgency=order.urgency.value,
        urgency_label=URGENCY_LABELS.get(order.urgency.value, order.urgency.value),
        matter_type=order.matter_type.value,
        incident_time=city_time(order.incident_time, tz),
        incident_time_text=order.incident_time_text,
        deadline_at=city_time(order.deadline_at, tz),
        overdue=overdue,
        supervised=order.supervised,
        extended_amount=order.extended_amount,
        return_count=order.return_count,
        chase_count=order.chase_count,
        rating=order.rating,
        reply_text=order.reply_text,
        triage=order.triage,
        created_at=city_time(order.created_at, tz),
        updated_at=city_time(order.updated_at, tz),
        allowed_actions=[
            a.value
            for a in allowed_actions(order.status)
            if a in STAFF_ACTIONS
            # refused anyway: a dispatch with no unit (after a return: reassign names one), an
            # extension once the deadline has passed (督办 instead)
            and not (a is EventKind.DISPATCH and not order.lead_department)
            and not (a is EventKind.EXTEND and overdue)
        ],
    )


def event_view(event: EventRead, config: CityConfig) -> EventRead:
    """An event with its time in the city's time zone (see the module docstring)."""
    return event.model_copy(update={"created_at": city_time(event.created_at, _tz(config))})


def local_time(value: dt.datetime | None, tz: ZoneInfo) -> str:
    """``2026-11-27 14:30`` in the city's time zone (pages show local time, the API UTC)."""
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


def public_text(text: str | None) -> str:
    """Free text for public and partner views: phone and ID numbers masked."""
    return mask_text(text or "")


_UNIT_LABELS = {"hours": "小时", "working_days": "个工作日", "days": "天"}


def event_details(event: EventRead, config: CityConfig) -> str:
    """What an event changed, in a line for the order's log (派单至…, 延期 2 个工作日…).

    The event data holds it all, but an operator reading the log should not need the API to see
    which unit an order went to, how long it was extended or what the citizen rated.
    """
    data, tz = event.data or {}, _tz(config)

    def when(key: str) -> str:
        raw = data.get(key)
        return local_time(dt.datetime.fromisoformat(raw), tz) if isinstance(raw, str) else ""

    def unit(key: str) -> str | None:
        return department_name(config, data.get(key))

    kind = event.kind
    parts: list[str] = []
    if kind is EventKind.DISPATCH and unit("lead_department"):
        parts.append(f"承办单位：{unit('lead_department')}")
    elif kind is EventKind.RETURN and unit("returned_by"):
        parts.append(f"退单单位：{unit('returned_by')}")
    elif kind is EventKind.REASSIGN:
        parts.append(f"由 {unit('from_department') or '—'} 改派至 {unit('lead_department') or '—'}")
    elif kind is EventKind.RECLASSIFY:
        if data.get("category"):
            parts.append(f"分类：{data['category']}")
        if unit("lead_department"):
            parts.append(f"承办单位：{unit('lead_department')}")
        if data.get("urgency") and data["urgency"] != data.get("previous_urgency"):
            before = URGENCY_LABELS.get(data.get("previous_urgency") or "", "—")
            parts.append(f"紧急程度：{before} → {URGENCY_LABELS.get(data['urgency'], data['urgency'])}")
    elif kind is EventKind.EXTEND and data.get("amount"):
        parts.append(f"延期 {data['amount']} {_UNIT_LABELS.get(data.get('unit') or '', '')}".rstrip())
    elif kind is EventKind.RATE and data.get("rating"):
        parts.append(f"评分 {data['rating']} 分")
    elif kind is EventKind.LINK_REPEAT and data.get("related_number"):
        parts.append(f"关联工单 {data['related_number']}")
    elif kind is EventKind.SUPPLEMENT and data.get("text"):
        parts.append(f"补充：{mask_text(str(data['text']))[:60]}")
    if kind in (EventKind.EXTEND, EventKind.RECLASSIFY, EventKind.REWORK) and when("deadline_at"):
        parts.append(f"新时限 {when('deadline_at')}")
    return "；".join(parts)
