"""The examples shipped for fresh machines: what they cover and what bootstrap trains from them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from classifiers.store import ModelStore
from training.bootstrap import demo_data_path, demo_dataset, ensure_default_models, taxonomy_data_paths
from training.data import read_records as _records


def test_every_category_has_hundreds_of_taxonomy_examples(city_config) -> None:  # type: ignore[no-untyped-def]
    per_file = {p.name: Counter(r["category"] for r in _records(p)) for p in taxonomy_data_paths()}
    assert len(per_file) == 7
    for name, counts in per_file.items():
        assert len(counts) == 1, f"{name} mixes categories: {counts}"
    totals = Counter({cat: n for counts in per_file.values() for cat, n in counts.items()})
    assert set(totals) == {c.name for c in city_config.categories}
    assert min(totals.values()) >= 280


def test_taxonomy_examples_are_clean() -> None:
    bodies: list[str] = []
    for path in taxonomy_data_paths():
        for record in _records(path):
            assert set(record) <= {"title", "body", "category"}, record
            assert 15 <= len(record["body"]) <= 400, record["body"]
            bodies.append(record["body"])
    assert len(bodies) == len(set(bodies)), "duplicate bodies across the example files"


def test_the_category_head_trains_on_both_sets_the_others_on_the_messages() -> None:
    messages = len(_records(demo_data_path()))
    examples = sum(len(_records(p)) for p in taxonomy_data_paths())
    assert len(demo_dataset("category")) == messages + examples
    assert len(demo_dataset("urgency")) == messages


def test_bootstrap_records_where_its_data_came_from(tmp_path: Path, city_config) -> None:  # type: ignore[no-untyped-def]
    ensure_default_models(tmp_path, city_config)
    store = ModelStore(tmp_path)
    manifest = store.manifest("category", store.active_version("category"))
    sources = manifest["run_args"]["data"]
    assert sources[0] == "training/demo/messages.jsonl"
    assert sorted(sources[1:]) == sorted(f"training/demo/taxonomy/{p.name}" for p in taxonomy_data_paths())
