from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from classifiers.base import ClassifierError, TextClassifier
from classifiers.registry import backends, create, load_classifier

TEXTS = [
    "小区停水三天了",
    "楼道停电了",
    "暖气不热",
    "自来水水压太低",
    "电梯坏了没人修",
    "物业乱收费",
    "公司拖欠工资",
    "社保断缴了",
    "公积金怎么提取",
    "劳动合同到期被辞退",
    "工伤不给认定",
    "养老保险怎么交",
    "学校乱收费",
    "孩子入学问题",
    "老师体罚学生",
    "幼儿园涨价",
    "图书馆开放时间",
    "校车超载",
]
LABELS = ["城乡建设"] * 6 + ["劳动和社会保障"] * 6 + ["教育文体"] * 6


BACKEND_OPTIONS = {
    "tfidf.v1": {},
    "tfidf_logreg.v1": {},
    "prior.v1": {},
    "fasttext.v1": {"use_words": False, "epochs": 30, "dim": 16, "min_count": 1, "threads": 1},
    "ensemble.v1": {"members": [{"backend": "tfidf.v1"}, {"backend": "prior.v1", "weight": 0.2}]},
}


@pytest.mark.parametrize("name", sorted(BACKEND_OPTIONS))
def test_backend_honours_the_contract(name: str, tmp_path: Path) -> None:
    clf = create(name, **BACKEND_OPTIONS[name])
    assert isinstance(clf, TextClassifier)
    clf.fit(TEXTS, LABELS)
    assert clf.labels == sorted(set(LABELS))
    proba = clf.predict_proba(["停水好几天了", "工资一直不发"])
    assert proba.shape == (2, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    clf.save(tmp_path / "m")
    again = load_classifier(tmp_path / "m")
    assert again.backend == name
    np.testing.assert_allclose(
        again.predict_proba(["停水好几天了"]), clf.predict_proba(["停水好几天了"]), atol=1e-6
    )


def test_tfidf_learns_and_explains() -> None:
    clf = create("tfidf.v1").fit(TEXTS, LABELS)
    assert clf.predict(["小区又停水了", "单位拖欠我三个月工资", "孩子学校乱收费"]) == [
        "城乡建设",
        "劳动和社会保障",
        "教育文体",
    ]
    terms = clf.explain("单位拖欠我三个月工资", "劳动和社会保障")
    assert terms and any("工资" in t or "拖欠" in t for t in terms)


def test_tfidf_with_words_and_unlabeled_texts() -> None:
    clf = create("tfidf_words.v1").fit(TEXTS, LABELS, unlabeled=["没有标签的留言", "小区门口路灯不亮"])
    assert clf.metadata["n_unlabeled"] == 2
    assert clf.predict(["停水三天"]) == ["城乡建设"]


def test_one_class_and_empty_labels_are_refused() -> None:
    with pytest.raises(ClassifierError, match="at least 2 classes"):
        create("tfidf.v1").fit(["a", "b"], ["x", "x"])
    with pytest.raises(ClassifierError, match="empty label"):
        create("tfidf.v1").fit(["a", "b"], ["x", " "])


def test_unknown_backend_names_the_known_ones() -> None:
    with pytest.raises(ClassifierError, match=r"tfidf\.v1"):
        create("nope.v9")
    assert {"tfidf.v1", "prior.v1", "transformers.v1", "fasttext.v1"} <= set(backends())


def test_untrained_model_refuses_to_predict() -> None:
    with pytest.raises(ClassifierError):
        create("tfidf.v1").predict(["x"])
