"""Every status has wording for staff and for citizens, and the staff pages share the one staff table."""

from __future__ import annotations

import pytest

from assistant.texts import CITIZEN_STATUS_LABELS
from serving import views
from workorders.enums import Status
from workorders.labels import STATUS_LABELS, status_label


@pytest.mark.parametrize("table", [STATUS_LABELS, CITIZEN_STATUS_LABELS], ids=["staff", "citizen"])
def test_every_status_has_a_label(table: dict[Status, str]) -> None:
    missing = [s for s in Status if not table.get(s)]
    assert not missing, (
        f"add wording for {missing} (staff: workorders/labels.py, citizen: assistant/texts.py)"
    )
    assert set(table) == set(Status), "no labels for statuses that no longer exist"


def test_plain_stored_values_find_their_label() -> None:
    assert STATUS_LABELS["dispatched"] == "已派单"  # type: ignore[index]
    assert status_label("returned") == status_label(Status.RETURNED) == "已退单"


def test_an_unknown_stored_value_is_shown_as_it_is() -> None:
    assert status_label("archived") == "archived"


def test_the_staff_pages_use_the_one_table() -> None:
    assert views.STATUS_LABELS is STATUS_LABELS  # the report's use is checked in tests/reports
