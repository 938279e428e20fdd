"""Evaluation of a head on labelled data: the numbers `intake eval` prints and the report draws.

Urgency is evaluated as deployed (rules plus the learned head), because that combination, not the
model alone, is what decides deadlines and hand-overs; its extra figures are what the rubric's
targets are stated in: recall of every emergency, and recall/precision of the non-normal tiers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from classifiers.calibration import expected_calibration_error
from classifiers.heads import HeadModel
from classifiers.urgency import UrgencyAssessor
from training.data import Dataset
from workorders.enums import UrgencyTier


def classification_metrics(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] | None = None
) -> dict[str, Any]:
    """n, accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix."""
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    present = [lab for lab in labels if lab in set(y_true)]
    return {
        "n": len(y_true),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "macro_f1": round(
            float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)), 4
        ),
        "per_class": {
            lab: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(s[i]),
            }
            for i, lab in enumerate(labels)
        },
        "confusion": {
            "labels": labels,
            "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        },
    }


def abstention_metrics(
    y_true: Sequence[str], proba: np.ndarray, labels: Sequence[str], threshold: float
) -> dict:
    """Coverage and accuracy of the suggestions that are made at an abstention threshold."""
    y_true = np.asarray(y_true)
    pred = np.asarray(labels)[proba.argmax(axis=1)]
    conf = proba.max(axis=1)
    kept = conf >= threshold
    index = {lab: i for i, lab in enumerate(labels)}
    known = np.array([t in index for t in y_true])
    y_idx = np.array([index.get(t, -1) for t in y_true])
    return {
        "threshold": threshold,
        "coverage": round(float(kept.mean()), 4) if len(kept) else 0.0,
        "accuracy_when_suggested": round(float((pred[kept] == y_true[kept]).mean()), 4)
        if kept.any()
        else None,
        "top3_accuracy": round(
            float(
                np.mean(
                    [
                        y in set(np.asarray(labels)[np.argsort(-row)[:3]])
                        for y, row in zip(y_true, proba, strict=True)
                    ]
                )
            ),
            4,
        ),
        "ece": round(expected_calibration_error(proba[known], y_idx[known]), 4) if known.any() else None,
    }


def urgency_metrics(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    """The rubric's targets: every emergency recognised; non-normal recall and precision."""
    normal = UrgencyTier.NORMAL.value
    emergency = UrgencyTier.EMERGENCY.value
    t = np.array([y != normal for y in y_true])
    p = np.array([y != normal for y in y_pred])
    e_true = np.array([y == emergency for y in y_true])
    e_pred = np.array([y == emergency for y in y_pred])
    return {
        "non_normal": {
            "support": int(t.sum()),
            "predicted": int(p.sum()),
            "recall": round(float((t & p).sum() / t.sum()), 4) if t.any() else None,
            "precision": round(float((t & p).sum() / p.sum()), 4) if p.any() else None,
        },
        "emergency": {
            "support": int(e_true.sum()),
            "recognised": int((e_true & e_pred).sum()),
            "false_alarms": int((~e_true & e_pred).sum()),
        },
    }


def predict_head(
    head: str, model: HeadModel | None, texts: Sequence[str]
) -> tuple[list[str], np.ndarray | None]:
    """Predictions as deployed: urgency through the rules+model assessor, others by the model."""
    if head == "urgency":
        assessor = UrgencyAssessor(model)
        return [assessor.assess(t).tier.value for t in texts], None
    if model is None:
        raise ValueError(f"no {head} model to evaluate")
    proba = model.classifier.predict_proba(list(texts))
    return [model.labels[i] for i in proba.argmax(axis=1)], proba


def evaluate(
    head: str, model: HeadModel | None, data: Dataset, *, abstain_threshold: float = 0.5
) -> dict[str, Any]:
    """All metrics of `head` on `data` as one JSON-ready dict."""
    pred, proba = predict_head(head, model, data.texts)
    return metrics_of(head, model, data, pred, proba, abstain_threshold=abstain_threshold)


def metrics_of(
    head: str,
    model: HeadModel | None,
    data: Dataset,
    pred: Sequence[str],
    proba: np.ndarray | None,
    *,
    abstain_threshold: float = 0.5,
) -> dict[str, Any]:
    """`evaluate`'s metrics from predictions already made (`predict_head`), so a caller that also
    needs the predictions themselves (`training.compare`) predicts once."""
    labels = None
    if model is not None and head != "urgency":
        labels = sorted(set(model.labels) | set(data.labels))
    result: dict[str, Any] = {"head": head, **classification_metrics(data.labels, pred, labels)}
    if model is not None:
        result["model_version"] = model.version
        result["backend"] = model.manifest.get("backend")
    if proba is not None and model is not None:
        result["abstention"] = abstention_metrics(data.labels, proba, model.labels, abstain_threshold)
    if head == "urgency":
        result.update(urgency_metrics(data.labels, pred))
        result["model_version"] = model.version if model is not None else "rules-only"
    return result


def resolve_model_dir(path: Path, head: str) -> Path:
    """Accept a version directory, or a registry root (then its active version of `head`)."""
    from classifiers.store import MANIFEST, ModelStore

    path = Path(path)
    if (path / MANIFEST).is_file():
        return path
    active = ModelStore(path).active_path(head)
    if active is None:
        raise FileNotFoundError(
            f"{path}: neither a model version directory nor a registry with an active {head} model"
        )
    return active
