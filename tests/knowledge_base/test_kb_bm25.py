from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge_base.bm25 import BM25Index

DOCS = [
    ["物业", "停车费", "收费"],
    ["工资", "拖欠", "老板"],
    ["噪音", "施工", "夜间", "施工"],
    ["公交", "站台"],
]


def test_ranks_matching_document_first() -> None:
    index = BM25Index()
    index.add(DOCS)
    ids, scores = index.search(["拖欠", "工资"], k=3)
    assert ids.tolist() == [1]
    assert scores[0] > 0


def test_rare_terms_weigh_more() -> None:
    index = BM25Index()
    index.add([["小区", "物业"], ["小区", "停车"], ["小区", "噪音"]])
    scores = index.scores(["小区", "噪音"])
    assert scores[2] > scores[0] == scores[1] > 0


def test_mask_excludes_documents() -> None:
    index = BM25Index()
    index.add(DOCS)
    mask = np.array([True, False, True, True])
    ids, _ = index.search(["拖欠", "工资", "施工"], k=4, mask=mask)
    assert 1 not in ids.tolist()
    assert ids.tolist() == [2]


def test_incremental_add_equals_one_build() -> None:
    whole = BM25Index()
    whole.add(DOCS)
    parts = BM25Index()
    parts.add(DOCS[:2])
    parts.add(DOCS[2:])
    query = ["施工", "物业", "工资"]
    np.testing.assert_allclose(whole.scores(query), parts.scores(query), rtol=1e-6)


def test_save_load_round_trip(tmp_path: Path) -> None:
    index = BM25Index(k1=1.5, b=0.5)
    index.add(DOCS)
    index.save(tmp_path)
    loaded = BM25Index.load(tmp_path)
    assert (loaded.k1, loaded.b, len(loaded)) == (1.5, 0.5, 4)
    np.testing.assert_allclose(index.scores(["噪音"]), loaded.scores(["噪音"]))


def test_unknown_terms_score_nothing() -> None:
    index = BM25Index()
    index.add(DOCS)
    ids, _ = index.search(["不存在"], k=2)
    assert ids.size == 0


def test_max_score_bounds_every_document() -> None:
    index = BM25Index()
    index.add(DOCS)
    query = {"施工": 1.0, "夜间": 0.5, "没有这个词": 1.0}
    assert index.max_score(query) >= float(index.scores(query).max()) > 0
    assert index.max_score(["没有这个词"]) == 0.0
    # a query weight scales its term's share of the bound
    assert index.max_score({"公交": 0.5}) == index.max_score(["公交"]) / 2
