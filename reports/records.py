"""Plain, immutable views of work orders that the reporting code analyses.

Reports never touch ORM rows directly: the database layer (`reports.query`) turns rows and their
event logs into `OrderRecord`s, and tests construct records by hand. That keeps every statistic a pure
function of its input, checkable on a handful of invented orders, and independent of the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workorders.enums import EventKind, Status

#: States in which an order no longer waits for anyone.
FINISHED_STATUSES = frozenset({Status.CLOSED.value, Status.WITHDRAWN.value})


@dataclass(frozen=True)
class RatingEvent:
    """One callback rating (回访评价); ``resolved`` is the citizen's answer when the callback asked."""

    at: dt.datetime
    rating: int
    resolved: bool | None = None


@dataclass(frozen=True)
class ReturnEvent:
    """One return (退单) and the department that sent the order back."""

    at: dt.datetime
    department: str | None


@dataclass(frozen=True)
class OrderRecord:
    """What the daily report needs to know about one order (a subset of `WorkOrderRow`).

    Datetimes are timezone-aware. Counters (`chase_count` ...) are the order's current totals; the
    event tuples carry the dated facts that per-day rates need (when it was signed for, rated, returned).
    """

    id: int
    number: str
    channel: str
    status: str
    created_at: dt.datetime
    title: str = ""
    request: str = ""
    facts: str = ""
    address: str | None = None
    district: str | None = None
    category: str | None = None
    topic: str | None = None
    lead_department: str | None = None
    assisting_departments: tuple[str, ...] = ()
    urgency: str = "normal"
    matter_type: str = "complaint"
    deadline_at: dt.datetime | None = None
    replied_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    rating: int | None = None
    chase_count: int = 0
    unsatisfied_count: int = 0
    return_count: int = 0
    repeat_count: int = 0
    supervised: bool = False
    redirect_kind: str | None = None
    #: who raised it (phone or chat token), for counting distinct citizens; never shown in reports
    citizen_key: str | None = None
    signed_for_at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None
    ratings: tuple[RatingEvent, ...] = ()
    returns: tuple[ReturnEvent, ...] = ()

    def __post_init__(self) -> None:
        for name in ("created_at", "deadline_at", "replied_at", "closed_at", "signed_for_at", "withdrawn_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"OrderRecord.{name} must be timezone-aware (order {self.number})")

    @property
    def text(self) -> str:
        """Title, request and facts in one string, for keyword rules and clustering."""
        return "\n".join(p for p in (self.title, self.request, self.facts) if p)

    def is_open_at(self, moment: dt.datetime) -> bool:
        """Whether the order existed and was not yet closed or withdrawn at `moment`."""
        if self.created_at >= moment:
            return False
        if self.closed_at is not None and self.closed_at < moment:
            return False
        if self.withdrawn_at is not None and self.withdrawn_at < moment:
            return False
        # A finished order without a dated closing event: trust its current status.
        return not (self.status in FINISHED_STATUSES and self.closed_at is None and self.withdrawn_at is None)


def _aware(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        # Rows from SQLite come back naive only if the UTC column type was bypassed; they are UTC.
        value = value.replace(tzinfo=dt.UTC)
    return value


def _enum_value(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def events_summary(events: Iterable[Any]) -> dict[str, Any]:
    """Reduce an order's event log (rows, `EventRead`s or dicts) to the dated facts reports need.

    Returns keyword arguments for `OrderRecord`: first sign-for time, withdrawal time, ratings and
    returns (with the department that returned the order: ``data["returned_by"]``).
    """
    signed_for_at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None
    ratings: list[RatingEvent] = []
    returns: list[ReturnEvent] = []
    for event in sorted(events, key=lambda e: _aware(_get(e, "created_at")) or dt.datetime.min):
        kind = str(_get(event, "kind"))
        at = _aware(_get(event, "created_at"))
        if at is None:
            continue
        data = _get(event, "data") or {}
        if kind == EventKind.SIGN_FOR.value and signed_for_at is None:
            signed_for_at = at
        elif kind == EventKind.WITHDRAW.value:
            withdrawn_at = at
        elif kind == EventKind.RATE.value and data.get("rating") is not None:
            resolved = data.get("resolved")
            ratings.append(RatingEvent(at, int(data["rating"]), None if resolved is None else bool(resolved)))
        elif kind == EventKind.RETURN.value:
            returns.append(ReturnEvent(at, data.get("returned_by") or data.get("department")))
    return {
        "signed_for_at": signed_for_at,
        "withdrawn_at": withdrawn_at,
        "ratings": tuple(ratings),
        "returns": tuple(returns),
    }


def from_row(row: Any, events: Iterable[Any] | None = None) -> OrderRecord:
    """Build a record from a `WorkOrderRow`, a `WorkOrderRead`, a SQL result row or a mapping.

    Args:
        row: Anything with the schema's column names as attributes or keys.
        events: The order's events; when omitted, ``row.events`` is used if the row has it loaded.
    """
    if events is None:
        events = _get(row, "events") or ()
    phone, token = _get(row, "citizen_phone"), _get(row, "citizen_token")
    return OrderRecord(
        id=int(_get(row, "id")),
        number=str(_get(row, "number")),
        channel=str(_enum_value(_get(row, "channel"))),
        status=str(_enum_value(_get(row, "status"))),
        created_at=_aware(_get(row, "created_at")),  # type: ignore[arg-type]
        title=_get(row, "title") or "",
        request=_get(row, "request") or "",
        facts=_get(row, "facts") or "",
        address=_get(row, "address"),
        district=_get(row, "district"),
        category=_get(row, "category"),
        topic=_get(row, "topic"),
        lead_department=_get(row, "lead_department"),
        assisting_departments=tuple(_get(row, "assisting_departments") or ()),
        urgency=_enum_value(_get(row, "urgency")) or "normal",
        matter_type=_enum_value(_get(row, "matter_type")) or "complaint",
        deadline_at=_aware(_get(row, "deadline_at")),
        replied_at=_aware(_get(row, "replied_at")),
        closed_at=_aware(_get(row, "closed_at")),
        rating=_get(row, "rating"),
        chase_count=int(_get(row, "chase_count") or 0),
        unsatisfied_count=int(_get(row, "unsatisfied_count") or 0),
        return_count=int(_get(row, "return_count") or 0),
        repeat_count=int(_get(row, "repeat_count") or 0),
        supervised=bool(_get(row, "supervised") or False),
        redirect_kind=_enum_value(_get(row, "redirect_kind")),
        citizen_key=phone or token,
        **events_summary(events),
    )
