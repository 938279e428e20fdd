"""Contact details in free text, and the dialogue-control intents."""

from __future__ import annotations

import pytest

from assistant.extract import complaint_text, substantive, title_of
from assistant.intents import Intent, is_correction, order_action, parse_command, rating, wants_filing, yes_no
from assistant.slots import (
    declines,
    find_name,
    find_phone,
    find_urls,
    looks_like_bad_phone,
    name_from_answer,
    wants_anonymity,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("我的电话是13812345678", "13812345678"),
        ("手机 138 1234 5678，随时打", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("座机0531-88886666转123", "0531-88886666-123"),
        ("（010）12345678", "010-12345678"),
        ("010 12345678", "010-12345678"),
    ],
)
def test_phones(text: str, number: str) -> None:
    found = find_phone(text)
    assert found is not None and found.number == number


@pytest.mark.parametrize("text", ["建设路88号", "工单20261125-000123", "12345热线", "3栋2单元301室"])
def test_not_phones(text: str) -> None:
    assert find_phone(text) is None


def test_bad_phone() -> None:
    assert looks_like_bad_phone("1381234567")
    assert not looks_like_bad_phone("13812345678")
    assert not looks_like_bad_phone("南湖区")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我叫张伟，住在南湖区", "张伟"),
        ("我姓王", "王先生/女士"),
        ("免贵姓李，李女士", "李女士"),
        ("你好我是刘洋，想反映个事", "刘洋"),
        ("王女士", "王女士"),
        ("姓名：陈晓明", "陈晓明"),
    ],
)
def test_names(text: str, name: str) -> None:
    assert find_name(text) == name


@pytest.mark.parametrize("text", ["我是业主", "我是这里的居民", "我是学生家长", "楼下太吵了"])
def test_roles_are_not_names(text: str) -> None:
    assert find_name(text) is None


def test_bare_names_in_answers() -> None:
    assert name_from_answer("张伟") == "张伟"
    assert name_from_answer("王") == "王先生/女士"
    assert name_from_answer("叫我小李就行") == "小李"
    assert name_from_answer("不用了") is None
    assert name_from_answer("不想说") is None


def test_anonymity_and_declines() -> None:
    assert wants_anonymity("我想匿名反映") is True
    assert wants_anonymity("不想留电话") is True
    assert wants_anonymity("不用匿名，可以留电话") is False
    assert wants_anonymity("楼下太吵") is None
    assert declines("不用了") and declines("保密") and not declines("不用了，我自己去问")


def test_urls() -> None:
    assert find_urls("照片 https://a.cn/x.jpg，还有http://b.cn/y.png。") == [
        "https://a.cn/x.jpg",
        "http://b.cn/y.png",
    ]


def test_complaint_text_drops_greetings_and_contact_clauses() -> None:
    text = "您好，我叫张伟，电话13812345678。楼下烧烤摊太吵了，希望管一管。"
    phone = find_phone(text)
    assert complaint_text(text, phone, []) == "楼下烧烤摊太吵了，希望管一管。"


def test_substantive_and_title() -> None:
    assert not substantive("我要投诉")
    assert not substantive("您好，我想反映个问题")
    assert substantive("楼下太吵了")
    assert substantive("停水了")
    assert title_of("您好。楼下烧烤摊太吵了，希望管一管") == "楼下烧烤摊太吵了"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("是的", Intent.AFFIRM),
        ("确认。", Intent.AFFIRM),
        ("OK", Intent.AFFIRM),
        ("不对", Intent.DENY),
        ("修改", Intent.DENY),
    ],
)
def test_yes_no(text: str, intent: Intent) -> None:
    assert yes_no(text) is intent


def test_yes_no_ignores_longer_messages() -> None:
    assert yes_no("是的，楼下又开始吵了，而且比昨天更厉害") is None


def test_commands() -> None:
    assert parse_command("/affirm") is not None and parse_command("/affirm").intent is Intent.AFFIRM  # type: ignore[union-attr]
    rate = parse_command('/rate{"rating": 2}')
    assert rate is not None and rate.intent is Intent.RATE and rate.entities == {"rating": 2}
    assert parse_command("/unknown") is None
    assert parse_command("/rate{broken") is None or parse_command("/rate{broken").entities == {}  # type: ignore[union-attr]
    assert parse_command("楼下/楼上") is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("查一下我的工单", Intent.STATUS),
        ("我反映的问题怎么样了", Intent.STATUS),
        ("查进度", Intent.STATUS),
        ("撤单", Intent.WITHDRAW),
        ("问题已经解决了，不用处理了，撤单吧", Intent.WITHDRAW),
        ("催一下", Intent.CHASE),
        ("我的工单怎么还没处理", Intent.CHASE),
        ("补充一下：他们今天又来了", Intent.SUPPLEMENT),
        ("我要评价，打4分", Intent.RATE),
    ],
)
def test_order_actions(text: str, intent: Intent) -> None:
    parsed = order_action(text, has_orders=True)
    assert parsed is not None and parsed.intent is intent


def test_complaints_mentioning_chasing_are_not_commands() -> None:
    long_complaint = (
        "物业我都催了好几次了，电梯还是坏的，老人上下楼很不方便，希望有关部门督促一下物业尽快修好"
    )
    assert order_action(long_complaint, has_orders=True) is None
    assert order_action("催一下", has_orders=False) is None
    assert (
        order_action("查一下工单20261125-000001", has_orders=False).entities["order_number"]
        == "20261125-000001"
    )  # type: ignore[union-attr]


def test_ratings() -> None:
    assert rating("5分") == 5 and rating("三星") == 3 and rating("非常不满意") == 1 and rating("不满意") == 2
    assert rating("满意") == 4 and rating("2") == 2 and rating("等了10分钟") is None
    assert order_action("4", has_orders=True, awaiting_rating=True).entities["rating"] == 4  # type: ignore[union-attr]


def test_corrections_and_filing_requests() -> None:
    assert is_correction("不对，地址是建设路99号")
    assert is_correction("电话改成13900001111")
    assert not is_correction("楼下太吵了")
    assert wants_filing("还是帮我登记一下吧") and wants_filing("登记") and not wants_filing("不用了")
