"""A trained head as stored in the registry: classifier, evidence index and manifest together.

Layout of one version directory::

    <models_dir>/<head>/<version>/
        manifest.json      head, version, backend, labels, run arguments, data fingerprint, metrics
        classifier/        whatever the backend saved (backend.json names the backend)
        cases/             the similar-case index used as evidence
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.base import Explainer, TextClassifier
from classifiers.evidence import CaseIndex, SimilarCase
from classifiers.registry import load_classifier
from classifiers.store import MANIFEST

CLASSIFIER_DIR = "classifier"
CASES_DIR = "cases"


@dataclass
class HeadModel:
    """A loaded head: predict, explain, find similar cases."""

    head: str
    version: str
    classifier: TextClassifier
    cases: CaseIndex
    manifest: dict[str, Any]

    @classmethod
    def load(cls, directory: Path) -> HeadModel:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        classifier = load_classifier(directory / CLASSIFIER_DIR)
        cases = CaseIndex.load(directory / CASES_DIR)
        return cls(manifest["head"], manifest["version"], classifier, cases, manifest)

    @property
    def labels(self) -> list[str]:
        return self.classifier.labels

    def proba(self, text: str) -> np.ndarray:
        return self.classifier.predict_proba([text])[0]

    def terms(self, text: str, label: str, k: int = 5) -> list[str]:
        if isinstance(self.classifier, Explainer):
            return self.classifier.explain(text, label, k)
        return []

    def similar(self, text: str, k: int = 3, label: str | None = None) -> list[SimilarCase]:
        return self.cases.similar(text, k, label)
