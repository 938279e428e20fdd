"""Third regression pass over the rule sets: urgency (v8), redirects (v5) and matter type (v3).

* Venting about a landlord, a shop or a company (这个房东简直要杀人) is not a threat; who threatens or
  with what (他说要杀了我, 拿刀说要杀人, 扬言要杀人) still is.
* An appeal against a case already judged (离婚官司判了，他不服要上诉) is the court's business.
* 能不能 asking someone to act (能不能有人来修一下) is a help request, asking for something to be added
  (能不能加个红绿灯) a suggestion; questions without 吗 (12345都管哪些事, 按什么划片的, 要不要公示) are
  consultations.

All messages are short chat-style lines written for these tests.
"""

from __future__ import annotations

import numpy as np
import pytest

from classifiers import matter_type, redirect, urgency_rules
from classifiers.emergency import check_emergency
from classifiers.matter_type import HOTLINE_TYPES, classify, is_bare_question
from classifiers.redirect import check_redirect
from classifiers.text import normalize
from classifiers.urgency_rules import assess
from workorders.config import CityConfig
from workorders.enums import MatterType, RedirectKind, UrgencyTier


def test_versions_are_bumped() -> None:
    assert urgency_rules.VERSION == "urgency_rules.v8"
    assert redirect.VERSION == "redirect_rules.v5"
    assert matter_type.VERSION == "matter_type_rules.v3"


# --- urgency: venting is not a threat ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "这个房东简直要杀人，押金一直不退",
        "这个房东简直是要杀人，押金一直不退",
        "这家店真是要杀人，价格太黑了",
        "这家店真是要把人整死，退款拖了两个月",
        "这家公司真是想整死我们，工资拖了半年",
        "我气得想杀了他，物业一直不修",
        "我要被这个快递公司气死了，包裹丢了没人管",
    ],
)
def test_venting_about_a_landlord_or_a_shop_is_not_a_threat(text: str, city_config: CityConfig) -> None:
    verdict = assess(normalize(text))
    assert verdict.tier is not UrgencyTier.EMERGENCY, verdict
    assert check_emergency(text, city_config) is None


@pytest.mark.parametrize(
    "text",
    [
        "他说要杀了我",
        "他拿刀说要杀人，就在我家楼下",
        "邻居扬言要杀人，现在在楼道里骂",
        "房东气得说要弄死我，我不敢回去",
        "房东气得要杀了我",
        "前夫简直疯了，说要杀了我全家",
        "他简直疯了要杀了我",
    ],
)
def test_real_threats_still_go_to_the_police(text: str, city_config: CityConfig) -> None:
    info = check_emergency(text, city_config)
    assert info is not None and info.number == "110", text


def test_venting_is_discounted_as_hyperbole() -> None:
    verdict = assess(normalize("这个房东简直要杀人，押金一直不退"))
    assert verdict.tier is UrgencyTier.NORMAL
    assert any("习语或夸张说法" in r for r in verdict.reasons()), verdict.reasons()


# --- redirects: an appeal is in litigation ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我跟前夫的离婚官司判了，他不服要上诉，我该怎么办",
        "离婚案子已经判了，他不服上诉了",
        "一审判了，我不服，想上诉",
        "对方不服一审判决，已经上诉了",
    ],
)
def test_an_appeal_against_a_judged_case_goes_to_the_court(text: str) -> None:
    info = check_redirect(text)
    assert info is not None and info.kind is RedirectKind.LITIGATION, (text, info)
    assert "人民法院" in info.advice


@pytest.mark.parametrize(
    "text",
    [
        # a neighbour dispute with no court case
        "邻居老是吵，说要告我，我该怎么办",
        "楼上漏水的事调解了两次没用，我该怎么办",
        "邻居说要上诉到法院，其实根本没有起诉",
        "对方说要上诉，吓唬我",
        # a question about appeals
        "上诉期是多久",
        "案子判了，上诉期是多久",
        # no appeal: a judgment in another matter
        "法院判了离婚，派出所不给迁户口",
    ],
)
def test_appeal_look_alikes_stay_with_12345(text: str) -> None:
    assert check_redirect(text) is None, text


# --- matter type: 能不能 requests and questions without 吗 -----------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们楼的消防栓是坏的，能不能有人来修一下", MatterType.HELP_REQUEST),
        ("能不能派人来看看，小区门口的井盖丢了", MatterType.HELP_REQUEST),
        ("楼道灯坏了能不能修一下", MatterType.HELP_REQUEST),
        ("法院门口那条路天天堵车，能不能加个红绿灯", MatterType.SUGGESTION),
        ("12345都管哪些事", MatterType.CONSULTATION),
        ("孩子上学是按什么划片的", MatterType.CONSULTATION),
        ("物业收费标准要不要公示", MatterType.CONSULTATION),
        ("晚上工地施工太吵了，能打12345吗", MatterType.CONSULTATION),
        ("小区里能不能装充电桩", MatterType.CONSULTATION),
        ("能不能办居住证", MatterType.CONSULTATION),
        ("这是什么服务态度", MatterType.COMPLAINT),
        ("凭什么收我们停车费", MatterType.COMPLAINT),
    ],
)
def test_can_you_requests_and_questions_without_ma(text: str, expected: MatterType) -> None:
    assert classify(text).label is expected, classify(text)


@pytest.mark.parametrize(
    "text",
    ["我们楼的消防栓是坏的，能不能有人来修一下", "法院门口那条路天天堵车，能不能加个红绿灯"],
)
def test_a_request_to_act_is_not_a_bare_question(text: str) -> None:
    assert not is_bare_question(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345都管哪些事", MatterType.CONSULTATION),
        ("孩子上学是按什么划片的", MatterType.CONSULTATION),
        ("物业收费标准要不要公示", MatterType.CONSULTATION),
        ("楼下太吵了怎么办", MatterType.COMPLAINT),
    ],
)
def test_new_question_forms_outweigh_a_learned_complaint_vote(text: str, expected: MatterType) -> None:
    labels = [t.value for t in HOTLINE_TYPES]
    proba = np.zeros(len(labels))
    proba[labels.index("complaint")] = 1.0
    assert classify(text, (labels, proba)).label is expected
