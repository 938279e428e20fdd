"""Composition: lazy components, degraded operation, the chat router's binding to the session."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from serving.app import create_app
from serving.fakes import InMemoryModelRegistry, KeywordTriager, StaticKnowledgeBase, demo_hits, hashing_embed
from serving.intake import IntakeService, Submission
from serving.services import Lazy, Services, build_services
from workorders.enums import Channel
from workorders.schemas import CitizenIn


def test_lazy_builds_once_and_remembers_failures() -> None:
    calls: list[int] = []

    def factory() -> str:
        calls.append(1)
        return "model"

    lazy = Lazy("x", factory)
    assert lazy.state == "not loaded"
    assert lazy.get() == "model" and lazy.get() == "model" and len(calls) == 1
    lazy.reset()
    assert lazy.get() == "model" and len(calls) == 2

    def broken() -> str:
        raise RuntimeError("models missing")

    failing = Lazy("y", broken)
    assert failing.get() is None and failing.state == "unavailable (RuntimeError: models missing)"


class ExplodingTriager:
    def triage(self, text: str, title: str | None = None) -> Any:
        raise RuntimeError("boom")


def test_a_triage_failure_files_the_order_unrouted(services: Services) -> None:
    services.triager_slot = Lazy.of("triage", ExplodingTriager())
    outcome = IntakeService(services).submit(
        Submission(text="路灯不亮", channel=Channel.WEB_CHAT, citizen=CitizenIn(anonymous=True))
    )
    assert outcome.filed and outcome.order is not None
    assert outcome.order.category is None and outcome.order.triage is None
    assert "intake_triage_failures_total 1.0" in services.metrics.render().decode()


def test_health_reports_unavailable_components(settings, city_config) -> None:  # type: ignore[no-untyped-def]
    services = build_services(settings, config=city_config)  # real factories; packages may be absent
    services.knowledge_slot = Lazy("knowledge_base", lambda: None)
    services.knowledge_slot.get()
    with TestClient(create_app(settings, services)) as client:
        body = client.get("/healthz").json()
    services.close()
    assert body["database"] == "ok"
    assert body["components"]["knowledge_base"] == "unavailable (not installed)"


class EchoAssistant:
    """Stands in for the dialogue manager: echoes the message as a Rasa reply."""

    def handle(self, session_id: str, text: str):  # type: ignore[no-untyped-def]
        class Turn:
            def to_rasa(self) -> list[dict[str, str]]:
                return [{"recipient_id": session_id, "text": f"收到：{text}"}]

        return Turn()


def test_chat_router_is_bound_to_the_citizen_session(settings, city_config) -> None:  # type: ignore[no-untyped-def]
    services = build_services(
        settings,
        config=city_config,
        triager=KeywordTriager(city_config),
        assistant=EchoAssistant(),
        knowledge_base=StaticKnowledgeBase(demo_hits()),
        registry=InMemoryModelRegistry({"category": None}),
        report_embed=hashing_embed,
    )
    with TestClient(create_app(settings, services)) as client:
        session = client.post("/api/citizen/session").json()
        me = {"Authorization": f"Bearer {session['token']}"}
        ok = client.post(
            "/webhooks/rest/webhook", json={"sender": session["citizen_id"], "message": "你好"}, headers=me
        )
        assert ok.status_code == 200 and ok.json()[0]["text"] == "收到：你好"
        other = client.post(
            "/webhooks/rest/webhook", json={"sender": "f" * 32, "message": "你好"}, headers=me
        )
        assert other.status_code == 422 and "sender" in other.json()["detail"]
        client.cookies.clear()
        anonymous = client.post(
            "/webhooks/rest/webhook", json={"sender": session["citizen_id"], "message": "x"}
        )
        assert anonymous.status_code == 401
        assert "chat" in {t["name"] for t in client.get("/openapi.json").json()["tags"]}
        page = client.get("/", headers={"accept": "text/html"}).text
        assert 'id="chat-form"' in page


def test_two_apps_in_one_process_share_nothing(settings, city_config, services: Services) -> None:  # type: ignore[no-untyped-def]
    from serving.fakes import KeywordTriager

    other = build_services(settings, config=city_config, triager=KeywordTriager(city_config))
    with TestClient(create_app(settings, services)) as a, TestClient(create_app(settings, other)) as b:
        for _ in range(3):
            a.get("/healthz")
        b.get("/healthz")
        count = 'intake_http_requests_total{method="GET",route="/healthz",status="200"}'
        assert f"{count} 3.0" in a.get("/metrics").text
        assert f"{count} 1.0" in b.get("/metrics").text
        assert "process_resident_memory_bytes" in a.get("/metrics").text
    assert services.metrics is not other.metrics
    other.close()


def test_an_order_closed_with_a_reply_becomes_a_past_case(services) -> None:  # type: ignore[no-untyped-def]
    from workorders.schemas import NewWorkOrder, TransitionRequest

    orders = services.orders
    order = orders.file(
        NewWorkOrder.model_validate(
            {
                "citizen": {"phone": "13800138000"},
                "request": "小区北门路灯不亮已经一周",
                "category": "城乡建设",
            }
        )
    )
    steps = [
        {"action": "dispatch"},
        {"action": "sign_for"},
        {"action": "start_handling"},
        {"action": "reply", "reply_text": "经核查，路灯线路老化，已于当日更换，现已恢复照明。"},
        {"action": "rate", "rating": 5},
    ]
    for step in steps:
        orders.transition(order.number, TransitionRequest(actor="op", **step))
    assert services.knowledge_base.added == []  # nothing before the order closes
    orders.transition(order.number, TransitionRequest(actor="op", action="close"))
    [case] = services.knowledge_base.added
    assert case.id == f"case:order:{order.number}" and case.kind == "case"
    assert "已恢复照明" in (case.reply or "")


def test_report_settings_are_validated_at_start_up(settings, city_config, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from workorders.errors import ConfigError

    bad = tmp_path / "report.yaml"
    bad.write_text("alerts:\n  min_count: -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.min_count"):
        build_services(settings.model_copy(update={"report_settings": bad}), config=city_config)


def test_report_settings_come_from_the_deployment(settings, city_config, tmp_path) -> None:  # type: ignore[no-untyped-def]
    custom = tmp_path / "report.yaml"
    custom.write_text("daily:\n  response_hours: 12\n", encoding="utf-8")
    services = build_services(
        settings.model_copy(update={"report_settings": custom}),
        config=city_config,
        report_embed=hashing_embed,
    )
    assert services.report_settings.daily.response_hours == 12
    services.close()
