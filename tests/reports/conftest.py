"""Builders for constructed orders: every report test states its orders explicitly."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from reports.records import OrderRecord
from reports.settings import ReportSettings, load_report_settings

TZ = ZoneInfo("Asia/Shanghai")
#: The report day of most tests: Wednesday 25 November 2026 (a working week, no holiday).
DAY = dt.date(2026, 11, 25)
#: "Now" for most tests: the morning after the report day.
NOW = dt.datetime(2026, 11, 26, 8, 0, tzinfo=TZ)

_ids = itertools.count(1)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A local time on a day."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def days_before(n: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return at(DAY - dt.timedelta(days=n), hour, minute)


def order(created_at: dt.datetime, **fields: Any) -> OrderRecord:
    """An order record with sensible defaults (a phone complaint about water in 东城区)."""
    n = next(_ids)
    defaults: dict[str, Any] = {
        "id": n,
        "number": fields.pop("number", f"T-{n:05d}"),
        "channel": "phone",
        "status": "dispatched",
        "created_at": created_at,
        "title": "测试工单",
        "request": "测试诉求",
        "district": "东城区",
        "category": "城乡建设",
        "lead_department": "water",
        "citizen_key": f"1390000{n:04d}",
    }
    defaults.update(fields)
    return OrderRecord(**defaults)


@pytest.fixture
def report_settings() -> ReportSettings:
    """The bundled settings with the fast hashing embedder for hot issues."""
    settings = load_report_settings()
    return settings.model_copy(
        update={"hot_issues": settings.hot_issues.model_copy(update={"embedder": "hashing.v1"})}
    )
