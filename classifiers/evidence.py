"""Similar training cases: the "why" an operator can check at a glance.

A suggestion that says "城乡建设, because it resembles these three earlier orders" is easier to
trust (or to overrule) than a bare number. The index keeps a short snippet and the label of each
training example and finds neighbours by cosine similarity of character-bigram TF-IDF vectors:
independent of the classifier backend, about a millisecond per query on a few thousand cases.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers.features import tfidf_transform
from classifiers.persist import (
    load_arrays,
    restore_sparse,
    restore_vectorizer,
    save_arrays,
    sparse_arrays,
    vectorizer_arrays,
    vectorizer_spec,
)
from classifiers.text import normalize, snippet

_SETTINGS = "cases.json"
_ARRAYS = "cases.npz"
#: Characters of each case kept for display.
SNIPPET_CHARS = 60
#: Characters of each case used for matching (long posts: the opening says what they are about).
MATCH_CHARS = 400


class SimilarCase(BaseModel):
    text: str
    label: str
    score: float


class CaseIndex:
    """Nearest training cases by character-bigram TF-IDF cosine."""

    def __init__(self, max_cases: int = 20_000) -> None:
        self.max_cases = max_cases
        self._vectorizer: TfidfVectorizer | None = None
        self._matrix: sp.csr_matrix | None = None
        self._snippets: list[str] = []
        self._labels: list[str] = []

    def __len__(self) -> int:
        return len(self._labels)

    def build(self, texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> CaseIndex:
        docs = [normalize(t)[:MATCH_CHARS] for t in texts]
        idx = np.arange(len(docs))
        if len(idx) > self.max_cases:
            idx = np.sort(np.random.default_rng(seed).choice(idx, self.max_cases, replace=False))
        docs = [docs[i] for i in idx]
        self._labels = [str(labels[i]) for i in idx]
        self._snippets = [snippet(d, SNIPPET_CHARS) for d in docs]
        self._vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(2, 2), sublinear_tf=True, dtype=np.float32
        )
        self._matrix = self._vectorizer.fit_transform(docs).tocsr()
        return self

    def similar(self, text: str, k: int = 3, label: str | None = None) -> list[SimilarCase]:
        """The `k` most similar cases, optionally only those with `label`."""
        if self._vectorizer is None or self._matrix is None or not self._labels:
            return []
        q = tfidf_transform(self._vectorizer, [normalize(text)[:MATCH_CHARS]])
        # Touch only the query's features: rows of the feature-major matrix, one per query bigram.
        sims = np.asarray(self._by_feature()[q.indices].T @ q.data).ravel()
        if label is not None:
            sims = np.where(np.array(self._labels) == label, sims, -1.0)
        top = np.argsort(-sims)[:k]
        return [
            SimilarCase(text=self._snippets[i], label=self._labels[i], score=round(float(sims[i]), 3))
            for i in top
            if sims[i] > 0
        ]

    def _by_feature(self) -> sp.csr_matrix:
        """The case matrix transposed (features × cases), built once on first use."""
        by_feature = getattr(self, "_transposed", None)
        if by_feature is None:
            assert self._matrix is not None
            by_feature = self._matrix.T.tocsr()
            self._transposed = by_feature
        return by_feature

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self._vectorizer is None or self._matrix is None:
            return  # an empty index saves nothing and loads empty
        settings = {
            "vectorizer": vectorizer_spec(self._vectorizer, "char"),
            "snippets": self._snippets,
            "labels": self._labels,
        }
        (directory / _SETTINGS).write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
        save_arrays(
            directory / _ARRAYS,
            vectorizer_arrays(self._vectorizer, "vec_") | sparse_arrays(self._matrix, "cases_"),
        )

    @classmethod
    def load(cls, directory: Path) -> CaseIndex:
        obj = cls()
        if not (directory / _SETTINGS).is_file() and not any(directory.glob("*.joblib")):
            return obj
        arrays = load_arrays(directory / _ARRAYS)
        settings = json.loads((directory / _SETTINGS).read_text(encoding="utf-8"))
        obj._vectorizer = restore_vectorizer(settings["vectorizer"], arrays, "vec_")
        obj._matrix = restore_sparse(arrays, "cases_")
        obj._snippets = settings["snippets"]
        obj._labels = settings["labels"]
        return obj
