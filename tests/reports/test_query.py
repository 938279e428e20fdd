"""Reports read from the database: orders filed and moved through the real service, then reported on."""

from __future__ import annotations

import datetime as dt

from reports.daily import build_daily_report
from reports.query import load_records
from reports.records import OrderRecord, from_row
from tests.reports.conftest import DAY, NOW, TZ
from workorders.db import make_engine, make_session_factory
from workorders.enums import EventKind
from workorders.schemas import NewWorkOrder, TransitionRequest
from workorders.service import WorkOrderService


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 1, tzinfo=TZ)

    def __call__(self) -> dt.datetime:
        return self.now


def _file(service: WorkOrderService, clock: Clock, when: dt.datetime, request: str, **kw: object) -> int:
    clock.now = when
    new = NewWorkOrder.model_validate(
        {
            "citizen": {"phone": "13900001111"},
            "request": request,
            "category": "城乡建设",
            "district": "东城区",
            **kw,
        }
    )
    return service.file(new).id


def _do(
    service: WorkOrderService, clock: Clock, when: dt.datetime, order_id: int, action: str, **kw: object
) -> None:
    clock.now = when
    service.transition(order_id, TransitionRequest(action=EventKind(action), actor="tester", **kw))  # type: ignore[arg-type]


def test_orders_moved_through_the_service_are_reported_from_their_rows_and_events(
    sqlite_url: str, city_config, report_settings
) -> None:
    engine = make_engine(sqlite_url)
    sessions = make_session_factory(engine)
    clock = Clock()
    service = WorkOrderService(sessions, city_config, clock=clock)
    h = dt.timedelta(hours=1)

    def day(offset: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(DAY + dt.timedelta(days=offset), dt.time(hour), tzinfo=TZ)

    # Filed yesterday, signed for within the hour, answered and rated 5 today.
    a = _file(service, clock, day(-1, 10), "小区停水了")
    _do(service, clock, day(-1, 10) + h / 2, a, "dispatch")
    _do(service, clock, day(-1, 11), a, "sign_for")
    _do(service, clock, day(-1, 12), a, "start_handling")
    _do(service, clock, day(0, 9), a, "reply", reply_text="已恢复供水。")
    _do(service, clock, day(0, 10), a, "rate", rating=5)
    _do(service, clock, day(0, 11), a, "close")
    # Filed today, returned by the housing bureau, reassigned.
    b = _file(service, clock, day(0, 9), "楼道堆放杂物", lead_department="housing")
    _do(service, clock, day(0, 9) + h / 2, b, "dispatch")
    _do(service, clock, day(0, 10), b, "return", reason="不属于本单位职责")
    _do(service, clock, day(0, 11), b, "reassign", lead_department="urban_management", reason="改派")
    # Filed 11 days ago and never answered: overdue; chased three times: on the chased list too.
    c = _file(service, clock, day(-11, 9), "路面塌陷无人修")
    _do(service, clock, day(-11, 10), c, "dispatch")
    _do(service, clock, day(-11, 11), c, "sign_for")
    for k in range(3):
        _do(service, clock, day(-3 + k, 9), c, "chase")
    # Rated unsatisfactory twice: back in handling, on the 屡办未决 list.
    d = _file(service, clock, day(-6, 9), "物业不作为")
    _do(service, clock, day(-6, 10), d, "dispatch")
    _do(service, clock, day(-6, 11), d, "sign_for")
    _do(service, clock, day(-6, 12), d, "start_handling")
    for k, rating in enumerate((2, 1)):
        _do(service, clock, day(-5 + 2 * k, 9), d, "reply", reply_text="已督促。")
        _do(service, clock, day(-5 + 2 * k, 12), d, "rate", rating=rating)

    start = dt.datetime.combine(DAY - dt.timedelta(days=30), dt.time(0), tzinfo=TZ)
    end = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
    with sessions() as session:
        records = {r.id: r for r in load_records(session, start, end)}
    assert set(records) == {a, b, c, d}
    ra = records[a]
    assert ra.signed_for_at == day(-1, 11) and ra.closed_at == day(0, 11)
    assert [(e.rating, e.at) for e in ra.ratings] == [(5, day(0, 10))]
    assert [(e.department, e.at) for e in records[b].returns] == [("housing", day(0, 10))]
    assert records[b].lead_department == "urban_management"
    assert records[c].chase_count == 3 and records[c].supervised
    assert records[d].unsatisfied_count == 2 and records[d].status == "in_handling"

    report = build_daily_report(sessions, DAY, city_config, settings=report_settings, now=NOW)
    assert report.volume is not None and report.volume.total == 1
    assert report.rates is not None
    assert (report.rates.response.numerator, report.rates.response.denominator) == (1, 1)
    assert (report.rates.satisfaction.numerator, report.rates.resolution.numerator, report.rates.rated) == (
        1,
        1,
        1,
    )
    assert (report.rates.replied, report.rates.closed) == (1, 1)
    sup = report.supervision
    assert sup is not None
    assert [o.number for o in sup.overdue.orders] == [records[c].number]
    assert [o.number for o in sup.chased.orders] == [records[c].number]
    assert [o.number for o in sup.unsatisfied.orders] == [records[d].number]
    assert [(x.department, x.count_on_day) for x in sup.returns_by_department] == [("housing", 1)]
    engine.dispose()


def test_from_row_accepts_mappings_and_reduces_events() -> None:
    created = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)
    row = {
        "id": 7, "number": "N7", "channel": "phone", "status": "rated", "created_at": created,
        "citizen_phone": "13900001111", "redirect_kind": None, "assisting_departments": ["a"],
    }  # fmt: skip
    events = [
        {
            "kind": "rate",
            "created_at": created + dt.timedelta(days=2),
            "data": {"rating": 4, "resolved": True},
        },
        {"kind": "sign_for", "created_at": created + dt.timedelta(hours=2), "data": {}},
        {"kind": "sign_for", "created_at": created + dt.timedelta(hours=5), "data": {}},
        {"kind": "return", "created_at": created + dt.timedelta(hours=1), "data": {"returned_by": "housing"}},
        {"kind": "withdraw", "created_at": created + dt.timedelta(days=3), "data": {}},
    ]
    record = from_row(row, events)
    assert isinstance(record, OrderRecord)
    assert record.signed_for_at == created + dt.timedelta(hours=2)  # the first sign-for
    assert [(e.rating, e.resolved) for e in record.ratings] == [(4, True)]
    assert [e.department for e in record.returns] == ["housing"]
    assert record.withdrawn_at == created + dt.timedelta(days=3)
    assert record.citizen_key == "13900001111" and record.assisting_departments == ("a",)
    assert record.is_open_at(created + dt.timedelta(days=1))
    assert not record.is_open_at(created + dt.timedelta(days=4))
    assert not record.is_open_at(created)  # not yet filed
