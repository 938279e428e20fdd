"""The Rasa action server over HTTP, with requests in Rasa's format and the sample domain."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from assistant.fakes import FakeTriage
from assistant.rasa_actions import (
    ActionComponents,
    build_action_executor,
    citizen_token,
    create_action_app,
    token_matches,
)
from assistant.store import ConversationEventKind, ConversationStore
from workorders.db import make_engine, make_session_factory
from workorders.enums import Channel
from workorders.service import WorkOrderService

from .conftest import demo_knowledge

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "rasa_example" / "domain.yml"
FORM_SLOTS = ["complaint", "address", "incident_time", "phone", "citizen_name"]


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def components(sqlite_url: str, city_config, clock) -> Iterator[ActionComponents]:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url)
    sessions = make_session_factory(engine)
    yield ActionComponents(
        triage=FakeTriage(),
        orders=WorkOrderService(sessions, city_config, clock=clock),
        store=ConversationStore(sessions, clock),
        config=city_config,
        knowledge=demo_knowledge(),
        clock=clock,
    )
    engine.dispose()


class ActionServer:
    """The Sanic app driven over ASGI (HTTP requests in, HTTP responses out), lifespan included."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def _run(self, requests: list[tuple[str, str, dict[str, Any] | None]]) -> list[httpx.Response]:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        await inbox.put({"type": "lifespan.startup"})
        lifespan = asyncio.create_task(
            self.app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put)
        )
        started = await outbox.get()
        assert started["type"] == "lifespan.startup.complete", started
        responses = []
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://actions") as client:
            for method, path, body in requests:
                responses.append(await client.request(method, path, json=body))
        await inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(lifespan, 10)
        return responses

    def call(self, *requests: tuple[str, str, dict[str, Any] | None]) -> list[httpx.Response]:
        return asyncio.run(self._run(list(requests)))


@pytest.fixture
def server(components: ActionComponents) -> ActionServer:
    from sanic import Sanic

    Sanic.test_mode = True  # one app per test, all named "rasa_sdk"
    return ActionServer(create_action_app(lambda: components))


def action_call(
    action: str,
    domain: dict[str, Any],
    *,
    text: str,
    slots: dict[str, Any] | None = None,
    sender: str = "rasa-user-1",
    new_slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
) -> dict[str, Any]:
    """A request body as Rasa's `RemoteAction` sends it."""
    events: list[dict[str, Any]] = [
        {"event": "action", "name": "action_listen"},
        {
            "event": "user",
            "text": text,
            "parse_data": {
                "intent": {"name": "report_problem", "confidence": 0.97},
                "entities": [],
                "text": text,
            },
        },
    ]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (new_slots or {}).items()]
    all_slots = {name: None for name in domain["slots"]} | (slots or {}) | (new_slots or {})
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.21.0",
        "domain": domain,
        "tracker": {
            "sender_id": sender,
            "slots": all_slots,
            "latest_message": {
                "text": text,
                "intent": {"name": "report_problem", "confidence": 0.97},
                "entities": [],
            },
            "latest_event_time": 1764032400.0,
            "followup_action": None,
            "paused": False,
            "events": events,
            "latest_input_channel": "rest",
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
    }


def slot_events(body: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in body["events"] if e["event"] == "slot"}


def test_health_and_action_list(server: ActionServer) -> None:
    health, listed = server.call(("GET", "/health", None), ("GET", "/actions", None))
    assert health.json() == {"status": "ok"}
    assert {a["name"] for a in listed.json()} == {
        "action_triage",
        "action_search_knowledge",
        "action_file_work_order",
        "validate_complaint_form",
    }


def test_a_token_guards_every_route_but_health(components: ActionComponents, domain: dict[str, Any]) -> None:
    from sanic import Sanic

    Sanic.test_mode = True
    guarded = ActionServer(create_action_app(lambda: components, token="s3cret-token"))
    body = action_call("action_triage", domain, text="楼下烧烤摊每天吵到半夜")
    health, bare, wrong, right = guarded.call(
        ("GET", "/health", None),
        ("POST", "/webhook", body),
        ("POST", "/webhook?token=guess", body),
        ("POST", "/webhook?token=s3cret-token", body),
    )
    assert health.status_code == 200
    assert bare.status_code == 401 and wrong.status_code == 401
    assert right.status_code == 200 and slot_events(right.json())["category"] == "环境保护"


def test_token_matches_query_or_bearer_header() -> None:
    assert token_matches("abc", "abc", None)
    assert token_matches("abc", None, "Bearer abc")
    assert not token_matches("abc", None, "Bearer abd")
    assert not token_matches("abc", "", None)
    assert not token_matches("abc", None, "Basic abc")


def test_intake_actions_refuses_an_open_interface_without_a_token(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from serving.cli import build_app

    env = {"INTAKE_HOME": str(tmp_path), "INTAKE_ACTIONS_TOKEN": None}
    result = CliRunner().invoke(build_app(), ["actions", "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 2
    assert "INTAKE_ACTIONS_TOKEN" in result.output


def test_action_triage(server: ActionServer, domain: dict[str, Any]) -> None:
    (response,) = server.call(
        ("POST", "/webhook", action_call("action_triage", domain, text="楼下烧烤摊每天吵到半夜，油烟很大"))
    )
    assert response.status_code == 200
    slots = slot_events(response.json())
    assert slots["category"] == "环境保护"
    assert slots["urgency"] == "normal" and slots["matter_type"] == "complaint"
    assert slots["emergency_number"] is None and slots["redirect_kind"] is None
    assert slots["triage"]["category"]["label"] == "环境保护"
    assert response.json()["responses"] == []


def test_action_triage_hands_emergencies_over(
    server: ActionServer, domain: dict[str, Any], components
) -> None:  # type: ignore[no-untyped-def]
    (response,) = server.call(
        ("POST", "/webhook", action_call("action_triage", domain, text="隔壁着火了，好大的烟"))
    )
    body = response.json()
    assert slot_events(body)["emergency_number"] == "119"
    assert "119" in body["responses"][0]["text"]
    assert components.store.count(ConversationEventKind.EMERGENCY_HANDOVER) == 1


def test_action_triage_explains_redirects(server: ActionServer, domain: dict[str, Any], components) -> None:  # type: ignore[no-untyped-def]
    (response,) = server.call(
        ("POST", "/webhook", action_call("action_triage", domain, text="我已经申请劳动仲裁了，想问问进度"))
    )
    body = response.json()
    assert slot_events(body)["redirect_kind"] == "arbitration"
    assert "《示范市12345热线服务指南》" in body["responses"][0]["text"]
    assert components.store.count(ConversationEventKind.REDIRECT) == 1


def test_action_search_knowledge(server: ActionServer, domain: dict[str, Any]) -> None:
    found, missing = server.call(
        ("POST", "/webhook", action_call("action_search_knowledge", domain, text="请问公积金提取要什么材料")),
        ("POST", "/webhook", action_call("action_search_knowledge", domain, text="请问怎么养猫")),
    )
    assert slot_events(found.json()) == {
        "kb_answer_found": True,
        "kb_citation": "《示范市12345热线服务指南》第五条",
    }
    assert "第五条" in found.json()["responses"][0]["text"]
    assert "（相当于问：买房子能提取公积金吗）" in found.json()["responses"][0]["text"]
    assert slot_events(missing.json()) == {"kb_answer_found": False}


def test_form_validation_normalises_and_prefills(server: ActionServer, domain: dict[str, Any]) -> None:
    complaint = "昨天晚上十点多，南湖区建设路88号门口的烧烤摊吵到凌晨，我电话13812345678"
    (response,) = server.call(
        (
            "POST",
            "/webhook",
            action_call(
                "validate_complaint_form",
                domain,
                text=complaint,
                new_slots={"complaint": complaint, "requested_slot": "complaint"},
                active_loop="complaint_form",
            ),
        )
    )
    assert response.status_code == 200
    slots = slot_events(response.json())
    assert "13812345678" not in slots["complaint"]
    assert slots["address"] == "南湖区建设路88号门口" and slots["district"] == "南湖区"
    assert slots["incident_time"].startswith("2026-11-24T22:00")
    assert slots["phone"] == "13812345678"
    assert "citizen_name" not in slots, "Rasa asks for the name next; the action leaves it unset"


def test_form_validation_rejects_bad_values(server: ActionServer, domain: dict[str, Any]) -> None:
    bad_phone, emoji, anonymous = server.call(
        (
            "POST",
            "/webhook",
            action_call(
                "validate_complaint_form",
                domain,
                text="1381234",
                slots={"complaint": "路灯坏了", "address": "南湖区湖滨路18号", "incident_time": "ongoing"},
                new_slots={"phone": "1381234"},
                active_loop="complaint_form",
            ),
        ),
        (
            "POST",
            "/webhook",
            action_call(
                "validate_complaint_form",
                domain,
                text="😡😡",
                new_slots={"complaint": "😡😡"},
                active_loop="complaint_form",
            ),
        ),
        (
            "POST",
            "/webhook",
            action_call(
                "validate_complaint_form",
                domain,
                text="不想留电话",
                slots={"complaint": "路灯坏了", "address": "南湖区湖滨路18号", "incident_time": "ongoing"},
                new_slots={"phone": "不想留电话"},
                active_loop="complaint_form",
            ),
        ),
    )
    phone_slots = slot_events(bad_phone.json())
    assert phone_slots["phone"] is None, "an invalid number is not kept, so the form asks again"
    assert "不完整" in bad_phone.json()["responses"][0]["text"]
    assert slot_events(emoji.json())["complaint"] is None
    assert "表情" in emoji.json()["responses"][0]["text"]
    anon = slot_events(anonymous.json())
    assert anon["anonymous"] is True and anon["requested_slot"] is None, (
        "anonymous: phone and name not required"
    )


def test_file_work_order(server: ActionServer, domain: dict[str, Any], components) -> None:  # type: ignore[no-untyped-def]
    slots = {
        "complaint": "南湖区建设路88号门口的烧烤摊每天吵到凌晨",
        "address": "南湖区建设路88号门口",
        "district": "南湖区",
        "incident_time": "2026-11-24T22:00:00+08:00",
        "phone": "13812345678",
        "citizen_name": "张伟",
        "anonymous": False,
    }
    first, again = server.call(
        ("POST", "/webhook", action_call("action_file_work_order", domain, text="是的", slots=slots)),
        ("POST", "/webhook", action_call("action_file_work_order", domain, text="是的", slots=slots)),
    )
    assert first.status_code == 200
    filed = slot_events(first.json())
    assert slot_events(again.json())["work_order_number"] == filed["work_order_number"], "idempotent"
    order = components.orders.get(filed["work_order_number"])
    assert order.id == filed["work_order_id"]
    assert order.channel is Channel.WEB_CHAT and order.citizen_token == "rasa-user-1"
    assert order.citizen_phone == "13812345678" and order.address == "南湖区建设路88号门口"
    assert order.category == "环境保护"
    assert order.incident_time == dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
    assert filed["work_order_number"] in first.json()["responses"][0]["text"]
    assert components.orders.count() == 1


def test_file_work_order_refuses_emergencies(
    server: ActionServer, domain: dict[str, Any], components
) -> None:  # type: ignore[no-untyped-def]
    slots = {"complaint": "楼下着火了", "address": "南湖区湖滨路18号", "phone": "13812345678"}
    (response,) = server.call(
        ("POST", "/webhook", action_call("action_file_work_order", domain, text="是", slots=slots))
    )
    assert slot_events(response.json()) == {}
    assert "119" in response.json()["responses"][0]["text"]
    assert components.orders.count() == 0


def test_unknown_action_is_404(server: ActionServer, domain: dict[str, Any]) -> None:
    (response,) = server.call(("POST", "/webhook", action_call("action_nope", domain, text="x")))
    assert response.status_code == 404


def test_sample_domain_matches_the_actions(domain: dict[str, Any], components: ActionComponents) -> None:
    executor = build_action_executor(lambda: components)
    assert set(executor.actions) == set(domain["actions"])
    assert domain["forms"]["complaint_form"]["required_slots"] == FORM_SLOTS
    set_by_actions = {
        "triage", "category", "urgency", "matter_type", "emergency_number", "redirect_kind",
        "kb_answer_found", "kb_citation", "work_order_number", "work_order_id", "district",
        "incident_time_text", "anonymous", "photo_url",
    }  # fmt: skip
    assert set_by_actions | set(FORM_SLOTS) <= set(domain["slots"])
    for slot in FORM_SLOTS:
        assert f"utter_ask_{slot}" in domain["responses"]


def test_long_sender_ids_fit_the_order_column() -> None:
    assert citizen_token("abc") == "abc"
    long = citizen_token("x" * 200)
    assert len(long) <= 64 and long == citizen_token("x" * 200)


@pytest.mark.slow
def test_intake_actions_serves_over_a_real_socket(tmp_path: Path) -> None:
    """`intake actions` end to end: demo models and index built, server up, a Rasa call answered."""
    import os
    import socket
    import subprocess
    import sys
    import time

    pytest.importorskip("classifiers.triage")
    env = {**os.environ, "INTAKE_HOME": str(tmp_path), "HF_HUB_OFFLINE": "1", "INTAKE_ACTIONS_TOKEN": "t0ken"}
    launcher = [sys.executable, "-c", "from serving.cli import app; app()"]
    subprocess.run([*launcher, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*launcher, "actions", "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else "server exited"
            assert time.monotonic() < deadline, "action server did not start"
            time.sleep(0.5)
        domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
        body = action_call("action_triage", domain, text="楼道里着火了，好大的烟")
        refused = httpx.post(f"http://127.0.0.1:{port}/webhook", json=body, timeout=30)
        assert refused.status_code == 401
        response = httpx.post(f"http://127.0.0.1:{port}/webhook?token=t0ken", json=body, timeout=30)
        assert response.status_code == 200
        assert slot_events(response.json())["emergency_number"] == "119"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
