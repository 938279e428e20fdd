"""Staff-facing Chinese labels of the work-order vocabulary.

The console, the Open311 feed and the daily report all name an order's status the same way, in the
terms hotline staff use (已派单, 已退单, 已回访…). Keeping the one table here, next to `Status`, stops
those pages from drifting apart. The assistant speaks to citizens in its own words (see
``assistant.texts.CITIZEN_STATUS_LABELS``), so it deliberately does not use this table.
"""

from __future__ import annotations

from workorders.enums import Status

#: Staff wording of each status. Keyed by `Status`, a `StrEnum`, so a plain stored value such as
#: ``"dispatched"`` finds its label too.
STATUS_LABELS: dict[Status, str] = {
    Status.ACCEPTED: "已受理",
    Status.DISPATCHED: "已派单",
    Status.SIGNED_FOR: "已签收",
    Status.IN_HANDLING: "办理中",
    Status.RETURNED: "已退单",
    Status.REPLIED: "已答复",
    Status.RATED: "已回访",
    Status.CLOSED: "已办结",
    Status.WITHDRAWN: "已撤单",
}


def status_label(status: Status | str) -> str:
    """The staff label of ``status``, or the raw value when it is unknown.

    Records read from the database or an export carry the status as a plain string; an unknown one
    (say, from a newer schema) is shown as it is rather than breaking a whole report.
    """
    try:
        return STATUS_LABELS[Status(status)]
    except (ValueError, KeyError):
        return str(status)
