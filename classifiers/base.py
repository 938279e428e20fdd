"""The classifier contract every backend implements, and the checks shared by all of them.

Backends differ wildly (sparse linear models, a small torch network, a fine-tuned transformer),
but the triage pipeline, the trainer and the model registry only ever talk to this protocol, so a
deployment can swap the default for a GPU model without touching anything else.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

#: File, inside a saved classifier's directory, that says which backend wrote it.
BACKEND_FILE = "backend.json"


class ClassifierError(ValueError):
    """Training data or a saved model that a classifier cannot use; the message says why."""


@runtime_checkable
class TextClassifier(Protocol):
    """A text classifier with calibrated probabilities.

    `predict_proba` columns follow `labels`. Probabilities are meant to be calibrated (a confidence
    of 0.9 is right about 90 % of the time), because abstention thresholds are set on them.
    """

    #: registry name with version, e.g. ``"tfidf.v1"``
    backend: str

    @property
    def labels(self) -> list[str]: ...

    @property
    def metadata(self) -> dict[str, Any]: ...

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        unlabeled: Sequence[str] | None = None,
        progress: bool = False,
    ) -> TextClassifier: ...

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray: ...

    def predict(self, texts: Sequence[str]) -> list[str]: ...

    def save(self, directory: Path) -> None: ...

    @classmethod
    def load(cls, directory: Path) -> TextClassifier: ...


@runtime_checkable
class Explainer(Protocol):
    """Optional: backends that can name the input terms that pushed a text towards a label."""

    def explain(self, text: str, label: str, k: int = 5) -> list[str]: ...


def check_training_data(texts: Sequence[str], labels: Sequence[str], *, min_classes: int = 2) -> None:
    """Refuse data no classifier can learn from, with a message a trainer can act on."""
    if len(texts) != len(labels):
        raise ClassifierError(f"{len(texts)} texts but {len(labels)} labels")
    if not texts:
        raise ClassifierError("no training examples")
    empty = [i for i, lab in enumerate(labels) if not str(lab).strip()]
    if empty:
        raise ClassifierError(f"{len(empty)} examples have an empty label (first at row {empty[0] + 1})")
    classes = Counter(labels)
    if len(classes) < min_classes:
        raise ClassifierError(
            f"training needs at least {min_classes} classes; the data has only {sorted(classes)}"
        )


def write_backend_file(directory: Path, backend: str, labels: list[str], metadata: dict[str, Any]) -> None:
    """Record which backend saved a directory, so `registry.load_classifier` can dispatch."""
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"backend": backend, "labels": labels, "metadata": metadata}
    (directory / BACKEND_FILE).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")


def read_backend_file(directory: Path) -> dict[str, Any]:
    path = directory / BACKEND_FILE
    if not path.is_file():
        raise ClassifierError(f"{directory}: not a saved classifier (no {BACKEND_FILE})")
    return json.loads(path.read_text(encoding="utf-8"))


class LabelledClassifier:
    """What every backend shares: its label set, its training metadata, and predicting the top label.

    Subclasses set ``_labels`` and ``_metadata`` and implement `predict_proba`; those whose raw
    scores differ from their calibrated probabilities override `decision_scores`.
    """

    _labels: list[str]
    _metadata: dict[str, Any]

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    @property
    def metadata(self) -> dict[str, Any]:
        return dict(self._metadata)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def decision_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Scores whose argmax is the prediction; by default the probabilities themselves."""
        return self.predict_proba(texts)

    def predict(self, texts: Sequence[str]) -> list[str]:
        return argmax_labels(self.decision_scores(texts), self._labels)


def argmax_labels(proba: np.ndarray, labels: Sequence[str]) -> list[str]:
    return [labels[i] for i in np.asarray(proba).argmax(axis=1)]
