"""Titles without personal data, masking of ID numbers, and the staff labels of channels and actors."""

from __future__ import annotations

import pytest

from workorders.enums import Channel, EventKind, Status
from workorders.errors import InvalidTransitionError
from workorders.labels import CHANNEL_LABELS, actor_label, channel_label
from workorders.lifecycle import next_status
from workorders.validation import has_personal_data, mask_personal_data, order_title

WALKTHROUGH = "我叫李建国，电话13987654321，身份证号370702198503151234，我在南城区建设路5号的房子漏水…"


def test_a_title_of_personal_data_is_replaced_by_the_matter() -> None:
    title = order_title("身份证号370702198503151234", WALKTHROUGH)
    assert title == "我在南城区建设路5号的房子漏水"
    assert not has_personal_data(title)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", "我在南城区建设路5号的房子漏水"),
        ("   ", "我在南城区建设路5号的房子漏水"),
        ("我叫李建国", "我在南城区建设路5号的房子漏水"),
        ("房屋漏水，电话13987654321", "房屋漏水"),
        ("楼顶漏水", "楼顶漏水"),
    ],
)
def test_titles_are_derived_or_cleaned(given: str, expected: str) -> None:
    assert order_title(given, WALKTHROUGH) == expected


def test_a_derived_title_never_shows_numbers_even_when_nothing_else_is_said() -> None:
    title = order_title("", "13987654321")
    assert "13987654321" not in title


def test_id_numbers_with_a_check_letter_are_masked_like_phones() -> None:
    masked = mask_personal_data("身份证37070219850315123X，电话13987654321")
    assert "37070219850315123X" not in masked and "13987654321" not in masked
    assert "370702" in masked and "139****4321" in masked


def test_channel_labels_are_shared_with_the_daily_report() -> None:
    from reports import metrics

    assert metrics.CHANNEL_LABELS is CHANNEL_LABELS
    assert (
        channel_label(Channel.WEB_CHAT) == "网上对话" and channel_label("carrier_pigeon") == "carrier_pigeon"
    )
    assert set(CHANNEL_LABELS) == {c.value for c in Channel}


@pytest.mark.parametrize(
    ("actor", "role", "expected"),
    [
        ("chat:d616548279cf4e0f", "citizen", "市民（在线咨询）"),
        ("citizen:d6165482", "citizen", "市民（网页表单）"),
        ("system", "system", "系统"),
        ("operator", "operator", "operator"),
    ],
)
def test_actors_are_named_in_staff_terms(actor: str, role: str, expected: str) -> None:
    assert actor_label(actor, role) == expected


def test_transition_errors_carry_their_parts_for_translation() -> None:
    with pytest.raises(InvalidTransitionError) as info:
        next_status(Status.ACCEPTED, EventKind.REPLY)
    assert info.value.action == "reply" and info.value.current == "accepted"
    assert info.value.allowed_from == ("in_handling", "signed_for")
