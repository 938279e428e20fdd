"""Loading the orders a report needs from the database, as `OrderRecord`s.

A daily report looks at a window of days before the report day (baselines, returns, hot issues) plus
every order still open (supervision lists). Loading only those, with plain column selects instead of
ORM objects, keeps a report over a large table fast: the rest of the history is never read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from reports.records import OrderRecord, from_row
from workorders.db import WorkOrderEventRow, WorkOrderRow
from workorders.enums import OPEN_STATUSES, EventKind

#: Columns of `WorkOrderRow` that `OrderRecord` uses (citizen identity only as a key, never shown).
_COLUMNS = (
    "id", "number", "channel", "status", "created_at", "title", "request", "facts", "address", "district",
    "category", "topic", "lead_department", "assisting_departments", "urgency", "matter_type", "deadline_at",
    "replied_at", "closed_at", "rating", "chase_count", "unsatisfied_count", "return_count", "repeat_count",
    "supervised", "redirect_kind", "citizen_phone", "citizen_token",
)  # fmt: skip
#: Event kinds whose dates the report needs.
_EVENT_KINDS = (
    EventKind.SIGN_FOR.value,
    EventKind.WITHDRAW.value,
    EventKind.RATE.value,
    EventKind.RETURN.value,
)


def load_records(session: Session, since: dt.datetime, until: dt.datetime) -> list[OrderRecord]:
    """Orders filed or touched in ``[since, until)``, plus every order still open, with their events.

    Args:
        session: An open SQLAlchemy session on the work-order database.
        since: Start of the window (aware).
        until: End of the window (aware); orders filed later are not loaded.
    """
    columns = [getattr(WorkOrderRow, name) for name in _COLUMNS]
    open_values = [s.value for s in OPEN_STATUSES]
    order_query = (
        select(*columns)
        .where(WorkOrderRow.created_at < until)
        .where(
            or_(
                WorkOrderRow.created_at >= since,
                WorkOrderRow.updated_at >= since,
                WorkOrderRow.status.in_(open_values),
            )
        )
    )
    rows = [dict(r._mapping) for r in session.execute(order_query)]
    event_query = (
        select(
            WorkOrderEventRow.order_id,
            WorkOrderEventRow.kind,
            WorkOrderEventRow.created_at,
            WorkOrderEventRow.data,
        )
        .where(WorkOrderEventRow.kind.in_(_EVENT_KINDS))
        .where(WorkOrderEventRow.created_at >= since)
        .where(WorkOrderEventRow.created_at < until)
    )
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for order_id, kind, created_at, data in session.execute(event_query):
        events[order_id].append({"kind": kind, "created_at": created_at, "data": data or {}})
    return [from_row(row, events.get(row["id"], ())) for row in rows]
