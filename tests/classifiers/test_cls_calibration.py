from __future__ import annotations

import numpy as np

from classifiers.calibration import expected_calibration_error, fit_temperature, softmax


def test_temperature_softens_overconfident_scores() -> None:
    rng = np.random.default_rng(0)
    n, k = 400, 3
    y = rng.integers(0, k, n)
    scores = rng.normal(size=(n, k))
    correct = rng.random(n) < 0.7  # 70 % right ...
    scores[np.arange(n), np.where(correct, y, (y + 1) % k)] += 12.0  # ... but scores say ~100 %
    t = fit_temperature(scores, y)
    assert t > 2.0
    before = expected_calibration_error(softmax(scores), y)
    after = expected_calibration_error(softmax(scores, t), y)
    assert after < before


def test_softmax_rows_sum_to_one() -> None:
    p = softmax(np.array([[1000.0, 0.0], [1.0, 1.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], [0.5, 0.5])
