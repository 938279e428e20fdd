"""The no-op classifier: predicts class frequencies, whatever the text.

It is the test double of the contract (fast, deterministic, no dependencies) and the floor every
real backend must beat in `benchmarks/triage_category.py`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.base import (
    ClassifierError,
    LabelledClassifier,
    check_training_data,
    write_backend_file,
)

_PAYLOAD = "prior.json"


class PriorClassifier(LabelledClassifier):
    """Always answers the training-set class distribution."""

    backend = "prior.v1"

    def __init__(self) -> None:
        self._labels: list[str] = []
        self._prior = np.zeros(0)
        self._metadata: dict[str, Any] = {}

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        unlabeled: Sequence[str] | None = None,
        progress: bool = False,
    ) -> PriorClassifier:
        check_training_data(texts, labels)
        counts = Counter(labels)
        self._labels = sorted(counts)
        self._prior = np.array([counts[lab] for lab in self._labels], dtype=np.float64) / len(labels)
        self._metadata = {"n_train": len(labels)}
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not self._labels:
            raise ClassifierError("the classifier is not trained")
        return np.tile(self._prior, (len(texts), 1))

    def save(self, directory: Path) -> None:
        write_backend_file(directory, self.backend, self._labels, self._metadata)
        payload = {"labels": self._labels, "prior": self._prior.tolist(), "metadata": self._metadata}
        (directory / _PAYLOAD).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> PriorClassifier:
        payload = json.loads((directory / _PAYLOAD).read_text(encoding="utf-8"))
        obj = cls()
        obj._labels = payload["labels"]
        obj._prior = np.array(payload["prior"])
        obj._metadata = payload["metadata"]
        return obj
