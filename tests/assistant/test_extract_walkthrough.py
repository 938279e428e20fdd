"""What the chat takes from citizens' messages: fixes from a product walkthrough.

Names glued to what follows (我姓李电话… → 李电), phones said in words, filler around contact details
becoming facts, addresses cut or made of non-places, and times missed or invented. The clock is fixed
on Wednesday 25 Nov 2026, 09:00 Beijing time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.address import AddressParser
from assistant.dialogue import DialogueManager
from assistant.extract import complaint_text, extract, substantive, title_of
from assistant.slots import find_name, find_phone, name_from_answer
from assistant.timeparse import describe_time, parse_incident_time

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=CST)


@pytest.fixture(scope="module")
def parser(city_config) -> AddressParser:  # type: ignore[no-untyped-def]
    return AddressParser(city_config.city.name, city_config.city.districts)


# -- names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("停水三天了，我姓李电话13900001111", "李先生/女士"),
        ("我姓丁电话13900001111", "丁先生/女士"),
        ("13700002222 姓赵", "赵先生/女士"),
        ("13311112222 姓钱", "钱先生/女士"),
        ("俺姓牛", "牛先生/女士"),
        ("我姓欧阳", "欧阳先生/女士"),
        ("免贵姓李，李女士", "李女士"),
    ],
)
def test_surnames_stop_at_the_surname(text: str, name: str) -> None:
    assert find_name(text) == name


@pytest.mark.parametrize("text", ["老百姓的事", "姓名不方便说", "您贵姓"])
def test_other_uses_of_xing_are_not_names(text: str) -> None:
    assert find_name(text) is None


@pytest.mark.parametrize(
    ("answer", "name"), [("姓王", "王先生/女士"), ("俺姓牛", "牛先生/女士"), ("王", "王先生/女士")]
)
def test_surname_answers(answer: str, name: str) -> None:
    assert name_from_answer(answer) == name


@pytest.mark.parametrize("answer", ["中", "好", "行", "嗯", "对", "是", "成", "好嘞", "要得"])
def test_one_word_replies_are_not_names(answer: str) -> None:
    assert name_from_answer(answer) is None


# -- phones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("电话是一三九八七六五四三二一", "13987654321"),
        ("幺三九 八七六五 四三二幺", "13987654321"),
        ("座机零五三一八八八八六六六六", "0531-88886666"),
    ],
)
def test_phones_said_in_words(text: str, number: str) -> None:
    found = find_phone(text)
    assert found is not None and found.number == number


def test_a_phone_in_words_is_not_left_in_the_rest(parser: AddressParser) -> None:
    found = extract("电话是一三九八七六五四三二一", parser=parser, now=NOW, awaiting="phone")
    assert found.phone is not None and found.phone.number == "13987654321"
    assert found.rest == ""


def test_a_second_own_number_is_masked() -> None:
    text = "楼下太吵了，电话13800001111，楼下烧烤店13900002222也可以打"
    body = complaint_text(text, find_phone(text), [])
    assert "13900002222" not in body and "139****2222" in body


@pytest.mark.parametrize("text", ["恁记一下俺电话15866667777", "那个我电话是15011112222"])
def test_filler_around_a_phone_is_neither_fact_nor_request(parser: AddressParser, text: str) -> None:
    found = extract(text, parser=parser, now=NOW, awaiting="location")
    assert found.phone is not None and found.location is None
    assert not substantive(complaint_text(found.rest, None, []))
    assert complaint_text(text, found.phone, []) == ""


def test_a_contact_only_first_message_is_not_the_request(lite_assistant: DialogueManager) -> None:
    reply = lite_assistant.handle("w-contact-only", "那个我电话是15011112222")
    assert reply.custom["slots"]["request"] is None
    assert reply.custom["slots"]["phone"] == "150****2222"


def test_the_surname_before_a_phone_in_a_conversation(lite_assistant: DialogueManager) -> None:
    reply = lite_assistant.handle("w-surname", "北山区向阳路6号路灯坏了，昨天晚上，我姓李电话13900001111")
    assert reply.custom["slots"]["name"] == "李先生/女士"


# -- addresses --------------------------------------------------------------------------------------


def test_a_village_entrance_is_kept_whole(parser: AddressParser) -> None:
    found = parser.parse_answer("临江县石桥镇杨柳村村口")
    assert found is not None and found.address == "临江县石桥镇杨柳村村口"
    assert parser.parse("临江县石桥镇杨柳村村民反映").address == "临江县石桥镇杨柳村"  # type: ignore[union-attr]


def test_the_compound_with_its_building_beats_a_landmark_road(parser: AddressParser) -> None:
    found = parser.parse("我家停水了，东城区桂花苑，就在和平路那边，我住5栋1单元702，昨天开始的")
    assert found is not None and found.address == "东城区桂花苑5栋1单元702"


def test_a_vague_place_is_kept_but_not_specific_and_merges(parser: AddressParser) -> None:
    first = parser.parse_answer("我们小区3栋")
    assert first is not None and first.address == "我们小区3栋" and not first.specific
    second = parser.parse_answer("北山区翠湖小区")
    assert second is not None
    merged = AddressParser.merge_answers(first.address, second)
    assert merged.address == "北山区翠湖小区3栋" and merged.district == "北山区"


@pytest.mark.parametrize(
    "answer",
    [
        "老张",
        "去年三月",
        "还行吧，给个4分",
        "再催一次！！还是没水",
        "怎么弄",
        "医保报销怎么弄",
        "孩子明年上小学，户口怎么弄",
    ],
)
def test_non_places_are_not_addresses(parser: AddressParser, answer: str) -> None:
    found = parser.parse_answer(answer)
    assert found is None or found.address is None


@pytest.mark.parametrize("answer", ["万达广场后面那条巷子", "就在东门菜场", "长乐路123弄5号"])
def test_free_places_still_count(parser: AddressParser, answer: str) -> None:
    found = parser.parse_answer(answer)
    assert found is not None and found.specific


# -- times ------------------------------------------------------------------------------------------


def test_this_morning_despite_a_future_clause() -> None:
    found = parse_incident_time("井盖今天早上发现的被偷了，明天还要上班", NOW)
    assert found is not None and found.at == dt.datetime(2026, 11, 25, 7, 0, tzinfo=CST)


@pytest.mark.parametrize("text", ["公厕坏了好几天", "路灯都一个多月没亮", "已经三天，没人管"])
def test_a_duration_up_to_now_is_ongoing(text: str) -> None:
    found = parse_incident_time(text, NOW)
    assert found is not None and found.precision == "ongoing" and found.at is None


def test_a_month_of_last_year() -> None:
    found = parse_incident_time("去年三月的事，一直没解决", NOW)
    assert found is not None and found.precision == "month"
    assert found.at is not None and (found.at.year, found.at.month) == (2025, 3)
    assert describe_time(found) == "去年三月（2025年3月 左右）"


def test_describing_the_night_is_not_an_incident_time() -> None:
    assert parse_incident_time("路灯不亮，晚上黑咕隆咚的", NOW) is None
    assert parse_incident_time("昨天晚上黑咕隆咚的，摔了一跤", NOW) is not None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("我要信访。高新区人社局对我的工伤认定结论不对，我不服", "高新区人社局对我的工伤认定结论不对"),
        ("举报一下，建设路有家黑网吧", "建设路有家黑网吧"),
        ("我跟你说啊，楼下天天有人打麻将到半夜", "楼下天天有人打麻将到半夜"),
    ],
)
def test_titles_skip_openers(text: str, title: str) -> None:
    assert title_of(text) == title
