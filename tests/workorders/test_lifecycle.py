"""Every allowed and every forbidden transition, through the service on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from workorders.enums import EventKind, Status
from workorders.errors import InvalidTransitionError, ValidationError
from workorders.lifecycle import TRANSITIONS, allowed_actions, next_status
from workorders.schemas import NewWorkOrder, TransitionRequest
from workorders.service import WorkOrderService

#: How to bring a fresh order (accepted, routed to `water`) into each state.
PATHS: dict[Status, list[dict]] = {
    Status.ACCEPTED: [],
    Status.DISPATCHED: [{"action": "dispatch"}],
    Status.SIGNED_FOR: [{"action": "dispatch"}, {"action": "sign_for"}],
    Status.IN_HANDLING: [{"action": "dispatch"}, {"action": "sign_for"}, {"action": "start_handling"}],
    Status.RETURNED: [{"action": "dispatch"}, {"action": "return", "reason": "不属于本单位职责"}],
    Status.REPLIED: [
        {"action": "dispatch"},
        {"action": "sign_for"},
        {"action": "start_handling"},
        {"action": "reply", "reply_text": "已安排维修，现已恢复供水。"},
    ],
    Status.RATED: [
        {"action": "dispatch"},
        {"action": "sign_for"},
        {"action": "start_handling"},
        {"action": "reply", "reply_text": "已安排维修，现已恢复供水。"},
        {"action": "rate", "rating": 5},
    ],
    Status.CLOSED: [
        {"action": "dispatch"},
        {"action": "sign_for"},
        {"action": "start_handling"},
        {"action": "reply", "reply_text": "已安排维修，现已恢复供水。"},
        {"action": "rate", "rating": 5},
        {"action": "close"},
    ],
    Status.WITHDRAWN: [{"action": "withdraw", "reason": "问题已自行解决"}],
}

#: A complete, valid request for each action (so only the state decides).
PAYLOADS: dict[EventKind, dict] = {
    EventKind.DISPATCH: {"lead_department": "water"},
    EventKind.SIGN_FOR: {},
    EventKind.START_HANDLING: {},
    EventKind.RETURN: {"reason": "不属于本单位职责"},
    EventKind.REASSIGN: {"reason": "职责调整", "lead_department": "housing"},
    EventKind.SUPPLEMENT: {"text": "今天早上又停水了"},
    EventKind.WITHDRAW: {"reason": "已解决"},
    EventKind.CHASE: {},
    EventKind.EXTEND: {"reason": "需协调施工单位", "amount": 2},
    EventKind.SUPERVISE: {"reason": "领导批示督办"},
    EventKind.REPLY: {"reply_text": "已处理完毕。"},
    EventKind.RATE: {"rating": 4},
    EventKind.REWORK: {"reason": "答复不完整"},
    EventKind.CLOSE: {},
    EventKind.LINK_REPEAT: {"text": "同一问题再次反映"},
    EventKind.RECLASSIFY: {"category": "城乡建设"},
}

CASES = [(status, action) for status in Status for action in TRANSITIONS]


def new_order(**overrides) -> NewWorkOrder:  # type: ignore[no-untyped-def]
    data = {
        "citizen": {"name": "李女士", "phone": "13900001111"},
        "request": "小区三天没有自来水，请尽快恢复供水",
        "category": "城乡建设",
        "urgency": "expedited",
    }
    data.update(overrides)
    return NewWorkOrder.model_validate(data)


def drive(svc: WorkOrderService, target: Status) -> str:
    order = svc.file(new_order())
    for step in PATHS[target]:
        order = svc.transition(order.number, TransitionRequest(actor="tester", **step))
    assert order.status is target
    return order.number


def test_the_table_covers_every_requestable_action() -> None:
    assert set(TRANSITIONS) == set(EventKind) - {EventKind.FILED, EventKind.DEADLINE_FALLBACK}
    assert set(PAYLOADS) == set(TRANSITIONS)


def test_terminal_states_allow_nothing() -> None:
    assert allowed_actions(Status.CLOSED) == []
    assert allowed_actions(Status.WITHDRAWN) == []


@pytest.mark.parametrize(("status", "action"), CASES, ids=[f"{s.value}-{a.value}" for s, a in CASES])
def test_transition_matrix_on_sqlite(
    sqlite_url: str, city_config, clock, status: Status, action: EventKind
) -> None:  # type: ignore[no-untyped-def]
    from workorders.db import make_engine, make_session_factory

    svc = WorkOrderService(make_session_factory(make_engine(sqlite_url)), city_config, clock=clock)
    check_transition(svc, status, action)


def check_transition(svc: WorkOrderService, status: Status, action: EventKind) -> None:
    number = drive(svc, status)
    before, events_before = svc.get(number), svc.events(number)
    req = TransitionRequest(actor="tester", action=action, **PAYLOADS[action])
    if status in TRANSITIONS[action].sources:
        after = svc.transition(number, req)
        expected = next_status(status, action)
        if action is EventKind.RATE and req.rating is not None and req.rating <= 2:
            expected = Status.IN_HANDLING
        assert after.status is expected
        logged = svc.events(number)[len(events_before)]
        assert logged.kind is action and logged.from_status is status and logged.actor == "tester"
    else:
        with pytest.raises(InvalidTransitionError, match=f"cannot {action.value}"):
            svc.transition(number, req)
        assert svc.get(number) == before
        assert svc.events(number) == events_before


@pytest.mark.postgres
def test_transition_matrix_on_postgres(postgres_url: str, city_config, clock) -> None:  # type: ignore[no-untyped-def]
    from workorders.db import make_engine, make_session_factory

    engine = make_engine(postgres_url)
    svc = WorkOrderService(make_session_factory(engine), city_config, clock=clock)
    for status, action in CASES:
        check_transition(svc, status, action)
    engine.dispose()


def test_full_lifecycle_records_every_change(order_service: WorkOrderService) -> None:
    number = drive(order_service, Status.CLOSED)
    kinds = [e.kind for e in order_service.events(number)]
    assert kinds == [
        EventKind.FILED,
        EventKind.DISPATCH,
        EventKind.SIGN_FOR,
        EventKind.START_HANDLING,
        EventKind.REPLY,
        EventKind.RATE,
        EventKind.CLOSE,
    ]
    order = order_service.get(number)
    assert order.closed_at is not None and order.rating == 5


def test_return_then_redispatch_to_another_department(order_service: WorkOrderService) -> None:
    number = drive(order_service, Status.RETURNED)
    returned = order_service.get(number)
    assert returned.return_count == 1 and returned.lead_department is None
    with pytest.raises(ValidationError, match="lead department"):
        order_service.transition(number, TransitionRequest(actor="op", action="dispatch"))
    redispatched = order_service.transition(
        number, TransitionRequest(actor="op", action="dispatch", lead_department="housing")
    )
    assert redispatched.status is Status.DISPATCHED and redispatched.lead_department == "housing"


def test_actions_that_need_a_reason_refuse_without_one(order_service: WorkOrderService) -> None:
    number = drive(order_service, Status.IN_HANDLING)
    for action in ("return", "withdraw", "extend", "supervise"):
        with pytest.raises(ValidationError, match="needs a reason"):
            order_service.transition(number, TransitionRequest(actor="op", action=action, amount=1))
    assert order_service.get(number).status is Status.IN_HANDLING


def test_unsatisfied_rating_sends_the_order_back_and_twice_puts_it_under_supervision(
    order_service: WorkOrderService,
) -> None:
    number = drive(order_service, Status.REPLIED)
    order = order_service.transition(number, TransitionRequest(actor="citizen", action="rate", rating=1))
    assert order.status is Status.IN_HANDLING and order.unsatisfied_count == 1 and not order.supervised
    order_service.transition(
        number, TransitionRequest(actor="dept", action="reply", reply_text="已再次处理。")
    )
    order = order_service.transition(number, TransitionRequest(actor="citizen", action="rate", rating=2))
    assert order.unsatisfied_count == 2 and order.supervised
    kinds = [e.kind for e in order_service.events(number)]
    assert kinds[-3:] == [EventKind.RATE, EventKind.REWORK, EventKind.SUPERVISE]


def test_chasing_is_counted_and_repeated_chasing_escalates(order_service: WorkOrderService) -> None:
    number = drive(order_service, Status.DISPATCHED)
    for _ in range(3):
        order = order_service.transition(number, TransitionRequest(actor="citizen", action="chase"))
    assert order.chase_count == 3 and order.supervised


def test_extension_moves_the_deadline_within_the_limit(order_service: WorkOrderService) -> None:
    number = order_service.file(new_order(urgency="normal")).number
    order_service.transition(number, TransitionRequest(actor="op", action="dispatch"))
    before = order_service.get(number)
    after = order_service.transition(
        number, TransitionRequest(actor="op", action="extend", amount=3, reason="需要现场勘验")
    )
    assert after.deadline_at > before.deadline_at and after.extended_amount == 3


def test_supplement_appends_to_the_facts(order_service: WorkOrderService) -> None:
    number = drive(order_service, Status.DISPATCHED)
    order = order_service.transition(
        number, TransitionRequest(actor="citizen", action="supplement", text="楼下水管也在漏水")
    )
    assert "楼下水管也在漏水" in order.facts and "【补充" in order.facts


def test_overdue_orders_are_put_under_supervision_once(order_service: WorkOrderService, clock) -> None:  # type: ignore[no-untyped-def]
    number = drive(order_service, Status.DISPATCHED)
    assert order_service.supervise_overdue() == []
    clock.advance(hours=25)  # expedited: 24 hours
    assert order_service.supervise_overdue() == [number]
    assert order_service.supervise_overdue() == []
    assert order_service.get(number).is_overdue(clock())


def test_reclassify_stores_a_labelled_example(order_service: WorkOrderService, db_url: str) -> None:
    from sqlalchemy import select

    from workorders.db import LabelledExampleRow, make_engine, make_session_factory

    order = order_service.file(new_order(triage={"category": {"label": "环境保护"}}))
    updated = order_service.transition(
        order.number, TransitionRequest(actor="op", action="reclassify", category="城乡建设")
    )
    assert updated.category == "城乡建设" and updated.lead_department == "water"
    with make_session_factory(make_engine(db_url))() as s:
        rows = s.scalars(select(LabelledExampleRow)).all()
    assert [(r.head, r.label, r.source) for r in rows] == [("category", "城乡建设", "operator_override")]


def test_rating_records_whether_the_matter_was_resolved(order_service: WorkOrderService) -> None:
    number = drive(order_service, Status.REPLIED)
    order_service.transition(
        number, TransitionRequest(actor="citizen", action="rate", rating=4, resolved=False)
    )
    rate = [e for e in order_service.events(number) if e.kind is EventKind.RATE][-1]
    assert rate.data == {"rating": 4, "unsatisfied": False, "resolved": False}


def test_listeners_hear_committed_actions_and_cannot_break_them(order_service: WorkOrderService) -> None:
    heard: list[tuple[str, EventKind]] = []

    def broken(order, action) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("listener bug")

    order_service.subscribe(broken)
    order_service.subscribe(lambda order, action: heard.append((order.status.value, action)))
    number = drive(order_service, Status.SIGNED_FOR)
    assert heard == [("dispatched", EventKind.DISPATCH), ("signed_for", EventKind.SIGN_FOR)]
    with pytest.raises(InvalidTransitionError):
        order_service.transition(number, TransitionRequest(actor="op", action="close"))
    assert len(heard) == 2  # refused actions are not announced
