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


def test_every_redirect_kind_is_recognised(chat_cases: list[dict], city_config) -> None:  # type: ignore[no-untyped-def]
    for case in chat_cases:
        info = check_redirect(case["text"], city_config.redirect_citations, city=city_config.city.name)
        assert (info.kind.value if info else None) == case["redirect"], case["text"]
        if info:
            assert info.citation and "潍坊" not in info.citation, "the demo city must not cite Weifang"
            assert info.channel and info.advice
            # The reply greets and says once that 12345 cannot accept it; the advice only says where to go.
            assert not info.advice.startswith("您好") and "不予受理" not in info.advice
            assert info.channel.split("（")[0] in info.advice, "the advice names the channel"
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
        ("上次小区水管爆了，水漫到路上", "已过去的事"),
        ("维修拖了三个月，房东还说要涨租，天要塌了", "习语或夸张说法"),
        ("听说又要收停车费，群里都炸了", "习语或夸张说法"),
        ("食堂的液化气罐就放在灶台旁边", "没有险情迹象"),
        ("燃气表里没钱了，今天早上停气了", "欠费或预付费用完停供"),
        ("楼下饭店的油烟刺鼻，窗户都不敢开", "餐饮油烟等日常扰民"),
        ("那家厂一直在偷排废水，河水发黑", "长期存在的隐患"),
        ("化工厂排出的气味刺鼻，我们打电话投诉了十几次", "长期存在的隐患"),
    ],
)
def test_discounted_matches_say_why(text: str, why: str) -> None:
    verdict = assess(normalize(text))
    assert verdict.tier is UrgencyTier.NORMAL
    assert any(why in r for r in verdict.reasons()), verdict.reasons()


def test_a_burst_pipe_without_water_escaping_is_24_hours_in_a_chat_line_and_background_in_a_post() -> None:
    chat = assess(normalize("小区水管爆裂，物业拖着不修"))
    assert chat.tier is UrgencyTier.EXPEDITED
    assert any("没有险情迹象" in r for r in chat.reasons()), chat.reasons()  # not the 2-hour tier
    post = "我们小区的物业管理一直很差，" * 12 + "楼上水管爆裂，物业拖着不修，维修费还要业主分摊。"
    assert assess(normalize(post)).tier is UrgencyTier.NORMAL
    assert assess(normalize("楼下水管爆了，水一直往外冒")).tier is UrgencyTier.URGENT


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
    live = assess(
        normalize(_LONG_GRIEVANCE.replace("经常殴打村民，至今没有人管", "现在他正在村口殴打我父亲，快来人"))
    )
    assert live.tier is UrgencyTier.EMERGENCY and live.service == "police"


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("天然气炸了，窗户都震碎了", UrgencyTier.EMERGENCY),
        ("今天塌了一段路，车过不去", UrgencyTier.URGENT),
        ("气得我喘不上气，物业就是不管", UrgencyTier.NORMAL),
    ],
)
def test_idioms_do_not_hide_real_hazards(text: str, tier: UrgencyTier) -> None:
    """气炸了 and 天塌了 are idioms, but 天然气炸了 and 今天塌了 are the hazards themselves."""
    assert assess(normalize(text)).tier is tier


def test_a_cylinder_counts_when_it_threatens_not_when_it_is_feared() -> None:
    feared = assess(normalize("饭店门口放着液化气罐，一旦漏气后果不堪设想"))
    assert feared.tier is UrgencyTier.NORMAL and feared.service is None
    imminent = assess(normalize("楼道里堆放了十几个煤气罐，随时可能爆炸"))
    assert imminent.tier is UrgencyTier.URGENT
    assert any(h.rule.key == "gas_cylinders" for h in imminent.hits)


def test_a_burst_pipe_named_as_a_cause_in_a_long_post_is_not_flooding() -> None:
    filler = "我们小区的物业管理一直很混乱，业主意见很大。" * 8
    cause = filler + "自来水公司动不动就以爆管为由停水，一停就是一整天。希望领导督促改造管网。"
    live = filler + "今天早上路口的供水管爆裂了，水漫到了路上，车都过不去。"
    assert assess(normalize(cause)).tier is UrgencyTier.NORMAL
    assert assess(normalize(live)).tier is UrgencyTier.URGENT


def test_an_outage_over_someone_elses_arrears_is_still_an_outage() -> None:
    own = assess(normalize("我家欠费被停水了，交完钱多久能来水"))
    assert own.tier is UrgencyTier.NORMAL
    assert any("缴费问题" in r for r in own.reasons()), own.reasons()
    landlord = assess(normalize("房东一直不交水费，我们租户已经停水三天了"))
    assert landlord.tier is UrgencyTier.EXPEDITED


def test_long_standing_pollution_needs_a_present_cue_in_its_sentence() -> None:
    filler = "我们小区的物业管理一直很混乱，业主意见很大。" * 8
    chronic = filler + "小区旁边的化工厂一直排放废气，异味刺鼻，我们反映了好几次都没有结果。"
    current = filler + "小区旁边的化工厂一直排放废气，今天晚上刺鼻得很，窗户都不敢开。"
    assert assess(normalize(chronic)).tier is UrgencyTier.NORMAL
    assert assess(normalize(current)).tier is UrgencyTier.EXPEDITED


def test_hurrying_in_a_narrative_is_not_a_right_now_cue() -> None:
    post = (
        "尊敬的领导：我父亲今年六十岁，上个月在路边小诊所买了所谓的祖传秘方，吃了几副之后身体越来越差，"
        "家里人都很着急，那天早上全家人赶紧为父亲穿衣服准备送医院，他突然倒在床上，不省人事，后来在医院抢救了"
        "一个星期才脱离危险，花了好几万元，诊所却拒不承认责任，我们多次找过卫生部门也没有结果，请领导帮忙调查这家诊所，给我们一个说法。"
    )
    assert len(post) > 150, "a message-board post, not a chat line"
    verdict = assess(normalize(post))
    assert verdict.tier is not UrgencyTier.EMERGENCY, verdict.reasons()
    live = assess(normalize("我爸突然倒在床上不省人事了，现在怎么叫都叫不醒，赶紧来人"))
    assert live.tier is UrgencyTier.EMERGENCY
