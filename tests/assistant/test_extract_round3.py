"""What the chat takes from citizens' messages, third round: fixes from a regression pass.

Real-city addresses (Beijing style: 街道, …里, sections like 七区/东区, a section said as its own
clause) cut short; complaint sentences and time words taken as places; names beside a phone number
missed and third persons (群里老师) taken as the caller; time words cut out of the facts until they no
longer read; a duration of use (用了两天就坏了) taken as the incident time. The clock is fixed on
Wednesday 25 Nov 2026, 09:00 Beijing time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.address import AddressParser
from assistant.dialogue import DialogueManager
from assistant.extract import extract
from assistant.slots import find_name, find_phone, name_beside_phone
from assistant.timeparse import parse_incident_time

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=CST)
TIME_Q = "请问这件事是什么时候发生的"


@pytest.fixture(scope="module")
def parser(city_config) -> AddressParser:  # type: ignore[no-untyped-def]
    return AddressParser(city_config.city.name, city_config.city.districts)


# -- addresses are kept whole -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("东城区和平里街道和平里七区门口", "东城区和平里街道和平里七区门口"),
        ("我是石景山区古城街道八角北里15号楼的住户", "石景山区古城街道八角北里15号楼"),
        ("朝阳区潘家园街道华威西里18号楼", "朝阳区潘家园街道华威西里18号楼"),
        ("海淀区中关村街道中关村大街27号附近", "海淀区中关村街道中关村大街27号附近"),
        ("在昌平区回龙观龙泽苑东区12号楼", "昌平区回龙观龙泽苑东区12号楼"),
        ("在海淀区学院路18号院，北区", "海淀区学院路18号院北区"),
        ("建设路88号，3栋2单元", "建设路88号3栋2单元"),
    ],
)
def test_real_city_addresses_are_kept_whole(parser: AddressParser, text: str, address: str) -> None:
    for found in (parser.parse(text), parser.parse_answer(text)):
        assert found is not None and found.specific
        assert found.address == address
    rest = extract(text, parser=parser, now=NOW).rest
    assert not any(part in rest for part in ("号楼", "七区", "东区", "北区", "华威西里", "中关村"))


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("南湖区建设路88号幸福小区3栋楼下", "南湖区建设路88号幸福小区3栋楼下"),
        ("建设路88号，太吵了", "建设路88号"),
        ("幸福小区，东门", "幸福小区东门"),
        ("说的就是和平里七区", "和平里七区"),
    ],
)
def test_look_alike_addresses(parser: AddressParser, text: str, address: str) -> None:
    found = parser.parse_answer(text)
    assert found is not None and found.address == address


@pytest.mark.parametrize("text", ["我家里3号楼漏水", "小区里5栋电梯坏了", "群里有人说要涨价"])
def test_li_meaning_in_is_no_place_name(parser: AddressParser, text: str) -> None:
    found = parser.parse(text)
    assert found is None or not found.specific


@pytest.mark.parametrize("answer", ["顺义区", "后沙峪镇", "顺义区后沙峪镇", "光明街道"])
def test_a_division_alone_is_not_a_spot(parser: AddressParser, answer: str) -> None:
    found = parser.parse_answer(answer)
    assert found is not None and not found.specific


@pytest.mark.parametrize(
    "answer", ["南湖区幸福小区", "和平里七区", "光明街道文化路", "朝阳区潘家园街道华威西里18号楼"]
)
def test_a_named_compound_is_still_a_spot(parser: AddressParser, answer: str) -> None:
    found = parser.parse_answer(answer)
    assert found is not None and found.specific


def test_a_full_address_during_the_time_question_is_the_place(parser: AddressParser) -> None:
    found = extract("顺义区后沙峪镇裕翔花园", parser=parser, now=NOW, awaiting="incident_time")
    assert found.location is not None and found.location.specific
    assert found.location.address == "顺义区后沙峪镇裕翔花园" and found.time is None


def test_a_fuller_address_replaces_a_division_in_the_chat(lite_assistant: DialogueManager) -> None:
    for text in ("我家楼下烧烤店太吵了", "顺义区"):
        lite_assistant.handle("r3-place", text)
    reply = lite_assistant.handle("r3-place", "顺义区后沙峪镇裕翔花园")
    assert reply.custom["slots"]["address"] == "顺义区后沙峪镇裕翔花园"
    assert "这好像不是时间" not in reply.text


# -- things that are not a place ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["就是我们小区物业，停车费说涨就涨，也不开业主大会", "我们小区物业乱收费", "群里有人说"]
)
def test_a_complaint_is_not_a_place_answer(parser: AddressParser, answer: str) -> None:
    assert parser.parse_answer(answer) is None
    found = extract(answer, parser=parser, now=NOW, awaiting="location")
    assert found.location is None and found.rest == answer


def test_the_place_clause_of_an_answer_that_goes_on_complaining(parser: AddressParser) -> None:
    found = parser.parse_answer("就在小区门口，天天有人摆摊")
    assert found is not None and found.address == "小区门口" and not found.specific


def test_a_complaint_answer_goes_to_the_facts(lite_assistant: DialogueManager) -> None:
    lite_assistant.handle("r3-fee", "物业乱收费")
    reply = lite_assistant.handle("r3-fee", "就是我们小区物业，停车费说涨就涨，也不开业主大会")
    assert reply.custom["slots"]["address"] is None
    assert "就是我们小区物业，停车费说涨就涨，也不开业主大会" in reply.custom["slots"]["facts"]


def test_a_time_word_is_not_part_of_a_place(parser: AddressParser) -> None:
    found = extract("昨天小区着火了，现在火已经灭了…", parser=parser, now=NOW)
    assert found.location is None
    assert found.time is not None and found.time.text == "昨天"
    assert "小区着火了" in found.rest
    named = parser.parse("昨天万达广场门口有人打架")
    assert named is not None and named.address == "万达广场门口"


# -- names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("张三 13700002222", "张三"),
        ("周建国 13900139000", "周建国"),
        ("韩梅 13611110000", "韩梅"),
        ("刘伟，电话是 021-66778899", "刘伟"),
        ("13700002222，王五", "王五"),
        ("欧阳娜娜 13700002222", "欧阳娜娜"),
    ],
)
def test_a_name_beside_the_phone(parser: AddressParser, text: str, name: str) -> None:
    for awaiting in (None, "phone"):
        found = extract(text, parser=parser, now=NOW, awaiting=awaiting)
        assert found.name == name and found.phone is not None
        assert name not in found.rest


@pytest.mark.parametrize(
    "text",
    [
        "白天 13700002222",
        "13700002222 谢谢",
        "物业 13700002222",
        "老师 13700002222",
        "保安 13700002222",
        "13700002222 马上来",
        "全天 13700002222",
        "可以 13700002222",
        "张三的电话 13700002222",
        "停水了 13700002222",
    ],
)
def test_everyday_words_beside_the_phone_are_no_name(text: str) -> None:
    phone = find_phone(text)
    assert phone is not None and name_beside_phone(text, phone) is None


@pytest.mark.parametrize(
    "text",
    [
        "家长群里老师说不交就不让参加，这合理吗",
        "王老师说不交就不让参加",
        "隔壁王先生家的狗天天叫",
        "保安师傅",
    ],
)
def test_a_third_person_is_not_the_caller(parser: AddressParser, text: str) -> None:
    assert find_name(text) is None
    assert extract(text, parser=parser, now=NOW).rest == text  # their words stay in the facts intact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("王女士", "王女士"),
        ("王先生，13800001111", "王先生"),
        ("我是李老师", "李老师"),
        ("联系人：王女士", "王女士"),
    ],
)
def test_a_title_the_caller_gives_themselves(text: str, name: str) -> None:
    assert find_name(text) == name


# -- times ---------------------------------------------------------------------------------------------


def test_a_time_description_stays_readable_in_the_facts(parser: AddressParser) -> None:
    text = "从上个月开始的，基本每天晚上11点以后"
    found = extract(text, parser=parser, now=NOW, awaiting="incident_time")
    assert found.time is not None and found.time.precision == "ongoing"
    assert "上个月" in found.time.text
    assert found.rest == text


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("从昨天开始停水", "从昨天开始停水"),
        ("昨天晚上十点多，楼下烧烤摊一直吵", "楼下烧烤摊一直吵"),
        ("上周五收到的货", "收到的货"),
    ],
)
def test_only_a_whole_time_leaves_the_facts(parser: AddressParser, text: str, rest: str) -> None:
    assert extract(text, parser=parser, now=NOW).rest == rest


@pytest.mark.parametrize("text", ["用了两天就坏了", "买了一个月就坏了", "收到货三天就坏了"])
def test_a_duration_of_use_is_no_incident_time(text: str) -> None:
    assert parse_incident_time(text, NOW) is None


@pytest.mark.parametrize("text", ["路灯坏了两天了", "停了三天了", "公厕坏了好几天"])
def test_a_duration_of_the_matter_is_still_ongoing(text: str) -> None:
    found = parse_incident_time(text, NOW)
    assert found is not None and found.precision == "ongoing"


def test_last_friday_while_the_phone_is_asked(parser: AddressParser) -> None:
    found = extract("上周五收到的货", parser=parser, now=NOW, awaiting="phone")
    assert found.time is not None and found.time.at is not None
    assert found.time.at.date() == dt.date(2026, 11, 20)


def test_a_duration_of_use_leaves_the_time_open(lite_assistant: DialogueManager) -> None:
    for text in ("网上买的电饭煲质量有问题", "南湖区建设路5号"):
        lite_assistant.handle("r3-goods", text)
    used = lite_assistant.handle("r3-goods", "用了两天就坏了")
    assert used.custom["slots"]["incident_time_text"] is None
    assert "用了两天就坏了" in used.custom["slots"]["facts"]
    assert TIME_Q in used.text
    received = lite_assistant.handle("r3-goods", "上周五收到的货")
    assert received.custom["slots"]["incident_time_text"].startswith("上周五")
