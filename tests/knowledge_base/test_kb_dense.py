from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge_base.dense import DenseIndex
from knowledge_base.embedders import normalise


def _vectors(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    return normalise(np.random.default_rng(seed).standard_normal((n, dim)))


def test_exact_search_finds_itself() -> None:
    vectors = _vectors(50)
    index = DenseIndex(16)
    index.add(vectors)
    ids, sims = index.search(vectors[7], k=3)
    assert ids[0] == 7
    assert abs(sims[0] - 1.0) < 1e-5
    assert index.kind == "flat"


def test_mask_limits_results() -> None:
    vectors = _vectors(20)
    index = DenseIndex(16)
    index.add(vectors)
    mask = np.zeros(20, dtype=bool)
    mask[[3, 5]] = True
    ids, _ = index.search(vectors[7], k=5, mask=mask)
    assert sorted(ids.tolist()) == [3, 5]
    empty, _ = index.search(vectors[7], k=5, mask=np.zeros(20, dtype=bool))
    assert empty.size == 0


def test_switches_to_hnsw_past_threshold_and_keeps_vectors(tmp_path: Path) -> None:
    vectors = _vectors(300)
    index = DenseIndex(16, hnsw_threshold=200)
    index.add(vectors[:150])
    assert index.kind == "flat"
    index.add(vectors[150:])
    assert index.kind == "hnsw" and len(index) == 300
    ids, _ = index.search(vectors[42], k=1)
    assert ids[0] == 42
    mask = np.zeros(300, dtype=bool)
    mask[250:] = True
    ids, _ = index.search(vectors[42], k=5, mask=mask)
    assert ids.size and (ids >= 250).all()
    index.save(tmp_path / "d.faiss")
    loaded = DenseIndex.load(tmp_path / "d.faiss", 16)
    assert loaded.kind == "hnsw" and len(loaded) == 300


def test_similarity_of_given_ids() -> None:
    vectors = _vectors(10)
    index = DenseIndex(16)
    index.add(vectors)
    sims = index.similarity(vectors[0], np.array([0, 1]))
    np.testing.assert_allclose(sims, [1.0, float(vectors[0] @ vectors[1])], rtol=1e-5)
