"""Rules staff run into (no extension once overdue, links name another order) and the Chinese they read."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from serving.errors import page_message
from serving.services import Services
from workorders.errors import ExtensionLimitError, ValidationError


def _act(client, headers, number, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/orders/{number}/actions", json=body, headers=headers)


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("rating: Input should be less than or equal to 5", "评分不能大于 5。"),
        ("text: String should have at most 5000 characters", "诉求内容最多 5000 个字。"),
        ("attachments: List should have at most 20 items after validation", "附件太长（最多 20）。"),
        ("number: String should match pattern '^\\d{8}-\\d{6}$'", "工单编号格式不对。"),
        (
            "phone: malformed phone number '1380000': expected a mainland mobile or landline number",
            "电话号码格式不对，请填写11位手机号或带区号的座机号。",
        ),
        ("a phone number is required unless the citizen is anonymous", "请填写联系电话，或选择匿名反映。"),
        ("duplicated column name(s) in the header: label", "表头里有重复的列名：label。"),
        (
            "row 42 repeats the header (files joined together?); remove that row",
            "第 42 行重复了表头（是否把几个文件拼在了一起？），请删除这一行。",
        ),
        (
            "unknown category labels: #11 '宠物管理' (allowed: 城乡建设, 环境保护)",
            "有未知的标签：#11 '宠物管理'。可用的标签：城乡建设, 环境保护。",
        ),
        ("category: no earlier version to roll back to", "没有可以回滚到的上一版本。"),
        ("foo: Extra inputs are not permitted", "输入不是可以填写的字段。"),
    ],
)
def test_validation_messages_are_worded_in_chinese(english: str, chinese: str) -> None:
    assert page_message(ValidationError(english)) == chinese


def test_the_extension_limit_names_its_unit_in_chinese() -> None:
    err = ExtensionLimitError(
        "extension of 12 working days exceeds the limit for normal orders: at most 10 working days in all, 10 left"
    )
    assert page_message(err) == "超出规定的延期上限：这类工单最多延期 10 个工作日，还可延期 10 个工作日。"


def test_an_urgent_order_is_told_it_cannot_be_extended() -> None:
    err = ExtensionLimitError("urgent orders cannot be extended: they are handled within the time limit")
    assert page_message(err) == "紧急工单不能延期，须在时限内办结。"


def test_an_unknown_english_message_keeps_its_detail_for_support() -> None:
    assert page_message(ValidationError("something new went wrong")).endswith("（something new went wrong）")


def test_json_validation_errors_carry_a_chinese_message(  # type: ignore[no-untyped-def]
    client: TestClient, new_citizen
) -> None:
    response = client.post(
        "/api/citizen/orders", json={"text": "路灯坏了", "phone": "1380000"}, headers=new_citizen()
    )
    assert response.status_code == 422
    assert response.json()["message"] == "电话号码格式不对，请填写11位手机号或带区号的座机号。"
    rating = client.post(
        "/api/citizen/orders", json={"text": "", "phone": "13812345678"}, headers=new_citizen()
    )
    assert rating.status_code == 422 and "诉求内容" in rating.json()["message"]


def test_an_overdue_order_is_supervised_not_extended(  # type: ignore[no-untyped-def]
    client: TestClient, clock, login, new_citizen, file_order
) -> None:
    op = login("operator")
    number = file_order(new_citizen(), "小区里有违章建筑")["number"]
    assert _act(client, op, number, action="dispatch").status_code == 200
    assert _act(client, op, number, action="extend", amount=2, reason="需要现场测量").status_code == 200
    clock.advance(days=30)
    late = _act(client, op, number, action="extend", amount=2, reason="还要测量")
    assert late.status_code == 422 and "超期" in late.json()["message"]


def test_a_link_must_name_another_existing_order(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order
) -> None:
    op = login("operator")
    me = new_citizen()
    first = file_order(me, "小区门口的路灯坏了")
    first_id = services.orders.get(first["number"]).id
    other_id = services.orders.get(file_order(me, "学校门口上下学太堵了")["number"]).id
    empty = _act(client, op, first["number"], action="link_repeat", text="同一问题")
    assert empty.status_code == 422 and "另一张工单" in empty.json()["message"]
    itself = _act(client, op, first["number"], action="link_repeat", related_order_id=first_id)
    assert itself.status_code == 422 and "自己" in itself.json()["message"]
    missing = _act(client, op, first["number"], action="link_repeat", related_order_id=999_999)
    assert missing.status_code == 404
    linked = _act(client, op, first["number"], action="link_repeat", related_order_id=other_id)
    assert linked.status_code == 200
    assert services.orders.get(first["number"]).repeat_count == 1
    twice = _act(client, op, first["number"], action="link_repeat", related_order_id=other_id)
    assert twice.status_code == 422 and "不能重复并单" in twice.json()["message"]
    assert services.orders.get(first["number"]).repeat_count == 1


def test_the_order_log_says_what_each_step_changed(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order
) -> None:
    from tests.serving.test_walkthrough_fixes import HTML, _sign_in

    op = login("operator")
    me = new_citizen()
    number = file_order(me, "小区门口的路灯坏了")["number"]
    other = file_order(me, "学校门口上下学太堵了")["number"]
    for body in (
        {"action": "reclassify", "category": "城乡建设", "lead_department": "urban_management"},
        {"action": "dispatch"},
        {"action": "return", "reason": "路灯归供电公司"},
        {"action": "reassign", "lead_department": "power", "reason": "供电公司负责"},
        {"action": "extend", "amount": 2, "reason": "需要更换电缆"},
        {"action": "link_repeat", "related_order_id": services.orders.get(other).id},
    ):
        assert _act(client, op, number, **body).status_code == 200, body
    from workorders.enums import EventKind
    from workorders.schemas import TransitionRequest

    signed = TransitionRequest(action=EventKind.SIGN_FOR, actor="power", actor_role="department")
    services.orders.transition(number, signed)
    _sign_in(client)
    html = client.get(f"/console/orders/{number}", headers=HTML).text
    for detail in (
        "签收 · 市供电公司",
        "承办单位：市城市管理局",
        "退单单位：市城市管理局",
        "由 市城市管理局 改派至 市供电公司",
        "延期 2 个工作日；新时限",
        f"关联工单 {other}",
    ):
        assert detail in html, detail


def test_sign_in_and_session_errors_say_what_is_wrong(client: TestClient, new_citizen) -> None:  # type: ignore[no-untyped-def]
    wrong = client.post("/api/auth/token", json={"username": "operator", "password": "not-the-password"})
    assert wrong.status_code == 401 and wrong.json()["message"] == "用户名或密码错误。"
    expired = client.post("/webhooks/rest/webhook", json={"sender": "x", "message": "路灯坏了"})
    assert expired.status_code == 401 and "刷新页面" in expired.json()["message"]
    short = client.post(
        "/api/citizen/orders", json={"text": "a", "phone": "13812345678"}, headers=new_citizen()
    )
    assert short.status_code == 422 and "太短" in short.json()["message"]


def test_citizens_read_their_statuses_in_the_chats_words(client: TestClient, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    number = file_order(me, "小区门口的路灯坏了")["number"]
    mine = client.get(f"/api/citizen/orders/{number}", headers=me).json()
    assert mine["status_label"] == "已受理，等待派单"


def test_staff_file_the_follow_up_of_an_emergency_already_handed_over(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login
) -> None:
    op = login("operator")
    text = "昨晚煤气泄漏，消防已经处理完了，阀门关了，请燃气公司来检修管道"
    refused = client.post("/api/orders", json={"text": text, "phone": "13812345678"}, headers=op)
    assert refused.status_code == 200 and refused.json()["kind"] == "emergency"
    body = {"text": text, "phone": "13812345678", "emergency_handled": True}
    filed = client.post("/api/orders", json=body, headers=op)
    assert filed.status_code == 201, filed.text
    order = services.orders.get(filed.json()["order"]["number"])
    assert order.urgency.value == "urgent"
    assert order.deadline_at is not None and order.deadline_at - order.created_at <= dt.timedelta(hours=2)
    assert order.triage is not None and order.triage["handled_emergency"]["number"] == "119"


def test_the_knowledge_search_page_names_kinds_in_chinese(client: TestClient) -> None:  # type: ignore[no-untyped-def]
    from tests.serving.test_walkthrough_fixes import HTML, _sign_in

    _sign_in(client)
    html = client.get("/console/search", params={"q": "小区路灯不亮"}, headers=HTML).text
    assert "历史案例" in html and 'class="muted">case' not in html


def _labels(services: Services, number: str) -> list[tuple[str, str, str]]:
    from sqlalchemy import select

    from workorders.db import LabelledExampleRow

    order_id = services.orders.get(number).id
    with services.sessions() as s:
        rows = s.scalars(select(LabelledExampleRow).where(LabelledExampleRow.order_id == order_id)).all()
    return sorted((r.head, r.label, r.source) for r in rows)


def test_the_latest_decision_is_the_only_label_of_an_order(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order
) -> None:
    op = login("operator")
    number = file_order(new_citizen(), "小区门口的路灯坏了")["number"]
    for body in (
        {"action": "reclassify", "category": "环境保护", "urgency": "urgent"},
        {"action": "reclassify", "category": "城乡建设", "urgency": "normal"},
    ):
        assert _act(client, op, number, **body).status_code == 200
    heads = [head for head, _, _ in _labels(services, number)]
    assert heads.count("category") == 1 and heads.count("urgency") == 1
    assert ("category", "城乡建设", "operator_confirmed") in _labels(services, number)


@pytest.mark.parametrize(
    "sent_on",
    [
        {"action": "reassign", "lead_department": "power", "reason": "供电公司负责"},
        {"action": "dispatch", "lead_department": "power"},
    ],
)
def test_the_unit_that_finally_takes_a_returned_order_is_its_department_label(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order, sent_on
) -> None:
    op = login("operator")
    number = file_order(new_citizen(), "小区门口的路灯坏了")["number"]
    routed = _act(
        client, op, number, action="reclassify", category="城乡建设", lead_department="urban_management"
    )
    assert routed.status_code == 200
    assert _act(client, op, number, action="dispatch").status_code == 200
    assert _act(client, op, number, action="return", reason="路灯归供电公司").status_code == 200
    moved = _act(client, op, number, **sent_on)
    assert moved.status_code == 200, moved.text
    departments = [
        (label, source) for head, label, source in _labels(services, number) if head == "department"
    ]
    assert departments == [("power", "operator_override")]
    assert services.orders.events(number)[-1].data["from_department"] == "urban_management"


def test_confirming_the_urgency_keeps_an_extension(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order
) -> None:
    op = login("operator")
    number = file_order(new_citizen(), "小区里有违章建筑")["number"]
    assert _act(client, op, number, action="dispatch").status_code == 200
    assert _act(client, op, number, action="extend", amount=2, reason="需要测量").status_code == 200
    extended = services.orders.get(number).deadline_at
    assert _act(client, op, number, action="return", reason="需要重新派").status_code == 200
    assert _act(client, op, number, action="reclassify", urgency="normal").status_code == 200
    assert services.orders.get(number).deadline_at == extended


def test_departments_can_be_imported_by_their_names(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    import io

    body = "text,label\n停电一整天了,市供电公司\n电压不稳,power\n".encode()
    response = client.post(
        "/api/training/examples",
        data={"head": "department"},
        files={"file": ("d.csv", io.BytesIO(body), "text/csv")},
        headers=login("trainer"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["by_label"] == {"power": 2}


def test_the_lead_unit_is_never_an_assisting_unit_and_each_assists_once(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order
) -> None:
    op = login("operator")
    number = file_order(new_citizen(), "医院门口有人违规摆摊")["number"]
    body = {"action": "reclassify", "category": "卫生计生", "lead_department": "health"}
    routed = _act(
        client, op, number, **body, assisting_departments=["health", "market_regulation", "market_regulation"]
    )
    assert routed.status_code == 200
    assert services.orders.get(number).assisting_departments == ["market_regulation"]
    moved = _act(client, op, number, action="dispatch", lead_department="market_regulation")
    assert moved.status_code == 200
    order = services.orders.get(number)
    assert order.lead_department == "market_regulation" and order.assisting_departments == []
    departments = [label for head, label, _ in _labels(services, number) if head == "department"]
    assert departments == ["market_regulation"], "the unit that took the order is the label"


def test_a_petition_override_changes_the_matter_type_too(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order
) -> None:
    op = login("operator")
    number = file_order(new_citizen(), "村里的土地补偿款一直没有发放到位")["number"]
    assert _act(client, op, number, action="reclassify", urgency="petition").status_code == 200
    assert services.orders.get(number).matter_type.value == "petition_claim"
    assert _act(client, op, number, action="reclassify", urgency="normal").status_code == 200
    assert services.orders.get(number).matter_type.value == "complaint"


def test_overdue_orders_lead_the_queue_and_are_supervised_once(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, clock, login, new_citizen, file_order
) -> None:
    op = login("operator")
    me = new_citizen()
    late = file_order(me, "小区里有违章建筑")["number"]
    clock.advance(days=20)
    petition = file_order(me, "我要信访，村里的土地补偿款一直没有发放到位")["number"]
    assert _act(client, op, petition, action="reclassify", urgency="petition").status_code == 200
    queue = [o["number"] for o in client.get("/api/queue", headers=op).json()]
    assert queue.index(late) < queue.index(petition)
    assert _act(client, op, late, action="supervise", reason="已超期").status_code == 200
    again = _act(client, op, late, action="supervise", reason="再督办")
    assert again.status_code == 422 and "已在督办中" in again.json()["message"]
    page = services.orders.get(late)
    assert page.supervised


def test_the_page_offers_neither_a_dispatch_without_a_unit_nor_a_late_extension(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, clock, login, new_citizen, file_order
) -> None:
    from serving.views import staff_view

    op = login("operator")
    number = file_order(new_citizen(), "小区里有违章建筑")["number"]
    assert _act(client, op, number, action="dispatch").status_code == 200
    assert _act(client, op, number, action="return", reason="不归我们").status_code == 200
    returned = staff_view(services.orders.get(number), services.config, services.clock())
    assert "dispatch" not in returned.allowed_actions and "reassign" in returned.allowed_actions
    assert (
        _act(client, op, number, action="reassign", lead_department="planning", reason="规划").status_code
        == 200
    )
    clock.advance(days=30)
    late = staff_view(services.orders.get(number), services.config, services.clock())
    assert "extend" not in late.allowed_actions and "supervise" in late.allowed_actions


def test_staff_mark_a_follow_up_urgent_whatever_the_text_says(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login
) -> None:
    body = {
        "text": "火已经扑灭了，阀门也关了，请燃气公司来检修管道",
        "phone": "13812345678",
        "emergency_handled": True,
    }
    filed = client.post("/api/orders", json=body, headers=login("operator"))
    assert filed.status_code == 201, filed.text
    assert services.orders.get(filed.json()["order"]["number"]).urgency.value == "urgent"
