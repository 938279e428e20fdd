"""Deadlines on the statutory calendar: weekends, holidays, adjusted working days, unknown years.

Expected dates are worked out by hand from the State Council's published arrangements, not by asking
the library the engine uses.
"""

from __future__ import annotations

import datetime as dt

import pytest

from workorders.config import load_city_config, parse_city_config
from workorders.deadlines import DeadlineEngine
from workorders.enums import UrgencyTier
from workorders.errors import ConfigError, ExtensionLimitError

CST = dt.timezone(dt.timedelta(hours=8))


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=CST)


def due_date(engine: DeadlineEngine, start: dt.datetime, tier: UrgencyTier = UrgencyTier.NORMAL) -> dt.date:
    return engine.compute(tier, start).due_at.astimezone(CST).date()


@pytest.fixture
def engine(city_config) -> DeadlineEngine:  # type: ignore[no-untyped-def]
    return DeadlineEngine(city_config)


def test_five_working_days_skip_a_weekend(engine: DeadlineEngine) -> None:
    # Friday 27 Nov 2026 -> Mon 30, Tue 1, Wed 2, Thu 3, Fri 4 Dec.
    assert due_date(engine, at(2026, 11, 27)) == dt.date(2026, 12, 4)


def test_national_day_week_with_adjusted_sunday(engine: DeadlineEngine) -> None:
    # 2025: 1–8 Oct off; Sunday 28 Sep is a working day.
    # Thu 25 Sep -> Fri 26 (1), Sun 28 (2), Mon 29 (3), Tue 30 (4), Thu 9 Oct (5).
    assert due_date(engine, at(2025, 9, 25)) == dt.date(2025, 10, 9)


def test_national_day_2026_with_adjusted_saturday(engine: DeadlineEngine) -> None:
    # 2026: 1–7 Oct off; Saturday 10 Oct is a working day.
    # Sat 3 Oct -> Thu 8 (1), Fri 9 (2), Sat 10 (3), Mon 12 (4), Tue 13 (5).
    assert due_date(engine, at(2026, 10, 3)) == dt.date(2026, 10, 13)


def test_spring_festival_2025(engine: DeadlineEngine) -> None:
    # 2025: 28 Jan – 4 Feb off; Sunday 26 Jan is a working day.
    # Fri 24 Jan -> Sun 26 (1), Mon 27 (2), Wed 5 Feb (3), Thu 6 (4), Fri 7 (5).
    assert due_date(engine, at(2025, 1, 24)) == dt.date(2025, 2, 7)


def test_working_day_deadlines_run_to_the_end_of_the_day(engine: DeadlineEngine) -> None:
    due = engine.compute(UrgencyTier.NORMAL, at(2026, 11, 27)).due_at
    assert (due.hour, due.minute, due.second) == (23, 59, 59)


def test_hour_tiers_are_clock_hours(engine: DeadlineEngine) -> None:
    start = at(2026, 10, 1, 22)  # a public holiday, late at night: 12345 works 24/7
    assert engine.compute(UrgencyTier.URGENT, start).due_at == start + dt.timedelta(hours=2)
    assert engine.compute(UrgencyTier.EXPEDITED, start).due_at == start + dt.timedelta(hours=24)


def test_petition_sixty_calendar_days(engine: DeadlineEngine) -> None:
    assert due_date(engine, at(2026, 1, 10), UrgencyTier.PETITION) == dt.date(2026, 3, 11)


def test_petition_extension_at_most_thirty_days(engine: DeadlineEngine) -> None:
    base = engine.compute(UrgencyTier.PETITION, at(2026, 1, 10)).due_at
    extended = engine.extend(UrgencyTier.PETITION, base, 30)
    assert extended.due_at.date() == dt.date(2026, 4, 10)
    with pytest.raises(ExtensionLimitError, match="at most 30 days"):
        engine.extend(UrgencyTier.PETITION, base, 31)
    with pytest.raises(ExtensionLimitError, match="10 left"):
        engine.extend(UrgencyTier.PETITION, base, 11, already_extended=20)


def test_urgent_orders_cannot_be_extended(engine: DeadlineEngine) -> None:
    with pytest.raises(ExtensionLimitError, match="urgent orders cannot be extended"):
        engine.extend(UrgencyTier.URGENT, at(2026, 11, 27), 1)


def test_emergency_has_no_12345_deadline(engine: DeadlineEngine) -> None:
    with pytest.raises(ConfigError, match="110/119/120/122"):
        engine.compute(UrgencyTier.EMERGENCY, at(2026, 11, 27))


def test_unknown_year_falls_back_and_says_so() -> None:
    # Mon 28 Dec 2026 -> 29 (1), 30 (2), 31 (3), then 2027, which the library does not know yet:
    # with no extra holidays, weekdays count, so Fri 1 Jan (4) and Mon 4 Jan (5).
    raw = load_city_config().model_dump(mode="json")
    raw["calendar"] = {"extra_holidays": [], "extra_workdays": []}
    deadline = DeadlineEngine(parse_city_config(raw)).compute(UrgencyTier.NORMAL, at(2026, 12, 28))
    assert deadline.fallback is True
    assert deadline.due_at.date() == dt.date(2027, 1, 4)


def test_the_demo_city_knows_new_years_day_2027(engine: DeadlineEngine) -> None:
    assert engine.compute(UrgencyTier.NORMAL, at(2026, 12, 28)).due_at.date() == dt.date(2027, 1, 5)


def test_fallback_uses_the_holidays_listed_in_the_city_config() -> None:
    raw = load_city_config().model_dump(mode="json")
    raw["calendar"] = {"extra_holidays": ["2027-01-01"], "extra_workdays": []}
    engine = DeadlineEngine(parse_city_config(raw))
    deadline = engine.compute(UrgencyTier.NORMAL, at(2026, 12, 28))
    assert deadline.fallback is True
    assert deadline.due_at.date() == dt.date(2027, 1, 5)


def test_known_years_do_not_report_a_fallback(engine: DeadlineEngine) -> None:
    assert engine.compute(UrgencyTier.NORMAL, at(2026, 11, 27)).fallback is False


def test_working_days_between_counts_adjusted_days(engine: DeadlineEngine) -> None:
    # (25 Sep 2025, 9 Oct 2025]: 26, 28, 29, 30 Sep and 9 Oct.
    assert engine.working_days_between(dt.date(2025, 9, 25), dt.date(2025, 10, 9)) == 5
