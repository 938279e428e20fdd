"""A petition (信访) told in the chat: the summary says so, and the order carries the petition tier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.fakes import FakeTriage
from workorders.enums import MatterType, UrgencyTier


class PetitionTriage(FakeTriage):
    """The fake triage, with the petition verdict the real rules give to 我要上访."""

    def triage(
        self, text: str, *, title: str | None = None, now: dt.datetime | None = None
    ) -> dict[str, Any]:
        result = super().triage(text, title=title, now=now)
        if "上访" in text:
            result["urgency"] = {**result["urgency"], "tier": UrgencyTier.PETITION.value}
            result["matter_type"] = {"label": MatterType.PETITION_CLAIM.value, "confidence": 1.0}
        return result


def test_a_petition_is_named_in_the_summary_and_filed_with_sixty_days(make_assistant, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    assistant = make_assistant(sqlite_url, triage=PetitionTriage())
    s = "p-petition"
    assistant.handle(s, "我要上访，乡政府把我家宅基地收回了，处理决定不公，我姓丁电话13677778881")
    assistant.handle(s, "没有具体地点")
    summary = assistant.handle(s, "一直都有")
    assert "信访事项（申诉求决类）" in summary.text
    filed = assistant.handle(s, "确认")
    order = assistant.orders.get(filed.custom["work_order_id"])
    assert order.urgency is UrgencyTier.PETITION and order.matter_type is MatterType.PETITION_CLAIM
    assert order.deadline_at is not None and order.deadline_at - order.created_at >= dt.timedelta(days=59)


def test_a_deadline_in_another_year_names_the_year() -> None:
    from assistant.texts import local

    tz = dt.timezone(dt.timedelta(hours=8))
    now = dt.datetime(2026, 11, 28, 9, 0, tzinfo=tz)
    assert local(dt.datetime(2027, 1, 27, 23, 59, tzinfo=tz), tz, now) == "2027年1月27日 23:59"
    assert local(dt.datetime(2026, 12, 4, 23, 59, tzinfo=tz), tz, now) == "12月4日 23:59"
