"""Hot issues on the real ``votes.csv`` (4,326 messages with likes): timing and coherence of the top 10.

Prints, for each of the top clusters, its label, size, likes, the share of members naming its common
place, the mean pairwise similarity, and the first titles, so a reader can judge "one matter in one
place" by eye; plus two automatic checks per cluster:

* place coherence: share of members whose text names the cluster's place (≥ 0.5 by construction);
* matter coherence: share of members containing at least one of the cluster's top-3 key terms.

The real messages are printed to the console only; nothing is written into the repository.

Usage:
    .venv/bin/python benchmarks/report_hot_issues_votes.py [--embedder usem3.v1] [--cache DIR] [--top 10]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge_base.embedders import get_embedder
from reports.hot_issues import HotIssueSettings, detect_hot_issues, messages_from_csv


def _shared() -> Path:
    root = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("INTAKE_SHARED_DATA", root.parent / "shared" / "data"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="usem3.v1")
    parser.add_argument("--cache", type=Path, default=None, help="directory for an embedding cache (npy)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--titles", type=int, default=6)
    args = parser.parse_args()

    path = _shared() / "cases" / "votes.csv"
    if not path.is_file():
        sys.exit(f"votes.csv not found at {path} (set INTAKE_SHARED_DATA)")
    messages = messages_from_csv(path)
    embedder = get_embedder(args.embedder, **({"threads": 2} if args.embedder == "usem3.v1" else {}))

    def embed(texts: Sequence[str]) -> np.ndarray:
        if args.cache is None:
            return embedder.embed(texts)
        key = hashlib.sha1(("\n".join(texts) + args.embedder).encode()).hexdigest()[:16]
        file = args.cache / f"votes-{key}.npy"
        if file.is_file():
            return np.load(file)
        vectors = embedder.embed(texts)
        args.cache.mkdir(parents=True, exist_ok=True)
        np.save(file, vectors)
        return vectors

    settings = HotIssueSettings(embedder=args.embedder)
    t0 = time.perf_counter()
    result = detect_hot_issues(messages, settings, embed)
    elapsed = time.perf_counter() - t0
    print(
        f"messages={result.messages_total} clustered={result.messages_clustered} "
        f"embedded={result.messages_embedded} clusters={result.clusters_found} coherent={len(result.issues)} "
        f"seconds={elapsed:.1f} "
        f"embedder={args.embedder} cached={args.cache is not None}"
    )
    by_id = {m.id: m for m in messages}
    for issue in result.issues[: args.top]:
        texts = [f"{by_id[i].title}{by_id[i].body[:150]}" for i in issue.member_ids]
        terms = issue.key_terms[:3]
        matter_share = sum(any(t in x for t in terms) for x in texts) / len(texts) if terms else 0.0
        print(
            f"\n#{issue.rank} {issue.label}  n={issue.count} likes={issue.likes} score={issue.score:.2f} "
            f"place_share={issue.place_share:.2f} matter_share={matter_share:.2f} "
            f"mean_sim={issue.mean_similarity:.2f} {issue.first_seen:%Y-%m-%d}..{issue.last_seen:%Y-%m-%d}"
        )
        for i in issue.member_ids[: args.titles]:
            print("    ", by_id[i].time.strftime("%Y-%m-%d"), by_id[i].title[:40])


if __name__ == "__main__":
    main()
