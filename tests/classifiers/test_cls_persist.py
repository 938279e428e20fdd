"""Saved models are plain data: arrays and JSON that load without unpickling anything."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from classifiers.base import ClassifierError
from classifiers.evidence import CaseIndex
from classifiers.persist import load_arrays, save_arrays
from classifiers.registry import create, load_classifier
from classifiers.store import ModelStore
from training.bootstrap import ensure_default_models

TEXTS = ["小区停水三天了", "楼道停电了", "物业乱收费", "公司拖欠工资", "社保断缴了", "工伤不给认定"]
LABELS = ["城乡建设"] * 3 + ["劳动和社会保障"] * 3


def _no_pickles(directory: Path) -> None:
    files = [p for p in directory.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert path.suffix in {".json", ".npz"}, path
        if path.suffix == ".npz":
            load_arrays(path)  # allow_pickle=False: raises on any object array


@pytest.mark.parametrize("name", ["tfidf.v1", "tfidf_words.v1"])
def test_tfidf_saves_plain_arrays_and_reloads_identically(name: str, tmp_path: Path) -> None:
    clf = create(name).fit(TEXTS, LABELS)
    clf.save(tmp_path / "m")
    _no_pickles(tmp_path / "m")
    again = load_classifier(tmp_path / "m")
    probes = ["停水好几天了", "工资一直不发", "停电 工资", "x" * 20]  # 4 texts: the fast path
    np.testing.assert_array_equal(again.predict_proba(probes), clf.predict_proba(probes))
    many = probes * 3  # more than 8 texts: scikit-learn's own transform
    np.testing.assert_array_equal(again.predict_proba(many), clf.predict_proba(many))
    assert again.explain("小区停水三天了", "城乡建设") == clf.explain("小区停水三天了", "城乡建设")


def test_case_index_saves_plain_arrays(tmp_path: Path) -> None:
    index = CaseIndex().build(TEXTS, LABELS)
    index.save(tmp_path / "cases")
    _no_pickles(tmp_path / "cases")
    again = CaseIndex.load(tmp_path / "cases")
    assert again.similar("小区停水好几天", k=2) == index.similar("小区停水好几天", k=2)
    assert len(CaseIndex.load(tmp_path / "nothing-here")) == 0


def test_a_pickled_model_is_refused_with_a_reason(tmp_path: Path) -> None:
    clf = create("tfidf.v1").fit(TEXTS, LABELS)
    clf.save(tmp_path / "m")
    (tmp_path / "m" / "tfidf.npz").unlink()
    (tmp_path / "m" / "tfidf.joblib").write_bytes(pickle.dumps({"an": "old model"}))
    with pytest.raises(ClassifierError, match=r"pickle.*retrain"):
        load_classifier(tmp_path / "m")


def test_object_arrays_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.npz"
    np.savez(path, evil=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ClassifierError, match="plain-array"):
        load_arrays(path)
    save_arrays(path, {"fine": np.arange(3)})
    assert load_arrays(path)["fine"].tolist() == [0, 1, 2]


def test_bootstrap_replaces_an_unloadable_demo_model_but_not_a_trained_one(
    tmp_path: Path,
    city_config,  # type: ignore[no-untyped-def]
) -> None:
    ensure_default_models(tmp_path, city_config)
    store = ModelStore(tmp_path)
    before = {head: store.active_version(head) for head in ("category", "urgency")}
    for head in before:
        classifier_dir = store.active_path(head) / "classifier"
        for path in classifier_dir.glob("*.npz"):
            path.unlink()
        (classifier_dir / "tfidf.joblib").write_bytes(b"old pickle")
    manifest_path = store.active_path("urgency") / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["run_args"]["command"] = "train"  # as if a trainer had trained it on real orders
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    ensure_default_models(tmp_path, city_config)

    assert store.active_version("category") != before["category"]
    assert store.active_version("urgency") == before["urgency"]
