"""Urgency rules, emergency hand-over and redirects on short chat-style messages written for the tests."""

from __future__ import annotations

import pytest

from classifiers.emergency import check_emergency
from classifiers.redirect import check_redirect
from classifiers.text import normalize
from classifiers.urgency_rules import assess
from workorders.enums import RedirectKind, UrgencyTier


def test_every_chat_case_gets_its_tier(chat_cases: list[dict]) -> None:
    wrong = [
        (c["text"], c["urgency"], assess(normalize(c["text"])).tier.value)
        for c in chat_cases
        if assess(normalize(c["text"])).tier.value != c["urgency"]
    ]
    assert not wrong, wrong


def test_every_emergency_is_handed_to_the_right_number(chat_cases: list[dict], city_config) -> None:  # type: ignore[no-untyped-def]
    for case in chat_cases:
        info = check_emergency(case["text"], city_config)
        assert (info.number if info else None) == case["emergency"], case["text"]
        if info:
            assert info.name and info.reason


def test_every_redirect_kind_is_recognised(chat_cases: list[dict]) -> None:
    for case in chat_cases:
        info = check_redirect(case["text"])
        assert (info.kind.value if info else None) == case["redirect"], case["text"]
        if info:
            assert "第" in info.citation and "条" in info.citation
            assert info.channel and info.advice.startswith("您好")
    assert {c["redirect"] for c in chat_cases if c["redirect"]} == {k.value for k in RedirectKind}


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("没有着火，就是有点烟味", "否定"),
        ("前年小区着火，烧了好几辆车", "已过去的事"),
        ("停电了一上午，后来已经来电了", "已经恢复或解决"),
        ("万一发生火灾后果不堪设想", "假设或担忧"),
        ("井盖坏了好几个月，存在安全隐患", "长期存在的隐患"),
        ("我们这片经常停电，希望尽快改造线路", "反复出现的问题"),
        ("物业说不交物业费就停水", "假设或担忧"),
        ("小区随时面临停水的威胁", "假设或担忧"),
        ("万一物业不管，外墙瓷砖脱落下来砸到行人", "假设或担忧"),
    ],
)
def test_discounted_matches_say_why(text: str, why: str) -> None:
    verdict = assess(normalize(text))
    assert verdict.tier is UrgencyTier.NORMAL
    assert any(why in r for r in verdict.reasons()), verdict.reasons()


def test_most_urgent_live_hit_wins() -> None:
    verdict = assess(normalize("小区停水两天了，楼道里还闻到很浓的煤气味"))
    assert verdict.tier is UrgencyTier.EMERGENCY
    assert verdict.service == "fire"
    assert {h.rule.key for h in verdict.hits} >= {"gas_leak", "water_outage"}


def test_long_post_must_say_the_emergency_is_happening_now() -> None:
    filler = "我们小区的物业管理一直很混乱，业主意见很大。" * 8
    assert assess(normalize(filler + "楼里有人打架斗殴，殴打保安。")).tier is not UrgencyTier.EMERGENCY
    assert assess(normalize(filler + "现在楼下有人正在打人，快来！")).tier is UrgencyTier.EMERGENCY


def test_long_post_must_tie_the_present_to_a_standing_hazard() -> None:
    """In a long post a 现在 about something else does not make a chronic hazard current."""
    filler = "我们小区的物业管理一直很混乱，业主意见很大。" * 8
    chronic = filler + "化工厂多年来一直偷排废气，晚上黑烟滚滚。现在国家高度重视环保，希望严肃处理。"
    current = filler + "化工厂多年来一直偷排废气，现在每天晚上都黑烟滚滚，窗户都不敢开。"
    assert assess(normalize(chronic)).tier is UrgencyTier.NORMAL
    assert assess(normalize(current)).tier is UrgencyTier.EXPEDITED


def test_a_condition_does_not_cancel_an_emergency() -> None:
    verdict = assess(normalize("要是今天再讨不到工资，他说就要跳楼了"))
    assert verdict.tier is UrgencyTier.EMERGENCY and verdict.service == "police"


_LONG_GRIEVANCE = (
    "我想反映一下我们村的情况。村里有个恶霸多年来横行乡里，经常殴打村民，至今没有人管，派出所来过几次也都"
    "不了了之，大家敢怒不敢言。他还霸占了村集体的鱼塘和山林，承包费一分不交，村干部也不敢管，村民去找他理论"
    "反而被他威胁。希望上级领导能重视这个问题，派人下来调查处理，还老百姓一个公道，让我们能过上安稳日子。谢谢！"
)


def test_a_long_post_needs_a_right_now_cue_for_a_hand_over() -> None:
    grievance = assess(normalize(_LONG_GRIEVANCE))
    assert grievance.tier is not UrgencyTier.EMERGENCY
    assert any("长文中没有说明正在发生" in r for r in grievance.reasons()), grievance.reasons()
    live = assess(normalize(_LONG_GRIEVANCE.replace("经常殴打村民，至今没有人管", "现在他正在村口殴打我父亲，快来人")))
    assert live.tier is UrgencyTier.EMERGENCY and live.service == "police"
