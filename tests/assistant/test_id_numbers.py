"""A resident ID number typed into the chat goes to the order's own field, never into its text."""

from __future__ import annotations

from assistant.dialogue import DialogueManager
from assistant.extract import complaint_text
from assistant.slots import find_id_number, strip_id_numbers

VALID_ID = "11010519491231002X"  # the standard's worked example: check digit X


def test_a_valid_id_number_is_found_and_every_id_like_number_is_stripped() -> None:
    text = f"我叫张三，身份证号{VALID_ID}，小区停水三天了"
    assert find_id_number(text) == VALID_ID
    assert VALID_ID not in strip_id_numbers(text)
    assert "身份证号" not in strip_id_numbers(text)
    assert find_id_number("身份证号110105194912310021，小区停水") is None  # wrong check digit
    assert "110105194912310021" not in complaint_text("身份证号110105194912310021，小区停水三天了", None, [])


def test_the_chat_keeps_the_id_out_of_the_request_and_masks_it_in_the_summary(
    lite_assistant: DialogueManager,
) -> None:
    first = lite_assistant.handle(
        "s-id", f"我叫张三，身份证号{VALID_ID}，我家小区停水三天了，南湖区滨江路8号"
    )
    state = lite_assistant.state_of("s-id")
    assert state.contact.id_number == VALID_ID
    assert state.draft is not None and VALID_ID not in state.draft.request
    assert VALID_ID not in first.text
    replies = [first.text]
    for answer in ("今天早上", "13812345678"):
        replies.append(lite_assistant.handle("s-id", answer).text)
    summary = next((r for r in replies if "身份证号" in r), "")
    assert "110105**********2X" in summary, replies
    assert all(VALID_ID not in r for r in replies)
