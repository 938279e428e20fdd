"""The persistent embedding cache: only unseen texts reach the model, per model version."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge_base.embedders import get_embedder
from reports.embed_cache import CachedEmbed


class CountingEmbed:
    def __init__(self) -> None:
        self.seen: list[str] = []
        self._inner = get_embedder("hashing.v1")

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self._inner.embed(texts)


def test_only_unseen_texts_are_embedded_and_vectors_come_back_in_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    inner = CountingEmbed()
    path = tmp_path / "c" / "emb.sqlite"
    cached = CachedEmbed(inner, "hashing.v1@1", path)
    first = cached(["停水", "停电", "停水"])
    assert inner.seen == ["停水", "停电"]  # duplicates embedded once
    assert np.allclose(first, inner._inner.embed(["停水", "停电", "停水"]))
    again = CachedEmbed(inner, "hashing.v1@1", path)  # a later run, same file
    second = again(["停电", "燃气", "停水"])
    assert inner.seen == ["停水", "停电", "燃气"]
    assert (again.hits, again.misses) == (2, 1)
    assert np.allclose(second, inner._inner.embed(["停电", "燃气", "停水"]))
    other_model = CachedEmbed(inner, "hashing.v1@2", path)
    other_model(["停水"])
    assert inner.seen[-1] == "停水"  # another model version does not reuse the vectors
    assert CachedEmbed(inner, "hashing.v1@1", path)([]).shape[0] == 0
