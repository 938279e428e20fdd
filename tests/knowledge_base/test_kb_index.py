from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge_base.chunks import Chunk, Hit
from knowledge_base.embedders import HashingEmbedder
from knowledge_base.index import (
    EmbedderMismatchError,
    FusionParams,
    KnowledgeBase,
    KnowledgeBaseError,
    make_snippet,
)
from knowledge_base.regulations import parse_regulation


@pytest.fixture
def kb(
    tmp_path: Path, hashing: HashingEmbedder, sample_cases: list[Chunk], sample_guide: str
) -> KnowledgeBase:
    chunks = parse_regulation(sample_guide, source="guide.md") + sample_cases
    return KnowledgeBase.build(chunks, hashing, tmp_path / "kb")


def test_build_writes_manifest(kb: KnowledgeBase) -> None:
    manifest = json.loads((kb.directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder"] == {"name": "hashing.v1", "version": "1", "dim": 128, "options": {"dim": 128}}
    assert manifest["counts"] == {"total": 10, "regulation": 5, "case": 5, "phrasings": 0}
    assert manifest["dense_index"] == "flat"
    assert manifest["built_at"] and manifest["updated_at"]


def test_search_finds_case_with_reply(kb: KnowledgeBase) -> None:
    hits = kb.search("老板拖欠工资不给", k=3)
    assert hits[0].id == "case:test:2"
    assert hits[0].reply == "监察大队已责令公司支付全部工资。"
    assert hits[0].category == "劳动和社会保障"
    assert hits[0].score >= hits[-1].score


def test_regulation_hit_has_citation(kb: KnowledgeBase) -> None:
    hits = kb.search("欠薪投诉多久受理", kind="regulation", k=2)
    assert hits and all(h.kind == "regulation" for h in hits)
    assert hits[0].citation == "《测试市便民服务规定》第十条之一"
    assert hits[0].reply is None


def test_filters_kind_category_and_dates(kb: KnowledgeBase) -> None:
    assert all(h.kind == "case" for h in kb.search("小区", kind="case", k=10))
    assert {h.category for h in kb.search("小区", category="交通运输", k=10)} == {"交通运输"}
    dated = kb.search("小区 工资 噪音 补课 站台", kind="case", k=10, date_from="2025-01-01")
    assert {h.id for h in dated} <= {"case:test:4", "case:test:5"} and dated
    early = kb.search("小区 工资 噪音 补课 站台", kind="case", k=10, date_to="2024-03-31")
    assert {h.id for h in early} <= {"case:test:1", "case:test:2"} and early
    assert kb.search("小区", category="不存在的类别") == []
    # regulations carry their version date, so a date range can include them
    assert any(h.kind == "regulation" for h in kb.search("便民服务 热线", k=10, date_to="2024-03-31"))
    with pytest.raises(ValueError):
        kb.search("小区", kind="law")


def test_empty_query_and_zero_k(kb: KnowledgeBase) -> None:
    assert kb.search("   ") == []
    assert kb.search("工资", k=0) == []


def test_hits_are_json_serialisable(kb: KnowledgeBase) -> None:
    hit = kb.search("停车费", k=1)[0]
    data = json.loads(hit.model_dump_json())
    assert set(data) >= {
        "id",
        "kind",
        "score",
        "title",
        "snippet",
        "citation",
        "reply",
        "category",
        "date",
        "source",
    }
    assert Hit.model_validate(data) == hit


def test_load_round_trip_gives_same_results(kb: KnowledgeBase, hashing: HashingEmbedder) -> None:
    loaded = KnowledgeBase.load(kb.directory, hashing)
    assert len(loaded) == len(kb)
    assert [h.id for h in loaded.search("夜间施工噪音", k=4)] == [
        h.id for h in kb.search("夜间施工噪音", k=4)
    ]


def test_load_without_embedder_uses_manifest(kb: KnowledgeBase) -> None:
    loaded = KnowledgeBase.load(kb.directory)
    assert loaded.embedder.name == "hashing.v1"


def test_mismatched_embedder_is_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(EmbedderMismatchError, match=r"hashing\.v1"):
        KnowledgeBase.load(kb.directory, HashingEmbedder(dim=64))


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="kb build"):
        KnowledgeBase.load(tmp_path / "nothing")


def test_add_is_incremental_persisted_and_idempotent(kb: KnowledgeBase, hashing: HashingEmbedder) -> None:
    new = Chunk(
        id="case:test:99",
        kind="case",
        title="电梯困人",
        text="小区电梯经常困人，物业不维修。",
        category="城乡建设",
        date="2025-03-01",
        reply="已督促维保单位检修。",
    )
    assert kb.add([new, new]) == 1
    assert kb.add([new]) == 0
    loaded = KnowledgeBase.load(kb.directory, hashing)
    assert len(loaded) == 11
    assert loaded.search("电梯困人", k=1)[0].id == "case:test:99"
    assert json.loads((kb.directory / "manifest.json").read_text())["counts"]["case"] == 6


def test_unknown_kind_is_refused(tmp_path: Path, hashing: HashingEmbedder) -> None:
    with pytest.raises(ValueError):
        KnowledgeBase.build([Chunk(id="x", kind="faq", title="t", text="t")], hashing, tmp_path)


def test_inconsistent_index_is_detected(kb: KnowledgeBase) -> None:
    lines = (kb.directory / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    (kb.directory / "chunks.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="inconsistent"):
        KnowledgeBase.load(kb.directory)


def test_hnsw_index_kind_past_threshold(
    tmp_path: Path, hashing: HashingEmbedder, sample_cases: list[Chunk]
) -> None:
    kb = KnowledgeBase.build(sample_cases, hashing, tmp_path, hnsw_threshold=3)
    assert kb.dense.kind == "hnsw"
    assert kb.search("拖欠工资", k=1)[0].id == "case:test:2"
    assert KnowledgeBase.load(tmp_path).manifest["dense_index"] == "hnsw"


def test_snippet_window_contains_query_terms() -> None:
    text = "第一句没有关系。" * 30 + "这里说的是拖欠工资的问题。" + "结尾无关。" * 30
    snippet = make_snippet(text, ["拖欠", "工资"], width=40)
    assert "拖欠工资" in snippet and snippet.startswith("…")
    assert make_snippet("短文本", ["x"]) == "短文本"


def _wage_kb(tmp_path: Path, hashing: HashingEmbedder) -> list[Chunk]:
    return [
        Chunk(
            id="reg:x:1",
            kind="regulation",
            title="某条例 第一条",
            text="用人单位应当按时足额支付劳动报酬。",
            citation="《某条例》第一条",
        ),
        Chunk(
            id="reg:x:2",
            kind="regulation",
            title="某条例 第二条",
            text="公共场所应当保持整洁。",
            citation="《某条例》第二条",
        ),
        Chunk(id="case:x:1", kind="case", title="停车难", text="小区停车位不够用。", category="城乡建设"),
    ]


def test_lexicon_expansion_bridges_everyday_words_for_regulations(
    tmp_path: Path, hashing: HashingEmbedder
) -> None:
    kb = KnowledgeBase.build(_wage_kb(tmp_path, hashing), hashing, tmp_path)
    hits = kb.search("老板不给工钱", kind="regulation", k=2)
    assert hits[0].citation == "《某条例》第一条"
    kb.fusion = FusionParams(expansion_weight=0.0)
    plain = kb.search("老板不给工钱", kind="regulation", k=2)
    assert plain[0].score < hits[0].score


def test_rrf_fusion_option(tmp_path: Path, hashing: HashingEmbedder, sample_cases: list[Chunk]) -> None:
    kb = KnowledgeBase.build(sample_cases, hashing, tmp_path, fusion=FusionParams(method="rrf"))
    hits = kb.search("拖欠工资", k=3)
    assert hits[0].id == "case:test:2"
    assert all(0 < h.score <= 2 / 61 + 1e-6 for h in hits)


def test_adds_while_searching_from_other_threads(kb: KnowledgeBase) -> None:
    """The web app adds closed orders while request threads search: neither may see a half-built index."""
    from concurrent.futures import ThreadPoolExecutor

    before = len(kb)

    def add(i: int) -> int:
        return kb.add(
            [
                Chunk(
                    id=f"case:order:t{i}",
                    kind="case",
                    title=f"路灯不亮{i}",
                    text=f"第{i}号路灯不亮，晚上很黑。",
                    reply="已修复。",
                )
            ]
        )

    def search(i: int) -> int:
        hits = kb.search("路灯不亮", k=5)
        assert all(h.id for h in hits)
        return len(hits)

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(add if i % 4 == 0 else search, i) for i in range(80)]
        results = [f.result() for f in futures]
    assert sum(results[::4]) == 20 and len(kb) == before + 20
    assert all(r > 0 for i, r in enumerate(results) if i % 4)


def _two_laws() -> list[Chunk]:
    def article(law: str, number: str, text: str, chapter: str = "第二章 办理") -> Chunk:
        return Chunk(
            id=f"reg:{law}:{number}",
            kind="regulation",
            title=f"{law} {number}",
            text=text,
            citation=f"《{law}》{number}",
            meta={"law_title": law, "chapter": chapter},
        )

    return [
        article("工资条例", "第一条", "为了保障工资支付，制定本条例。", "第一章 总则"),
        article("工资条例", "第二条", "用人单位应当按月足额支付工资，不得拖欠工资。"),
        article("工资条例", "第三条", "拖欠工资的，劳动者可以投诉。"),
        article("噪声条例", "第一条", "夜间施工噪声影响居民休息的，应当停止施工。"),
        article("噪声条例", "第二条", "娱乐场所音响噪声不得干扰周围居民。"),
        Chunk(
            id="case:x:1", kind="case", title="欠薪", text="老板拖欠工资三个月。", category="劳动和社会保障"
        ),
    ]


def _scores(
    kb: KnowledgeBase, query: str, fusion: FusionParams, kind: str | None = "regulation"
) -> dict[str, float]:
    kb.fusion = fusion
    return {h.id: h.score for h in kb.search(query, kind=kind, k=10)}


def test_boilerplate_articles_are_demoted_by_the_penalty(tmp_path: Path, hashing: HashingEmbedder) -> None:
    kb = KnowledgeBase.build(_two_laws(), hashing, tmp_path)
    plain = _scores(kb, "工资支付", FusionParams(boilerplate_penalty=0.0, law_routing_weight=0.0))
    demoted = _scores(kb, "工资支付", FusionParams(boilerplate_penalty=0.3, law_routing_weight=0.0))
    purpose, substantive = "reg:工资条例:第一条", "reg:工资条例:第二条"
    assert demoted[purpose] == pytest.approx(plain[purpose] - 0.3, abs=1e-5)
    assert demoted[substantive] == pytest.approx(plain[substantive], abs=1e-5)


def test_law_routing_lifts_the_articles_of_the_nearest_law(tmp_path: Path, hashing: HashingEmbedder) -> None:
    kb = KnowledgeBase.build(_two_laws(), hashing, tmp_path)
    base = FusionParams(boilerplate_penalty=0.0, law_routing_weight=0.0)
    off = _scores(kb, "拖欠工资怎么投诉", base)
    on = _scores(kb, "拖欠工资怎么投诉", FusionParams(boilerplate_penalty=0.0, law_routing_weight=0.4))
    # two laws, min-max scaled: the wage law gets the whole weight, the noise law none
    assert on["reg:工资条例:第三条"] == pytest.approx(off["reg:工资条例:第三条"] + 0.4, abs=1e-5)
    assert on["reg:噪声条例:第一条"] == pytest.approx(off["reg:噪声条例:第一条"], abs=1e-5)


def test_law_centroids_follow_added_laws(tmp_path: Path, hashing: HashingEmbedder) -> None:
    kb = KnowledgeBase.build(_two_laws(), hashing, tmp_path)
    kb.search("工资", kind="regulation")
    assert kb._centroids() is not None and len(kb._centroids()) == 2
    extra = Chunk(
        id="reg:燃气条例:第一条",
        kind="regulation",
        title="燃气条例 第一条",
        text="燃气泄漏应当报告。",
        citation="《燃气条例》第一条",
        meta={"law_title": "燃气条例", "chapter": ""},
    )
    kb.add([extra])
    assert len(kb._centroids()) == 3
    reloaded = KnowledgeBase.load(kb.directory, hashing)
    assert reloaded._boilerplate.tolist() == kb._boilerplate.tolist()
    assert reloaded.search("燃气泄漏", kind="regulation", k=1)[0].citation == "《燃气条例》第一条"


def test_regulation_settings_leave_other_searches_alone(tmp_path: Path, hashing: HashingEmbedder) -> None:
    kb = KnowledgeBase.build(_two_laws(), hashing, tmp_path)
    off = FusionParams(
        regulation_dense_boost=1.0, bm25_floor=0.0, boilerplate_penalty=0.0, law_routing_weight=0.0
    )
    on = FusionParams(
        regulation_dense_boost=3.0, bm25_floor=0.9, boilerplate_penalty=0.5, law_routing_weight=0.5
    )
    for kind in (None, "case"):
        assert _scores(kb, "工资支付 拖欠", off, kind) == _scores(kb, "工资支付 拖欠", on, kind)
    assert _scores(kb, "工资支付 拖欠", off) != _scores(kb, "工资支付 拖欠", on)
