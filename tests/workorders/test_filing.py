"""Filing: routing from the catalogue, idempotency, unique numbers under concurrency, bad input."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError as SchemaError

from workorders.enums import EventKind, Status
from workorders.errors import NotFoundError, ValidationError
from workorders.schemas import NewWorkOrder
from workorders.service import WorkOrderService


def new_order(**overrides) -> NewWorkOrder:  # type: ignore[no-untyped-def]
    data = {
        "citizen": {"name": "王先生", "phone": "13800138000"},
        "request": "小区门口的路灯坏了一个月，晚上很黑",
        "category": "城乡建设",
    }
    data.update(overrides)
    return NewWorkOrder.model_validate(data)


def test_filing_routes_through_the_catalogue_and_logs_the_event(order_service: WorkOrderService) -> None:
    order = order_service.file(new_order(request="家里停气两天了，做不了饭", urgency="expedited"))
    assert order.status is Status.ACCEPTED
    assert order.lead_department == "gas" and order.topic == "供气"
    assert order.number.startswith("20261125-")
    assert [e.kind for e in order_service.events(order.number)] == [EventKind.FILED]
    assert order_service.get(order.id) == order_service.get(order.number)


def test_same_idempotency_key_returns_the_same_order(order_service: WorkOrderService) -> None:
    first = order_service.file(new_order(idempotency_key="web:abc:1"))
    again = order_service.file(new_order(idempotency_key="web:abc:1", request="重复提交"))
    assert again.id == first.id and again.request == first.request
    assert order_service.count() == 1


def test_two_hundred_orders_from_eight_threads_get_unique_numbers(order_service: WorkOrderService) -> None:
    def file(i: int) -> str:
        return order_service.file(new_order(request=f"第{i}号诉求：楼道灯不亮")).number

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(file, range(200)))
    assert len(set(numbers)) == 200
    assert order_service.count() == 200
    assert sorted(numbers)[-1].endswith("-000200")


def test_concurrent_retries_with_one_key_file_once(order_service: WorkOrderService) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(lambda _: order_service.file(new_order(idempotency_key="retry-1")).id, range(16)))
    assert len(ids) == 1
    assert order_service.count() == 1


@pytest.mark.parametrize("phone", ["1380013800", "23800138000", "电话号码", "010-123"])
def test_malformed_phone_numbers_are_refused(phone: str) -> None:
    with pytest.raises(SchemaError, match="malformed phone number"):
        new_order(citizen={"phone": phone})


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0531-88886666", "0531-88886666"),
        ("01088886666", "010-88886666"),
    ],
)
def test_phone_numbers_are_normalised(raw: str, normalised: str) -> None:
    assert new_order(citizen={"phone": raw}).citizen.phone == normalised


def test_anonymous_citizens_need_no_phone_but_others_do() -> None:
    assert new_order(citizen={"anonymous": True}).citizen.phone is None
    with pytest.raises(SchemaError, match="phone number is required"):
        new_order(citizen={"name": "张三"})


def test_emergencies_are_not_filed() -> None:
    with pytest.raises(SchemaError, match="110/119/120/122"):
        new_order(urgency="emergency")


def test_unknown_department_is_refused_and_nothing_is_written(order_service: WorkOrderService) -> None:
    with pytest.raises(ValidationError, match="unknown department 'nonexistent'"):
        order_service.file(new_order(lead_department="nonexistent"))
    assert order_service.count() == 0


def test_unknown_category_is_an_input_error(order_service: WorkOrderService) -> None:
    with pytest.raises(ValidationError, match="unknown category '天气'"):
        order_service.file(new_order(category="天气"))
    assert order_service.count() == 0


def test_unknown_order_is_not_found(order_service: WorkOrderService) -> None:
    with pytest.raises(NotFoundError):
        order_service.get("20990101-000001")


def test_queue_order_puts_urgent_first(order_service: WorkOrderService) -> None:
    order_service.file(new_order(request="建议增加公交班次", category="交通运输"))
    urgent = order_service.file(new_order(request="路面塌陷，车辆无法通行", urgency="urgent"))
    queue = order_service.list(queue_order=True)
    assert queue[0].id == urgent.id


def test_repeat_candidates_are_open_orders_of_the_same_citizen(
    order_service: WorkOrderService, clock
) -> None:  # type: ignore[no-untyped-def]
    mine = order_service.file(new_order())
    order_service.file(new_order(citizen={"phone": "13700001111"}))
    found = order_service.repeat_candidates(phone="13800138000", district=None, address=None)
    assert [o.id for o in found] == [mine.id]
    clock.advance(days=31)
    assert order_service.repeat_candidates(phone="13800138000", district=None, address=None) == []
