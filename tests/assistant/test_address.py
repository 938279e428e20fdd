"""Locations: the city's districts, cpca for the rest of China, patterns for street detail."""

from __future__ import annotations

import pytest

from assistant.address import AddressParser


@pytest.fixture(scope="module")
def parser(city_config) -> AddressParser:  # type: ignore[no-untyped-def]
    return AddressParser(city_config.city.name, city_config.city.districts)


@pytest.mark.parametrize(
    ("text", "address", "district"),
    [
        ("烧烤店在南湖区建设路88号幸福小区3栋楼下，每天吵", "南湖区建设路88号幸福小区3栋楼下", "南湖区"),
        ("我住在和平路幸福家园5号楼2单元301室", "和平路幸福家园5号楼2单元301室", None),
        ("高新区科技路与创新大道交叉口的红绿灯坏了", "高新区科技路与创新大道交叉口", "高新区"),
        ("示范市南湖区湖滨路18号", "南湖区湖滨路18号", "南湖区"),
        ("在临江县城关镇红星村", "临江县城关镇红星村", "临江县"),
        ("万家超市门口占道经营", "万家超市门口", None),
        ("我要反映建设路上的井盖丢了", "建设路", None),
        ("我在滨江花园小区门口", "滨江花园小区门口", None),
    ],
)
def test_street_level(parser: AddressParser, text: str, address: str, district: str | None) -> None:
    found = parser.parse(text)
    assert found is not None and found.specific
    assert found.address == address
    assert found.district == district


def test_places_outside_the_city_come_from_cpca(parser: AddressParser) -> None:
    found = parser.parse("济南市历下区经十路12号附近的工地晚上施工")
    assert found is not None
    assert found.district == "历下区"
    assert found.region == "山东省济南市历下区"
    assert found.address == "山东省济南市历下区经十路12号附近"


def test_cpca_knows_short_district_names(parser: AddressParser) -> None:
    found = parser.parse("北京朝阳区建国路88号")
    assert found is not None and found.district == "朝阳区"


@pytest.mark.parametrize(
    "text",
    [
        "我们小区电梯坏了三天了",
        "马路上有个坑",
        "楼下饭店油烟太大",
        "公司拖欠工资三个月了",
        "热力公司打电话没人接",
        "物业公司说不归他们管",
        "供电公司一直不来修",
    ],
)
def test_no_specific_place(parser: AddressParser, text: str) -> None:
    found = parser.parse(text)
    assert found is None or not found.specific


def test_district_only(parser: AddressParser) -> None:
    found = parser.parse("东城区")
    assert found is not None and found.district == "东城区" and not found.specific and found.address is None


def test_short_form_of_a_config_district(parser: AddressParser) -> None:
    found = parser.parse_answer("南湖")
    assert found is not None and found.district == "南湖区" and not found.specific


@pytest.mark.parametrize(
    ("answer", "address"),
    [
        ("万达广场后面那条巷子", "万达广场后面那条巷"),
        ("就在东门菜场", "东门菜场"),
        ("地址是光明街道文化路", "光明街道文化路"),
    ],
)
def test_free_answers_to_the_location_question(parser: AddressParser, answer: str, address: str) -> None:
    found = parser.parse_answer(answer)
    assert found is not None and found.specific and found.address == address


@pytest.mark.parametrize("answer", ["没有具体地点", "不涉及具体地址", "是网上买的东西"])
def test_not_applicable(parser: AddressParser, answer: str) -> None:
    found = parser.parse_answer(answer)
    assert found is not None and found.not_applicable


def test_vague_district_answer_is_not_specific(parser: AddressParser) -> None:
    found = parser.parse_answer("南湖区那边")
    assert found is not None and not found.specific


def test_works_without_cpca(city_config) -> None:  # type: ignore[no-untyped-def]
    parser = AddressParser(city_config.city.name, city_config.city.districts, use_cpca=False)
    found = parser.parse("北山区向阳路12号")
    assert found is not None and found.address == "北山区向阳路12号"
    assert parser.parse("北京市朝阳区") is None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("北城区人民路66号3号楼2单元502漏水", "北城区人民路66号3号楼2单元502"),
        ("南湖区人民路66号3栋502室漏水了", "南湖区人民路66号3栋502室"),
        ("幸福小区3号楼2单元502室楼上漏水", "幸福小区3号楼2单元502室"),
    ],
)
def test_the_flat_number_after_a_building_or_unit_is_kept(
    parser: AddressParser, text: str, address: str
) -> None:
    location = parser.parse(text)
    assert location is not None and location.address == address


def test_a_correction_replaces_the_building_part() -> None:
    assert AddressParser.corrected_building("南湖区幸福小区2栋301", "是2栋401") == "南湖区幸福小区2栋401"
    assert AddressParser.corrected_building("南湖区幸福小区2栋301", "是2栋301") is None
    assert AddressParser.corrected_building("南湖区建设路88号", "是2栋401") is None


def test_a_correction_swaps_the_part_it_names() -> None:
    assert (
        AddressParser.corrected_address("南湖区建设路88号院北区", "是南区，不是北区")
        == "南湖区建设路88号院南区"
    )
    assert (
        AddressParser.corrected_address("南湖区建设路88号院", "不是北区，是南区") == "南湖区建设路88号院南区"
    )
    assert AddressParser.corrected_address("南湖区建设路88号院", "是整栋楼，不是我一家") is None
