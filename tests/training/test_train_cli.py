"""The CLI mounted on a throwaway Typer app, as the root `intake` app will mount it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from training.bootstrap import demo_data_path
from training.cli import register


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INTAKE_HOME", str(tmp_path / "home"))
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Root."""

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), input=input)

    return invoke


def test_train_eval_triage_models_round_trip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo = str(demo_data_path())
    out = tmp_path / "home" / "models"
    r = cli("train", "category", "--data", demo, "--json")
    assert r.exit_code == 0, r.output
    first = json.loads(r.stdout)
    assert first["promoted"] and Path(first["path"]).parent == out / "category"

    r = cli("eval", "category", "--data", demo, "--json", "--report", str(tmp_path / "rep"))
    assert r.exit_code == 0, r.output
    metrics = json.loads(r.stdout)
    assert {"n", "accuracy", "macro_f1", "per_class", "confusion"} <= set(metrics)
    rows = [ln for ln in Path(demo).read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert metrics["n"] == len(rows)
    assert sum(map(sum, metrics["confusion"]["matrix"])) == metrics["n"]
    assert (tmp_path / "rep" / "index.html").is_file() and (
        tmp_path / "rep" / "confusion.png"
    ).stat().st_size > 0

    r = cli("triage", "小区停水三天了", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["urgency"]["tier"] == "expedited"

    lines = '{"id": "a", "text": "楼道里煤气味很重"}\n{"id": 7, "text": "请问社保怎么交"}\nnot json\n{"id": "e", "text": " "}\n'
    r = cli("triage", "--jsonl", "-", input=lines)
    assert r.exit_code == 0, r.output
    results = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in results] == ["a", 7, None, "e"]
    assert results[0]["emergency"]["number"] == "119" and "error" in results[2] and "error" in results[3]
    assert cli("triage", "停水", "--jsonl", "-", input=lines).exit_code != 0, "a TEXT and --jsonl: refused"
    assert cli("triage", "  ").exit_code != 0, "an empty text is refused"

    r = cli("train", "category", "--data", demo, "--backend", "prior.v1", "--json")
    second = json.loads(r.stdout)
    assert not second["promoted"]
    assert cli("models", "promote", "category", second["version"]).exit_code == 0
    r = cli("models", "list", "category", "--json")
    active = [m["version"] for m in json.loads(r.stdout) if m["active"]]
    assert active == [second["version"]]
    r = cli("models", "rollback", "category")
    assert r.exit_code == 0 and first["version"] in r.output


def test_bad_file_fails_clearly_and_keeps_the_active_model(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo = str(demo_data_path())
    assert cli("train", "category", "--data", demo).exit_code == 0
    before = cli("models", "list", "--json").output
    bad = tmp_path / "bad.csv"
    bad.write_text("body,category\n停水,城乡建设\n停电,城乡建设\n", encoding="utf-8")
    r = cli("train", "category", "--data", str(bad), "--promote")
    assert r.exit_code == 2 and "at least two classes" in r.output
    assert cli("models", "list", "--json").output == before


def test_eval_without_a_model_says_so(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("eval", "category", "--data", str(demo_data_path()))
    assert r.exit_code == 2 and "active category model" in r.output


def test_urgency_eval_reports_the_rubric_targets(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("eval", "urgency", "--data", str(demo_data_path()), "--json")
    assert r.exit_code == 0, r.output
    metrics = json.loads(r.stdout)
    assert metrics["model_version"] == "rules-only"
    assert metrics["emergency"]["support"] == metrics["emergency"]["recognised"]
    assert metrics["non_normal"]["recall"] >= 0.8


def test_unknown_head_and_version(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("models", "promote", "category", "nope").exit_code == 2
    r = cli("train", "weather", "--data", "x.csv")
    assert r.exit_code == 2 and "unknown head" in r.output
