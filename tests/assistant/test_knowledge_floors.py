"""The relevance rule of `assistant.knowledge.answer_hits` on hand-made hits (no index needed).

`test_knowledge_relevance.py` measures the floors on the real demo knowledge base; this pins the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from assistant import texts
from assistant.knowledge import CASE_MIN_SIMILARITY, REGULATION_MIN_SIMILARITY, about_one_matter, answer_hits
from assistant.options import AssistantConfig
from knowledge_base.chunks import Hit

GENERAL_REPLY = "我市生育登记已实现网上办理，可以通过政务服务应用在线申请，无需提交纸质材料。"
ONE_MATTER_REPLY = "经我局劳动保障监察机构约谈，该公司已为您办理参保登记并补缴社会保险费。"


class Knowledge:
    def __init__(self, hits: Sequence[Hit]) -> None:
        self.hits = hits

    def search(self, query: str, *, kind: str | None = None, k: int = 5) -> Sequence[Any]:
        return list(self.hits)[:k]


def _law(similarity: float) -> Hit:
    return Hit(
        id="law",
        kind="regulation",
        score=1.0,
        title="t",
        snippet="条文",
        citation="《某指南》第二条",
        similarity=similarity,
    )


def _case(similarity: float, reply: str = GENERAL_REPLY) -> Hit:
    return Hit(
        id="case",
        kind="case",
        score=1.0,
        title="生育登记网上办理",
        snippet="s",
        reply=reply,
        similarity=similarity,
    )


def test_floors_are_ordered_and_calibrated_above_the_old_threshold() -> None:
    assert 0.5 < REGULATION_MIN_SIMILARITY < CASE_MIN_SIMILARITY < 1


@pytest.mark.parametrize(
    ("similarity", "shown"),
    [(REGULATION_MIN_SIMILARITY - 0.01, False), (REGULATION_MIN_SIMILARITY, True), (0.9, True)],
)
def test_a_regulation_needs_the_regulation_floor(similarity: float, shown: bool) -> None:
    assert bool(answer_hits(Knowledge([_law(similarity)]), "问", AssistantConfig())) is shown


def test_the_walkthroughs_wrong_answer_is_gone() -> None:
    """办居住证需要什么材料 came back as the 生育登记 case at 0.575: not an answer."""
    assert answer_hits(Knowledge([_case(0.575)]), "办居住证需要什么材料", AssistantConfig()) == []


@pytest.mark.parametrize(
    ("similarity", "shown"),
    [(0.75, False), (CASE_MIN_SIMILARITY - 0.001, False), (CASE_MIN_SIMILARITY, True)],
)
def test_a_case_must_be_very_similar(similarity: float, shown: bool) -> None:
    assert bool(answer_hits(Knowledge([_case(similarity)]), "问", AssistantConfig())) is shown


def test_a_case_reply_about_one_citizens_own_matter_is_never_shown() -> None:
    assert (
        answer_hits(Knowledge([_case(0.97, ONE_MATTER_REPLY)]), "社保断缴了怎么办", AssistantConfig()) == []
    )


def test_the_setting_can_raise_the_floor_but_not_lower_it() -> None:
    strict = AssistantConfig(knowledge_min_similarity=0.95)
    assert answer_hits(Knowledge([_law(0.9)]), "问", strict) == []
    lax = AssistantConfig(knowledge_min_similarity=0.1)
    assert answer_hits(Knowledge([_law(0.3)]), "问", lax) == []


@pytest.mark.parametrize(
    "reply",
    [
        ONE_MATTER_REPLY,
        "市人社局接到投诉后立案调查，公司已足额支付包括您在内的6名工人工资。",
        "经南湖区市场监督管理局现场检查，超市已按规定向您支付赔偿金。",
        "市热力公司派维修人员上门检测，该单元供暖立管存在气堵，已排气。",
        "社区医生已联系您安排补种。",
    ],
)
def test_replies_about_one_matter_are_recognised(reply: str) -> None:
    assert about_one_matter(reply)


@pytest.mark.parametrize(
    "reply",
    [
        GENERAL_REPLY,
        "与单位终止劳动关系且未再就业满半年的，可以持本人身份证、离职证明到各服务网点办理提取。",
        "申请低保以家庭为单位，您可以到户籍所在地街道便民服务中心提交申请。",
        "用人单位应该自用工之日起三十日内为职工办理社会保险登记。",
    ],
)
def test_general_guidance_is_not_mistaken_for_one_matter(reply: str) -> None:
    assert not about_one_matter(reply)


def test_a_shown_case_is_labelled_as_a_past_reply_to_a_similar_question() -> None:
    hits = answer_hits(Knowledge([_case(0.86)]), "生育登记在哪里办", AssistantConfig())
    answer = texts.knowledge_answer(hits, question="生育登记在哪里办")
    assert "类似问题的过往答复（生育登记网上办理）" in answer
    assert "依据" not in answer, "a past case is not cited as a rule"


def test_the_not_found_wording_offers_to_file() -> None:
    assert "没有找到直接相关的规定" in texts.KNOWLEDGE_NOT_FOUND
    assert "登记" in texts.KNOWLEDGE_NOT_FOUND
