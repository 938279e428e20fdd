"""Two versions of a head side by side on the same labelled data: the evidence for a promotion.

Each version's manifest carries metrics from its own hold-out split, and two hold-out splits are
not the same test: a version can look better only because its split was easier. Promotion should
rest on both versions predicting the *same* messages. This module gives, for one labelled file:

* each version's metrics (as `training.evaluate` computes them) and the per-class change;
* how often the two agree, and McNemar's exact test on the messages exactly one of them gets
  right: with a few hundred messages, a gain of one point is often noise, and the p-value says so;
* the messages on which they disagree, so a trainer can read what changed.
"""

from __future__ import annotations

from typing import Any

from scipy.stats import binomtest

from classifiers.heads import HeadModel
from classifiers.text import snippet
from training.data import Dataset
from training.evaluate import metrics_of, predict_head

#: Characters of a disagreeing message shown to the trainer.
SNIPPET_CHARS = 60


def compare_versions(
    head: str,
    first: HeadModel | None,
    second: HeadModel | None,
    data: Dataset,
    *,
    show: int = 10,
) -> dict[str, Any]:
    """Compare two versions of `head` on `data` (None for urgency means the rules alone).

    Args:
        head: the head both versions belong to.
        first: the version to compare against (typically the active one).
        second: the candidate.
        data: labelled messages; both versions predict every one of them.
        show: how many disagreements to list (those the candidate fixes or breaks come first).

    Returns:
        A JSON-ready dict: ``first`` and ``second`` metrics, ``per_class_f1_change``, ``agreement``,
        ``mcnemar`` (counts and exact two-sided p-value) and ``disagreements``.
    """
    predicted = [predict_head(head, model, data.texts) for model in (first, second)]
    metrics = [
        metrics_of(head, model, data, pred, proba)
        for model, (pred, proba) in zip((first, second), predicted, strict=True)
    ]
    preds = [pred for pred, _ in predicted]
    truth = data.labels
    only_first = [i for i, y in enumerate(truth) if preds[0][i] == y != preds[1][i]]
    only_second = [i for i, y in enumerate(truth) if preds[1][i] == y != preds[0][i]]
    discordant = len(only_first) + len(only_second)
    p_value = binomtest(len(only_second), discordant, 0.5).pvalue if discordant else 1.0
    differ = [i for i in range(len(truth)) if preds[0][i] != preds[1][i]]
    changed = set(only_first) | set(only_second)
    differ.sort(key=lambda i: i not in changed)  # fixed or broken first, then both wrong
    classes = sorted(set(metrics[0]["per_class"]) | set(metrics[1]["per_class"]))
    return {
        "head": head,
        "n": len(truth),
        "first": _summary(metrics[0]),
        "second": _summary(metrics[1]),
        "macro_f1_change": round(metrics[1]["macro_f1"] - metrics[0]["macro_f1"], 4),
        "per_class_f1_change": {c: round(_f1(metrics[1], c) - _f1(metrics[0], c), 4) for c in classes},
        "agreement": round(1 - len(differ) / len(truth), 4) if truth else 1.0,
        "mcnemar": {
            "only_first_right": len(only_first),
            "only_second_right": len(only_second),
            "p_value": round(float(p_value), 4),
        },
        "disagreements": [
            {
                "text": snippet(data.texts[i], SNIPPET_CHARS),
                "label": truth[i],
                "first": preds[0][i],
                "second": preds[1][i],
            }
            for i in differ[:show]
        ],
    }


def _summary(metrics: dict[str, Any]) -> dict[str, Any]:
    keys = ("model_version", "backend", "accuracy", "macro_f1")
    return {k: metrics.get(k) for k in keys} | {
        "per_class": {c: v["f1"] for c, v in metrics["per_class"].items()}
    }


def _f1(metrics: dict[str, Any], label: str) -> float:
    return float(metrics["per_class"].get(label, {}).get("f1", 0.0))
