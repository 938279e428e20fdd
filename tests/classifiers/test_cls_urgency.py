"""How the urgency assessor combines the rubric rules with a learned head.

The learned head here is a stub that is certain every text is ``normal``: the tests pin down which
rule verdicts such a model may overturn (a rules-only ``expedited``) and which it may not (an
emergency hand-over, an ``urgent`` safety tier), whatever it says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from classifiers.base import LabelledClassifier
from classifiers.evidence import CaseIndex
from classifiers.heads import HeadModel
from classifiers.text import normalize
from classifiers.urgency import UrgencyAssessor
from workorders.enums import UrgencyTier

_LABELS = ["emergency", "expedited", "normal", "urgent"]


class _SureItIsNormal(LabelledClassifier):
    """A stand-in learned head: p(normal) = 0.99 for every text."""

    backend = "stub.v1"

    def __init__(self, n_train: int) -> None:
        self._labels = list(_LABELS)
        self._metadata: dict[str, Any] = {"n_train": n_train}

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        row = np.array([0.0025, 0.0025, 0.99, 0.005])
        return np.tile(row, (len(texts), 1))


def _assessor(n_train: int = 500) -> UrgencyAssessor:
    head = HeadModel("urgency", "test", _SureItIsNormal(n_train), CaseIndex(), {})  # type: ignore[arg-type]
    return UrgencyAssessor(head)


def test_confident_model_demotes_an_expedited_rule_hit() -> None:
    verdict = _assessor().assess(normalize("我们小区停水两天了，到现在还没来水"))
    assert verdict.rules.tier is UrgencyTier.EXPEDITED
    assert verdict.tier is UrgencyTier.NORMAL
    assert "一般诉求" in verdict.reasons[0]


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("楼道里煤气味特别重，是不是哪家漏气了", UrgencyTier.EMERGENCY),
        ("路中间的井盖没了，刚才有辆电动车差点掉进去", UrgencyTier.URGENT),
        ("大风把路边的电线杆刮倒了，电线拖在地上", UrgencyTier.URGENT),
    ],
)
def test_model_never_demotes_an_emergency_or_urgent_rule_hit(text: str, tier: UrgencyTier) -> None:
    assert _assessor().assess(normalize(text)).tier is tier


def test_model_trained_on_few_orders_does_not_demote() -> None:
    verdict = _assessor(n_train=50).assess(normalize("我们小区停水两天了，到现在还没来水"))
    assert verdict.tier is UrgencyTier.EXPEDITED
