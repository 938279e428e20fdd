"""Named, versioned classifier backends.

A saved model records the backend name it was trained with (``tfidf.v1``); loading looks that name
up here. A behaviour-changing edit to a backend gets a new name (``tfidf.v2``) so that models trained
by the old code keep loading with the code that understands them. Imports are lazy: asking for the
TF-IDF backend never imports torch or transformers.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from classifiers.base import ClassifierError, TextClassifier, read_backend_file


@dataclass(frozen=True)
class BackendSpec:
    """One registry entry: where the class lives and the settings this name stands for."""

    name: str
    target: str
    description: str
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def resolve(self) -> type:
        module_name, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module_name), attr)


_SPECS: tuple[BackendSpec, ...] = (
    BackendSpec("prior.v1", "classifiers.prior:PriorClassifier", "class frequencies; the no-op test double"),
    BackendSpec(
        "tfidf.v1",
        "classifiers.tfidf:TfidfLinearClassifier",
        "character 1-3-gram TF-IDF + LinearSVC, temperature-calibrated",
        {"char_ngrams": (1, 3), "model": "svm", "c": 0.5},
    ),
    BackendSpec(
        "tfidf_words.v1",
        "classifiers.tfidf:TfidfLinearClassifier",
        "character 1-3-grams and jieba words, TF-IDF + LinearSVC, temperature-calibrated",
        {"char_ngrams": (1, 3), "word_ngrams": (1, 1), "model": "svm", "c": 0.5},
    ),
    BackendSpec(
        "tfidf_logreg.v1",
        "classifiers.tfidf:TfidfLinearClassifier",
        "character 1-3-gram TF-IDF + class-balanced logistic regression (rare classes: urgency)",
        {"char_ngrams": (1, 3), "model": "logreg", "c": 10.0, "class_weight": "balanced"},
    ),
    BackendSpec(
        "fasttext.v1",
        "classifiers.fasttext:FastTextClassifier",
        "fastText-style bag of hashed character n-grams and words, in torch",
    ),
    BackendSpec(
        "usem3_head.v1",
        "classifiers.embedding:EmbeddingHeadClassifier",
        "logistic head on USE multilingual v3 sentence embeddings",
    ),
    BackendSpec(
        "ensemble.v1",
        "classifiers.ensemble:EnsembleClassifier",
        "weighted average of member backends' calibrated probabilities",
    ),
    BackendSpec(
        "transformers.v1",
        "classifiers.transformer:TransformerClassifier",
        "fine-tunes a local Hugging Face checkpoint with Trainer (GPU deployments)",
    ),
)


def backends() -> dict[str, BackendSpec]:
    """All registered backends by name."""
    return {spec.name: spec for spec in _SPECS}


def spec(name: str) -> BackendSpec:
    try:
        return backends()[name]
    except KeyError:
        known = ", ".join(sorted(backends()))
        raise ClassifierError(f"unknown classifier backend {name!r}; known: {known}") from None


def create(name: str, **overrides: Any) -> TextClassifier:
    """A new, untrained classifier of backend `name` with its registered settings."""
    entry = spec(name)
    cls = entry.resolve()
    kwargs = {**entry.defaults, **overrides}
    obj = cls(**kwargs)
    obj.backend = name
    return obj


def load_classifier(directory: Path) -> TextClassifier:
    """Load whatever classifier was saved in `directory`, by the backend name it recorded."""
    info = read_backend_file(directory)
    cls = spec(info["backend"]).resolve()
    obj = cls.load(directory)
    obj.backend = info["backend"]
    return obj
