"""Follow-ups on an order filed elsewhere: the order number and the phone on file prove it is the citizen's."""

from __future__ import annotations

from assistant.dialogue import DialogueManager
from assistant.followup import MAX_VERIFY_FAILURES, rating_reason
from workorders.enums import Channel, EventKind, Status
from workorders.schemas import CitizenIn, NewWorkOrder, TransitionRequest

from .conftest import COMPLETE_FIRST_MESSAGE


def _replied(assistant: DialogueManager, order_id: int) -> None:
    """Move an order to "replied" as the department would."""
    for action, extra in (
        (EventKind.DISPATCH, {}),
        (EventKind.SIGN_FOR, {}),
        (EventKind.START_HANDLING, {}),
        (EventKind.REPLY, {"reply_text": "已责令烧烤摊主整改。"}),
    ):
        assistant.orders.transition(order_id, TransitionRequest(action=action, actor="op", **extra))


def _filed_elsewhere(assistant: DialogueManager, *, phone: str | None = "13812345678") -> str:
    """An order filed by phone (another channel, no chat session): its number."""
    order = assistant.orders.file(
        NewWorkOrder(
            channel=Channel.PHONE,
            citizen=CitizenIn(name="张先生", phone=phone, anonymous=phone is None),
            request="南湖区建设路88号门口的路灯坏了一个星期，晚上很黑",
            category="城乡建设",
        )
    )
    return order.number


def test_number_and_phone_in_one_message_act_on_the_order(assistant: DialogueManager) -> None:
    number = _filed_elsewhere(assistant)
    chased = assistant.handle("v-chase", f"{number} 13812345678 催一下，都一天了还没处理")
    assert f"已为您催办工单 {number}" in chased.text
    assert assistant.orders.events(number)[-1].kind is EventKind.CHASE
    status = assistant.handle("v-chase", "我的工单处理好了没")
    assert number in status.text and "办理时限" in status.text


def test_a_named_order_asks_for_the_phone_then_does_what_was_asked(assistant: DialogueManager) -> None:
    number = _filed_elsewhere(assistant)
    asked = assistant.handle("v-ask", f"我上午报的那个单子{number}处理得怎么样了")
    assert "手机号码" in asked.text and "已受理" not in asked.text
    answered = assistant.handle("v-ask", "13812345678")
    assert f"工单 {number}：" in answered.text and "办理时限" in answered.text
    supplement = assistant.handle("v-ask", "我再补充一点：灯杆也歪了，随时会倒")
    assert "已把补充的内容加到工单" in supplement.text
    assert assistant.orders.events(number)[-1].kind is EventKind.SUPPLEMENT


def test_wrong_pairs_are_refused_alike_and_then_no_more_tried(assistant: DialogueManager) -> None:
    number = _filed_elsewhere(assistant)
    for phone in ("13900000001", "13900000002", "13900000003")[:MAX_VERIFY_FAILURES]:
        reply = assistant.handle("v-probe", f"撤回工单{number}，电话{phone}")
        assert "对不上" in reply.text
    missing = assistant.handle("v-probe2", "撤回工单20261125-999999，电话13812345678")
    assert "对不上" in missing.text, "a missing order is answered like a wrong phone"
    locked = assistant.handle("v-probe", f"撤回工单{number}，电话13812345678")
    assert "不再核对" in locked.text
    assert assistant.orders.get(number).status is Status.ACCEPTED


def test_an_anonymous_order_cannot_be_claimed(assistant: DialogueManager) -> None:
    number = _filed_elsewhere(assistant, phone=None)
    reply = assistant.handle("v-anon", f"查一下工单{number}，电话13812345678")
    assert "匿名" in reply.text and "已受理" not in reply.text


def test_an_order_filed_by_the_form_of_the_session_is_the_chats_too(assistant: DialogueManager) -> None:
    order = assistant.orders.file(
        NewWorkOrder(
            channel=Channel.API,
            citizen=CitizenIn(phone="13812345678"),
            citizen_token="v-form",
            request="小区门口的垃圾三天没人清运，臭气熏天",
        )
    )
    status = assistant.handle("v-form", "查一下我的工单")
    assert f"工单 {order.number}：" in status.text


def test_a_rating_keeps_what_the_citizen_said_with_it(assistant: DialogueManager) -> None:
    filed = assistant.handle("v-rate", COMPLETE_FIRST_MESSAGE)
    filed = assistant.handle("v-rate", "确认")
    order_id = filed.custom["work_order_id"]
    _replied(assistant, order_id)
    assistant.handle("v-rate", "我想改一下评价，其实烧烤摊昨晚又摆出来了，1分")
    rate = [e for e in assistant.orders.events(order_id) if e.kind is EventKind.RATE][-1]
    assert "又摆出来了" in (rate.reason or "")


def test_rating_reason_is_only_what_goes_beyond_the_score() -> None:
    assert rating_reason("给个4分") is None
    assert rating_reason("还行吧，给个4分") is None
    assert rating_reason("非常满意") is None
    assert rating_reason("其实灯又坏了一盏，1分") == "其实灯又坏了一盏，1分"


def test_a_status_with_a_reply_reads_as_one_sentence_per_part(assistant: DialogueManager) -> None:
    assistant.handle("v-dots", COMPLETE_FIRST_MESSAGE)
    order_id = assistant.handle("v-dots", "确认").custom["work_order_id"]
    _replied(assistant, order_id)
    status = assistant.handle("v-dots", "查一下我的工单")
    assert "已责令烧烤摊主整改" in status.text and "。。" not in status.text


def test_a_wrong_phone_can_be_corrected_with_the_phone_alone(assistant: DialogueManager) -> None:
    number = _filed_elsewhere(assistant)
    wrong = assistant.handle("v-retry", f"{number} 13912345678 催一下")
    assert "对不上" in wrong.text and wrong.custom["state"] == "awaiting_verification"
    right = assistant.handle("v-retry", "13812345678")
    assert f"已为您催办工单 {number}" in right.text
    assert "请您具体说一说" not in right.text


def test_what_the_message_carried_survives_the_phone_check(assistant: DialogueManager) -> None:
    number = _filed_elsewhere(assistant)
    _replied(assistant, assistant.orders.get(number).id)
    assistant.handle("v-score", f"工单{number}给5分")
    rated = assistant.handle("v-score", "13812345678")
    assert "5分" in rated.text and assistant.orders.get(number).rating == 5
