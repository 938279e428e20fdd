"""The operator's API: the queue, suggestions, and every action through the lifecycle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from serving.services import Services
from workorders.db import LabelledExampleRow


def _act(client, headers, number, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/orders/{number}/actions", json=body, headers=headers)


def test_queue_is_sorted_by_urgency_then_deadline_and_flags_overdue(  # type: ignore[no-untyped-def]
    client, services: Services, clock, login, new_citizen, file_order
) -> None:
    me = new_citizen()
    normal = file_order(me, "小区门口占道经营，影响通行")["number"]
    clock.advance(hours=1)
    expedited = file_order(me, "我们楼已经停水一天了")["number"]
    clock.advance(hours=1)
    urgent = file_order(me, "电梯困人，很危险")["number"]
    op = login("operator")
    queue = client.get("/api/queue", headers=op).json()
    assert [o["number"] for o in queue] == [urgent, expedited, normal]
    assert not any(o["overdue"] for o in queue)
    clock.advance(days=30)
    queue = client.get("/api/queue", headers=op).json()
    assert all(o["overdue"] for o in queue)
    metrics = client.get("/metrics").text
    assert "intake_open_orders 3.0" in metrics


def test_suggestions_carry_confidence_evidence_cases_and_articles(  # type: ignore[no-untyped-def]
    client, login, new_citizen, file_order
) -> None:
    number = file_order(new_citizen(), "小区路灯坏了好几天，晚上很黑")["number"]
    s = client.get(f"/api/orders/{number}/suggestions", headers=login("operator")).json()
    assert s["category"]["label"] == "城乡建设" and 0 < s["category"]["confidence"] <= 1
    assert s["departments"]["lead_name"] == "市城市管理局"
    assert "路灯" in s["evidence_terms"]
    assert s["similar_cases"] and s["similar_cases"][0]["reply"]
    assert s["articles"] and s["articles"][0]["citation"]


def test_accept_and_override_routing_store_labelled_examples(  # type: ignore[no-untyped-def]
    client, services: Services, login, new_citizen, file_order
) -> None:
    op = login("operator")
    me = new_citizen()
    accepted = file_order(me, "路灯不亮")["number"]
    overridden = file_order(me, "小区东门的下水道堵了，污水漫到路面")["number"]
    ok = _act(
        client, op, accepted, action="reclassify", category="城乡建设", lead_department="urban_management"
    )
    assert ok.status_code == 200, ok.text
    changed = _act(client, op, overridden, action="reclassify", category="环境保护", lead_department="water")
    assert changed.status_code == 200 and changed.json()["category"] == "环境保护"
    assert changed.json()["lead_department"] == "water"
    with services.sessions() as s:
        rows = s.scalars(select(LabelledExampleRow).order_by(LabelledExampleRow.id)).all()
    got = {(r.head, r.label, r.source) for r in rows}
    assert ("category", "城乡建设", "operator_confirmed") in got
    assert ("category", "环境保护", "operator_override") in got
    assert ("department", "water", "operator_override") in got


def test_an_operator_sets_the_urgency_and_the_deadline_follows(  # type: ignore[no-untyped-def]
    client, services: Services, login, new_citizen, file_order
) -> None:
    op = login("operator")
    number = file_order(new_citizen(), "我要信访，镇政府征收我家承包地的补偿一直没有落实")["number"]
    before = services.orders.get(number)
    changed = _act(client, op, number, action="reclassify", urgency="petition")
    assert changed.status_code == 200, changed.text
    after = services.orders.get(number)
    assert after.urgency.value == "petition"
    assert after.deadline_at == services.orders.deadlines.compute(after.urgency, before.created_at).due_at
    assert (
        after.deadline_at - before.created_at
        >= dt.timedelta(days=59)
        > before.deadline_at - before.created_at
    )
    event = services.orders.events(number)[-1]
    assert event.data["previous_urgency"] == before.urgency.value and event.data["urgency"] == "petition"
    urgent = file_order(new_citizen(), "电梯困人的事已经解决了，请尽快检修这部电梯")["number"]
    assert _act(client, op, urgent, action="reclassify", urgency="urgent").status_code == 200
    with services.sessions() as s:
        rows = s.scalars(select(LabelledExampleRow).where(LabelledExampleRow.head == "urgency")).all()
    assert [(r.label, r.source) for r in rows] == [("urgent", "operator_override")], (
        "petitions are no urgency label"
    )
    refused = _act(client, op, urgent, action="reclassify", urgency="emergency")
    assert refused.status_code == 422


def test_full_lifecycle_through_the_api(client, login, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    op = login("operator")
    number = file_order(new_citizen(), "小区里有违章建筑")["number"]
    steps = [
        ({"action": "dispatch"}, "dispatched"),
        ({"action": "return", "reason": "不属于本单位职责"}, "returned"),
        ({"action": "reassign", "lead_department": "planning", "reason": "规划部门负责"}, "dispatched"),
        ({"action": "sign_for"}, "signed_for"),
        ({"action": "extend", "amount": 2, "reason": "需要现场测量"}, "signed_for"),
        ({"action": "reply", "reply_text": "经查，已责令拆除。"}, "replied"),
        ({"action": "close"}, "closed"),
    ]
    for body, status in steps:
        response = _act(client, op, number, **body)
        assert response.status_code == 200, (body, response.text)
        assert response.json()["status"] == status
    events = client.get(f"/api/orders/{number}/events", headers=op).json()
    assert [e["kind"] for e in events][-3:] == ["extend", "reply", "close"]
    assert all(e["actor"] == "operator" for e in events[1:])


def test_domain_errors_map_to_http_codes(client, login, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    op = login("operator")
    number = file_order(new_citizen(), "路灯不亮")["number"]
    assert _act(client, op, number, action="close").status_code == 409
    assert _act(client, op, number, action="return", reason="不是我们的").status_code == 409
    assert _act(client, op, number, action="withdraw").status_code == 422  # needs a reason
    unknown_category = _act(client, op, number, action="reclassify", category="外星事务")
    assert unknown_category.status_code == 422 and "unknown category" in unknown_category.json()["detail"]
    unknown_dept = _act(client, op, number, action="dispatch", lead_department="mars")
    assert unknown_dept.status_code == 422
    assert _act(client, op, number, action="filed").status_code == 422
    assert client.get("/api/orders/20990101-000001", headers=op).status_code == 404
    assert client.get("/api/orders/not-a-number", headers=op).status_code == 422
    assert client.get("/api/orders/999999999999", headers=op).status_code == 404


def test_operator_files_a_phone_call(client, services: Services, login) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/orders",
        json={"text": "来电反映：某超市卖过期食品", "phone": "0531-88886666", "name": "张先生"},
        headers=login("operator"),
    )
    assert response.status_code == 201, response.text
    order = services.orders.get(response.json()["order"]["number"])
    assert order.channel.value == "phone" and order.category == "商贸旅游"
    assert order.citizen_phone == "0531-88886666" and order.citizen_token is None


def test_knowledge_search(client, login) -> None:  # type: ignore[no-untyped-def]
    op = login("operator")
    hits = client.get("/api/knowledge/search", params={"q": "油烟扰民", "kind": "case"}, headers=op).json()[
        "hits"
    ]
    assert hits and hits[0]["title"] == "餐馆油烟扰民"
    assert (
        client.get("/api/knowledge/search", params={"q": "x", "kind": "law"}, headers=op).status_code == 422
    )
