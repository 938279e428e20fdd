"""Surge alerts: thresholds, scopes, seasons, novelty, and the settings file."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.alerts import AlertRule, AlertSettings, Season, TopicSurge, detect_alerts
from reports.settings import load_report_settings, parse_report_settings
from tests.reports.conftest import DAY, at, days_before, order
from workorders.errors import ConfigError

WATER = AlertRule(
    name="water_outage", label="停水", keywords=["停水", "没水"], departments=["water", "district_government"]
)


def settings(*rules: AlertRule, topic: bool = False, **kw: object) -> AlertSettings:
    return AlertSettings(rules=list(rules), topic_surge=TopicSurge(enabled=topic), **kw)  # type: ignore[arg-type]


def water(created: dt.datetime, district: str = "南湖区", **kw: object):  # type: ignore[no-untyped-def]
    return order(created, title="小区停水", request="今天一早就停水了", district=district, **kw)


def test_a_district_surge_raises_an_alert_with_its_orders() -> None:
    records = [water(at(DAY, 8 + i), number=f"W{i}") for i in range(6)]
    records += [water(days_before(3)), water(days_before(5))]  # baseline: 2 in 7 days
    records += [water(at(DAY, 9), district="东城区")]  # one elsewhere: no alert there
    records += [order(at(DAY, 9), title="路灯不亮", request="路灯坏了", district="南湖区")]  # other matter
    alerts = detect_alerts(records, DAY, settings(WATER, min_count=5, ratio=3.0))
    assert len(alerts) == 1
    a = alerts[0]
    assert (a.rule, a.scope, a.count, a.baseline) == (
        "water_outage",
        "南湖区",
        6,
        pytest.approx(2 / 7, abs=0.01),
    )
    assert a.order_numbers == [f"W{i}" for i in range(6)]
    assert a.departments == ["water", "district_government"]
    assert a.new is True
    assert a.title == "南湖区停水"


@pytest.mark.parametrize(
    ("today", "baseline_per_day", "fires"),
    [(4, 0, False), (5, 0, True), (5, 2, False), (6, 2, True)],  # min_count 5; ratio 3 × mean
)
def test_both_the_minimum_count_and_the_ratio_must_be_met(
    today: int, baseline_per_day: int, fires: bool
) -> None:
    records = [water(at(DAY, 8)) for _ in range(today)]
    records += [water(days_before(d)) for d in range(1, 8) for _ in range(baseline_per_day)]
    assert bool(detect_alerts(records, DAY, settings(WATER, min_count=5, ratio=3.0))) is fires


def test_rule_thresholds_override_the_defaults_and_city_scope_pools_districts() -> None:
    rule = AlertRule(name="wages", label="欠薪", keywords=["拖欠工资"], scope="city", min_count=3, ratio=2.0)
    records = [
        order(at(DAY, 9), request="公司拖欠工资两个月", district=d, lead_department="human_resources")
        for d in ("东城区", "西城区", "南湖区")
    ]
    alerts = detect_alerts(records, DAY, settings(rule, min_count=10))
    assert [(a.scope, a.count, a.departments) for a in alerts] == [("全市", 3, ["human_resources"])]


def test_category_filter_accepts_names_and_codes() -> None:
    rule = AlertRule(
        name="tour", label="旅游投诉", keywords=["景区"], categories=["commerce_tourism"], scope="city"
    )
    records = [order(at(DAY, 9), request="景区门票乱收费", category="商贸旅游") for _ in range(5)]
    records += [order(at(DAY, 9), request="景区旁边道路坑洼", category="交通运输") for _ in range(5)]
    alerts = detect_alerts(records, DAY, settings(rule), category_aliases={"commerce_tourism": "商贸旅游"})
    assert [a.count for a in alerts] == [5]


def test_an_alert_that_fired_the_day_before_is_not_new() -> None:
    records = [water(at(DAY, 8)) for _ in range(8)] + [water(days_before(1, 8)) for _ in range(6)]
    alerts = detect_alerts(records, DAY, settings(WATER, min_count=5, ratio=1.0))
    assert [(a.count, a.new) for a in alerts] == [(8, False)]


def test_seasonal_rules_apply_only_in_season() -> None:
    winter = Season(start="11-01", end="03-15")
    assert winter.active_on(dt.date(2026, 11, 25)) and winter.active_on(dt.date(2027, 1, 10))
    assert not winter.active_on(dt.date(2026, 6, 1))
    # Spring Festival 2026 starts on 15 February (statutory holiday calendar).
    before_sf = Season(holidays=["Spring Festival"], days_before=60, fallback_months=[1])
    assert before_sf.active_on(dt.date(2026, 1, 20))
    assert not before_sf.active_on(dt.date(2025, 11, 1))
    holiday = Season(holidays=["National Day"], days_before=1, days_after=1)
    assert holiday.active_on(dt.date(2026, 9, 30)) and holiday.active_on(dt.date(2026, 10, 3))
    assert not holiday.active_on(dt.date(2026, 10, 20))
    # A year the holiday library does not know: the fallback months decide.
    assert before_sf.active_on(dt.date(2099, 1, 5)) and not before_sf.active_on(dt.date(2099, 6, 5))

    heating = AlertRule(
        name="heating", label="供暖", keywords=["暖气不热"], season=Season(start="10-25", end="12-31")
    )
    records = [order(at(DAY, 9), request="家里暖气不热") for _ in range(6)]
    assert detect_alerts(records, DAY, settings(heating))
    june = [
        order(dt.datetime(2026, 6, 10, 9, tzinfo=at(DAY).tzinfo), request="家里暖气不热") for _ in range(6)
    ]
    assert detect_alerts(june, dt.date(2026, 6, 10), settings(heating)) == []


def test_topic_surge_catches_unnamed_matters_but_defers_to_named_rules() -> None:
    lights = [
        order(at(DAY, 9), request="路灯不亮", topic="城市管理综合", district="北山区") for _ in range(8)
    ]
    cuts = [water(at(DAY, 9), topic="供水") for _ in range(8)]
    alerts = detect_alerts(lights + cuts, DAY, settings(WATER, topic=True))
    assert sorted((a.rule, a.scope, a.count) for a in alerts) == [
        ("topic:城市管理综合", "北山区", 8),
        ("water_outage", "南湖区", 8),
    ]


def test_no_orders_no_alerts() -> None:
    assert detect_alerts([], DAY, settings(WATER, topic=True)) == []


def test_bundled_settings_load_and_bad_keys_are_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bundled = load_report_settings()
    assert {r.name for r in bundled.alerts.rules} >= {
        "water_outage",
        "heating",
        "wage_arrears",
        "holiday_tourism",
    }
    with pytest.raises(ConfigError, match=r"alerts.rules\[0\].keywords"):
        parse_report_settings({"alerts": {"rules": [{"name": "x", "label": "x", "keywords": []}]}})
    with pytest.raises(ConfigError, match="duplicate rule names: x"):
        parse_report_settings({"alerts": {"rules": [{"name": "x", "label": "a", "keywords": ["a"]}] * 2}})
    with pytest.raises(ConfigError, match="none of the sections"):
        parse_report_settings({"city": {"name": "x"}})
    # A city config file carrying an alerts section: the other keys are ignored.
    file = tmp_path / "city.yaml"
    file.write_text("city: {name: 某市, code: x}\nalerts:\n  min_count: 9\n", encoding="utf-8")
    assert load_report_settings(file).alerts.min_count == 9
    with pytest.raises(ConfigError, match="not found"):
        load_report_settings(tmp_path / "missing.yaml")
