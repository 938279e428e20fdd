"""Follow-ups after filing or linking: chasing a joined order, repeated chases, rating a finished order.

End to end through the dialogue manager and the database, with the keyword triage double, as in
`test_conversations.py`.
"""

from __future__ import annotations

from assistant.dialogue import DialogueManager
from assistant.followup import CHASE_REPEAT_WINDOW
from assistant.store import ConversationEventKind
from workorders.enums import EventKind, Status
from workorders.schemas import TransitionRequest

from .conftest import COMPLETE_FIRST_MESSAGE

AGAIN = "我叫张伟，电话13812345678。南湖区建设路88号幸福小区门口的烧烤摊又吵到半夜，油烟很大，还是没人管。"
#: The same matter at the same place, from a neighbour with another phone (same_place repeat).
NEIGHBOUR = (
    "我姓李，电话13900001111。南湖区建设路88号幸福小区门口的烧烤摊每天吵到半夜，油烟也很大，希望管一管。"
)


def _file(assistant: DialogueManager, session: str) -> int:
    for message in (COMPLETE_FIRST_MESSAGE, "确认"):
        result = assistant.handle(session, message)
    return int(result.custom["work_order_id"])


def _join(assistant: DialogueManager, session: str, message: str = AGAIN) -> None:
    offer = assistant.handle(session, message)
    assert offer.custom["state"] == "confirm_repeat", offer.text
    assert assistant.handle(session, "好的").custom["state"] == "linked"


def _advance(assistant: DialogueManager, order_id: int, *actions: EventKind, **extra: object) -> None:
    """Move an order on as the department (or the hotline) would."""
    for action in actions:
        data = {"reply_text": "已责令烧烤摊主整改，晚上十点后不得经营。"} if action is EventKind.REPLY else {}
        if action is EventKind.RATE:
            data = {"rating": extra.get("rating", 5)}
        assistant.orders.transition(order_id, TransitionRequest(action=action, actor="op", **data))


REPLIED = (EventKind.DISPATCH, EventKind.SIGN_FOR, EventKind.START_HANDLING, EventKind.REPLY)


# -- a joined order (并单) can be chased -------------------------------------------------------------


def test_an_order_joined_by_linking_can_be_chased(assistant: DialogueManager) -> None:
    order_id = _file(assistant, "s-filer")
    _join(assistant, "s-joiner")

    status = assistant.handle("s-joiner", "查一下我的工单")
    assert "合并" in status.text

    chased = assistant.handle("s-joiner", "催一下")
    assert "已为您催办" in chased.text and "没有找到" not in chased.text
    order = assistant.orders.get(order_id)
    assert order.chase_count == 1
    (event,) = [e for e in assistant.orders.events(order_id) if e.kind is EventKind.CHASE]
    assert event.actor == "chat:s-joiner" and event.actor_role == "citizen"


def test_a_joined_order_can_be_supplemented_but_not_withdrawn_or_rated(
    lite_assistant: DialogueManager,
) -> None:
    order_id = _file(lite_assistant, "s-filer2")
    _join(lite_assistant, "s-joiner2")

    added = lite_assistant.handle("s-joiner2", "补充一下：今天晚上他们又摆出来了，还放了音箱")
    assert "补充" in added.text and "放了音箱" in (lite_assistant.orders.get(order_id).facts or "")

    withdraw = lite_assistant.handle("s-joiner2", "问题已经解决了，不用处理了，撤单吧")
    assert "其他市民登记" in withdraw.text and "没有找到" not in withdraw.text
    assert lite_assistant.orders.get(order_id).status is Status.ACCEPTED

    _advance(lite_assistant, order_id, *REPLIED)
    rate = lite_assistant.handle("s-joiner2", "我要评价，打5分")
    assert "其他市民登记" in rate.text
    assert lite_assistant.orders.get(order_id).rating is None


def test_a_stranger_still_cannot_chase_an_order_by_number(lite_assistant: DialogueManager) -> None:
    order_id = _file(lite_assistant, "s-owner3")
    number = lite_assistant.orders.get(order_id).number
    lite_assistant.handle("s-stranger3", COMPLETE_FIRST_MESSAGE)  # has a draft, no orders of its own
    probe = lite_assistant.handle("s-stranger3", f"催一下工单{number}")
    assert "已为您催办" not in probe.text
    assert lite_assistant.orders.get(order_id).chase_count == 0


# -- a repeated chase within the window is acknowledged, not recorded --------------------------------


def test_a_second_chase_within_the_window_is_acknowledged_only(assistant: DialogueManager, clock) -> None:  # type: ignore[no-untyped-def]
    order_id = _file(assistant, "s-chase")

    first = assistant.handle("s-chase", "催一下")
    assert "已为您催办" in first.text
    clock.advance(seconds=40)
    second = assistant.handle("s-chase", "麻烦再催一下")
    assert "已经为您催办过" in second.text
    assert assistant.orders.get(order_id).chase_count == 1
    assert len([e for e in assistant.orders.events(order_id) if e.kind is EventKind.CHASE]) == 1
    assert len(assistant.store.events(session_id="s-chase", kind=ConversationEventKind.CHASE)) == 1

    clock.advance(seconds=CHASE_REPEAT_WINDOW.total_seconds())
    third = assistant.handle("s-chase", "催一下")
    assert "已为您催办" in third.text and "已经为您催办过" not in third.text
    assert assistant.orders.get(order_id).chase_count == 2


def test_another_citizens_chase_does_not_count_as_mine(lite_assistant: DialogueManager) -> None:
    order_id = _file(lite_assistant, "s-filer4")
    _join(lite_assistant, "s-joiner4")
    assert "已为您催办" in lite_assistant.handle("s-joiner4", "催一下").text
    mine = lite_assistant.handle("s-filer4", "催一下")
    assert "已为您催办" in mine.text and "已经为您催办过" not in mine.text
    assert lite_assistant.orders.get(order_id).chase_count == 2


# -- rating an order that is past rating -------------------------------------------------------------


def test_rating_an_already_rated_order_says_when_it_was_rated(lite_assistant: DialogueManager, clock) -> None:  # type: ignore[no-untyped-def]
    order_id = _file(lite_assistant, "s-rated")
    _advance(lite_assistant, order_id, *REPLIED)
    assert "感谢" in lite_assistant.handle("s-rated", '/rate{"rating": 5}').text
    clock.advance(days=1)

    again = lite_assistant.handle("s-rated", "我要评价")
    assert "还在办理中" not in again.text and "答复后才能评价" not in again.text
    assert "评价过" in again.text and "5分" in again.text
    assert "11月25日" in again.text, "when it was rated (the test clock's day)"
    with_score = lite_assistant.handle("s-rated", "我要评价，打1分")
    assert "评价过" in with_score.text
    for outright in ("再评一次，给1分", "给1分"):
        reply = lite_assistant.handle("s-rated", outright)
        assert "评价过" in reply.text, (outright, reply.text)
        assert reply.custom["state"] != "collecting", "a score is no new complaint"
    order = lite_assistant.orders.get(order_id)
    assert order.rating == 5 and order.status is Status.RATED


def test_rating_a_closed_order_says_it_is_closed(lite_assistant: DialogueManager) -> None:
    order_id = _file(lite_assistant, "s-closed")
    _advance(lite_assistant, order_id, *REPLIED, EventKind.CLOSE)
    result = lite_assistant.handle("s-closed", "我要评价")
    assert "办结" in result.text and "还在办理中" not in result.text
    assert lite_assistant.orders.get(order_id).rating is None


def test_rating_before_the_reply_still_says_it_is_in_handling(lite_assistant: DialogueManager) -> None:
    _file(lite_assistant, "s-early2")
    assert "答复后才能评价" in lite_assistant.handle("s-early2", "我要评价").text
    early = lite_assistant.handle("s-early2", "我对处理结果满意，给5分")
    assert "答复后才能评价" in early.text and early.custom["state"] != "collecting"


# -- repeats are not merged into finished orders -----------------------------------------------------


def test_no_merge_offer_into_a_rated_order(assistant: DialogueManager) -> None:
    order_id = _file(assistant, "s-done")
    _advance(assistant, order_id, *REPLIED, EventKind.RATE)
    assert assistant.orders.get(order_id).status is Status.RATED

    again = assistant.handle("s-new-occurrence", AGAIN)
    assert again.custom["state"] != "confirm_repeat"
    assert "合并" not in again.text and "一并处理" not in again.text


def test_no_merge_offer_into_a_replied_order_but_still_into_one_in_handling(
    lite_assistant: DialogueManager,
) -> None:
    order_id = _file(lite_assistant, "s-replied")
    _advance(lite_assistant, order_id, EventKind.DISPATCH, EventKind.SIGN_FOR, EventKind.START_HANDLING)
    _join(lite_assistant, "s-while-handling", NEIGHBOUR)
    _advance(lite_assistant, order_id, EventKind.REPLY)
    later = lite_assistant.handle("s-after-reply", AGAIN)
    assert later.custom["state"] != "confirm_repeat"
