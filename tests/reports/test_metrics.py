"""Exact numbers of the daily report's volume, rates and supervision lists on constructed orders."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import metrics
from reports.records import RatingEvent, ReturnEvent
from reports.settings import DailySettings
from tests.reports.conftest import DAY, NOW, at, days_before, order

END = metrics.day_bounds(DAY, NOW.tzinfo)[1]  # midnight after the report day: the as-of time


@pytest.fixture
def daily() -> DailySettings:
    return DailySettings(response_hours=24, satisfied_at_or_above=4, returns_window_days=30, list_limit=2)


def test_volume_counts_the_day_and_its_breakdowns(city_config) -> None:
    records = [
        order(at(DAY, 9), channel="phone", category="城乡建设", lead_department="water", district="东城区"),
        order(at(DAY, 10), channel="phone", category="城乡建设", lead_department="water", district="西城区"),
        order(
            at(DAY, 23, 59),
            channel="wechat",
            category="交通运输",
            lead_department="transport",
            district="东城区",
        ),
        order(at(DAY, 11), channel="app", category=None, lead_department=None, district=None),
        # not on the day: the day before (twice) and the next day
        order(days_before(1, 12)),
        order(days_before(1, 0, 0)),
        order(at(DAY + dt.timedelta(days=1), 0, 0)),
        order(days_before(7)),
    ]
    v = metrics.volume(records, DAY, city_config)
    assert v.total == 4
    assert v.previous_day == 2
    assert v.average_7d == pytest.approx(3 / 7, abs=0.01)
    # largest first; ties by label (Unicode order)
    assert [(i.key, i.count) for i in v.by_channel] == [("phone", 2), ("wechat", 1), ("app", 1)]
    assert [i.label for i in v.by_channel] == ["电话", "微信", "手机App"]
    assert {i.label: i.count for i in v.by_category} == {"城乡建设": 2, "交通运输": 1, "未分类": 1}
    assert {i.label: i.count for i in v.by_department} == {"市水务集团": 2, "市交通运输局": 1, "未派单": 1}
    assert {i.label: i.count for i in v.by_district} == {"东城区": 2, "西城区": 1, "未填写区县": 1}
    assert "市水务集团" not in v.departments_without_orders
    assert "市供电公司" in v.departments_without_orders
    assert len(v.departments_without_orders) == len(city_config.departments) - 2
    assert [i.count for i in v.trend] == [1, 0, 0, 0, 0, 0, 2, 4]
    assert v.trend[-1].key == DAY.isoformat()


def test_response_rate_judges_orders_whose_window_ends_on_the_day(city_config, daily) -> None:
    due_today = days_before(1, 12)  # filed yesterday noon: its 24-hour window ends today at noon
    records = [
        order(due_today, signed_for_at=due_today + dt.timedelta(hours=3)),  # on time
        order(due_today, signed_for_at=due_today + dt.timedelta(hours=24)),  # exactly at the limit: on time
        order(due_today, signed_for_at=due_today + dt.timedelta(hours=25)),  # late
        order(due_today),  # never signed for: late
        order(due_today, redirect_kind="litigation"),  # handled elsewhere: not counted
        order(due_today, withdrawn_at=due_today + dt.timedelta(hours=2)),  # withdrawn in time: not counted
        order(at(DAY, 9), signed_for_at=at(DAY, 10)),  # due tomorrow: not counted today
        order(days_before(2, 12)),  # was due yesterday: not counted today
    ]
    r = metrics.rates(records, DAY, city_config, daily, END)
    assert (r.response.numerator, r.response.denominator) == (2, 4)
    assert r.response.value == pytest.approx(0.5)
    assert r.response.percent() == "50.0%"


def test_response_rate_ignores_windows_not_yet_over_at_the_as_of_time(city_config, daily) -> None:
    records = [order(days_before(1, 20))]  # due today 20:00
    assert metrics.rates(records, DAY, city_config, daily, at(DAY, 12)).response.denominator == 0
    assert metrics.rates(records, DAY, city_config, daily, END).response.denominator == 1


def test_resolution_and_satisfaction_count_ratings_made_on_the_day(city_config, daily) -> None:
    records = [
        order(days_before(3), ratings=(RatingEvent(at(DAY, 9), 5),)),  # resolved, satisfied
        order(days_before(3), ratings=(RatingEvent(at(DAY, 9), 3),)),  # resolved (3 > 2), not satisfied
        order(
            days_before(3), ratings=(RatingEvent(at(DAY, 9), 4, resolved=False),)
        ),  # citizen said unresolved
        order(days_before(3), ratings=(RatingEvent(at(DAY, 9), 1),)),  # unresolved, unsatisfied
        # two ratings on the day: the last one counts
        order(days_before(3), ratings=(RatingEvent(at(DAY, 9), 1), RatingEvent(at(DAY, 15), 5))),
        order(days_before(3), ratings=(RatingEvent(days_before(1), 5),)),  # rated yesterday: not counted
        order(days_before(3), replied_at=at(DAY, 8), closed_at=at(DAY, 16)),
    ]
    r = metrics.rates(records, DAY, city_config, daily, END)
    assert r.rated == 5
    assert (r.resolution.numerator, r.resolution.denominator) == (3, 5)
    assert (r.satisfaction.numerator, r.satisfaction.denominator) == (3, 5)
    assert (r.replied, r.closed) == (1, 1)


def test_rates_without_data_have_no_value(city_config, daily) -> None:
    r = metrics.rates([], DAY, city_config, daily, END)
    assert r.response.value is None and r.response.percent() == "—"
    assert r.satisfaction.denominator == 0


def test_overdue_list_counts_open_unanswered_orders_past_their_deadline(city_config, daily) -> None:
    # Deadline Friday 20 Nov 23:59:59; as of the end of Wednesday 25 Nov: 5 calendar days late,
    # 3 working days (Mon 23, Tue 24, Wed 25).
    friday = dt.datetime(2026, 11, 20, 23, 59, 59, tzinfo=NOW.tzinfo)
    late = order(days_before(12), number="LATE", deadline_at=friday, status="in_handling")
    hours_late = order(days_before(1), number="HOURS", deadline_at=at(DAY, 20), status="signed_for")
    records = [
        late,
        hours_late,
        order(
            days_before(12), number="REPLIED", deadline_at=friday, replied_at=days_before(6), status="replied"
        ),
        order(
            days_before(12), number="CLOSED", deadline_at=friday, closed_at=days_before(6), status="closed"
        ),
        order(days_before(12), number="WITHDRAWN", deadline_at=friday, status="withdrawn"),
        order(days_before(1), number="NOTYET", deadline_at=at(DAY + dt.timedelta(days=2), 23)),
        # replied only after the as-of time: still overdue at that time
        order(days_before(12), number="REPLIEDLATER", deadline_at=friday, replied_at=NOW, status="replied"),
    ]
    sup = metrics.supervision(records, DAY, city_config, daily, END)
    assert sup.overdue.total == 3
    assert [o.number for o in sup.overdue.orders] == [
        "LATE",
        "REPLIEDLATER",
    ]  # list_limit=2, most overdue first
    assert sup.overdue.orders[0].detail == "超期 5 天（3 个工作日）"
    full = metrics.supervision(records, DAY, city_config, daily.model_copy(update={"list_limit": 10}), END)
    assert full.overdue.orders[-1].number == "HOURS"
    assert full.overdue.orders[-1].detail == "超期 4 小时"


def test_chased_and_unsatisfied_lists_use_the_city_thresholds(city_config, daily) -> None:
    assert (city_config.supervision.chases, city_config.supervision.unsatisfied_ratings) == (3, 2)
    records = [
        order(days_before(5), number="C4", chase_count=4),
        order(days_before(5), number="C3", chase_count=3),
        order(days_before(5), number="C2", chase_count=2),
        order(days_before(5), number="C5CLOSED", chase_count=5, status="closed", closed_at=days_before(1)),
        order(days_before(5), number="U2", unsatisfied_count=2, status="in_handling"),
        order(days_before(5), number="U1", unsatisfied_count=1, status="in_handling"),
    ]
    sup = metrics.supervision(records, DAY, city_config, daily, END)
    assert (sup.chased.total, [o.number for o in sup.chased.orders]) == (2, ["C4", "C3"])
    assert sup.chased.orders[0].detail == "催办 4 次"
    assert (sup.unsatisfied.total, [o.number for o in sup.unsatisfied.orders]) == (1, ["U2"])


def test_returns_are_counted_against_the_returning_department_within_the_window(city_config, daily) -> None:
    records = [
        order(days_before(2), number="R1", lead_department="urban_management",
              returns=(ReturnEvent(days_before(2, 11), "housing"),)),
        order(days_before(1), number="R2", lead_department=None, status="returned",
              returns=(ReturnEvent(at(DAY, 9), "housing"), ReturnEvent(at(DAY, 15), "water"))),
        order(days_before(40), number="OLD", returns=(ReturnEvent(days_before(30), "housing"),)),
        order(days_before(40), number="EDGE", returns=(ReturnEvent(days_before(29, 0, 0), "water"),)),
    ]  # fmt: skip
    sup = metrics.supervision(records, DAY, city_config, daily, END)
    got = [(d.department, d.count, d.count_on_day, d.order_numbers) for d in sup.returns_by_department]
    assert got == [("housing", 2, 1, ["R1", "R2"]), ("water", 2, 1, ["EDGE", "R2"])]
    assert sup.returns_by_department[0].label == "市住房和城乡建设局"


def test_department_view_keeps_its_own_orders_and_returns(city_config, daily) -> None:
    records = [
        order(days_before(12), number="W", lead_department="water", chase_count=3),
        order(days_before(12), number="P", lead_department="power", chase_count=3),
        order(
            days_before(1), number="BACK", lead_department=None, returns=(ReturnEvent(at(DAY, 9), "water"),)
        ),
    ]
    sup = metrics.supervision(records, DAY, city_config, daily, END, department="water")
    assert [o.number for o in sup.chased.orders] == ["W"]
    assert [(d.department, d.order_numbers) for d in sup.returns_by_department] == [("water", ["BACK"])]


def test_order_refs_use_the_staff_status_labels(city_config) -> None:
    returned = metrics.order_ref(order(days_before(1), status="returned"), city_config)
    assert returned.status == "已退单"
    unknown = metrics.order_ref(order(days_before(1), status="archived"), city_config)
    assert unknown.status == "archived", "a status the report does not know is shown as stored"
