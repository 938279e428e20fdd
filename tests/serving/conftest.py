"""Fixtures for the web layer: an app over fakes (triage, knowledge base, model registry)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from serving.app import create_app
from serving.fakes import InMemoryModelRegistry, KeywordTriager, StaticKnowledgeBase, demo_hits, hashing_embed
from serving.services import Services, build_services
from serving.settings import Settings

#: Cheap Argon2 parameters: the production defaults cost ~100 ms per hash, too slow for many tests.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
PASSWORDS = {"operator": "op-pass-7f3k2m", "trainer": "tr-pass-9x2q4w", "admin": "ad-pass-4h8s1z"}


def make_services(settings: Settings, config: Any, clock: Any = None, **overrides: Any) -> Services:
    kwargs: dict[str, Any] = {
        "config": config,
        "triager": KeywordTriager(config),
        "knowledge_base": StaticKnowledgeBase(demo_hits()),
        "registry": InMemoryModelRegistry({"category": None, "department": None}),
        "password_hasher": FAST_HASHER,
        "report_embed": hashing_embed,
    }
    if clock is not None:
        kwargs["clock"] = clock
    kwargs.update(overrides)
    return build_services(settings, **kwargs)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def staff_headers(client: TestClient, role: str) -> dict[str, str]:
    response = client.post("/api/auth/token", json={"username": role, "password": PASSWORDS[role]})
    assert response.status_code == 200, response.text
    return bearer(response.json()["access_token"])


def citizen_headers(client: TestClient) -> dict[str, str]:
    response = client.post("/api/citizen/session")
    assert response.status_code == 200, response.text
    return bearer(response.json()["token"])


def file_as_citizen(client: TestClient, headers: dict[str, str], text: str, **extra: Any) -> dict[str, Any]:
    body = {"text": text, "phone": "13812345678", **extra}
    response = client.post("/api/citizen/orders", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["order"]


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return Settings(
        home=tmp_path / "home", database_url=sqlite_url, environment="test", public_rate_limit=10_000
    )


@pytest.fixture
def services(settings: Settings, city_config: Any, clock: Any) -> Iterator[Services]:
    svc = make_services(settings, city_config, clock)
    for role, password in PASSWORDS.items():
        svc.accounts.create_user(role, password, role)
    yield svc
    svc.close()


@pytest.fixture
def app(settings: Settings, services: Services):  # type: ignore[no-untyped-def]
    return create_app(settings, services)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def operator(client: TestClient) -> dict[str, str]:
    return staff_headers(client, "operator")


@pytest.fixture
def trainer(client: TestClient) -> dict[str, str]:
    return staff_headers(client, "trainer")


@pytest.fixture
def citizen(client: TestClient) -> dict[str, str]:
    return citizen_headers(client)


@pytest.fixture
def login(client: TestClient) -> Callable[[str], dict[str, str]]:
    """``login(role)``: bearer headers of the demo account with that role."""
    return lambda role: staff_headers(client, role)


@pytest.fixture
def new_citizen(client: TestClient) -> Callable[[], dict[str, str]]:
    """``new_citizen()``: bearer headers of a fresh citizen session."""
    return lambda: citizen_headers(client)


@pytest.fixture
def file_order(client: TestClient) -> Callable[..., dict[str, Any]]:
    """``file_order(headers, text, **fields)``: file through the citizen API, return the order."""
    return lambda headers, text, **extra: file_as_citizen(client, headers, text, **extra)
