"""`intake actions` and `intake chat` as mounted on the root command."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.dialogue import DialogueManager

from .conftest import COMPLETE_FIRST_MESSAGE


@pytest.fixture
def app():  # type: ignore[no-untyped-def]
    from serving.cli import build_app

    return build_app()


def test_actions_help(app) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["actions", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "action_triage" in result.output


def test_chat_in_the_terminal(app, lite_assistant: DialogueManager, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import assistant.factory

    monkeypatch.setattr(assistant.factory, "build_dialogue_manager", lambda *a, **k: lite_assistant)
    result = CliRunner().invoke(
        app, ["chat", "--session", "cli-test"], input=f"{COMPLETE_FIRST_MESSAGE}\n确认\n"
    )
    assert result.exit_code == 0, result.output
    assert "请核对" in result.output and "[确认提交] → /affirm" in result.output
    assert "state=filed" in result.output
    assert lite_assistant.orders.count() == 1


def test_actions_refuses_an_outdated_schema(app, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INTAKE_HOME", str(tmp_path))  # an empty database: no migrations applied
    result = CliRunner().invoke(app, ["actions", "--port", "5999"])
    assert result.exit_code == 1
    assert "intake db upgrade" in result.output
