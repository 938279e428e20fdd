"""`intake serve` start-up rules, demo accounts, and the users/api-keys commands."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from serving.accounts import AccountService
from serving.cli import build_app
from serving.commands import ensure_demo_accounts
from serving.settings import Settings
from workorders.db import make_engine, make_session_factory
from workorders.errors import DomainError, ValidationError


@pytest.fixture
def accounts(sqlite_url: str):  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    engine = make_engine(sqlite_url)
    yield AccountService(make_session_factory(engine), hasher=PasswordHasher(time_cost=1, memory_cost=8192))
    engine.dispose()


def test_demo_accounts_are_generated_once_in_development(accounts: AccountService, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, operator_password=SecretStr("chosen-op-pass-1"))
    generated = ensure_demo_accounts(settings, accounts)
    assert set(generated) == {"admin", "trainer"}
    assert accounts.authenticate("operator", "chosen-op-pass-1") is not None
    assert accounts.authenticate("admin", generated["admin"]) is not None
    assert ensure_demo_accounts(settings, accounts) == {}


def test_production_refuses_generated_or_weak_passwords(accounts: AccountService, tmp_path: Path) -> None:
    prod = {"home": tmp_path, "environment": "production"}
    with pytest.raises(DomainError, match="INTAKE_ADMIN_PASSWORD"):
        ensure_demo_accounts(Settings(**prod), accounts)
    weak = Settings(
        **prod,
        admin_password=SecretStr("admin"),
        operator_password=SecretStr("long-enough-op-1"),
        trainer_password=SecretStr("long-enough-tr-1"),
    )
    with pytest.raises(ValidationError):
        ensure_demo_accounts(weak, accounts)


def test_app_refuses_production_defaults(tmp_path: Path) -> None:
    from serving.app import create_app

    with pytest.raises(RuntimeError, match="INTAKE_SECRET_KEY"):
        create_app(Settings(home=tmp_path, environment="production"))


def test_users_and_api_keys_commands(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_DATABASE_URL", sqlite_url)
    runner = CliRunner()
    app = build_app()
    created = runner.invoke(
        app, ["users", "create", "liu", "--role", "trainer", "--password", "zx-pass-8k2j3"]
    )
    assert created.exit_code == 0, created.output
    assert "liu\ttrainer\tactive" in runner.invoke(app, ["users", "list"]).output
    weak = runner.invoke(app, ["users", "create", "wu", "--password", "123"])
    assert weak.exit_code == 1 and "at least" in weak.output
    key = runner.invoke(app, ["api-keys", "create", "partner"])
    assert key.exit_code == 0 and "o311_" in key.output
    assert "partner" in runner.invoke(app, ["api-keys", "list"]).output


def test_serve_refuses_an_unmigrated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_HOME", str(tmp_path))
    # `serve` configures process-wide logging; leave the root logger as the other tests expect it.
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    result = CliRunner().invoke(build_app(), ["serve", "--no-warm-up"])
    assert result.exit_code == 1 and "intake db upgrade" in result.output
