"""`intake db|orders|config` as an operator would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from serving.cli import build_app
from workorders.config import load_city_config
from workorders.db import make_engine, make_session_factory
from workorders.enums import EventKind
from workorders.schemas import NewWorkOrder, TransitionRequest
from workorders.service import WorkOrderService


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INTAKE_HOME", str(tmp_path))
    monkeypatch.delenv("INTAKE_DATABASE_URL", raising=False)
    monkeypatch.delenv("INTAKE_CITY_CONFIG", raising=False)
    return tmp_path


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_app(), list(args))


def test_every_group_has_help() -> None:
    for group in ("db", "orders", "config"):
        result = run(group, "--help")
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_orders_need_an_upgraded_database(env: Path) -> None:
    result = run("orders", "list")
    assert result.exit_code == 1
    assert "intake db upgrade" in result.output


def test_upgrade_list_show_transition(env: Path) -> None:
    first = run("db", "upgrade")
    assert first.exit_code == 0 and "migrated to revision(s)" in first.output
    again = run("db", "upgrade")  # idempotent, and says so
    assert again.exit_code == 0 and "nothing to apply" in again.output
    svc = WorkOrderService(
        make_session_factory(make_engine(f"sqlite:///{env / 'intake.db'}")), load_city_config()
    )
    order = svc.file(
        NewWorkOrder.model_validate(
            {"citizen": {"phone": "13800138000"}, "request": "公交站台的顶棚破了", "category": "交通运输"}
        )
    )

    listed = run("orders", "list", "--json")
    assert listed.exit_code == 0
    assert json.loads(listed.stdout.splitlines()[0])["number"] == order.number
    plain = run("orders", "list").stdout
    assert order.deadline_at is not None
    local_due = order.deadline_at.astimezone(svc.deadlines.timezone).strftime("%Y-%m-%d %H:%M")
    assert f"due {local_due}" in plain, "deadlines are listed in city time"

    unnamed = run("orders", "transition", order.number, "link_repeat")
    assert unnamed.exit_code == 1 and "--related" in unnamed.output
    moved = run("orders", "transition", order.number, "dispatch", "--actor", "op1")
    assert moved.exit_code == 0 and "dispatched" in moved.output

    refused = run("orders", "transition", order.number, "close")
    assert refused.exit_code == 1 and "cannot close an order that is dispatched" in refused.output

    shown = json.loads(run("orders", "show", order.number).stdout)
    assert [e["kind"] for e in shown["events"]] == ["filed", "dispatch"]
    assert "sign_for" in shown["allowed_actions"]
    svc.transition(
        order.number, TransitionRequest(action=EventKind.WITHDRAW, actor="citizen", reason="已解决")
    )
    assert order.number not in run("orders", "list", "--queue").stdout, "the queue holds open orders only"
    assert order.number in run("orders", "list").stdout


def test_config_check_reports_the_bad_key(tmp_path: Path) -> None:
    raw = load_city_config().model_dump(mode="json")
    raw["dispatch_catalogue"][0]["lead"] = "ghost"
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    bad = run("config", "check", "--config", str(path))
    assert bad.exit_code == 1 and "dispatch_catalogue[0].lead: unknown department 'ghost'" in bad.output
    good = run("config", "check")
    assert good.exit_code == 0 and "7 categories" in good.output
