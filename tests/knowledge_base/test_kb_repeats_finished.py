"""Repeats are linked only to orders still being handled (示范市12345热线服务指南 第九条).

An order whose department has replied (awaiting the rating, rated) or that is closed or withdrawn
cannot absorb a repeat: the matter occurring again is a new order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from knowledge_base.repeats import FINISHED_STATUSES, RepeatQuery, find_repeat
from workorders.enums import Status

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


@dataclass
class Order:
    id: int
    status: object
    request: str = "小区门口路灯不亮"
    citizen_phone: str | None = "13800000001"
    address: str | None = "和平路12号锦绣小区"
    district: str | None = "东城区"
    facts: str | None = ""
    category: str | None = "城乡建设"
    created_at: datetime = field(default_factory=lambda: NOW - timedelta(days=3))
    number: str = "20261125-000001"


QUERY = RepeatQuery(
    request="小区门口的路灯坏了一直不亮",
    citizen_phone="13800000001",
    address="东城区和平路12号锦绣小区",
    district="东城区",
    category="城乡建设",
)


@pytest.mark.parametrize(
    "status",
    [Status.ACCEPTED, Status.DISPATCHED, Status.SIGNED_FOR, Status.IN_HANDLING, Status.RETURNED],
)
def test_orders_still_being_handled_absorb_a_repeat(status: Status) -> None:
    assert find_repeat(QUERY, [Order(1, status)], now=NOW) is not None
    assert find_repeat(QUERY, [Order(1, status.value)], now=NOW) is not None, "plain values too"


@pytest.mark.parametrize("status", [Status.REPLIED, Status.RATED, Status.CLOSED, Status.WITHDRAWN])
def test_finished_orders_do_not(status: Status) -> None:
    assert find_repeat(QUERY, [Order(1, status)], now=NOW) is None
    assert find_repeat(QUERY, [Order(1, status.value)], now=NOW) is None


def test_an_open_order_is_chosen_over_a_more_similar_finished_one() -> None:
    rated = Order(1, Status.RATED, request="小区门口的路灯坏了一直不亮")
    open_ = Order(2, Status.IN_HANDLING, number="20261126-000002")
    match = find_repeat(QUERY, [rated, open_], now=NOW)
    assert match is not None and match.order_id == 2


def test_finished_statuses_are_those_after_the_reply() -> None:
    finished = {Status.REPLIED, Status.RATED, Status.CLOSED, Status.WITHDRAWN}
    assert {s.value for s in finished} == FINISHED_STATUSES
