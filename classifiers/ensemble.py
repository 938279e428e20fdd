"""Weighted average of several backends' calibrated probabilities.

Different model families make different mistakes (sparse n-gram margins vs. averaged embeddings),
so averaging their calibrated probabilities is the cheapest accuracy gain there is. Members are
ordinary registry backends, each saved in its own sub-directory.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.base import (
    ClassifierError,
    LabelledClassifier,
    TextClassifier,
    check_training_data,
    write_backend_file,
)

_MEMBERS = "members.json"


class EnsembleClassifier(LabelledClassifier):
    """Average of member classifiers' probabilities.

    Args:
        members: ``[{"backend": "tfidf.v1", "weight": 1.0, "options": {...}}, ...]``.
    """

    backend = "ensemble.v1"

    def __init__(self, *, members: Sequence[dict[str, Any]] | None = None) -> None:
        self.members_spec = [
            dict(m) for m in (members or [{"backend": "tfidf.v1"}, {"backend": "fasttext.v1"}])
        ]
        if not self.members_spec:
            raise ClassifierError("an ensemble needs at least one member")
        self._members: list[TextClassifier] = []
        self._labels: list[str] = []
        self._metadata: dict[str, Any] = {}

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        unlabeled: Sequence[str] | None = None,
        progress: bool = False,
    ) -> EnsembleClassifier:
        from classifiers.registry import create

        check_training_data(texts, labels)
        started = time.perf_counter()
        self._labels = sorted(set(labels))
        self._members = []
        for spec in self.members_spec:
            member = create(spec["backend"], **spec.get("options", {}))
            member.fit(texts, labels, unlabeled=unlabeled, progress=progress)
            self._members.append(member)
        self._metadata = {
            "n_train": len(texts),
            "members": [{"backend": m.backend, **m.metadata} for m in self._members],
            "fit_seconds": round(time.perf_counter() - started, 2),
        }
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not self._members:
            raise ClassifierError("the classifier is not trained")
        total = np.zeros((len(texts), len(self._labels)))
        weight_sum = 0.0
        for spec, member in zip(self.members_spec, self._members, strict=True):
            w = float(spec.get("weight", 1.0))
            proba = member.predict_proba(texts)
            cols = [self._labels.index(lab) for lab in member.labels]
            total[:, cols] += w * proba
            weight_sum += w
        return total / weight_sum

    def explain(self, text: str, label: str, k: int = 5) -> list[str]:
        """Terms from the first member that can explain itself."""
        for member in self._members:
            explain = getattr(member, "explain", None)
            if explain is not None:
                return explain(text, label, k)
        return []

    def save(self, directory: Path) -> None:
        if not self._members:
            raise ClassifierError("the classifier is not trained")
        write_backend_file(directory, self.backend, self._labels, self._metadata)
        for i, member in enumerate(self._members):
            member.save(directory / f"member_{i}")
        (directory / _MEMBERS).write_text(
            json.dumps(
                {"members": self.members_spec, "labels": self._labels, "metadata": self._metadata},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, directory: Path) -> EnsembleClassifier:
        from classifiers.registry import load_classifier

        payload = json.loads((directory / _MEMBERS).read_text(encoding="utf-8"))
        obj = cls(members=payload["members"])
        obj._labels = payload["labels"]
        obj._metadata = payload["metadata"]
        obj._members = [load_classifier(directory / f"member_{i}") for i in range(len(payload["members"]))]
        return obj
