"""A fast TF-IDF transform for a handful of texts (the triage hot path).

scikit-learn's ``TfidfVectorizer.transform`` validates its parameters on every call (with
``inspect``), which costs more than vectorising one chat message does. Triage transforms one text
three or four times (category, urgency, matter type, similar cases), so this module applies a
*fitted* vectorizer's analyzer, vocabulary and IDF weights directly. It reproduces ``transform``
exactly for the settings the backends use (checked in the tests); for other settings it falls back
to scikit-learn.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer


def _supported(vec: TfidfVectorizer) -> bool:
    return (
        vec.norm == "l2"
        and vec.use_idf
        and not vec.binary
        and vec.vocabulary_ is not None
        and getattr(vec, "idf_", None) is not None
    )


def tfidf_transform(vec: TfidfVectorizer, docs: Sequence[str]) -> sp.csr_matrix:
    """``vec.transform(docs)``, fast for a few documents."""
    if len(docs) > 8 or not _supported(vec):
        return vec.transform(docs)
    analyzer = getattr(vec, "_fast_analyzer", None)
    if analyzer is None:
        analyzer = vec.build_analyzer()
        vec._fast_analyzer = analyzer  # cached on the fitted object; rebuilt after unpickling
    vocab = vec.vocabulary_
    idf = vec.idf_
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for doc in docs:
        counts = Counter(j for j in (vocab.get(tok) for tok in analyzer(doc)) if j is not None)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if vec.sublinear_tf:
            tf = 1.0 + np.log(tf)
        w = tf * idf[cols] if len(cols) else tf
        norm = np.sqrt(np.dot(w, w))
        if norm > 0:
            w = w / norm
        order = np.argsort(cols)
        indices.extend(cols[order].tolist())
        data.extend(w[order].tolist())
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=vec.dtype), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
        shape=(len(docs), len(idf)),
    )
