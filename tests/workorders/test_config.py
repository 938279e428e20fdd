"""The city config is validated at start-up, and errors name the bad key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workorders.config import load_city_config, parse_city_config
from workorders.errors import ConfigError


@pytest.fixture
def raw() -> dict:
    return load_city_config().model_dump(mode="json")


def test_demo_config_is_valid_and_complete() -> None:
    cfg = load_city_config()
    assert {c.name for c in cfg.categories} == {
        "城乡建设",
        "劳动和社会保障",
        "教育文体",
        "商贸旅游",
        "环境保护",
        "卫生计生",
        "交通运输",
    }
    assert {n.number for n in cfg.emergency_numbers.values()} == {"110", "119", "120", "122"}
    assert cfg.deadlines.petition.days == 60 and cfg.deadlines.petition.max_extension == 30


def test_redirect_citations_accept_known_kinds_only(raw: dict) -> None:
    raw["redirect_citations"] = {"litigation": "《某市条例》第十九条"}
    assert parse_city_config(raw).redirect_citations["litigation"] == "《某市条例》第十九条"
    raw["redirect_citations"] = {"litigaton": "《某市条例》第十九条"}
    with pytest.raises(ConfigError, match=r"redirect_citations"):
        parse_city_config(raw)


def test_the_hotline_defaults_to_12345_and_must_be_a_number(raw: dict) -> None:
    raw["city"].pop("hotline", None)
    assert parse_city_config(raw).city.hotline == "12345"
    raw["city"]["hotline"] = "0536-12345"
    assert parse_city_config(raw).city.hotline == "0536-12345"
    raw["city"]["hotline"] = "call us"
    with pytest.raises(ConfigError, match=r"city\.hotline"):
        parse_city_config(raw)


def test_unknown_lead_department_names_the_key(raw: dict) -> None:
    raw["dispatch_catalogue"][3]["lead"] = "housng"
    with pytest.raises(ConfigError, match=r"dispatch_catalogue\[3\]\.lead: unknown department 'housng'"):
        parse_city_config(raw)


def test_unknown_assisting_department_names_the_key(raw: dict) -> None:
    raw["dispatch_catalogue"][0]["assisting"] = ["district_government", "nobody"]
    with pytest.raises(
        ConfigError, match=r"dispatch_catalogue\[0\]\.assisting\[1\]: unknown department 'nobody'"
    ):
        parse_city_config(raw)


def test_typo_in_a_key_is_an_error_not_ignored(raw: dict) -> None:
    raw["deadlines"]["normal"]["workingdays"] = 5
    with pytest.raises(ConfigError, match=r"deadlines\.normal\.workingdays"):
        parse_city_config(raw)


def test_deadline_rule_needs_exactly_one_unit(raw: dict) -> None:
    raw["deadlines"]["urgent"] = {"hours": 2, "days": 1}
    with pytest.raises(ConfigError, match=r"deadlines\.urgent: set exactly one of"):
        parse_city_config(raw)


def test_duplicate_department_codes_are_refused(raw: dict) -> None:
    raw["departments"].append(dict(raw["departments"][0]))
    with pytest.raises(ConfigError, match="duplicate code 'housing'"):
        parse_city_config(raw)


def test_category_without_catalogue_entry_is_refused(raw: dict) -> None:
    raw["dispatch_catalogue"] = [e for e in raw["dispatch_catalogue"] if e["category"] != "交通运输"]
    with pytest.raises(ConfigError, match="'交通运输' has no entry"):
        parse_city_config(raw)


def test_missing_file_and_bad_yaml_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_city_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("city: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_city_config(bad)


def test_a_config_file_round_trips(tmp_path: Path, raw: dict) -> None:
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert load_city_config(path) == load_city_config()


def test_routing_prefers_the_best_keyword_match() -> None:
    cfg = load_city_config()
    assert cfg.route("城乡建设", "冬天暖气不热").lead == "heating"
    assert cfg.route("城乡建设", "一般性问题").topic == "城市管理综合"
    assert cfg.route("labour_social_security", "公积金提取").lead == "housing_fund"
