"""Relative Chinese time expressions, resolved against Wednesday 25 Nov 2026, 09:00 Beijing time."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.timeparse import cn_number, describe_time, parse_incident_time

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=CST)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昨天晚上", dt.datetime(2026, 11, 24, 21, 0, tzinfo=CST)),
        ("昨晚十点多他们还在吵", dt.datetime(2026, 11, 24, 22, 0, tzinfo=CST)),
        ("昨天晚上十点多开始一直吵到凌晨", dt.datetime(2026, 11, 24, 22, 0, tzinfo=CST)),
        ("上周三下午三点", dt.datetime(2026, 11, 18, 15, 0, tzinfo=CST)),
        ("上星期天晚上", dt.datetime(2026, 11, 22, 21, 0, tzinfo=CST)),
        ("这周一", dt.datetime(2026, 11, 23, 12, 0, tzinfo=CST)),
        ("前天下午3点半", dt.datetime(2026, 11, 23, 15, 30, tzinfo=CST)),
        ("大前天", dt.datetime(2026, 11, 22, 12, 0, tzinfo=CST)),
        ("三天前", dt.datetime(2026, 11, 22, 9, 0, tzinfo=CST).replace(hour=12)),
        ("两个小时前", dt.datetime(2026, 11, 25, 7, 0, tzinfo=CST)),
        ("半小时前", dt.datetime(2026, 11, 25, 8, 30, tzinfo=CST)),
        ("刚才", NOW),
        ("11月20号", dt.datetime(2026, 11, 20, 12, 0, tzinfo=CST)),
        ("12月3日", dt.datetime(2025, 12, 3, 12, 0, tzinfo=CST)),  # not yet this year: last year's
        ("2026年11月20日上午十点", dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST)),
        ("上个月5号", dt.datetime(2026, 10, 5, 12, 0, tzinfo=CST)),
        ("晚上十一点", dt.datetime(2026, 11, 24, 23, 0, tzinfo=CST)),  # said in the morning: last night
        ("凌晨2点", dt.datetime(2026, 11, 25, 2, 0, tzinfo=CST)),
    ],
)
def test_resolves(text: str, expected: dt.datetime) -> None:
    found = parse_incident_time(text, NOW)
    assert found is not None
    assert found.at == expected


@pytest.mark.parametrize("text", ["楼上天天晚上跳绳", "路灯坏了一个多星期了", "一直这样", "经常有人乱停车"])
def test_ongoing(text: str) -> None:
    found = parse_incident_time(text, NOW)
    assert found is not None and found.at is None and found.precision == "ongoing"
    assert "持续发生" in describe_time(found)


@pytest.mark.parametrize(
    "text", ["明天来修", "今晚8点要停水", "下周一开会", "南湖区建设路5号楼下", "没有时间"]
)
def test_no_past_time(text: str) -> None:
    assert parse_incident_time(text, NOW) is None


def test_needs_an_aware_now() -> None:
    with pytest.raises(ValueError):
        parse_incident_time("昨天", NOW.replace(tzinfo=None))


def test_describe() -> None:
    found = parse_incident_time("前天下午3点半", NOW)
    assert found is not None
    assert describe_time(found) == "前天下午3点半（11月23日 15:30）"


@pytest.mark.parametrize(
    ("token", "value"), [("十二", 12), ("二十", 20), ("三十一", 31), ("两", 2), ("7", 7), ("十", 10)]
)
def test_cn_number(token: str, value: int) -> None:
    assert cn_number(token) == value
