from __future__ import annotations

from pathlib import Path

import pytest

from classifiers.heads import HeadModel
from classifiers.store import ModelStore
from training.bootstrap import demo_dataset, ensure_default_models
from training.data import Dataset, TrainingDataError
from training.trainer import train_head


def test_first_training_promotes_later_ones_wait(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    data = demo_dataset("category")
    first = train_head("category", data, store, progress=False)
    assert first.promoted and store.active_version("category") == first.version
    manifest = store.manifest("category", first.version)
    assert manifest["data"]["fingerprint"] == data.fingerprint and manifest["data"]["n"] == len(data)
    assert manifest["backend"] == "tfidf.v1" and manifest["metrics"]["measured_on"].startswith("holdout")
    assert 0.0 <= manifest["metrics"]["macro_f1"] <= 1.0
    second = train_head("category", data, store, backend="prior.v1", progress=False)
    assert not second.promoted and store.active_version("category") == first.version
    assert HeadModel.load(second.path).classifier.backend == "prior.v1"


def test_bad_data_never_touches_the_registry(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    good = train_head("category", demo_dataset("category"), store, progress=False)
    with pytest.raises(TrainingDataError):
        train_head("category", Dataset(["a", "b"], ["x", "x"]), store, promote=True, progress=False)
    assert store.active_version("category") == good.version
    assert store.versions("category") == [good.version]
    assert not [p for p in (tmp_path / "category").iterdir() if p.name.startswith(".staging")]


def test_failure_while_fitting_discards_the_staging_directory(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    with pytest.raises(Exception, match="unknown classifier backend"):
        train_head("category", demo_dataset("category"), store, backend="nope.v1", progress=False)
    assert store.versions("category") == []
    assert not list((tmp_path / "category").glob(".staging*"))


def test_progress_callback_reports_each_step(tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    train_head(
        "urgency",
        demo_dataset("urgency"),
        ModelStore(tmp_path),
        progress=False,
        on_progress=lambda share, name: seen.append((share, name)),
    )
    assert [name for _, name in seen] == ["measuring", "fitting", "indexing cases", "saving", "registered"]
    assert [share for share, _ in seen] == sorted(share for share, _ in seen) and seen[-1][0] == 1.0


def test_eval_data_is_used_for_metrics(tmp_path: Path) -> None:
    data = demo_dataset("urgency")
    result = train_head("urgency", data, ModelStore(tmp_path), eval_data=data, progress=False)
    assert result.metrics["measured_on"] == "eval_data" and result.metrics["n"] == len(data)
    assert result.metrics["emergency"]["support"] > 0


def test_bootstrap_is_idempotent(tmp_path: Path, city_config) -> None:  # type: ignore[no-untyped-def]
    ensure_default_models(tmp_path, city_config)
    store = ModelStore(tmp_path)
    active = {h: store.active_version(h) for h in ("category", "urgency", "matter_type")}
    assert all(active.values())
    ensure_default_models(tmp_path, city_config)
    assert {h: store.active_version(h) for h in active} == active
    assert len(store.versions("category")) == 1


def test_demo_data_covers_categories_tiers_and_redirects(city_config) -> None:  # type: ignore[no-untyped-def]
    from training.bootstrap import demo_data_path
    from training.data import read_records

    rows = read_records(demo_data_path())
    assert {r["category"] for r in rows} == {c.name for c in city_config.categories}
    assert {r["urgency"] for r in rows} == {"emergency", "urgent", "expedited", "normal"}
    assert {r["redirect"] for r in rows if r["redirect"]} == {
        "litigation",
        "arbitration",
        "administrative_reconsideration",
        "discipline_inspection",
        "information_disclosure",
        "lawfully_concluded",
        "petition_procedure",
    }
