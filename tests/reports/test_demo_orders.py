"""The demo week: valid orders, written through the real service, giving a report with every section."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import event

from reports.daily import build_daily_report
from reports.demo_orders import generate_demo_orders, write_demo_orders
from tests.reports.conftest import TZ
from workorders.db import Base, make_engine, make_session_factory
from workorders.schemas import NewWorkOrder
from workorders.service import WorkOrderService

END = dt.date(2026, 11, 26)


def test_demo_orders_are_deterministic_valid_and_varied(city_config) -> None:
    orders = generate_demo_orders(city_config, end=END)
    assert orders == generate_demo_orders(city_config, end=END)
    assert orders != generate_demo_orders(city_config, end=END, seed=1)
    for o in orders:
        NewWorkOrder.model_validate({k: v for k, v in o.items() if k not in ("filed_at", "history")})
        assert o["filed_at"].tzinfo is not None
        assert all(step["at"] <= dt.datetime.combine(END, dt.time(23), tzinfo=TZ) for step in o["history"])
    assert len({o["channel"] for o in orders}) >= 4
    assert len({o["district"] for o in orders}) == len(city_config.city.districts)
    assert {o["category"] for o in orders} == {c.name for c in city_config.categories}
    last_day = [o for o in orders if o["filed_at"].date() == END]
    water = Counter(o["district"] for o in last_day if "停水" in o["title"] + o["request"])
    assert water.most_common(1)[0][1] >= 5
    actions = Counter(step["action"] for o in orders for step in o["history"])
    assert actions["return"] >= 3 and actions["chase"] >= 5 and actions["rate"] >= 20


@pytest.mark.slow
def test_the_demo_week_shows_every_report_section(tmp_path, city_config, report_settings) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")

    @event.listens_for(engine, "connect")
    def _fast(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA synchronous=OFF")

    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    orders = generate_demo_orders(city_config, end=END)
    factory = lambda clock: WorkOrderService(sessions, city_config, clock=clock)  # noqa: E731
    assert write_demo_orders(factory, orders) == len(orders)
    assert write_demo_orders(factory, orders) == 0  # idempotent: loading twice adds nothing

    now = dt.datetime.combine(END + dt.timedelta(days=1), dt.time(8), tzinfo=TZ)
    report = build_daily_report(sessions, END, city_config, settings=report_settings, now=now)
    engine.dispose()
    assert report.volume is not None and report.volume.total >= 20
    assert len(report.volume.by_channel) >= 4 and len(report.volume.by_district) >= 5
    assert report.rates is not None and report.rates.response.denominator > 0 and report.rates.rated > 0
    assert 0 < report.rates.response.numerator < report.rates.response.denominator  # some late responses
    assert any(a.rule == "water_outage" for a in report.alerts)
    assert report.hot_issues is not None
    assert any(i.place == "幸福里小区" for i in report.hot_issues.issues)
    sup = report.supervision
    assert sup is not None
    assert sup.overdue.total >= 2 and sup.chased.total >= 2 and sup.unsatisfied.total >= 2
    assert sup.returns_by_department and sup.returns_by_department[0].department == "housing"


def test_demo_orders_carry_the_triage_they_are_given(city_config, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    orders = generate_demo_orders(city_config, end=END)[:5]
    factory = lambda clock: WorkOrderService(sessions, city_config, clock=clock)  # noqa: E731
    seen: list[str] = []

    def triage(order: dict) -> dict:  # type: ignore[type-arg]
        seen.append(order["request"])
        return {"category": {"label": "城乡建设", "confidence": 0.9}}

    assert write_demo_orders(factory, orders, triage) == 5
    service = factory(lambda: dt.datetime.now(dt.UTC))
    stored = service.list(limit=10)
    engine.dispose()
    assert len(seen) == 5 and all(
        o.triage == {"category": {"label": "城乡建设", "confidence": 0.9}} for o in stored
    )
