"""Emergency hand-over, second chat re-test: hedged fires and smoke, threats with a time clause,
someone seen about to jump, an accident victim who cannot get up.

All messages are short chat-style lines written for these tests: the re-test's misses and the
look-alikes with the same words that must not be handed over.
"""

from __future__ import annotations

import pytest

from classifiers import cues
from classifiers.emergency import check_emergency
from classifiers.text import normalize
from classifiers.urgency_rules import assess
from workorders.config import CityConfig


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("楼道里冒烟了好像着火了", "119", "smoke"),
        ("好像着火了", "119", "fire"),
        ("楼道冒烟了", "119", "smoke"),
        ("我闻到焦味，可能着火了", "119", "fire"),
        ("楼下好大的烟，好像哪里烧起来了", "119", "fire"),
        ("插座冒烟了", "119", "smoke"),
        ("满屋子都是烟，不知道哪里烧的", "119", "smoke"),
        ("我老公说今晚回来就弄死我", "110", "threat"),
        ("他说回来就弄死我", "110", "threat"),
        ("他说等我下班就捅死我", "110", "threat"),
        ("他说不给钱就砍死我全家", "110", "threat"),
        ("对面楼顶有个小伙子坐在边上好像要跳下去", "110", "self_harm"),
        ("桥上有个女的要往下跳", "110", "self_harm"),
        ("电动车撞了一个老太太，老太太躺地上起不来", "122", "traffic_accident"),
        ("老人躺地上起不来了", "120", "medical"),
    ],
)
def test_the_retest_misses_are_handed_over(
    text: str, number: str, kind: str, city_config: CityConfig
) -> None:
    info = check_emergency(text, city_config)
    assert info is not None, (text, assess(normalize(text)).reasons())
    assert (info.number, info.kind) == (number, kind), (text, info)


@pytest.mark.parametrize(
    "text",
    [
        "对面楼顶有个小伙子坐在边上好像要跳下去",
        "桥上有个女的要往下跳",
        "有个人要从桥上跳下去",
    ],
)
def test_someone_seen_about_to_jump_gets_the_witness_reply(text: str, city_config: CityConfig) -> None:
    """The writer is a witness, so the reply must put 110/120 first, not words for their own pain."""
    info = check_emergency(text, city_config)
    assert info is not None and info.kind == "self_harm", text
    assert info.someone_else and info.number == "110" and info.ambulance == "120"


@pytest.mark.parametrize(
    "text",
    [
        # smoke the citizen lives with
        "楼道里有人抽烟，满楼道都是烟",
        "楼下烧烤店冒烟，呛得受不了",
        "楼下冒烟了，是邻居在烧烤",
        "隔壁工厂烟囱一直冒烟，污染严重",
        "对面工厂天天冒黑烟",
        "楼下饭店的烟味太大了",
        "我买的香烟是假的，在哪里投诉",
        "电脑冒烟了一下现在好了",
        "家里电脑冒烟了一下现在好了",
        "厨房冒烟了，是锅烧干了，已经关火了",
        "配电箱冒烟的问题物业一直不管",
        "去年楼道冒烟了，物业一直没处理",
        # similes and risks, not hedged reports
        "吵得好像着火了一样",
        "热得好像着火了",
        "这房子可能会着火，电线太老了",
        "要是着火了怎么办",
        "小区消防通道堵了，万一着火了消防车进不来",
        "上个月着过一次火",
        # time clauses without a threat to a person
        "他说等我下班就带我去吃饭",
        "他说今晚回来就打死那只老鼠",
        "他们吵架说要打死对方，扰民很严重",
        # jumping that is no danger
        "天太热，孩子们要跳下去游泳",
        "桥上有人跳广场舞太吵",
        "商场跳楼价清仓",
        # accidents that are over or hurt nobody
        "上个月电动车撞了一个老太太，现在要我赔医药费",
        "电动车撞了一个老太太，老太太没事",
        "追尾了，车动不了堵在路上",
        "老太太躺地上起不来，家属要求赔偿",
        # the brief's standing look-alikes
        "燃气费怎么交",
        "吵得要死",
        "120救护车收费太贵了",
    ],
)
def test_look_alikes_are_not_handed_over(text: str, city_config: CityConfig) -> None:
    assert check_emergency(text, city_config) is None, (text, assess(normalize(text)).reasons())


@pytest.mark.parametrize(
    ("text", "word", "hedged"),
    [
        ("好像着火了", "着火", True),
        ("可能着火了", "着火", True),
        ("好像哪里烧起来了", "烧起来", True),
        ("坐在边上好像要跳下去", "要跳下去", True),
        ("吵得好像着火了", "着火", False),  # the degree complement of 得 is a simile
        ("好像着火了一样", "着火", False),
        ("可能会着火", "着火", False),  # 会 makes it a risk
        ("声音好像爆炸", "爆炸", False),  # neither reported (了) nor about to happen (要)
    ],
)
def test_a_hedge_is_told_from_a_simile_or_a_risk(text: str, word: str, hedged: bool) -> None:
    start = text.index(word)
    span = cues.locate(text, start, start + len(word))
    assert (cues.hedge_start(text, span) is not None) is hedged
