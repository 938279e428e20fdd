"""The main HTTP flows on both databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from serving.app import create_app
from serving.fakes import KeywordTriager, StaticKnowledgeBase, demo_hits
from serving.services import build_services
from serving.settings import Settings


@pytest.fixture
def backend_client(db_url: str, tmp_path: Path, city_config, clock) -> Iterator[tuple[TestClient, str]]:  # type: ignore[no-untyped-def]
    settings = Settings(home=tmp_path, database_url=db_url, environment="test")
    services = build_services(
        settings,
        config=city_config,
        clock=clock,
        triager=KeywordTriager(city_config),
        knowledge_base=StaticKnowledgeBase(demo_hits()),
        password_hasher=PasswordHasher(time_cost=1, memory_cost=8192),
    )
    services.accounts.create_user("operator", "op-pass-7f3k2m", "operator")
    key = services.accounts.create_api_key("partner")[0]
    with TestClient(create_app(settings, services)) as client:
        yield client, key
    services.close()


def test_chat_form_operator_and_open311_flows(backend_client: tuple[TestClient, str]) -> None:
    client, key = backend_client
    token = client.post("/api/citizen/session").json()["token"]
    me = {"Authorization": f"Bearer {token}"}
    filed = client.post(
        "/api/citizen/orders", json={"text": "楼下烧烤油烟扰民", "phone": "13812345678"}, headers=me
    )
    assert filed.status_code == 201, filed.text
    number = filed.json()["order"]["number"]

    op_token = client.post("/api/auth/token", json={"username": "operator", "password": "op-pass-7f3k2m"})
    op = {"Authorization": f"Bearer {op_token.json()['access_token']}"}
    queue = client.get("/api/queue", headers=op).json()
    assert [o["number"] for o in queue] == [number]
    moved = client.post(
        f"/api/orders/{number}/actions",
        json={"action": "reclassify", "category": "环境保护", "lead_department": "ecology"},
        headers=op,
    )
    assert moved.status_code == 200, moved.text
    assert client.post(f"/api/orders/{number}/actions", json={"action": "dispatch"}, headers=op).json()[
        "status"
    ] == ("dispatched")
    assert client.get(f"/api/citizen/orders/{number}", headers=me).json()["status"] == "dispatched"

    created = client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "transportation",
            "description": "红绿灯坏了",
            "address_string": "路口",
        },
    )
    assert created.status_code == 200, created.text
    sr = created.json()[0]["service_request_id"]
    (read,) = client.get(f"/open311/v2/requests/{sr}.json", params={"api_key": key}).json()
    assert read["status"] == "open" and read["agency_responsible"]
    bad = client.post("/api/citizen/orders", json={"text": "a\u0000b", "anonymous": True}, headers=me)
    assert bad.status_code == 422
