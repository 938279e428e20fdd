"""Emergency hand-over for injuries, acute illness, threats to kill and someone else's self-harm.

All messages are short chat-style lines written for these tests (the walkthrough's misses and the
look-alikes that must stay ordinary complaints).
"""

from __future__ import annotations

import pytest

from classifiers import cues
from classifiers.emergency import check_emergency
from classifiers.text import normalize
from classifiers.urgency_rules import RULES, SHORT_TEXT, assess
from workorders.config import CityConfig
from workorders.enums import UrgencyTier


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("路边有个老人摔倒了头在流血，叫不醒", "120", "medical"),
        ("我儿子从滑梯上摔下来胳膊好像断了，一直哭", "120", "injury"),
        ("工地上有个工人从架子上摔下来了，流了好多血，在高新区科技园路工地", "120", "medical"),
        ("他手一直流血止不住", "120", "medical"),
        ("有人昏倒在地铁站了，没有意识", "120", "medical"),
        ("老人摔倒了起不来", "120", "medical"),
        ("同事突然倒地，没有呼吸了", "120", "medical"),
        ("孩子被狗咬伤了", "120", "injury"),
        ("刚被马蜂蛰了，脸都肿了", "120", "injury"),
        ("我妈摔了一跤，腿骨折了", "120", "injury"),
        ("我前夫天天发短信说要弄死我，我好害怕", "110", "threat"),
        ("他说要杀了我", "110", "threat"),
        ("邻居拿着菜刀对着我", "110", "threat"),
        ("他要把我弄死", "110", "threat"),
        ("我邻居小伙子站在楼顶边上说不想活了，要跳下去，在东城区人民路3号楼顶", "110", "self_harm"),
    ],
)
def test_a_fresh_injury_illness_or_threat_is_handed_over(
    text: str, number: str, kind: str, city_config: CityConfig
) -> None:
    info = check_emergency(text, city_config)
    assert info is not None, text
    assert (info.number, info.kind) == (number, kind), (text, info)


@pytest.mark.parametrize(
    "text",
    [
        "去年摔断过腿，现在走路还疼",
        "上次流血了现在好了",
        "医院看病难，挂号要排好几个小时",
        "上个月在医院做手术，医生操作失误导致我妈昏迷，要求医院赔偿",
        "他说要告我",
        "对方扬言要告到法院",
        "他们吵架说要打死对方",
        "我前年在这个路口摔伤了，至今没有人管",
        "孩子被狗咬伤了，养狗的人不管",
        "被狗咬伤了去哪里打狂犬疫苗",
        "我爸骨折出院后，医药费报销怎么办",
        "小区的狗经常咬人，担心咬伤孩子",
        "学校的椅子腿断了好几把",
        "我的手机屏幕摔碎了",
        "这价格简直要了我的命",
        "工厂的废气熏得人感觉窒息",
        "血汗钱拿不到，我们一直在流血流汗",
        "房贷压得我喘不过气",
        "小区里动不动就停电，老人摔倒了好几次",
    ],
)
def test_past_negated_or_complaining_look_alikes_stay_normal(text: str, city_config: CityConfig) -> None:
    assert check_emergency(text, city_config) is None, (text, assess(normalize(text)).reasons())


def test_repeated_threats_are_not_a_standing_complaint() -> None:
    """天天 marks a standing complaint for hazards, but a threat repeated daily is worse, not older."""
    text = "他天天打电话说要弄死我"
    assert cues.is_habitual(text, cues.locate(text, 7, 11))
    assert assess(text).tier is UrgencyTier.EMERGENCY


def test_a_threat_in_a_long_grievance_post_is_not_a_hand_over() -> None:
    post = (
        "我们十几个工人在工地干了一年，工资至今没有结清，多次向劳动监察大队反映，一直推三阻四。"
        "现在项目部根本不理会我们，动辄威胁说要把我们要钱的打死，我们该怎么办？"
        "请领导为我们做主，督促项目部尽快结清工资，我们都是靠这点钱养家糊口的农民工。"
        "希望有关部门调查处理，给我们一个说法，还我们一个公道。马上就要过年了，家里老人孩子都等着这笔钱。"
    )
    assert len(post) > SHORT_TEXT
    assert assess(post).tier is not UrgencyTier.EMERGENCY
    verdict = assess(post, tuple(r for r in RULES if r.key == "threat"))
    assert any("长文中只是提到" in r for r in verdict.reasons()), verdict.reasons()


def test_lying_still_is_not_the_habitual_dong_bu_dong() -> None:
    text = "有个老人倒在路边一动不动"
    span = cues.locate(text, 5, 12)
    assert not cues.is_habitual(text, span)
    assert assess(text).tier is UrgencyTier.EMERGENCY


@pytest.mark.parametrize(
    ("text", "someone_else"),
    [
        ("我不想活了", False),
        ("活着真没意思", False),
        ("我跟我妈吵架了，我不想活了", False),
        ("老公出轨了，不想活了", False),
        ("我现在站在楼顶上", False),
        ("我同事在微信里说不想活了，要跳楼", True),
        ("我朋友说他要割腕，现在联系不上", True),
        ("楼上有个女的坐在窗台上要跳楼", True),
        ("孩子说不想活了", True),
        ("有个人在桥上，说要跳河", True),
        ("我邻居小伙子站在楼顶边上说不想活了，要跳下去", True),
    ],
)
def test_self_harm_knows_whose_crisis_it_is(text: str, someone_else: bool, city_config: CityConfig) -> None:
    info = check_emergency(text, city_config)
    assert info is not None and info.kind == "self_harm", text
    assert info.someone_else is someone_else, text
    assert info.number == "110" and info.ambulance == "120"
