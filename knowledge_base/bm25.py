"""Okapi BM25 over pre-tokenised documents, stored as a sparse term matrix.

Per-posting BM25 weights are precomputed into a column-compressed (term-major) matrix, so a query
costs one slice-and-add per query term over that term's postings plus a top-k selection: about a
millisecond at 100,000 documents. Raw term frequencies are what is persisted; weights are
recomputed after every add because IDF and the average length change with the collection.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse


class BM25Index:
    """Sparse BM25 index; document ids are positions 0..n-1 in insertion order.

    Args:
        k1: Term-frequency saturation.
        b: Length normalisation (0 = none, 1 = full).
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.vocab: dict[str, int] = {}
        self._tf = sparse.csr_matrix((0, 0), dtype=np.float32)
        self._weights = sparse.csc_matrix((0, 0), dtype=np.float32)
        self._idf = np.zeros(0, dtype=np.float32)

    def __len__(self) -> int:
        return self._tf.shape[0]

    def add(self, docs: Sequence[Sequence[str]]) -> None:
        """Append documents (each a token list) and refresh the weights."""
        rows, cols, vals = [], [], []
        for row, tokens in enumerate(docs):
            for term, count in Counter(tokens).items():
                col = self.vocab.setdefault(term, len(self.vocab))
                rows.append(row)
                cols.append(col)
                vals.append(count)
        new = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (np.asarray(rows), np.asarray(cols))),
            shape=(len(docs), len(self.vocab)),
            dtype=np.float32,
        )
        old = self._tf
        if old.shape[1] < len(self.vocab):
            old = sparse.csr_matrix(
                (old.data, old.indices, old.indptr), shape=(old.shape[0], len(self.vocab))
            )
        self._tf = sparse.vstack([old, new], format="csr", dtype=np.float32)
        self._reweight()

    def _reweight(self) -> None:
        tf = self._tf
        n_docs = tf.shape[0]
        if n_docs == 0:
            self._weights = sparse.csc_matrix(tf.shape, dtype=np.float32)
            self._idf = np.zeros(tf.shape[1], dtype=np.float32)
            return
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = float(lengths.mean()) or 1.0
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float64)
        self._idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        row_of = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
        norm = self.k1 * (1.0 - self.b + self.b * lengths[row_of] / avg)
        data = tf.data * (self.k1 + 1.0) / (tf.data + norm) * self._idf[tf.indices]
        weighted = sparse.csr_matrix((data.astype(np.float32), tf.indices, tf.indptr), shape=tf.shape)
        self._weights = weighted.tocsc()

    def scores(self, tokens: Sequence[str] | Mapping[str, float]) -> np.ndarray:
        """BM25 score of every document for the query.

        Args:
            tokens: Query tokens (repeated tokens count once), or a mapping of token to query
                weight (expansion terms are weighted below the citizen's own words).
        """
        weighted = tokens if isinstance(tokens, Mapping) else dict.fromkeys(tokens, 1.0)
        scores = np.zeros(len(self), dtype=np.float32)
        weights = self._weights
        for term, query_weight in weighted.items():
            col = self.vocab.get(term)
            if col is None or query_weight <= 0:
                continue
            start, end = weights.indptr[col], weights.indptr[col + 1]
            postings = weights.data[start:end]
            scores[weights.indices[start:end]] += postings if query_weight == 1.0 else postings * query_weight
        return scores

    def max_score(self, tokens: Sequence[str] | Mapping[str, float]) -> float:
        """Upper bound of any document's score for the query: every term at saturated frequency.

        Dividing by this (rather than by the best score of the query) keeps a weak best match weak:
        when a question shares only a common word or two with every document, the best of them
        should not get the full sparse weight.
        """
        weighted = tokens if isinstance(tokens, Mapping) else dict.fromkeys(tokens, 1.0)
        total = 0.0
        for term, query_weight in weighted.items():
            col = self.vocab.get(term)
            if col is not None and query_weight > 0:
                total += float(self._idf[col]) * query_weight
        return total * (self.k1 + 1.0)

    def search(
        self, tokens: Sequence[str] | Mapping[str, float], k: int, mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` documents with a positive score, optionally only where ``mask`` is true.

        Returns:
            ``(ids, scores)`` sorted by descending score.
        """
        scores = self.scores(tokens)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return top_k(scores, k)

    def save(self, directory: Path) -> None:
        """Write term frequencies and vocabulary (weights are derived on load)."""
        directory.mkdir(parents=True, exist_ok=True)
        sparse.save_npz(directory / "bm25_tf.npz", self._tf)
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        (directory / "bm25_vocab.json").write_text(
            json.dumps({"k1": self.k1, "b": self.b, "terms": terms}, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        """Inverse of `save`."""
        meta = json.loads((directory / "bm25_vocab.json").read_text(encoding="utf-8"))
        index = cls(k1=meta["k1"], b=meta["b"])
        index.vocab = {term: i for i, term in enumerate(meta["terms"])}
        index._tf = sparse.load_npz(directory / "bm25_tf.npz").tocsr().astype(np.float32)
        index._reweight()
        return index


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Ids and values of the ``k`` largest positive scores, best first."""
    candidates = np.flatnonzero(scores > 0)
    if candidates.size > k:
        top = np.argpartition(-scores[candidates], k - 1)[:k]
        candidates = candidates[top]
    order = np.argsort(-scores[candidates], kind="stable")
    ids = candidates[order]
    return ids, scores[ids]
