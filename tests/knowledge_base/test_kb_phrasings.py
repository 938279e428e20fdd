"""Citizen phrasings: files, attaching them to articles, and how the index uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge_base.embedders import HashingEmbedder
from knowledge_base.index import PHRASINGS, KnowledgeBase, KnowledgeBaseError
from knowledge_base.phrasings import (
    PhrasingsError,
    attach_phrasings,
    bundled_phrasings,
    load_phrasings,
    phrasings_of,
)
from knowledge_base.regulations import load_regulations, parse_regulation

from .conftest import make_case

WAGES = "《测试市便民服务规定》第十条之一"
# Shares no character with the article it points to (第十条之一: 欠薪投诉应当在三个工作日内受理).
EVERYDAY = "老板跑路了钱拿不到"


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def _guide_kb(tmp_path: Path, sample_guide: str, hashing: HashingEmbedder, phrasings: dict) -> KnowledgeBase:
    chunks = attach_phrasings(parse_regulation(sample_guide, source="guide.md"), phrasings)
    cases = [make_case(1, "路灯不亮", "小区门口路灯坏了", "城乡建设", "2026-01-05")]
    return KnowledgeBase.build(chunks + cases, hashing, tmp_path / "kb")


def test_files_merge_and_deduplicate(tmp_path: Path) -> None:
    _write(tmp_path / "a.jsonl", [{"citation": WAGES, "questions": ["工钱拿不到", "老板不给钱"]}])
    _write(tmp_path / "b.jsonl", [{"citation": WAGES, "questions": ["老板不给钱", "包工头跑了"]}])
    merged = load_phrasings([tmp_path], bundled=False)
    assert merged == {WAGES: ["工钱拿不到", "老板不给钱", "包工头跑了"]}


@pytest.mark.parametrize(
    "line",
    ['{"citation": "《某法》第一条"}', "not json", '{"citation": "第一条", "questions": ["问"]}'],
)
def test_a_bad_line_names_file_and_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"citation": "《某法》第二条", "questions": ["好"]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(PhrasingsError, match=r"bad\.jsonl:2"):
        load_phrasings([path], bundled=False)


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no phrasings"):
        load_phrasings([tmp_path / "nope.jsonl"], bundled=False)


def test_only_matching_articles_get_phrasings(sample_guide: str) -> None:
    chunks = parse_regulation(sample_guide, source="guide.md")
    case = make_case(1, "欠薪", "老板跑路", "劳动和社会保障", "2026-01-05")
    attached = attach_phrasings([*chunks, case], {WAGES: [EVERYDAY], "《别的法》第一条": ["无关"]})
    carrying = [c.citation for c in attached if phrasings_of(c)]
    assert carrying == [WAGES]
    assert phrasings_of(attached[-1]) == []
    assert all(not phrasings_of(c) for c in chunks), "attaching must not change the originals"


def test_a_question_finds_an_article_through_its_phrasing(
    tmp_path: Path, sample_guide: str, hashing: HashingEmbedder
) -> None:
    plain = _guide_kb(tmp_path / "plain", sample_guide, hashing, {})
    assert plain.search(EVERYDAY, kind="regulation", k=1)[0].citation != WAGES
    kb = _guide_kb(tmp_path / "with", sample_guide, hashing, {WAGES: [EVERYDAY, "工钱一直拖着不给"]})
    top = kb.search(EVERYDAY, kind="regulation", k=1)[0]
    assert top.citation == WAGES
    assert top.meta["matched_question"] == EVERYDAY
    article_only = next(h for h in plain.search(EVERYDAY, kind="regulation", k=20) if h.citation == WAGES)
    assert top.similarity > article_only.similarity  # the phrasing, not the legal text, was closer
    assert kb.manifest["counts"]["phrasings"] == 2
    # phrasings never change case search
    assert all(h.kind == "case" for h in kb.search(EVERYDAY, kind="case", k=3))


def test_phrasings_survive_a_reload_and_later_adds(
    tmp_path: Path, sample_guide: str, hashing: HashingEmbedder
) -> None:
    kb = _guide_kb(tmp_path, sample_guide, hashing, {WAGES: [EVERYDAY]})
    reloaded = KnowledgeBase.load(tmp_path / "kb", hashing)
    assert reloaded.search(EVERYDAY, kind="regulation", k=1)[0].citation == WAGES
    extra = parse_regulation(sample_guide.replace("测试市便民服务规定", "另一市规定"), source="other.md")
    other = "《另一市规定》第二十一条"
    reloaded.add(attach_phrasings(extra, {other: ["答复我不满意还能再申请吗"]}))
    again = KnowledgeBase.load(tmp_path / "kb", hashing)
    assert again.search("答复我不满意还能再申请吗", kind="regulation", k=1)[0].citation == other
    assert again.search(EVERYDAY, kind="regulation", k=1)[0].citation == WAGES
    assert len(kb.phrasing_dense) == 1 and len(again.phrasing_dense) == 2


def test_an_index_without_the_phrasing_file_still_loads(
    tmp_path: Path, sample_guide: str, hashing: HashingEmbedder
) -> None:
    _guide_kb(tmp_path, sample_guide, hashing, {})
    (tmp_path / "kb" / PHRASINGS).unlink()  # as written before phrasings existed
    kb = KnowledgeBase.load(tmp_path / "kb", hashing)
    assert kb.search("欠薪投诉", kind="regulation", k=1)[0].citation == WAGES


def test_a_missing_phrasing_file_is_refused_when_chunks_have_phrasings(
    tmp_path: Path, sample_guide: str, hashing: HashingEmbedder
) -> None:
    _guide_kb(tmp_path, sample_guide, hashing, {WAGES: [EVERYDAY]})
    (tmp_path / "kb" / PHRASINGS).unlink()
    with pytest.raises(KnowledgeBaseError, match="phrasing vectors"):
        KnowledgeBase.load(tmp_path / "kb", hashing)


def test_bundled_phrasings_are_well_formed() -> None:
    bundled = bundled_phrasings()
    for citation, questions in bundled.items():
        assert citation.startswith("《") and "》第" in citation and citation.endswith("条"), citation
        assert questions and all(4 <= len(q) <= 60 for q in questions), citation


def test_bundled_phrasings_point_at_real_articles(shared_data: Path) -> None:
    """Every bundled citation names an article of the shared regulations (skips without them)."""
    citations = {c.citation for c in load_regulations(shared_data / "regulations")}
    unknown = sorted(set(bundled_phrasings()) - citations)
    assert not unknown, unknown[:10]


def test_progress_counts_articles_and_phrasings(
    tmp_path: Path, sample_guide: str, hashing: HashingEmbedder
) -> None:
    chunks = attach_phrasings(
        parse_regulation(sample_guide, source="guide.md"), {WAGES: [EVERYDAY, "工钱拖着"]}
    )
    calls: list[tuple[int, int]] = []
    KnowledgeBase.build(
        chunks, hashing, tmp_path / "kb", progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1] == (len(chunks) + 2, len(chunks) + 2)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
