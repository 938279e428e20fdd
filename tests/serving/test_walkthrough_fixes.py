"""Fixes from the product walkthrough: personal data, citizen triage, titles, times, labels, actions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from fastapi.testclient import TestClient

from serving.routers.chat import build_chat_router, citizen_triage
from serving.services import Services
from workorders.enums import Channel
from workorders.schemas import CitizenIn, NewWorkOrder

HTML = {"accept": "text/html"}
ID_NUMBER = "370702198503151234"
WALKTHROUGH = f"我叫李建国，电话13987654321，身份证号{ID_NUMBER}，我在南城区建设路5号的房子漏水，已经一周了"
OFFSET = re.compile(r"\+08:00$")


def _sign_in(client: TestClient, role: str = "operator", password: str = "op-pass-7f3k2m") -> str:
    client.cookies.clear()
    response = client.post("/login", data={"username": role, "password": password}, follow_redirects=False)
    assert response.status_code == 303
    html = client.get("/console", headers=HTML).text
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


def _act(client: TestClient, headers: dict[str, str], number: str, **body: Any) -> Any:
    return client.post(f"/api/orders/{number}/actions", json=body, headers=headers)


# -- 1. personal data ------------------------------------------------------------------------------


def test_a_chat_title_of_personal_data_is_never_stored_or_shown(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen
) -> None:
    me = new_citizen()
    token = client.get("/api/citizen/orders", headers=me)  # the session's citizen id is in its token
    assert token.status_code == 200
    filed = client.post("/api/citizen/orders", json={"text": WALKTHROUGH, "phone": "13987654321"}, headers=me)
    assert filed.status_code == 201, filed.text
    number = filed.json()["order"]["number"]
    # the assistant hands in the clause with the ID number as the title (assistant.extract.title_of)
    chat = services.orders.file(
        NewWorkOrder(
            channel=Channel.WEB_CHAT,
            citizen=CitizenIn(phone="13987654321"),
            title=f"身份证号{ID_NUMBER}",
            request=WALKTHROUGH,
        )
    )
    assert ID_NUMBER not in chat.title and chat.title == "我在南城区建设路5号的房子漏水"

    mine = client.get(f"/api/citizen/orders/{number}", headers=me).json()
    assert ID_NUMBER not in str(mine) and "13987654321" not in str(mine)
    assert mine["citizen_phone"] == "139****4321" and "370702" in mine["request"]
    queue = client.get("/api/queue", headers=login("operator")).json()
    assert all(ID_NUMBER not in o["title"] for o in queue)
    assert {o["title"] for o in queue} == {"我在南城区建设路5号的房子漏水"}


# -- 2. citizens get the triage decisions only -------------------------------------------------------


class _FullTriageAssistant:
    """An assistant whose custom item carries a full triage result, as the real one does."""

    TRIAGE: ClassVar[dict[str, Any]] = {
        "category": {
            "label": "城乡建设",
            "confidence": 0.9984,
            "top3": [{"label": "城乡建设"}],
            "abstained": False,
        },
        "departments": {"lead": "urban_management", "lead_name": "市城市管理局"},
        "urgency": {"tier": "normal", "confidence": 0.8, "reasons": ["无"], "deadline_at": None},
        "emergency": None,
        "redirect": {
            "kind": "litigation",
            "channel": "人民法院",
            "advice": "请起诉",
            "citation": "民诉法",
            "matched": "起诉",
        },
        "matter_type": {"label": "complaint", "confidence": 0.7},
        "evidence": {"terms": ["路灯"], "similar_cases": [{"text": "另一位市民的投诉：我家楼下路灯坏了"}]},
        "neighbours": [{"text": "训练样本：张三 13812345678 路灯", "label": "城乡建设"}],
        "model_versions": {"category": "v3"},
    }

    def handle(self, sender: str, message: str) -> Any:
        outer = self

        class _Result:
            def to_rasa(self) -> list[dict[str, Any]]:
                return [
                    {"recipient_id": sender, "text": "好的"},
                    {"recipient_id": sender, "custom": {"state": "confirming", "triage": outer.TRIAGE}},
                ]

        return _Result()


def test_the_chat_reply_carries_decisions_not_evidence_or_other_citizens_messages() -> None:
    from fastapi import FastAPI

    app = FastAPI()
    app.include_router(build_chat_router(lambda: _FullTriageAssistant()))  # type: ignore[arg-type,return-value]
    items = TestClient(app).post("/webhooks/rest/webhook", json={"sender": "web-1", "message": "x"}).json()
    triage = items[-1]["custom"]["triage"]
    assert triage == {
        "category": {"label": "城乡建设", "abstained": False},
        "urgency": {"tier": "normal"},
        "matter_type": {"label": "complaint"},
        "emergency": None,
        "redirect": {"kind": "litigation", "channel": "人民法院", "advice": "请起诉", "citation": "民诉法"},
    }
    assert "另一位市民" not in str(items) and "训练样本" not in str(items)
    assert citizen_triage(None) is None


def test_staff_keep_the_full_triage(client: TestClient, login, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    number = file_order(new_citizen(), "小区路灯坏了好几天，晚上很黑")["number"]
    order = client.get(f"/api/orders/{number}", headers=login("operator")).json()
    assert "evidence" in order["triage"] and "confidence" in order["triage"]["category"]


# -- 3. a form order without a title gets one ---------------------------------------------------------


def test_a_form_order_without_title_gets_one_from_its_text(
    client: TestClient, new_citizen, file_order
) -> None:  # type: ignore[no-untyped-def]
    order = file_order(new_citizen(), "小区东门的路灯坏了三天了，晚上很黑。请尽快修理", title="")
    assert order["title"] == "小区东门的路灯坏了三天了"
    given = file_order(new_citizen(), "北城区公园的长椅坏了", title="公园长椅损坏", phone="13900002222")
    assert given["title"] == "公园长椅损坏"


# -- 4 and 6. incident time, channel and actor labels, confidence ---------------------------------------


def test_operators_see_incident_time_channel_and_actor_labels(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login
) -> None:
    when = dt.datetime(2026, 11, 24, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    order = services.orders.file(
        NewWorkOrder(
            channel=Channel.WEB_CHAT,
            citizen=CitizenIn(phone="13812345678"),
            request="楼下烧烤摊油烟很大",
            incident_time=when,
        ),
        actor="chat:d616548279cf4e0f9a",
        actor_role="citizen",
    )
    staff = client.get(f"/api/orders/{order.number}", headers=login("operator")).json()
    assert staff["incident_time"] == "2026-11-24T20:30:00+08:00"
    assert staff["channel"] == "web_chat" and staff["channel_label"] == "网上对话"
    _sign_in(client)
    html = client.get(f"/console/orders/{order.number}", headers=HTML).text
    assert "发生时间" in html and "2026-11-24 20:30" in html
    assert "网上对话" in html and '来源</dt><dd id="order-channel">web_chat' not in html
    assert "市民（在线咨询）" in html and "d616548279cf" not in html


def test_a_recurring_incident_time_is_shown_in_the_citizens_words(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login
) -> None:
    order = services.orders.file(
        NewWorkOrder(
            citizen=CitizenIn(phone="13812345678"),
            request="楼下KTV噪音扰民",
            incident_time_text="每天晚上（持续发生）",
        )
    )
    staff = client.get(f"/api/orders/{order.number}", headers=login("operator")).json()
    assert staff["incident_time"] is None and staff["incident_time_text"] == "每天晚上（持续发生）"
    _sign_in(client)
    html = client.get(f"/console/orders/{order.number}", headers=HTML).text
    assert '<dd id="order-incident-time">每天晚上（持续发生）</dd>' in html


def test_confidence_is_shown_with_one_decimal_and_never_rounded_to_100_or_0(app) -> None:  # type: ignore[no-untyped-def]
    pct = app.state.templates.env.filters["pct"]
    assert (pct(0.9984), pct(0.99996), pct(0.0002), pct(0.5), pct(1.0), pct(0), pct(None)) == (
        "99.8%",
        ">99.9%",
        "<0.1%",
        "50.0%",
        "100.0%",
        "0.0%",
        "",
    )


# -- 5. Chinese errors and HTML error pages ---------------------------------------------------------


def test_console_errors_are_in_chinese(client: TestClient, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    number = file_order(new_citizen(), "小区路灯坏了，晚上很黑")["number"]
    csrf = _sign_in(client)
    failed = client.post(
        f"/console/orders/{number}/action", data={"csrf_token": csrf, "action": "reply", "reply_text": "x"}
    )
    assert "工单当前状态为「已受理」，不能答复" in failed.text
    assert "cannot" not in failed.text and "allowed from" not in failed.text
    missing = client.post(f"/console/orders/{number}/action", data={"csrf_token": csrf, "action": "withdraw"})
    assert "撤单需要填写理由" in missing.text


def test_page_errors_render_the_html_error_page_in_chinese(
    client: TestClient, new_citizen, file_order
) -> None:  # type: ignore[no-untyped-def]
    number = file_order(new_citizen(), "小区路灯坏了，晚上很黑")["number"]
    _sign_in(client)
    for headers in (HTML, {}):
        unknown = client.get("/console/orders/20269999-999999", headers=headers)
        assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html")
        assert "未找到工单 20269999-999999" in unknown.text
        trainer = client.get("/trainer", headers=headers)
        assert trainer.status_code == 403 and trainer.headers["content-type"].startswith("text/html")
        assert "没有访问此页面的权限" in trainer.text
    bad_csrf = client.post(
        f"/console/orders/{number}/action", data={"csrf_token": "forged", "action": "chase"}
    )
    assert bad_csrf.status_code == 403 and bad_csrf.headers["content-type"].startswith("text/html")
    assert "请刷新页面" in bad_csrf.text and "CSRF token" not in bad_csrf.text
    # the JSON API keeps its English detail and code
    api = client.get("/api/orders/20269999-999999", headers={"Authorization": "Bearer x"})
    assert api.headers["content-type"].startswith("application/json")


# -- 7. every allowed action on the page ------------------------------------------------------------


def test_the_order_page_offers_every_action_the_lifecycle_allows(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order
) -> None:
    me = new_citizen()
    number = file_order(me, "小区路灯坏了，晚上很黑")["number"]
    other = file_order(new_citizen(), "南城区建设路的井盖丢了", phone="13900001111")["number"]
    csrf = _sign_in(client)
    html = client.get(f"/console/orders/{number}", headers=HTML).text
    for form in ("form-supplement", "form-withdraw", "form-chase", "form-supervise", "form-link_repeat"):
        assert f'id="{form}"' in html, form
    linked = client.post(
        f"/console/orders/{number}/action",
        data={"csrf_token": csrf, "action": "link_repeat", "related_order": other, "text": "又来电"},
    )
    assert "已完成：并单" in linked.text
    assert services.orders.get(number).repeat_count == 1
    supplement = client.post(
        f"/console/orders/{number}/action",
        data={"csrf_token": csrf, "action": "supplement", "text": "灯杆编号 17"},
    )
    assert "已完成：补充材料" in supplement.text and "灯杆编号 17" in services.orders.get(number).facts

    op = login("operator")
    for body in (
        {"action": "dispatch"},
        {"action": "sign_for"},
        {"action": "reply", "reply_text": "已修复"},
    ):
        assert _act(client, op, number, **body).status_code == 200, body
    assert (
        client.post(f"/api/citizen/orders/{number}/rating", json={"rating": 5}, headers=me).status_code == 200
    )
    _sign_in(client)
    rated = client.get(f"/console/orders/{number}", headers=HTML).text
    for form in ("form-supplement", "form-supervise", "form-rework", "form-link_repeat"):
        assert f'id="{form}"' in rated, form
    assert 'id="btn-close"' in rated


# -- 8. accepting the suggestion; only requestable actions ------------------------------------------


def test_accept_suggestion_uses_the_stored_suggestion(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, login, new_citizen, file_order
) -> None:
    op = login("operator")
    number = file_order(new_citizen(), "小区路灯坏了，晚上很黑")["number"]
    bare = _act(client, op, number, action="reclassify")
    assert bare.status_code == 422
    accepted = _act(client, op, number, action="reclassify", accept_suggestion=True)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["category"] == "城乡建设"
    assert accepted.json()["lead_department"] == "urban_management"
    mixed = _act(client, op, number, action="reclassify", accept_suggestion=True, category="交通运输")
    assert mixed.status_code == 422
    wrong = _act(client, op, number, action="dispatch", accept_suggestion=True)
    assert wrong.status_code == 422


def test_the_page_accept_button_uses_accept_suggestion(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, new_citizen, file_order
) -> None:
    number = file_order(new_citizen(), "小区路灯坏了，晚上很黑")["number"]
    csrf = _sign_in(client)
    html = client.get(f"/console/orders/{number}", headers=HTML).text
    assert 'name="accept_suggestion" value="1"' in html
    done = client.post(
        f"/console/orders/{number}/action",
        data={"csrf_token": csrf, "action": "reclassify", "accept_suggestion": "1"},
    )
    assert "已完成" in done.text
    assert services.orders.get(number).category == "城乡建设"


def test_a_bad_action_lists_only_requestable_actions(
    client: TestClient, login, new_citizen, file_order
) -> None:  # type: ignore[no-untyped-def]
    op = login("operator")
    number = file_order(new_citizen(), "小区路灯坏了，晚上很黑")["number"]
    bad = _act(client, op, number, action="explode")
    assert bad.status_code == 422
    assert "'reclassify'" in bad.text and "'filed'" not in bad.text and "deadline_fallback" not in bad.text
    assert _act(client, op, number, action="filed").status_code == 422


# -- 9. one datetime format --------------------------------------------------------------------------


def test_every_api_datetime_carries_the_city_offset(  # type: ignore[no-untyped-def]
    client: TestClient, login, new_citizen, file_order
) -> None:
    me = new_citizen()
    filed = file_order(me, "小区路灯坏了，晚上很黑")
    number = filed["number"]
    op = login("operator")
    read = client.get(f"/api/orders/{number}", headers=op).json()
    mine = client.get(f"/api/citizen/orders/{number}", headers=me).json()
    assert filed["deadline_at"] == read["deadline_at"] == mine["deadline_at"]
    for value in (read["deadline_at"], read["created_at"], read["updated_at"], mine["created_at"]):
        assert OFFSET.search(value), value
    events = client.get(f"/api/orders/{number}/events", headers=op).json()
    assert events and all(OFFSET.search(e["created_at"]) for e in events)
    queue = client.get("/api/queue", headers=op).json()
    assert all(OFFSET.search(o["deadline_at"]) for o in queue)
