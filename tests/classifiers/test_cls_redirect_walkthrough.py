"""Redirect rules on the walkthrough's first messages and on more chat wording written for these tests.

A stated wish for a procedure 12345 does not handle (复议, 信息公开, 起诉/告他/打官司, 仲裁, 强制执行) is
redirected, even when the citizen also asks where to go; venting, a request that 12345 act first, a
mere mention of a court or a notice board, and questions about the procedure are not.
"""

from __future__ import annotations

import pytest

from classifiers.redirect import check_redirect
from classifiers.text import compose
from workorders.enums import RedirectKind

LITIGATION = RedirectKind.LITIGATION
ARBITRATION = RedirectKind.ARBITRATION
RECONSIDERATION = RedirectKind.ADMINISTRATIVE_RECONSIDERATION
DISCLOSURE = RedirectKind.INFORMATION_DISCLOSURE

WALKTHROUGH = [
    ("城管局对我的门店罚款两万，我觉得处罚不合理，不服这个决定，想申请复议", RECONSIDERATION),
    ("我对区市场监管局的行政处罚决定不服，想申请行政复议", RECONSIDERATION),
    ("我想申请公开我们村征地补偿款的发放明细，政府应该公开吧，找谁申请", DISCLOSURE),
    ("我借给朋友5万块钱，他一直不还，打电话也不接，我想告他怎么弄", LITIGATION),
    ("法院判了对方赔我钱，都一年了还没执行到位，法院也不管", LITIGATION),
    ("公司把我辞退了一分钱补偿都不给，我在那干了六年，想申请仲裁去哪里申请", ARBITRATION),
]


@pytest.mark.parametrize(("text", "kind"), WALKTHROUGH)
def test_walkthrough_matters_are_redirected(text: str, kind: RedirectKind, city_config) -> None:  # type: ignore[no-untyped-def]
    info = check_redirect(text, city_config.redirect_citations, city=city_config.city.name)
    assert info is not None and info.kind is kind, text
    assert info.channel and info.citation


def test_a_neighbour_dispute_the_citizen_asks_us_to_handle_first_is_not_redirected() -> None:
    text = "邻居家空调外机滴水滴到我家阳台，说了也不听，我都想去法院告他了，你们能不能先管一下"
    assert check_redirect(text) is None


def test_a_web_form_with_a_title_is_redirected_like_a_chat_line() -> None:
    """The form joins title and body (`compose`); the body's subjectless want must still count."""
    doc = compose("对处罚决定不服", "我对区市场监管局的行政处罚决定不服，想申请行政复议")
    info = check_redirect(doc)
    assert info is not None and info.kind is RECONSIDERATION


def test_enforcement_of_a_judgment_names_the_court_that_gave_it() -> None:
    info = check_redirect("法院判了对方赔我钱，都一年了还没执行到位，法院也不管")
    assert info is not None and "申请强制执行" in info.advice


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # reconsideration: 复议 without 行政, no subject in the clause
        ("交警给我开了罚单，我不服，想复议", RECONSIDERATION),
        ("对税务局的处罚不服，准备申请复议", RECONSIDERATION),
        ("我对区住建局的决定不服，打算申请行政复议", RECONSIDERATION),
        # disclosure: 申请公开 / 依申请公开 with what is asked for
        ("我想依申请公开我们小区旧改的预算", DISCLOSURE),
        ("我要申请公开拆迁补偿标准的文件", DISCLOSURE),
        ("想申请公开村里低保户的名单，该找谁", DISCLOSURE),
        ("我想申请政府信息公开，找哪个部门", DISCLOSURE),
        # litigation: 告他 / 告到法院 / 打官司 / 起诉, with a where-to question
        ("我要告他", LITIGATION),
        ("他欠我三万块钱不还，我要去法院告他", LITIGATION),
        ("我想打官司，找谁", LITIGATION),
        ("朋友借钱不还，我准备起诉他", LITIGATION),
        ("我要告到法院去", LITIGATION),
        ("我都准备好材料了，想起诉", LITIGATION),
        ("物业不处理，社区也不管，我要起诉物业", LITIGATION),
        # enforcement of a judgment
        ("判决书都下来半年了，对方一分钱没给，还没执行", LITIGATION),
        ("我申请了强制执行，对方还是不给钱", LITIGATION),
        ("对方是被执行人，法院执行局一直拖着", LITIGATION),
        ("我想申请强制执行，去哪个法院", LITIGATION),
        ("法院判决都半年了对方拒不执行", LITIGATION),
        # arbitration asked about together with the want
        ("公司拖欠工资三个月，我想申请劳动仲裁怎么申请", ARBITRATION),
        ("被公司开除了，想去仲裁，去哪里仲裁", ARBITRATION),
        ("我们都想申请劳动仲裁", ARBITRATION),
        ("我要去仲裁委申请仲裁", ARBITRATION),
        ("我真的要起诉他", LITIGATION),
        ("法院判了对方赔钱，他一直不给钱", LITIGATION),
        ("本人想申请行政复议，对交警大队的处罚不服", RECONSIDERATION),
        ("我们村想申请公开土地流转合同", DISCLOSURE),
    ],
)
def test_a_stated_wish_is_redirected(text: str, kind: RedirectKind) -> None:
    info = check_redirect(text)
    assert info is not None and info.kind is kind, text


@pytest.mark.parametrize(
    "text",
    [
        # the citizen asks 12345 to act, or is venting
        "我不想打官司，想让你们协调一下",
        "楼上漏水，我真想告他，你们先帮忙协调一下",
        "气得我都想起诉物业了，你们赶紧派人来修",
        "我都想打官司了，这噪音天天吵",
        "我想去法院告他，你们能不能先管一下",
        "我都想去法院告他了",
        "我真想告他",
        "我要起诉开发商，希望政府出面",
        # someone else's wish, or a consultation about the procedure
        "他想起诉我，我该怎么办",
        "劳动仲裁怎么申请",
        "复议要多久",
        "行政复议多久出结果",
        "我想咨询一下行政复议的流程",
        "申请政府信息公开要不要交钱",
        "我家附近噪音情况能不能要求公开数据",
        "必须先复议的案子复议不受理怎么起诉",
        # contact details of a channel: answered as a consultation, not redirected
        "仲裁委的电话是多少",
        "仲裁委在哪里",
        # a mention of a court, a notice board or 执行 in another sense
        "法院门口的路灯坏了",
        "信息公开栏没有更新",
        "社区的信息公开栏好几个月没更新了",
        "村务公开栏没有公布补助名单",
        "垃圾分类政策执行不到位",
        "城管强制执行拆除了我家的棚子",
        "要求物业公开收支明细",
        "申请公开道歉",
        "我想告诉你们小区的路灯坏了",
        "我要告他们物业不作为",
        "我要去仲裁委门口那条路反映积水",
        "法院判了离婚，派出所不给迁户口",
        "他打官司输了，天天来我家闹",
        "我想知道打官司要花多少钱",
    ],
)
def test_venting_asking_us_mentions_and_consultations_are_not_redirected(text: str) -> None:
    assert check_redirect(text) is None, text
