"""Checks on the real public data (skipped, with a reason, where ../shared/data is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifiers.store import ModelStore
from training.data import load_file
from training.evaluate import evaluate
from training.trainer import train_head

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def test_category_trained_on_real_orders_beats_the_floor(shared_data: Path, tmp_path: Path) -> None:
    train = load_file(shared_data / "cases" / "category_train.csv", "category")
    dev = load_file(shared_data / "cases" / "category_dev.csv", "category")
    sample = train.__class__(train.texts[::3], train.labels[::3], train.sources[::3])
    result = train_head("category", sample, ModelStore(tmp_path), eval_data=dev, progress=False)
    assert result.metrics["n"] == len(dev)
    assert result.metrics["macro_f1"] > 0.8  # a third of the data; the full set gives about 0.90
    assert result.metrics["abstention"]["ece"] < 0.1


def test_urgency_rules_recognise_every_emergency(shared_data: Path) -> None:
    dev = load_file(shared_data / "urgency" / "urgency_dev.csv", "urgency")
    metrics = evaluate("urgency", None, dev)
    assert metrics["emergency"]["recognised"] == metrics["emergency"]["support"]
    assert metrics["non_normal"]["recall"] >= 0.8


def test_the_shipped_examples_alone_give_a_usable_category_model(shared_data: Path, tmp_path: Path) -> None:
    """The fresh-machine default (no real orders) on the real dev split: about 0.79 macro-F1."""
    from training.bootstrap import demo_dataset

    dev = load_file(shared_data / "cases" / "category_dev.csv", "category")
    result = train_head(
        "category", demo_dataset("category"), ModelStore(tmp_path), eval_data=dev, progress=False
    )
    assert result.metrics["macro_f1"] > 0.75
