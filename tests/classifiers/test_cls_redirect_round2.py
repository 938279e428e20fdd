"""Redirect rules (v4) on chat wording a re-test found missed, and on more lines written for these tests.

An official's misconduct in everyday words (收红包, 侵吞) goes to discipline inspection; a won case whose
money never came goes back to the court for enforcement; an objection to an administrative decision
goes to reconsideration. A firm's or a shop's staff, a service complaint about an official, a court as
a place, a question and a request that 12345 act first are not redirected.
"""

from __future__ import annotations

import pytest

from classifiers.redirect import VERSION, check_redirect
from workorders.enums import RedirectKind

DISCIPLINE = RedirectKind.DISCIPLINE_INSPECTION
LITIGATION = RedirectKind.LITIGATION
RECONSIDERATION = RedirectKind.ADMINISTRATIVE_RECONSIDERATION

RETEST = [
    ("我要举报我们镇长收红包", DISCIPLINE),
    ("村干部侵吞扶贫款", DISCIPLINE),
    ("我的官司判了两年了对方一分钱都不给", LITIGATION),
    ("官司赢了钱拿不到", LITIGATION),
    ("对区政府的强拆决定不服", RECONSIDERATION),
]

MORE = [
    # an official's misconduct in the words of a complaint
    ("村支书把低保名额给了亲戚还收好处", DISCIPLINE),
    ("我们乡长吃拿卡要", DISCIPLINE),
    ("局长收礼，办事要给钱", DISCIPLINE),
    ("街道干部挪用拆迁补偿款", DISCIPLINE),
    ("村主任中饱私囊", DISCIPLINE),
    ("交警大队的科长收红包", DISCIPLINE),
    ("举报村委会侵吞集体土地补偿款", DISCIPLINE),
    ("有个公务员以权谋私，给他亲戚批地", DISCIPLINE),
    ("镇里的领导拿回扣", DISCIPLINE),
    # a won judgment whose money never came
    ("胜诉半年了，钱一直拿不到", LITIGATION),
    ("官司打赢了，对方一分钱也没给", LITIGATION),
    ("法院已经判了，钱还是要不回来", LITIGATION),
    ("调解书签了，对方一分没给", LITIGATION),
    # an objection to an administrative decision
    ("不服城管的处罚决定", RECONSIDERATION),
    ("对交警的罚款决定不服", RECONSIDERATION),
    ("对镇政府的征收决定不服，想讨个说法", RECONSIDERATION),
    ("对街道办的拆除决定书不服", RECONSIDERATION),
]


@pytest.mark.parametrize(("text", "kind"), RETEST + MORE)
def test_round2_matters_are_redirected(text: str, kind: RedirectKind) -> None:
    info = check_redirect(text)
    assert info is not None and info.kind is kind, text


def test_an_objection_is_told_of_reconsideration_and_litigation() -> None:
    info = check_redirect("对区政府的强拆决定不服")
    assert info is not None and "行政复议" in info.advice and "行政诉讼" in info.advice


def test_an_unpaid_judgment_is_sent_to_the_court_that_gave_it() -> None:
    info = check_redirect("官司赢了钱拿不到")
    assert info is not None and "申请强制执行" in info.advice


def test_version_is_bumped() -> None:
    assert VERSION == "redirect_rules.v5"


@pytest.mark.parametrize(
    "text",
    [
        # the brief's negatives
        "法院门口的路灯坏了",
        "村干部不作为，垃圾没人清",
        "我想咨询一下强拆的补偿标准",
        "官司的事我不想打了，想让你们协调一下",
        "举报楼下饭店油烟扰民",
        # a firm's, a shop's or a property company's staff are not officials
        "物业经理收红包",
        "超市老板侵吞我的押金",
        "物业主任收好处",
        "物业公司领导挪用维修基金",
        "公司领导收回扣",
        # a service complaint or a plain mention of an official
        "窗口公务员态度差",
        "办事大厅工作人员态度太差了",
        "镇长说下周来修路",
        # a court as a place, a judgment in another matter, a question about it
        "法院旁边的工地，工钱一直拿不到",
        "法院判了离婚，派出所不给迁户口",
        "官司赢了，诉讼费要退吗",
        "官司赢了钱拿不到怎么办",
        # a decision of a private body, a question, a condition, or a request that 12345 act
        "我对公司的处罚决定不服",
        "对物业的决定不服",
        "业委会的决定我不服",
        "如果对处罚决定不服怎么办",
        "对区政府的强拆决定不服怎么办",
        "对区政府的强拆决定不服，你们能不能帮忙协调一下",
        "不服气，邻居太吵了",
        "我要举报工地夜间施工",
    ],
)
def test_round2_look_alikes_are_not_redirected(text: str) -> None:
    assert check_redirect(text) is None, text
