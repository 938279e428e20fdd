from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers.features import tfidf_transform

CORPUS = ["小区停水三天了", "楼道停电一整天", "公司拖欠工资半年", "学校乱收资料费", "停水停电都有"]


@pytest.mark.parametrize("sublinear", [True, False])
def test_matches_sklearn_transform(sublinear: bool) -> None:
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=sublinear, dtype=np.float32).fit(
        CORPUS
    )
    docs = ["我们小区停水停水又停电", "完全无关的字词", ""]
    fast = tfidf_transform(vec, docs)
    slow = vec.transform(docs)
    assert fast.shape == slow.shape
    np.testing.assert_allclose(fast.toarray(), slow.toarray(), rtol=1e-5, atol=1e-6)


def test_many_documents_fall_back_to_sklearn() -> None:
    vec = TfidfVectorizer(analyzer="char").fit(CORPUS)
    docs = CORPUS * 3
    np.testing.assert_allclose(tfidf_transform(vec, docs).toarray(), vec.transform(docs).toarray())
