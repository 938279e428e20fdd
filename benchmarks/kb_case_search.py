"""Case search: does a message's title find that message's body among all shared case bodies?

Corpus: every distinct message body in ``../shared/data/cases`` (category_train/dev, replies,
votes, unlabeled), indexed as cases without their titles. Queries: the titles of the labelled
messages that have one (category_train and category_dev, ``record_type=full``). Reports recall@1,
recall@10 (targets: recall@10 >= 0.90) and how many of the top-5 cases share the query's category
(target >= 85 %), counted over the hits whose category is known.

    .venv/bin/python benchmarks/kb_case_search.py [--rebuild] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from dataclasses import replace

from kb_common import all_case_bodies, cached_kb, read_csv, shared_data

from knowledge_base.chunks import Chunk
from knowledge_base.embedders import get_embedder
from knowledge_base.index import KnowledgeBase


def body_id(body: str) -> str:
    return "case:" + hashlib.sha1(body.encode()).hexdigest()[:16]


def corpus(data) -> list[Chunk]:  # type: ignore[no-untyped-def]
    return [
        Chunk(
            id=body_id(str(row["body"])),
            kind="case",
            title="",
            text=str(row["body"]),
            category=row["category"],
            date=row["date"],
            source=str(row["file"]),
        )
        for row in all_case_bodies(data)
    ]


def evaluate(kb: KnowledgeBase, queries: list[dict[str, str]]) -> dict[str, float]:
    at1 = at10 = same = known = 0
    for query in queries:
        hits = kb.search(query["title"], kind="case", k=10)
        ids = [h.id for h in hits]
        target = body_id(query["body"])
        at1 += ids[:1] == [target]
        at10 += target in ids
        for hit in hits[:5]:
            if hit.category:
                known += 1
                same += hit.category == query["category"]
    n = len(queries)
    return {"recall@1": at1 / n, "recall@10": at10 / n, "top5_same_category": same / max(known, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="Evaluate a random sample of this many queries.")
    parser.add_argument("--default-only", action="store_true", help="Evaluate only the default fusion.")
    args = parser.parse_args()
    data = shared_data()
    embedder = get_embedder("usem3.v1", threads=2)
    kb, build_s = cached_kb("kb_cases", lambda: corpus(data), embedder, rebuild=args.rebuild)
    labelled = sum(1 for c in kb.chunks if c.category)
    print(
        f"{len(kb)} distinct bodies indexed ({labelled} with a category)"
        + (f", built in {build_s:.1f}s" if build_s else " (cached)")
    )
    queries = [
        row
        for name in ("category_train.csv", "category_dev.csv")
        for row in read_csv(data / "cases" / name)
        if row.get("title") and row.get("body")
    ]
    if args.limit:
        queries = random.Random(0).sample(queries, min(args.limit, len(queries)))
    print(f"{len(queries)} title queries")
    base = kb.fusion
    variants = [
        ("hybrid (linear)", base),
        ("hybrid (RRF)", replace(base, method="rrf")),
        ("dense only", replace(base, sparse_weight=0.0)),
        ("bm25 only", replace(base, dense_weight=0.0)),
    ]
    for label, fusion in variants[:1] if args.default_only else variants:
        kb.fusion = fusion
        start = time.perf_counter()
        metrics = evaluate(kb, queries)
        per_query = (time.perf_counter() - start) / len(queries) * 1000
        print(
            f"{label:20s} "
            + "  ".join(f"{k} {v:.3f}" for k, v in metrics.items())
            + f"  ({per_query:.1f} ms/query)"
        )
    kb.fusion = base


if __name__ == "__main__":
    main()
