"""Comparing two versions on the same labelled data (training.compare and `intake models compare`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from classifiers.heads import HeadModel
from classifiers.store import ModelStore
from training.bootstrap import demo_data_path, demo_dataset
from training.cli import register
from training.compare import compare_versions
from training.data import load_file
from training.trainer import train_head


def _two_versions(root: Path) -> tuple[str, str]:
    """A majority-class baseline (promoted) and a real model trained on the demo messages."""
    store = ModelStore(root)
    data = demo_dataset("category")
    base = train_head("category", data, store, backend="prior.v1", holdout=0.0, progress=False, promote=True)
    real = train_head("category", data, store, backend="tfidf.v1", holdout=0.0, progress=False, promote=False)
    return base.version, real.version


def test_the_better_version_wins_on_the_same_messages(tmp_path: Path) -> None:
    base, real = _two_versions(tmp_path)
    store = ModelStore(tmp_path)
    data = load_file(demo_data_path(), "category")
    first = HeadModel.load(store.head_dir("category") / base)
    second = HeadModel.load(store.head_dir("category") / real)

    result = compare_versions("category", first, second, data, show=5)

    assert result["n"] == len(data.texts)
    assert result["second"]["macro_f1"] > result["first"]["macro_f1"]
    assert result["macro_f1_change"] == round(result["second"]["macro_f1"] - result["first"]["macro_f1"], 4)
    m = result["mcnemar"]
    assert m["only_second_right"] > m["only_first_right"]
    assert m["p_value"] < 0.05
    # every listed disagreement really is one, and those the candidate fixes come first
    assert 0 < len(result["disagreements"]) <= 5
    for d in result["disagreements"]:
        assert d["first"] != d["second"]
    assert result["disagreements"][0]["second"] == result["disagreements"][0]["label"]
    assert result["agreement"] < 1.0


def test_a_version_compared_with_itself_agrees_fully(tmp_path: Path) -> None:
    _, real = _two_versions(tmp_path)
    model = HeadModel.load(ModelStore(tmp_path).head_dir("category") / real)
    result = compare_versions("category", model, model, load_file(demo_data_path(), "category"))
    assert result["agreement"] == 1.0
    assert result["mcnemar"] == {"only_first_right": 0, "only_second_right": 0, "p_value": 1.0}
    assert result["disagreements"] == []
    assert set(result["per_class_f1_change"].values()) == {0.0}


def test_the_cli_compares_the_active_version_with_a_candidate(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INTAKE_HOME", str(tmp_path))
    base, real = _two_versions(tmp_path / "models")
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Root."""

    runner = CliRunner()
    demo = str(demo_data_path())
    r = runner.invoke(app, ["models", "compare", "category", "active", real, "--data", demo, "--json"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert (result["first"]["model_version"], result["second"]["model_version"]) == (base, real)

    r = runner.invoke(app, ["models", "compare", "category", "active", real, "--data", demo])
    assert r.exit_code == 0, r.output
    assert "McNemar p" in r.stdout and f"{base} → {real}" in r.stdout

    r = runner.invoke(app, ["models", "compare", "category", "active", "no-such", "--data", demo])
    assert r.exit_code != 0
    assert "no version 'no-such'" in r.output
