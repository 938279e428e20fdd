from __future__ import annotations

from pathlib import Path

import pytest

from classifiers.store import ModelStore, ModelStoreError


def _version(store: ModelStore, head: str, name: str) -> str:
    staging = store.staging_dir(head)
    (staging / "payload").write_text(name)
    store.commit(head, staging, name, {"backend": "prior.v1"})
    return name


def test_promote_and_rollback_walk_back_through_history(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    for v in ("v1", "v2", "v3"):
        _version(store, "category", v)
    assert store.active_version("category") is None
    store.promote("category", "v1")
    store.promote("category", "v2")
    store.promote("category", "v3")
    assert store.rollback("category") == "v2"
    assert store.rollback("category") == "v1"
    assert store.active_version("category") == "v1"
    with pytest.raises(ModelStoreError, match="no earlier version"):
        store.rollback("category")
    store.promote("category", "v3")
    assert store.rollback("category") == "v1"


def test_pointer_is_replaced_not_rewritten(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    _version(store, "urgency", "a")
    _version(store, "urgency", "b")
    store.promote("urgency", "a")
    stamp = store.pointer_stamp("urgency")
    store.promote("urgency", "b")
    assert store.pointer_stamp("urgency") != stamp
    assert store.active_path("urgency") == tmp_path / "urgency" / "b"
    assert not [p for p in (tmp_path / "urgency").iterdir() if p.name.startswith(".active-")]


def test_unknown_version_and_head_are_refused(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    with pytest.raises(ModelStoreError, match="no version"):
        store.promote("category", "missing")
    with pytest.raises(ModelStoreError, match="unknown head"):
        store.active_version("weather")


def test_staging_directories_are_not_versions(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    staging = store.staging_dir("category")
    assert store.versions("category") == []
    store.discard(staging)
    assert not staging.exists()


def test_list_reports_active_and_manifest(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    _version(store, "category", "v1")
    store.promote("category", "v1")
    (info,) = store.list("category")
    assert info.active and info.manifest["backend"] == "prior.v1" and info.manifest["version"] == "v1"
