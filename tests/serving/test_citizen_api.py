"""A citizen's session: filing, following and rating their own orders, and nobody else's."""

from __future__ import annotations

from serving.services import Services
from workorders.enums import EventKind
from workorders.schemas import TransitionRequest


def test_citizen_files_and_sees_own_order(client, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    order = file_order(me, "小区路灯坏了一周，晚上出门很不方便", title="路灯不亮")
    assert order["status"] == "accepted" and order["category"] == "城乡建设"
    assert order["citizen_phone"] == "138****5678"
    listed = client.get("/api/citizen/orders", headers=me).json()
    assert [o["number"] for o in listed] == [order["number"]]
    one = client.get(f"/api/citizen/orders/{order['number']}", headers=me)
    assert one.status_code == 200 and one.json()["lead_department_name"] == "市城市管理局"


def test_citizen_token_cannot_read_another_citizens_order(client, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    alice, bob = new_citizen(), new_citizen()
    order = file_order(alice, "楼下餐馆油烟很大，窗户都不敢开")
    assert client.get("/api/citizen/orders", headers=bob).json() == []
    response = client.get(f"/api/citizen/orders/{order['number']}", headers=bob)
    assert response.status_code == 404
    assert order["request"] not in response.text
    rate = client.post(f"/api/citizen/orders/{order['number']}/rating", json={"rating": 1}, headers=bob)
    assert rate.status_code == 404


def test_forged_citizen_token_is_refused(client, new_citizen) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    forged = me["Authorization"][:-4] + "AAAA"
    response = client.get("/api/citizen/orders", headers={"Authorization": forged})
    assert response.status_code == 401
    client.cookies.clear()  # the session endpoint also set the cookie
    assert client.get("/api/citizen/orders").status_code == 401


def test_rating_after_reply(client, services: Services, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    number = file_order(me, "公交站牌被撞坏了，一直没人修")["number"]
    early = client.post(f"/api/citizen/orders/{number}/rating", json={"rating": 5}, headers=me)
    assert early.status_code == 409  # not replied yet
    assert early.json()["code"] == "invalid_transition" and "不能回访评价" in early.json()["message"]
    for action, extra in [
        (EventKind.DISPATCH, {}),
        (EventKind.SIGN_FOR, {}),
        (EventKind.REPLY, {"reply_text": "已安排维修，本周内修复。"}),
    ]:
        services.orders.transition(number, TransitionRequest(action=action, actor="op", **extra))
    view = client.get(f"/api/citizen/orders/{number}", headers=me).json()
    assert view["can_rate"] and view["reply_text"] == "已安排维修，本周内修复。"
    rated = client.post(
        f"/api/citizen/orders/{number}/rating", json={"rating": 5, "comment": "很及时"}, headers=me
    )
    assert rated.status_code == 200
    assert rated.json()["rating"] == 5 and rated.json()["status"] == "rated"
    bad = client.post(f"/api/citizen/orders/{number}/rating", json={"rating": 9}, headers=me)
    assert bad.status_code == 422


def test_emergency_is_handed_over_not_filed(client, services: Services, new_citizen) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    response = client.post(
        "/api/citizen/orders", json={"text": "楼道里着火了，有浓烟", "anonymous": True}, headers=me
    )
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "emergency" and not body["filed"] and "119" in body["message"]
    assert services.orders.count() == 0


def test_redirected_matter_is_not_filed(client, services: Services, new_citizen) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    body = client.post(
        "/api/citizen/orders",
        json={"text": "我想起诉原来的公司，法院怎么立案", "anonymous": True},
        headers=me,
    ).json()
    assert body["kind"] == "redirect" and "不在12345热线的受理范围内" in body["message"]
    assert services.orders.count() == 0


def test_phone_required_unless_anonymous(client, new_citizen) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    response = client.post("/api/citizen/orders", json={"text": "路灯不亮"}, headers=me)
    assert response.status_code == 422 and "phone" in response.json()["detail"]
    bad_phone = client.post("/api/citizen/orders", json={"text": "路灯不亮", "phone": "12345"}, headers=me)
    assert bad_phone.status_code == 422 and "phone" in bad_phone.json()["detail"]


def test_idempotent_resubmission(client, new_citizen) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    body = {"text": "垃圾桶满了没人清", "anonymous": True, "idempotency_key": "k-1"}
    first = client.post("/api/citizen/orders", json=body, headers=me).json()["order"]["number"]
    second = client.post("/api/citizen/orders", json=body, headers=me).json()["order"]["number"]
    assert first == second
    assert len(client.get("/api/citizen/orders", headers=me).json()) == 1


def test_cookie_session_needs_csrf_for_writes(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/", headers={"accept": "text/html"})
    assert page.status_code == 200 and "intake_citizen" in page.cookies
    # the cookie alone (as a cross-site form would send it) is not enough to write
    refused = client.post("/api/citizen/orders", json={"text": "路灯不亮", "anonymous": True})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    accepted = client.post(
        "/api/citizen/orders", json={"text": "路灯不亮", "anonymous": True}, headers={"X-CSRF-Token": csrf}
    )
    assert accepted.status_code == 201


def test_a_repeat_complaint_is_linked_to_the_open_order_not_filed_again(
    client, services, new_citizen, file_order
) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    first = file_order(me, "幸福小区3号楼门口的路灯坏了一个月，晚上很黑", address="幸福小区3号楼")
    again = client.post(
        "/api/citizen/orders",
        json={
            "text": "幸福小区3号楼门口路灯还是坏的，晚上很黑，请尽快修",
            "phone": "13812345678",
            "address": "幸福小区3号楼",
        },
        headers=me,
    )
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["kind"] == "repeat" and not body["filed"]
    assert body["order"]["number"] == first["number"] and first["number"] in body["message"]
    linked = services.orders.get(first["number"])
    assert linked.repeat_count == 1 and services.orders.count() == 1
    assert [e.kind.value for e in services.orders.events(first["number"])][-1] == "link_repeat"


def test_a_repeat_joined_to_another_citizens_order_does_not_show_that_order(
    client, services, new_citizen, file_order
) -> None:  # type: ignore[no-untyped-def]
    first = file_order(new_citizen(), "幸福小区3号楼门口的路灯坏了一个月，晚上很黑", address="幸福小区3号楼")
    other = client.post(
        "/api/citizen/orders",
        json={
            "text": "幸福小区3号楼门口路灯坏了，晚上很黑",
            "phone": "13900001111",
            "address": "幸福小区3号楼",
        },
        headers=new_citizen(),
    )
    body = other.json()
    assert body["kind"] == "repeat" and first["number"] in body["message"]
    assert body["order"] is None, "the first citizen's text and contact are theirs"


def test_a_different_matter_from_the_same_citizen_is_filed(client, services, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    me = new_citizen()
    file_order(me, "幸福小区3号楼门口的路灯坏了一个月，晚上很黑")
    file_order(me, "孩子所在学校周末强制补课并收费")
    assert services.orders.count() == 2


def test_emergency_and_redirect_messages_match_the_chat_wording() -> None:
    from assistant import texts
    from classifiers.emergency import SELF_HARM
    from serving.intake import redirect_message

    assert texts.SELF_HARM_KIND == SELF_HARM, "the assistant's copy of the kind must follow the classifier"
    redirect = {"kind": "litigation", "channel": "人民法院", "citation": "《某条例》第四条", "advice": ""}
    assert redirect_message({"redirect": redirect}) == texts.redirect(redirect)


def test_a_threat_of_self_harm_gets_the_caring_reply_on_every_channel() -> None:
    from assistant import texts
    from serving.intake import emergency_message

    info = {"kind": "self_harm", "number": "110", "ambulance": "120", "support_number": "12356"}
    message = emergency_message({"emergency": info}, services=None)  # type: ignore[arg-type]
    assert message == texts.self_harm(info)
    assert "12356" in message and "您不是一个人" in message


def test_an_anonymous_report_keeps_no_contact_details(client, services, new_citizen) -> None:  # type: ignore[no-untyped-def]
    body = {
        "text": "小区门口有人占道经营，堵得走不了",
        "phone": "13612345678",
        "name": "王五",
        "anonymous": True,
    }
    filed = client.post("/api/citizen/orders", json=body, headers=new_citizen())
    assert filed.status_code == 201, filed.text
    order = services.orders.get(filed.json()["order"]["number"])
    assert order.anonymous and order.citizen_phone is None and order.citizen_name is None
