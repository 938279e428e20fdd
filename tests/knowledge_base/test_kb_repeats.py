from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from knowledge_base.embedders import HashingEmbedder
from knowledge_base.repeats import (
    FINISHED_STATUSES,
    RepeatConfig,
    RepeatQuery,
    address_similarity,
    embedding_similarity,
    find_repeat,
    group_hot_issues,
    hot_issue_key,
    normalise_phone,
)
from workorders.enums import Status

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@dataclass
class Order:
    id: int
    request: str
    citizen_phone: str | None = "13800000001"
    address: str | None = "和平路12号锦绣小区"
    district: str | None = "东城区"
    facts: str | None = ""
    category: str | None = "城乡建设"
    created_at: datetime = field(default_factory=lambda: NOW - timedelta(days=3))
    status: str = "dispatched"
    number: str = ""

    def __post_init__(self) -> None:
        self.number = self.number or f"N{self.id}"


def _query(text: str, **kw: object) -> RepeatQuery:
    base: dict[str, object] = {
        "citizen_phone": "138-0000-0001",
        "address": "东城区和平路12号锦绣小区",
        "district": "东城区",
        "category": "城乡建设",
    }
    base.update(kw)
    return RepeatQuery(request=text, **base)  # type: ignore[arg-type]


def test_same_citizen_same_matter_is_a_repeat() -> None:
    match = find_repeat(_query("小区门口的路灯坏了一直不亮"), [Order(1, "小区门口路灯不亮")], now=NOW)
    assert match is not None
    assert (match.order_id, match.number, match.reason) == (1, "N1", "same_citizen")
    assert match.same_phone and 0 < match.score <= 1
    assert match.days_apart == pytest.approx(3.0)


def test_same_citizen_different_matter_is_not() -> None:
    assert find_repeat(_query("楼下烧烤店油烟扰民"), [Order(1, "小区门口路灯不亮")], now=NOW) is None


def test_window_and_status_exclude_candidates() -> None:
    old = Order(1, "小区门口路灯不亮", created_at=NOW - timedelta(days=31))
    closed = Order(2, "小区门口路灯不亮", status="closed")
    assert find_repeat(_query("小区门口路灯不亮"), [old, closed], now=NOW) is None
    assert find_repeat(_query("小区门口路灯不亮"), [old], now=NOW, window_days=40) is not None


def test_other_citizen_same_place_is_same_place() -> None:
    other = Order(3, "锦绣小区门口路灯不亮，晚上很黑", citizen_phone="13900000009")
    match = find_repeat(_query("锦绣小区门口路灯不亮"), [other], now=NOW)
    assert match is not None and match.reason == "same_place" and not match.same_phone


def test_other_citizen_other_place_is_not_considered() -> None:
    far = Order(4, "小区门口路灯不亮", citizen_phone="13900000009", address="南湖大道88号", district="南湖区")
    assert find_repeat(_query("小区门口路灯不亮"), [far], now=NOW) is None


def test_same_citizen_preferred_over_same_place() -> None:
    mine = Order(5, "小区门口路灯不亮")
    theirs = Order(6, "小区门口路灯不亮", citizen_phone="13900000009")
    match = find_repeat(_query("小区门口路灯不亮"), [theirs, mine], now=NOW)
    assert match is not None and match.order_id == 5


def test_threshold_is_configurable_and_category_penalises() -> None:
    candidate = [Order(1, "小区门口路灯不亮")]
    assert find_repeat(_query("小区门口路灯坏了"), candidate, now=NOW, threshold=0.99) is None
    lenient = find_repeat(_query("小区门口路灯坏了"), candidate, now=NOW, threshold=0.1)
    assert lenient is not None
    penalised = find_repeat(
        _query("小区门口路灯坏了", category="交通运输"),
        candidate,
        now=NOW,
        config=RepeatConfig(same_citizen_threshold=lenient.score - 0.01, category_penalty=0.2),
    )
    assert penalised is None


def test_embedding_similarity_plugs_in() -> None:
    sim = embedding_similarity(HashingEmbedder())
    match = find_repeat(_query("小区门口路灯不亮"), [Order(1, "小区门口路灯不亮")], now=NOW, similarity=sim)
    assert match is not None and match.text_similarity == pytest.approx(1.0, abs=1e-4)


def test_naive_datetimes_are_utc() -> None:
    order = Order(1, "小区门口路灯不亮", created_at=(NOW - timedelta(days=1)).replace(tzinfo=None))
    assert find_repeat(_query("小区门口路灯不亮"), [order], now=NOW) is not None


@pytest.mark.parametrize(
    ("raw", "norm"), [("+86 138-0000-0001", "13800000001"), ("0086 13800000001", "13800000001"), ("", "")]
)
def test_normalise_phone(raw: str, norm: str) -> None:
    assert normalise_phone(raw) == norm


def test_address_similarity() -> None:
    assert address_similarity("东城区和平路12号", "和平路12号") == 1.0
    assert address_similarity("和平路12号", "南湖大道88号") < 0.3
    assert address_similarity(None, "x") == 0.0


def test_hot_issues_group_distinct_citizens() -> None:
    orders = [Order(i, "和平路锦绣小区门口路灯不亮", citizen_phone=f"1390000000{i}") for i in range(3)]
    orders.append(Order(9, "楼下烧烤油烟扰民", citizen_phone="13700000000"))
    orders.append(
        Order(10, "和平路锦绣小区门口路灯不亮", citizen_phone="13900000000")
    )  # same citizen as id 0
    issues = group_hot_issues(orders, min_citizens=3)
    assert len(issues) == 1
    assert set(issues[0].order_ids) == {0, 1, 2, 10} and issues[0].citizens == 3
    assert hot_issue_key("东城区", "城乡建设", "锦绣小区路灯不亮") == hot_issue_key(
        "东城区", "城乡建设", "锦绣小区路灯不亮"
    )


# -- repeats are linked only to orders still being handled (示范市12345热线服务指南 第九条) ----------
# An order whose department has replied (awaiting the rating, rated) or that is closed or withdrawn
# cannot absorb a repeat: the matter occurring again is a new order.

_LAMP = "小区门口路灯不亮"
_LAMP_AGAIN = "小区门口的路灯坏了一直不亮"


@pytest.mark.parametrize(
    "status",
    [Status.ACCEPTED, Status.DISPATCHED, Status.SIGNED_FOR, Status.IN_HANDLING, Status.RETURNED],
)
def test_orders_still_being_handled_absorb_a_repeat(status: Status) -> None:
    assert find_repeat(_query(_LAMP_AGAIN), [Order(1, _LAMP, status=status)], now=NOW) is not None
    assert find_repeat(_query(_LAMP_AGAIN), [Order(1, _LAMP, status=status.value)], now=NOW) is not None, (
        "plain values too"
    )


@pytest.mark.parametrize("status", [Status.REPLIED, Status.RATED, Status.CLOSED, Status.WITHDRAWN])
def test_finished_orders_do_not(status: Status) -> None:
    assert find_repeat(_query(_LAMP_AGAIN), [Order(1, _LAMP, status=status)], now=NOW) is None
    assert find_repeat(_query(_LAMP_AGAIN), [Order(1, _LAMP, status=status.value)], now=NOW) is None


def test_an_open_order_is_chosen_over_a_more_similar_finished_one() -> None:
    rated = Order(1, _LAMP_AGAIN, status=Status.RATED)
    open_ = Order(2, _LAMP, status=Status.IN_HANDLING, number="20261126-000002")
    match = find_repeat(_query(_LAMP_AGAIN), [rated, open_], now=NOW)
    assert match is not None and match.order_id == 2


def test_finished_statuses_are_those_after_the_reply() -> None:
    finished = {Status.REPLIED, Status.RATED, Status.CLOSED, Status.WITHDRAWN}
    assert {s.value for s in finished} == FINISHED_STATUSES
