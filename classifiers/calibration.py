"""Temperature scaling: turn raw classifier scores into probabilities that mean what they say.

Margin classifiers (LinearSVC) give scores, not probabilities, and even logistic models trained to
near-zero training loss are over-confident. Operators are told "91 % sure", and the abstention
threshold is set on that number, so it is fitted on out-of-fold scores: one scalar temperature,
which cannot change the ranking (accuracy is untouched) and cannot over-fit a small training set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.model_selection import StratifiedKFold


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``scores / temperature``, numerically stable."""
    z = np.asarray(scores, dtype=np.float64) / max(temperature, 1e-6)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of the true classes.

    Args:
        scores: ``(n, k)`` raw scores (logits or margins), columns in label order.
        y: ``(n,)`` integer index of each row's true class.
    """
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(y)
    if len(y) == 0:
        return 1.0

    def nll(log_t: float) -> float:
        p = softmax(scores, float(np.exp(log_t)))
        return float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None))))

    result = minimize_scalar(nll, bounds=(np.log(0.01), np.log(100.0)), method="bounded")
    return float(np.exp(result.x))


def out_of_fold_scores(
    fit_score: Callable[[np.ndarray, np.ndarray], np.ndarray],
    n_samples: int,
    y: np.ndarray,
    n_classes: int,
    *,
    folds: int = 3,
    seed: int = 0,
) -> np.ndarray | None:
    """Scores for every row from a model that never saw it, or None when the data is too small.

    Args:
        fit_score: ``fit_score(train_idx, test_idx)`` trains on one index set and returns
            ``(len(test_idx), n_classes)`` scores for the other.
    """
    counts = np.bincount(y, minlength=n_classes)
    k = int(min(folds, counts[counts > 0].min()))
    if k < 2:
        return None
    out = np.zeros((n_samples, n_classes))
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(np.zeros(n_samples), y):
        if len(np.unique(y[train_idx])) < 2:
            return None
        out[test_idx] = fit_score(train_idx, test_idx)
    return out


def expected_calibration_error(proba: np.ndarray, y: Sequence[int], bins: int = 10) -> float:
    """ECE: mean gap between confidence and accuracy, weighted by bin size (lower is better)."""
    proba = np.asarray(proba)
    y = np.asarray(y)
    conf = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in pairwise(edges):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs(conf[mask].mean() - correct[mask].mean())
    return float(ece)
