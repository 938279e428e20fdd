"""Pickle-free storage of fitted model parts: arrays in ``.npz`` files, settings in JSON.

Model directories travel: trainers copy them between machines, and a server loads whatever version
is promoted. Unpickling (``joblib.load``) runs code from the file, so a model directory would be as
dangerous as a script. Everything a backend needs is plain data — vocabularies, IDF weights, linear
weights, sparse matrices — so it is stored as such and loaded with ``allow_pickle=False``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers.base import ClassifierError


def save_arrays(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write named arrays to one compressed ``.npz`` file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez_compressed(fh, **{k: np.asarray(v) for k, v in arrays.items()})


def load_arrays(path: Path) -> dict[str, np.ndarray]:
    """Read an ``.npz`` file written by `save_arrays`; object arrays (pickles) are refused."""
    if not path.is_file():
        legacy = [p.name for p in path.parent.glob("*.joblib")]
        if legacy:
            raise ClassifierError(
                f"{path.parent}: saved by an earlier version as a pickle ({', '.join(legacy)}), which is "
                "no longer loaded because unpickling can run code; retrain this model (intake train)"
            )
        raise ClassifierError(f"{path.parent}: missing {path.name}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except ValueError as err:  # an object array needs pickle
        raise ClassifierError(f"{path}: not a plain-array model file ({err})") from err


@dataclass(frozen=True)
class LinearWeights:
    """A fitted linear model reduced to what prediction needs: ``scores = x @ coef.T + intercept``.

    Scores are computed with a plain (sparse or dense) product: scikit-learn's
    ``decision_function`` re-validates its input on every call, which costs more than the product
    itself for a single text.
    """

    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def of(cls, model: Any) -> LinearWeights:
        """The weights of a fitted scikit-learn linear model (``coef_``, ``intercept_``)."""
        return cls(np.asarray(model.coef_, dtype=np.float32), np.asarray(model.intercept_, dtype=np.float32))

    def scores(self, x: Any) -> np.ndarray:
        """Per-class scores; a binary model's single score becomes two symmetric columns."""
        scores = np.asarray(x @ self.coef.T) + self.intercept
        if scores.ndim == 2 and scores.shape[1] == 1:
            scores = scores[:, 0]
        if scores.ndim == 1:
            scores = np.column_stack([-scores / 2, scores / 2])
        return scores

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}coef": self.coef, f"{prefix}intercept": self.intercept}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> LinearWeights:
        return cls(arrays[f"{prefix}coef"], arrays[f"{prefix}intercept"])


def vectorizer_spec(vec: TfidfVectorizer, analyzer: str) -> dict[str, Any]:
    """The settings of a fitted vectorizer, as JSON. `analyzer` names it ("char" or a caller's key)."""
    return {
        "analyzer": analyzer,
        "ngram_range": list(vec.ngram_range),
        "lowercase": bool(vec.lowercase),
        "sublinear_tf": bool(vec.sublinear_tf),
        "dtype": np.dtype(vec.dtype).name,
    }


def vectorizer_arrays(vec: TfidfVectorizer, prefix: str) -> dict[str, np.ndarray]:
    """The learned state of a fitted vectorizer: its terms in column order and their IDF weights."""
    terms = [""] * len(vec.vocabulary_)
    for term, column in vec.vocabulary_.items():
        terms[column] = term
    return {f"{prefix}terms": np.array(terms, dtype=str), f"{prefix}idf": vec.idf_}


def restore_vectorizer(
    spec: Mapping[str, Any],
    arrays: Mapping[str, np.ndarray],
    prefix: str,
    analyzers: Mapping[str, Callable[[str], list[str]]] | None = None,
) -> TfidfVectorizer:
    """A fitted vectorizer rebuilt from `vectorizer_spec` and `vectorizer_arrays`.

    Args:
        spec: the saved settings.
        arrays: the saved arrays (terms and IDF under `prefix`).
        prefix: the key prefix the arrays were saved under.
        analyzers: callables for analyzers other than scikit-learn's "char"/"word", by name.
    """
    name = spec["analyzer"]
    analyzer: Any = name if name in ("char", "word") else (analyzers or {}).get(name)
    if analyzer is None:
        raise ClassifierError(f"unknown analyzer {name!r} in a saved vectorizer")
    vec = TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=tuple(spec["ngram_range"]),
        lowercase=spec["lowercase"],
        sublinear_tf=spec["sublinear_tf"],
        dtype=np.dtype(spec["dtype"]).type,
    )
    terms = arrays[f"{prefix}terms"].tolist()
    vec.vocabulary_ = {term: column for column, term in enumerate(terms)}
    vec.idf_ = arrays[f"{prefix}idf"]
    return vec


def sparse_arrays(matrix: sp.csr_matrix, prefix: str) -> dict[str, np.ndarray]:
    m = matrix.tocsr()
    return {
        f"{prefix}data": m.data,
        f"{prefix}indices": m.indices,
        f"{prefix}indptr": m.indptr,
        f"{prefix}shape": np.array(m.shape, dtype=np.int64),
    }


def restore_sparse(arrays: Mapping[str, np.ndarray], prefix: str) -> sp.csr_matrix:
    shape = tuple(int(n) for n in arrays[f"{prefix}shape"])
    return sp.csr_matrix(
        (arrays[f"{prefix}data"], arrays[f"{prefix}indices"], arrays[f"{prefix}indptr"]), shape=shape
    )
