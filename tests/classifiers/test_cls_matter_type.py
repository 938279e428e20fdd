from __future__ import annotations

import numpy as np
import pytest

from classifiers.matter_type import HOTLINE_TYPES, classify
from workorders.enums import MatterType


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请问公积金怎么提取？", MatterType.CONSULTATION),
        ("我要投诉这家饭店态度恶劣", MatterType.COMPLAINT),
        ("举报有人在河边偷排废水", MatterType.REPORT),
        ("建议在小区门口增设一个公交站", MatterType.SUGGESTION),
        ("感谢社区网格员帮我们修好了水管", MatterType.PRAISE),
        ("家里老人生病没人照顾，求助", MatterType.HELP_REQUEST),
    ],
)
def test_speech_act_words_decide_the_type(text: str, expected: MatterType) -> None:
    verdict = classify(text)
    assert verdict.label is expected
    assert 0 < verdict.confidence <= 1


def test_no_cue_falls_back_with_low_confidence() -> None:
    verdict = classify("路灯")
    assert verdict.label is MatterType.COMPLAINT and verdict.confidence < 0.5


def test_learned_probabilities_break_weak_rule_ties() -> None:
    labels = [t.value for t in MatterType][:6]
    proba = np.zeros(len(labels))
    proba[labels.index("suggestion")] = 1.0
    assert classify("小区门口路灯", (labels, proba)).label is MatterType.SUGGESTION


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不留姓名能反映吗", MatterType.CONSULTATION),
        ("工单多久能办完", MatterType.CONSULTATION),
        ("医保异地就医怎么备案", MatterType.CONSULTATION),
        ("楼下太吵了怎么办", MatterType.COMPLAINT),
        ("楼道灯坏了能不能修一下", MatterType.HELP_REQUEST),
    ],
)
def test_a_short_question_outweighs_a_learned_vote_unless_it_states_a_grievance(
    text: str, expected: MatterType
) -> None:
    labels = [t.value for t in HOTLINE_TYPES]
    proba = np.zeros(len(labels))
    proba[labels.index("complaint")] = 1.0  # a learned head sure it is a complaint
    verdict = classify(text, (labels, proba))
    assert verdict.label is expected or (
        expected is MatterType.HELP_REQUEST and verdict.label is MatterType.COMPLAINT
    ), verdict
