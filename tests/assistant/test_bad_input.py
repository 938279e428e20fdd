"""Bad input: each gets a clear, polite answer; nothing crashes; nothing is filed; the talk goes on."""

from __future__ import annotations

import pytest

from assistant.dialogue import DialogueManager
from assistant.store import ConversationEventKind

from .conftest import COMPLETE_FIRST_MESSAGE

BAD_INPUTS = [
    ("empty", "", "还没有输入内容"),
    ("whitespace", " \t\n　 ", "还没有输入内容"),
    ("huge", "楼下很吵。" * 4000, "超过了单条"),
    ("emoji", "😡😡😡👎", "表情"),
    ("english", "My neighbour is very noisy every night, please help", "只支持中文"),
    ("control", "\x00\x01\x02\x1b[31m\x7f", "还没有输入内容"),
    ("script", "<script>alert('x')</script>", "网页代码"),
    ("html", "<b></b><img src=x onerror=alert(1)>", "网页代码"),
]


@pytest.mark.parametrize(("case", "message", "expected"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gets_a_polite_answer(
    lite_assistant: DialogueManager, case: str, message: str, expected: str
) -> None:
    session = f"s-bad-{case}"
    result = lite_assistant.handle(session, message)

    assert expected in result.text
    assert result.custom["state"] == "start"
    assert lite_assistant.orders.count() == 0
    assert lite_assistant.store.events(session_id=session, kind=ConversationEventKind.REJECTED_INPUT)
    # The conversation goes on normally afterwards.
    assert lite_assistant.handle(session, COMPLETE_FIRST_MESSAGE).custom["state"] == "confirming"


@pytest.mark.parametrize(("case", "message", "expected"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_mid_conversation_repeats_the_question(
    lite_assistant: DialogueManager, case: str, message: str, expected: str
) -> None:
    session = f"s-bad-mid-{case}"
    first = lite_assistant.handle(session, "我叫李娜，手机13900001111。昨天下午开始，小区的路灯全都不亮了。")
    assert first.custom["missing"] == ["location"]

    result = lite_assistant.handle(session, message)

    assert expected in result.text
    assert "请问事情发生在哪里" in result.messages[-1].text, "the pending question is asked again"
    assert result.custom["missing"] == ["location"]
    assert lite_assistant.orders.count() == 0
    assert lite_assistant.handle(session, "南湖区湖滨路18号").custom["state"] == "confirming"


def test_bad_input_while_confirming_does_not_file(lite_assistant: DialogueManager) -> None:
    lite_assistant.handle("s-bad-confirm", COMPLETE_FIRST_MESSAGE)
    for message in ("", "👍", "<script>confirm()</script>", "ok?? sure thing"):
        result = lite_assistant.handle("s-bad-confirm", message)
        assert result.custom["state"] == "confirming"
    assert lite_assistant.orders.count() == 0


def test_markup_around_text_is_stripped_and_the_text_used(lite_assistant: DialogueManager) -> None:
    message = "<p>" + COMPLETE_FIRST_MESSAGE + "</p><script>steal()</script>"
    result = lite_assistant.handle("s-markup", message)
    assert result.custom["state"] == "confirming"
    assert "<" not in result.custom["slots"]["request"] and "steal" not in result.custom["slots"]["request"]


def test_bidi_and_zero_width_characters_are_removed(lite_assistant: DialogueManager) -> None:
    message = "\u202e" + COMPLETE_FIRST_MESSAGE.replace("建设路", "建\u200b设路")
    result = lite_assistant.handle("s-bidi", message)
    assert result.custom["slots"]["address"] == "南湖区建设路88号幸福小区门口"
    assert "\u202e" not in result.custom["slots"]["request"]


def test_fullwidth_digits_in_a_phone_number(lite_assistant: DialogueManager) -> None:
    results = [
        lite_assistant.handle("s-fullwidth", m)
        for m in ("南湖区湖滨路18号门口的井盖丢了，昨天晚上发现的", "１３８１２３４５６７８")
    ]
    assert results[1].custom["slots"]["phone"] == "138****5678"


def test_short_latin_answers_are_accepted(lite_assistant: DialogueManager) -> None:
    lite_assistant.handle("s-ok", COMPLETE_FIRST_MESSAGE)
    assert lite_assistant.handle("s-ok", "OK").custom["state"] == "filed"


def test_bad_phone_is_explained(lite_assistant: DialogueManager) -> None:
    lite_assistant.handle("s-bad-phone", "南湖区湖滨路18号门口的井盖丢了，昨天晚上发现的")
    result = lite_assistant.handle("s-bad-phone", "1381234567")
    assert "不完整" in result.text
    assert result.custom["missing"][0] == "phone"


def test_invalid_session_id_is_refused(lite_assistant: DialogueManager) -> None:
    for bad in ("", "x" * 65, "a b", "<script>"):
        with pytest.raises(ValueError):
            lite_assistant.handle(bad, "你好")


def test_a_failing_triage_never_loses_the_complaint(make_assistant, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    class BrokenTriage:
        def triage(self, text, *, title=None, now=None):  # type: ignore[no-untyped-def]
            raise RuntimeError("model file corrupt")

        def emergency(self, text):  # type: ignore[no-untyped-def]
            raise RuntimeError("rules missing")

    assistant = make_assistant(sqlite_url, triage=BrokenTriage())
    first = assistant.handle("s-broken", COMPLETE_FIRST_MESSAGE)
    assert first.custom["state"] == "confirming"
    filed = assistant.handle("s-broken", "确认")
    order = assistant.orders.get(filed.custom["work_order_id"])
    assert order.category is None and order.triage is None, "filed unrouted, for an operator to classify"
