"""Deadline engine (办理时限): statutory time limits on the Chinese working-day calendar.

Working days follow the State Council's holiday arrangement, including the adjusted working weekends
(调休), through the maintained `chinese-calendar` library. That library knows only the years already
announced; for a later year (a 5-working-day deadline set in late December can land there) the engine
falls back to weekends plus the holidays listed in the city config and reports the fallback, so the
order records that its deadline is provisional instead of the service crashing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar

from workorders.config import CityConfig, DeadlineRule
from workorders.enums import UrgencyTier
from workorders.errors import ExtensionLimitError, ValidationError


class WorkingDayCalendar:
    """Answers "is this date a working day?", saying when it had to guess."""

    def __init__(self, extra_holidays: list[dt.date], extra_workdays: list[dt.date]) -> None:
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)

    def is_known_year(self, day: dt.date) -> bool:
        """Whether the statutory calendar covers this date's year."""
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """Return ``(is_workday, fallback_used)`` for a date."""
        if day in self._extra_workdays:
            return True, False
        if day in self._extra_holidays:
            return False, False
        try:
            return bool(chinese_calendar.is_workday(day)), False
        except NotImplementedError:
            return day.weekday() < 5, True


@dataclass(frozen=True)
class Deadline:
    """A computed time limit; ``fallback`` is true when part of it rests on the weekend-only guess."""

    due_at: dt.datetime
    tier: UrgencyTier
    rule: str
    fallback: bool = False


class DeadlineEngine:
    """Computes and extends deadlines from the city's tier rules."""

    def __init__(self, config: CityConfig) -> None:
        self._config = config
        self._tz = ZoneInfo(config.timezone)
        self.calendar = WorkingDayCalendar(config.calendar.extra_holidays, config.calendar.extra_workdays)

    @property
    def timezone(self) -> ZoneInfo:
        return self._tz

    def rule(self, tier: UrgencyTier) -> DeadlineRule:
        return self._config.deadlines.for_tier(tier)

    def compute(self, tier: UrgencyTier, start: dt.datetime) -> Deadline:
        """The deadline of an order of `tier` accepted at `start` (an aware datetime)."""
        rule = self.rule(tier)
        due, fallback = self._add(rule.unit, rule.amount, start)
        return Deadline(due_at=due, tier=tier, rule=describe(rule.unit, rule.amount), fallback=fallback)

    def extend(
        self, tier: UrgencyTier, due_at: dt.datetime, amount: int, already_extended: int = 0
    ) -> Deadline:
        """Push a deadline back by `amount` units of the tier's rule, within the legal maximum.

        Raises:
            ExtensionLimitError: the total extension would exceed the tier's ``max_extension``
                (for petitions, 30 days under 信访工作条例 Art. 34).
        """
        rule = self.rule(tier)
        if amount <= 0:
            raise ValidationError("an extension must be a positive amount")
        if rule.max_extension == 0:
            raise ExtensionLimitError(
                f"{tier.value} orders cannot be extended: they are handled within the time limit"
            )
        if already_extended + amount > rule.max_extension:
            left = rule.max_extension - already_extended
            unit = _UNIT_NAMES[rule.unit]
            raise ExtensionLimitError(
                f"extension of {amount} {unit} exceeds the limit for {tier.value} orders: "
                f"at most {rule.max_extension} {unit} in all, {max(left, 0)} left"
            )
        due, fallback = self._add(rule.unit, amount, due_at)
        return Deadline(
            due_at=due, tier=tier, rule=f"extended by {describe(rule.unit, amount)}", fallback=fallback
        )

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``, for overdue and response-time statistics."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.calendar.is_workday(day)[0]
        return count

    # -- internals ----------------------------------------------------------------------------

    def _add(self, unit: str, amount: int, start: dt.datetime) -> tuple[dt.datetime, bool]:
        if start.tzinfo is None:
            raise ValidationError("deadline start must be timezone-aware")
        if unit == "hours":
            return start + dt.timedelta(hours=amount), False
        local = start.astimezone(self._tz)
        if unit == "days":
            return _end_of_day(local.date() + dt.timedelta(days=amount), self._tz), False
        day, counted, fallback = local.date(), 0, False
        while counted < amount:
            day += dt.timedelta(days=1)
            workday, guessed = self.calendar.is_workday(day)
            fallback = fallback or guessed
            counted += workday
        return _end_of_day(day, self._tz), fallback


_UNIT_NAMES = {"hours": "hours", "working_days": "working days", "days": "days"}


def describe(unit: str, amount: int) -> str:
    """Human-readable rule, e.g. ``"5 working days"``."""
    return f"{amount} {_UNIT_NAMES[unit]}"


def _end_of_day(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """Working-day and calendar-day limits run to the end of their last day (23:59:59 local)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)
