"""Emergency hand-over and redirect rules for chat wording: typos, fresh reports, intent, citations.

All messages are short chat-style lines written for these tests.
"""

from __future__ import annotations

import pytest

from classifiers import cues
from classifiers.emergency import DEFAULT_MENTAL_HEALTH, check_emergency
from classifiers.redirect import GENERIC_BASIS, WEIFANG, check_redirect
from classifiers.text import normalize
from classifiers.urgency_rules import assess
from workorders.config import EmergencyNumber
from workorders.enums import RedirectKind, UrgencyTier


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("刚才被人抢了手机", "110"),
        ("手机刚被抢走了", "110"),
        ("出车祸了，有人受伤", "122"),
        ("路上两辆车撞了有人受伤", "122"),
        ("有人掉河里了", "119"),
        ("老人掉到河里了", "119"),
        ("孩子掉水里了", "119"),
        ("有人落水了", "119"),
        ("煤汽泄露了", "119"),
        ("液化汽罐漏气了", "119"),
        ("家里有很大的天然汽味道", "119"),
    ],
)
def test_chat_emergencies_are_handed_over(text: str, number: str, city_config) -> None:  # type: ignore[no-untyped-def]
    info = check_emergency(text, city_config)
    assert info is not None and info.number == number, text


@pytest.mark.parametrize(
    "text",
    [
        "红包被抢了",
        "车位被人抢了",
        "手机掉水里了",
        "昨天出车祸了，有人受伤",
        "两年前出车祸了，有人受伤",
        "我被车撞了受伤住院，医药费谁出",
        "燃汽费怎么交",
    ],
)
def test_look_alikes_are_not_handed_over(text: str, city_config) -> None:  # type: ignore[no-untyped-def]
    assert check_emergency(text, city_config) is None, text


def test_a_fresh_report_counts_only_in_a_chat_line() -> None:
    chat = normalize("出车祸了，有人受伤")
    post = normalize(
        "小区门口这个路口没有红绿灯，车速又快，出车祸了有人受伤这种事不少见，"
        "希望交通部门尽快安装信号灯，设置减速带，再派交警在高峰期疏导一下。"
    )
    assert len(post) > cues.FRESH_REPORT_MAX
    assert assess(chat).tier is UrgencyTier.EMERGENCY
    verdict = assess(post)
    assert verdict.tier is not UrgencyTier.EMERGENCY
    assert any("没有说明正在发生" in r for r in verdict.reasons())


def test_self_harm_carries_a_support_line(city_config) -> None:  # type: ignore[no-untyped-def]
    info = check_emergency("我不想活了", city_config)
    assert info is not None and info.kind == "self_harm"
    assert info.number == "110" and info.ambulance == "120"
    assert info.support_number == DEFAULT_MENTAL_HEALTH.number == "12356"
    fire = check_emergency("楼道里着火了", city_config)
    assert fire is not None and fire.kind == "fire" and not fire.support_number


def test_a_city_names_its_own_support_line(city_config) -> None:  # type: ignore[no-untyped-def]
    own = EmergencyNumber(number="0000-96525", name="示范市心理援助热线", covers="心理危机干预")
    config = city_config.model_copy(
        update={"emergency_numbers": {**city_config.emergency_numbers, "mental_health": own}}
    )
    info = check_emergency("我朋友说不想活了", config)
    assert info is not None and (info.support_number, info.support_name) == (own.number, own.name)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我要起诉我的房东", RedirectKind.LITIGATION),
        ("我们决定去法院起诉开发商", RedirectKind.LITIGATION),
        ("我要申请行政复议，对城管的罚款决定不服", RedirectKind.ADMINISTRATIVE_RECONSIDERATION),
        ("对区里的处罚决定不服，我想申请复议", RedirectKind.ADMINISTRATIVE_RECONSIDERATION),
        ("我要申请劳动仲裁，公司拖欠三个月工资", RedirectKind.ARBITRATION),
    ],
)
def test_a_citizen_who_wants_the_procedure_is_redirected(text: str, kind: RedirectKind) -> None:
    info = check_redirect(text)
    assert info is not None and info.kind is kind, text


@pytest.mark.parametrize(
    "text",
    [
        "法院门口的路灯坏了好几天了",
        "我家就在法院对面，工地晚上施工很吵",
        "我要投诉法院旁边那家饭店的油烟",
        "我要求法院附近的违停车辆尽快清理",
        "如果物业再不修，我就去法院起诉",
        "实在不行我只能起诉了，物业一直不退押金",
        "我不想打官司，只想让物业把漏水修好",
        "我们也想去法院起诉，但是实在耗不起",
        "我想起诉房东，最晚什么时候要去法院？",
    ],
)
def test_mentioning_a_court_or_threatening_to_sue_is_not_a_redirect(text: str) -> None:
    assert check_redirect(text) is None, text


def test_default_citation_names_weifang_only_in_weifang(city_config) -> None:  # type: ignore[no-untyped-def]
    text = "我已经向法院起诉物业公司了"
    assert check_redirect(text).citation == GENERIC_BASIS  # type: ignore[union-attr]
    assert check_redirect(text, city="示范市").citation == GENERIC_BASIS  # type: ignore[union-attr]
    assert check_redirect(text, city="潍坊市").citation == WEIFANG  # type: ignore[union-attr]
    demo = check_redirect(text, city_config.redirect_citations, city=city_config.city.name)
    assert demo is not None and demo.citation.startswith(f"《{city_config.city.name}")


def test_national_regulations_are_cited_everywhere() -> None:
    accusation = check_redirect("举报我们村支书贪污扶贫款", city="示范市")
    assert accusation is not None and accusation.citation == "《信访工作条例》第三十条"
    weifang = check_redirect("举报我们村支书贪污扶贫款", city="潍坊市")
    assert weifang is not None and weifang.citation == f"{WEIFANG}；《信访工作条例》第三十条"
