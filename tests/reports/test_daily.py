"""The assembled daily report: sections, edge cases (no orders, idle department, future day), rendering."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from reports.daily import build_daily_report, render_html, render_pdf
from reports.model import DailyReport
from reports.records import RatingEvent, ReturnEvent
from tests.reports.conftest import DAY, NOW, at, days_before, order
from workorders.errors import ConfigError


def _records():  # type: ignore[no-untyped-def]
    noise = [
        ("幸福里小区旁工地夜间施工噪音扰民", "19"),
        ("幸福里小区边上工地半夜施工噪音大", "20"),
        ("投诉幸福里小区附近工地夜间施工扰民", "21"),
        ("幸福里小区西侧工地深夜施工噪音", "22"),
    ]
    records = [
        order(days_before(3 - i, int(h)), title=t, request=t, category="环境保护", lead_department="ecology",
              address="东城区长青路幸福里小区", citizen_key=f"n{i}")
        for i, (t, h) in enumerate(noise)
    ]  # fmt: skip
    records += [
        order(
            at(DAY, 8 + i),
            number=f"W{i}",
            title="滨江路停水",
            request=f"滨江路{i}号停水了",
            district="南湖区",
        )
        for i in range(6)
    ]
    records += [
        order(days_before(1, 12), signed_for_at=days_before(1, 13), channel="wechat"),
        order(days_before(10), number="OVERDUE", deadline_at=days_before(4, 23, 59), status="in_handling"),
        order(days_before(6), number="CHASED", chase_count=3),
        order(days_before(6), number="UNSAT", unsatisfied_count=2, status="in_handling"),
        order(days_before(2), number="RET", returns=(ReturnEvent(at(DAY, 9), "housing"),)),
        order(days_before(3), ratings=(RatingEvent(at(DAY, 10), 5),), replied_at=days_before(1)),
    ]
    return records


def test_every_section_is_filled_from_the_orders(city_config, report_settings) -> None:
    report = build_daily_report(_records(), DAY, city_config, settings=report_settings, now=NOW)
    assert report.state == "complete"
    assert report.notices == []
    assert report.volume is not None and report.volume.total == 7  # 6 water cuts + 1 noise complaint
    assert report.rates is not None
    # due today: the wechat order (signed for after an hour) and yesterday's 21:00 noise complaint (never)
    assert (report.rates.response.numerator, report.rates.response.denominator) == (1, 2)
    assert (report.rates.satisfaction.numerator, report.rates.satisfaction.denominator) == (1, 1)
    assert [(a.rule, a.scope, a.count) for a in report.alerts] == [("water_outage", "南湖区", 6)]
    assert report.hot_issues is not None
    places = [i.place for i in report.hot_issues.issues]
    assert "幸福里小区" in places
    noise = report.hot_issues.issues[places.index("幸福里小区")]
    assert noise.count == 4 and noise.recent_count == 1
    assert [s.number for s in report.hot_issues.samples[noise.rank]]  # linked sample orders
    sup = report.supervision
    assert sup is not None
    assert [o.number for o in sup.overdue.orders] == ["OVERDUE"]
    assert [o.number for o in sup.chased.orders] == ["CHASED"]
    assert [o.number for o in sup.unsatisfied.orders] == ["UNSAT"]
    assert [(d.department, d.count) for d in sup.returns_by_department] == [("housing", 1)]
    # plain data: survives a JSON round trip
    again = DailyReport.model_validate_json(report.model_dump_json())
    assert again == report
    assert json.loads(report.model_dump_json())["rates"]["response"]["value"] == 0.5


def test_html_and_pdf_render_the_sections_in_chinese(city_config, report_settings, tmp_path) -> None:
    report = build_daily_report(_records(), DAY, city_config, settings=report_settings, now=NOW)
    html = render_html(report)
    assert "示范市12345热线日报（2026年11月25日）" in html
    for heading in ("一、总体情况", "二、受理情况", "三、热点问题", "四、预警（未诉先办）", "五、督办清单"):
        assert heading in html
    assert html.count("<img ") >= 6  # trend, rates, 4 breakdowns, hot issues
    assert "南湖区" in html and "OVERDUE" in html
    pdf = render_pdf(report, tmp_path / "r.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") >= 3


def test_a_day_without_orders_says_so_and_draws_no_empty_chart(
    city_config, report_settings, tmp_path
) -> None:
    report = build_daily_report([], DAY, city_config, settings=report_settings, now=NOW)
    assert report.state == "complete"
    assert report.notices == ["2026年11月25日没有受理工单。"]
    assert report.volume is not None and report.volume.total == 0
    assert report.rates is not None and report.rates.response.value is None
    assert report.alerts == [] and report.hot_issues is not None and report.hot_issues.issues == []
    html = render_html(report)
    assert "<img " not in html
    assert "当日没有受理工单，无分类统计。" in html
    assert render_pdf(report, tmp_path / "empty.pdf").read_bytes().startswith(b"%PDF")


def test_a_department_without_orders_gets_its_own_report_saying_so(city_config, report_settings) -> None:
    report = build_daily_report(
        _records(), DAY, city_config, settings=report_settings, now=NOW, department="gas"
    )
    assert report.department_label == "市燃气集团"
    assert report.title == "示范市燃气集团12345热线日报（2026年11月25日）"
    assert report.notices == ["2026年11月25日市燃气集团没有受理工单。"]
    assert report.volume is not None and report.volume.total == 0
    assert report.alerts == []  # the water alert names other departments
    assert "<img " not in render_html(report)
    water = build_daily_report(
        _records(), DAY, city_config, settings=report_settings, now=NOW, department="water"
    )
    assert water.volume is not None and water.volume.total == 6
    assert [a.rule for a in water.alerts] == ["water_outage"]


def test_unknown_department_is_a_clear_error(city_config, report_settings) -> None:
    with pytest.raises(ConfigError, match="unknown department 'nope'"):
        build_daily_report([], DAY, city_config, settings=report_settings, now=NOW, department="nope")


def test_a_future_date_gives_a_report_that_says_so(city_config, report_settings, tmp_path) -> None:
    report = build_daily_report(
        _records(), DAY + dt.timedelta(days=3), city_config, settings=report_settings, now=NOW
    )
    assert report.state == "future"
    assert report.notices == ["2026年11月28日 尚未到来，没有可统计的工单。"]
    assert report.volume is None and report.supervision is None
    html = render_html(report)
    assert "尚未到来" in html and "一、总体情况" not in html
    assert render_pdf(report, tmp_path / "future.pdf").read_bytes().startswith(b"%PDF")


def test_today_gives_a_partial_report_as_of_now(city_config, report_settings) -> None:
    now = at(DAY, 10, 30)
    report = build_daily_report(_records(), DAY, city_config, settings=report_settings, now=now)
    assert report.state == "partial"
    assert report.as_of == now
    assert report.notices[0] == "当日尚未结束，数据截至 10:30。"
    assert report.volume is not None and report.volume.total == 3  # water cuts at 08:00, 09:00, 10:00
