"""Conversations in Chinese, end to end through the dialogue manager and the database.

The triage is a keyword double (`assistant.fakes.FakeTriage`) so that these tests pin the dialogue's
policies, not a model's accuracy; `test_integration.py` runs the same kinds of conversations with
the real models.
"""

from __future__ import annotations

import pytest

from assistant.dialogue import DialogueManager, TurnResult
from assistant.state import Phase
from assistant.store import ConversationEventKind
from workorders.enums import Channel, EventKind, Status
from workorders.schemas import TransitionRequest

from .conftest import COMPLETE_FIRST_MESSAGE


def say(assistant: DialogueManager, session: str, *messages: str) -> list[TurnResult]:
    return [assistant.handle(session, m) for m in messages]


def asked(results: list[TurnResult], phrase: str) -> int:
    """How many bot messages contain `phrase` (to count how often a question was asked)."""
    return sum(1 for r in results for m in r.messages if phrase in m.text)


LOCATION_Q = "请问事情发生在哪里"


def test_complete_first_message_only_asks_for_confirmation(assistant: DialogueManager) -> None:
    first = assistant.handle("s-complete", COMPLETE_FIRST_MESSAGE)

    assert first.custom["state"] == "confirming"
    assert first.custom["missing"] == []
    assert len(first.messages) == 1
    summary = first.messages[0]
    assert "请核对" in summary.text
    assert "南湖区建设路88号幸福小区门口" in summary.text
    assert "张伟" in summary.text and "13812345678" in summary.text
    assert "11月24日 22:00" in summary.text  # 昨天晚上十点多, the clock fixed on 25 Nov 09:00
    assert [b.payload for b in summary.buttons] == ["/affirm", "/deny", "/cancel"]
    assert assistant.orders.count() == 0, "nothing may be filed before the citizen confirms"

    filed = assistant.handle("s-complete", "确认")

    assert filed.custom["state"] == "filed"
    order = assistant.orders.get(filed.custom["work_order_id"])
    assert order.number == filed.custom["work_order_number"]
    assert order.number in filed.text
    assert order.channel is Channel.WEB_CHAT
    assert order.citizen_token == "s-complete"
    assert order.citizen_phone == "13812345678"
    assert order.citizen_name == "张伟"
    assert order.address == "南湖区建设路88号幸福小区门口" and order.district == "南湖区"
    assert order.category == "环境保护"
    assert order.triage is not None and order.triage["category"]["label"] == "环境保护"
    assert "13812345678" not in order.request, "the phone belongs in its own field, not the text"
    assert order.incident_time is not None
    assert filed.custom["triage"]["category"]["label"] == "环境保护"
    events = assistant.store.events(session_id="s-complete", kind=ConversationEventKind.FILED)
    assert [e.work_order_id for e in events] == [order.id]


def test_double_confirmation_files_one_order(lite_assistant: DialogueManager) -> None:
    say(lite_assistant, "s-double", COMPLETE_FIRST_MESSAGE, "确认")
    again = lite_assistant.handle("s-double", "/affirm")  # a stale button pressed twice

    assert lite_assistant.orders.count() == 1
    assert again.custom["state"] == "filed"


def test_missing_address_is_asked_once(assistant: DialogueManager) -> None:
    results = say(
        assistant,
        "s-address",
        "我叫李娜，手机13900001111。昨天下午开始，我们小区的路灯全都不亮了，晚上出门很危险。",
        "北山区向阳路6号阳光小区",
    )

    assert asked(results, LOCATION_Q) == 1
    assert results[0].custom["missing"] == ["location"]
    assert results[1].custom["state"] == "confirming"
    assert "北山区向阳路6号阳光小区" in results[1].text
    final = assistant.handle("s-address", "是的")
    order = assistant.orders.get(final.custom["work_order_id"])
    assert order.address == "北山区向阳路6号阳光小区"
    assert order.district == "北山区"


def test_district_only_asks_for_a_specific_place_then_stops(lite_assistant: DialogueManager) -> None:
    results = say(
        lite_assistant,
        "s-district",
        "我姓刘，电话13600002222，前天晚上开始停水了到现在也没来",
        "东城区",
        "就在东城区那边",
    )
    assert "能再具体一些吗" in results[1].text
    assert results[2].custom["state"] == "confirming"


def test_one_question_at_a_time_and_only_what_is_missing(lite_assistant: DialogueManager) -> None:
    results = say(
        lite_assistant,
        "s-steps",
        "我要投诉",
        "楼上装修天天电钻响，中午也不停",
        "南湖区湖滨路18号3栋",
        "13700003333",
        "王女士",
    )
    expected = ["request", "location", "phone", "name"]
    got = [r.custom["missing"][0] for r in results[:4]]
    assert got == expected
    for r in results[:4]:
        assert len(r.messages) == 1, "one question per turn"
    assert results[4].custom["state"] == "confirming"
    assert "王女士" in results[4].text
    assert "天天" in results[4].text  # ongoing matter: no time question was needed


def test_correction_replaces_the_address(assistant: DialogueManager) -> None:
    results = say(assistant, "s-fix", COMPLETE_FIRST_MESSAGE, "不对，地址是南湖区建设路98号")

    fixed = results[1]
    assert fixed.custom["state"] == "confirming"
    assert "已更正" in fixed.text
    assert "南湖区建设路98号" in fixed.text
    assert "建设路88号幸福小区门口" not in fixed.messages[-1].text.split("· 地点：")[1].split("\n")[0]
    assert fixed.custom["slots"]["address"] == "南湖区建设路98号"
    assert fixed.custom["slots"]["facts"] == [], "the correction itself is not added to the complaint"

    filed = assistant.handle("s-fix", "确认")
    assert assistant.orders.get(filed.custom["work_order_id"]).address == "南湖区建设路98号"


def test_correction_of_the_phone_while_collecting(lite_assistant: DialogueManager) -> None:
    results = say(
        lite_assistant,
        "s-phone-fix",
        "南湖区建设路15号门口的井盖丢了，很危险，昨天晚上发现的",
        "13800001234",
        "电话说错了，应该是13800004321",
    )
    assert results[2].custom["slots"]["phone"] == "138****4321"


def test_deny_then_correct(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "s-deny", COMPLETE_FIRST_MESSAGE, "需要修改", "电话是13912345678")
    assert "哪一项需要修改" in results[1].text
    assert results[2].custom["state"] == "confirming"
    assert "13912345678" in results[2].text


def test_emergency_in_the_middle_of_a_conversation(assistant: DialogueManager) -> None:
    results = say(
        assistant,
        "s-emergency",
        "我要反映小区物业的问题，电梯坏了好几天都没人修",
        "等一下，楼道里着火了！",
    )
    handover = results[1]
    assert handover.custom["state"] == "emergency"
    assert "119" in handover.messages[0].text and "立即拨打" in handover.messages[0].text
    assert handover.custom["emergency"]["number"] == "119"
    assert assistant.orders.count() == 0
    events = assistant.store.events(session_id="s-emergency", kind=ConversationEventKind.EMERGENCY_HANDOVER)
    assert len(events) == 1 and events[0].data["number"] == "119" and events[0].data["draft_kept"] is True

    # After the emergency the interrupted draft goes on where it stopped.
    resumed = assistant.handle("s-emergency", "南湖区湖滨路18号幸福家园")
    assert resumed.custom["state"] == "collecting"
    assert resumed.custom["slots"]["address"] == "南湖区湖滨路18号幸福家园"
    assert "电梯坏了" in resumed.custom["slots"]["request"]


def test_emergency_wins_even_while_confirming(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "s-emerg-confirm", COMPLETE_FIRST_MESSAGE, "我邻居突然晕倒了怎么办")
    assert "120" in results[1].text
    assert lite_assistant.orders.count() == 0
    after = lite_assistant.handle("s-emerg-confirm", "确认")
    assert after.custom["state"] == "filed", "the draft survives the hand-over and can still be filed"


def test_emergency_first_message_files_nothing(lite_assistant: DialogueManager) -> None:
    result = lite_assistant.handle("s-emerg-first", "建设路上两辆车撞车了，有人受伤")
    assert "122" in result.text
    assert result.custom["state"] == "emergency"
    assert lite_assistant.handle("s-emerg-first", "确认").custom["state"] != "filed"
    assert lite_assistant.orders.count() == 0


REDIRECTS = [
    ("法院已经判决了，对方就是不执行，你们管管", "litigation", "诉讼"),
    ("公司拖欠我工资，我已经申请劳动仲裁了，想让你们催一下仲裁委", "arbitration", "仲裁"),
    ("我对区政府的处罚决定不服，要申请行政复议", "administrative_reconsideration", "行政复议"),
    ("举报我们村支书贪污扶贫款", "discipline_inspection", "纪检监察"),
    ("我想申请政府信息公开，要拆迁补偿的文件", "information_disclosure", "政府信息公开"),
    ("这个事情已经处理过了有结论，复查也维持了，但我还是不服", "lawfully_concluded", "依法处理"),
]


@pytest.mark.parametrize(("message", "kind", "label"), REDIRECTS, ids=[r[1] for r in REDIRECTS])
def test_each_redirect_explains_where_to_go_and_files_nothing(
    lite_assistant: DialogueManager, message: str, kind: str, label: str
) -> None:
    session = f"s-redirect-{kind}"
    result = lite_assistant.handle(session, message)

    assert result.custom["state"] == "redirected"
    assert result.custom["redirect"]["kind"] == kind
    assert label in result.text
    assert "《示范市12345热线服务指南》" in result.text, "the article is cited"
    assert "不会登记工单" in result.text
    assert lite_assistant.handle(session, "确认").custom["state"] != "filed"
    assert lite_assistant.orders.count() == 0
    events = lite_assistant.store.events(session_id=session, kind=ConversationEventKind.REDIRECT)
    assert [e.data["kind"] for e in events] == [kind]


def test_conversation_goes_on_after_a_redirect(lite_assistant: DialogueManager) -> None:
    say(lite_assistant, "s-after-redirect", REDIRECTS[0][0])
    result = lite_assistant.handle("s-after-redirect", COMPLETE_FIRST_MESSAGE)
    assert result.custom["state"] == "confirming"


def test_repeat_of_an_open_order_is_linked(assistant: DialogueManager) -> None:
    say(assistant, "s-first", COMPLETE_FIRST_MESSAGE, "确认")
    original = assistant.orders.list()[0]

    results = say(
        assistant,
        "s-again",
        "我叫张伟，电话13812345678。南湖区建设路88号幸福小区门口的烧烤摊又吵到半夜，油烟很大，还是没人管。",
    )
    offer = results[0]
    assert offer.custom["state"] == "confirm_repeat"
    assert original.number in offer.text
    assert "已受理" in offer.text  # its status
    assert offer.custom["repeat_of"]["order_id"] == original.id

    linked = assistant.handle("s-again", "好的")
    assert linked.custom["state"] == "linked"
    assert linked.custom["work_order_id"] == original.id
    assert original.number in linked.text
    assert assistant.orders.count() == 1, "a repeat is linked, not filed again"
    refreshed = assistant.orders.get(original.id)
    assert refreshed.repeat_count == 1
    kinds = [e.kind for e in assistant.orders.events(original.id)]
    assert EventKind.LINK_REPEAT in kinds
    # The linked order shows up in the second session's status query, status only.
    status = assistant.handle("s-again", "查一下我的工单")
    assert original.number in status.text and "合并" in status.text


def test_repeat_declined_files_a_new_order(lite_assistant: DialogueManager) -> None:
    say(lite_assistant, "s-r1", COMPLETE_FIRST_MESSAGE, "确认")
    results = say(
        lite_assistant,
        "s-r2",
        "我叫张伟，电话13812345678。南湖区建设路88号幸福小区门口的烧烤摊又吵到半夜，油烟很大。",
        "这是另一件事",
        "确认",
    )
    assert results[0].custom["state"] == "confirm_repeat"
    assert results[1].custom["state"] == "confirming"
    assert results[2].custom["state"] == "filed"
    assert lite_assistant.orders.count() == 2


def _replied(assistant: DialogueManager, order_id: int) -> None:
    """Move an order to "replied" as the department would."""
    for action, extra in (
        (EventKind.DISPATCH, {}),
        (EventKind.SIGN_FOR, {}),
        (EventKind.START_HANDLING, {}),
        (EventKind.REPLY, {"reply_text": "已责令烧烤摊主整改，晚上十点后不得经营。"}),
    ):
        assistant.orders.transition(order_id, TransitionRequest(action=action, actor="op", **extra))


def test_status_query(assistant: DialogueManager) -> None:
    results = say(assistant, "s-status", COMPLETE_FIRST_MESSAGE, "确认", "查一下我的工单")
    number = results[1].custom["work_order_number"]
    status = results[2]
    assert number in status.text
    assert "已受理" in status.text
    assert "办理时限" in status.text
    assert assistant.store.events(session_id="s-status", kind=ConversationEventKind.STATUS_QUERY)


def test_status_of_another_sessions_order_is_not_disclosed(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "s-owner", COMPLETE_FIRST_MESSAGE, "确认")
    number = results[1].custom["work_order_number"]
    probe = lite_assistant.handle("s-stranger", f"查一下工单{number}")
    assert "手机号码" in probe.text and probe.custom["state"] == "awaiting_verification"
    assert "已受理" not in probe.text and "办理时限" not in probe.text
    wrong = lite_assistant.handle("s-stranger", "13900000000")
    assert "对不上" in wrong.text and "已受理" not in wrong.text
    withdraw = lite_assistant.handle("s-stranger", f"撤销工单{number}，电话13900000001")
    assert lite_assistant.orders.get(number).status is Status.ACCEPTED
    assert "已撤销" not in withdraw.text and "对不上" in withdraw.text


def test_unsatisfied_rating_sends_the_order_back(assistant: DialogueManager) -> None:
    filed = say(assistant, "s-rate", COMPLETE_FIRST_MESSAGE, "确认")[1]
    order_id = filed.custom["work_order_id"]
    _replied(assistant, order_id)

    status = assistant.handle("s-rate", "我反映的问题怎么样了")
    assert "已责令烧烤摊主整改" in status.text
    assert status.custom["state"] == "awaiting_rating"
    assert any(b.payload.startswith("/rate") for m in status.messages for b in m.buttons)

    rated = assistant.handle("s-rate", "2")
    order = assistant.orders.get(order_id)
    assert order.rating == 2
    assert order.status is Status.IN_HANDLING, "an unsatisfied rating sends the order back"
    assert order.unsatisfied_count == 1
    assert "重新办理" in rated.text
    kinds = [e.kind for e in assistant.orders.events(order_id)]
    assert kinds[-2:] == [EventKind.RATE, EventKind.REWORK]
    assert all(
        e.actor_role == "citizen" for e in assistant.orders.events(order_id) if e.kind is EventKind.RATE
    )


def test_satisfied_rating_by_button_payload(lite_assistant: DialogueManager) -> None:
    filed = say(lite_assistant, "s-rate5", COMPLETE_FIRST_MESSAGE, "确认")[1]
    _replied(lite_assistant, filed.custom["work_order_id"])
    rated = lite_assistant.handle("s-rate5", '/rate{"rating": 5}')
    order = lite_assistant.orders.get(filed.custom["work_order_id"])
    assert order.status is Status.RATED and order.rating == 5
    assert "感谢" in rated.text


def test_rating_before_the_reply_is_refused(lite_assistant: DialogueManager) -> None:
    say(lite_assistant, "s-early", COMPLETE_FIRST_MESSAGE, "确认")
    result = lite_assistant.handle("s-early", "我要评价，打1分")
    assert "答复后才能评价" in result.text
    assert lite_assistant.orders.list()[0].rating is None


def test_withdraw_chase_and_supplement(assistant: DialogueManager) -> None:
    order_id = say(assistant, "s-follow", COMPLETE_FIRST_MESSAGE, "确认")[1].custom["work_order_id"]

    chased = assistant.handle("s-follow", "催一下")
    assert "已为您催办" in chased.text
    assert assistant.orders.get(order_id).chase_count == 1

    added = assistant.handle("s-follow", "补充一下：今天晚上他们又摆出来了，还放了音箱")
    assert "补充" in added.text
    assert "放了音箱" in assistant.orders.get(order_id).facts

    asked_first = assistant.handle("s-follow", "问题已经解决了，不用处理了，撤单吧")
    assert asked_first.custom["state"] == "awaiting_withdraw"
    assert assistant.orders.get(order_id).status is Status.ACCEPTED
    done = assistant.handle("s-follow", "确认")
    order = assistant.orders.get(order_id)
    assert order.status is Status.WITHDRAWN
    assert order.number in done.text
    withdraw_events = [e for e in assistant.orders.events(order_id) if e.kind is EventKind.WITHDRAW]
    assert withdraw_events and withdraw_events[0].actor_role == "citizen"
    assert "不用处理" in (withdraw_events[0].reason or "")


def test_knowledge_answer_with_citation_and_offer_to_file(lite_assistant: DialogueManager) -> None:
    answer = lite_assistant.handle("s-kb", "请问买房子提取公积金需要什么材料？")
    assert answer.custom["state"] == "knowledge_offered"
    assert "《示范市12345热线服务指南》第五条" in answer.text
    assert answer.custom["knowledge"][0]["id"] == "reg:guide:5"
    assert lite_assistant.orders.count() == 0
    assert [b.payload for m in answer.messages for b in m.buttons] == ["/file_anyway", "/deny"]

    results = say(lite_assistant, "s-kb", "/file_anyway", "匿名", "确认")
    assert results[0].custom["state"] == "collecting"
    assert results[-1].custom["state"] == "filed"
    order = lite_assistant.orders.get(results[-1].custom["work_order_id"])
    assert order.anonymous and order.citizen_phone is None
    assert order.matter_type.value == "consultation"


def test_knowledge_answer_says_how_the_question_was_understood(lite_assistant: DialogueManager) -> None:
    answer = lite_assistant.handle("s-kb-asked", "请问买房子提取公积金需要什么材料？")
    assert "（相当于问：买房子能提取公积金吗）" in answer.text

    same_words = lite_assistant.handle("s-kb-same", "买房子能提取公积金吗？")
    assert same_words.custom["state"] == "knowledge_offered"
    assert "相当于问" not in same_words.text, "the citizen's own words are not echoed back"


def test_knowledge_below_threshold_is_not_shown(lite_assistant: DialogueManager) -> None:
    result = lite_assistant.handle("s-kb-low", "请问居住证怎么办理？")
    assert "15个工作日" not in result.text, "a weak match is no answer"
    assert "没有找到直接相关的规定" in result.text, "the citizen is told so, not given a guess"
    assert result.custom["state"] == "knowledge_offered"
    filed = lite_assistant.handle("s-kb-low", "/file_anyway")
    assert filed.custom["state"] == "collecting", "the question can still be passed on"


def test_server_restart_mid_conversation(make_assistant, db_url: str) -> None:  # type: ignore[no-untyped-def]
    first = make_assistant(db_url)
    results = say(first, "s-restart", "我要投诉", "楼下饭店的油烟太大了，窗户都不敢开")
    assert results[-1].custom["missing"][0] == "location"

    restarted = make_assistant(db_url)  # a new process: new engine, new manager, same database
    state = restarted.state_of("s-restart")
    assert state is not None and state.phase is Phase.COLLECTING and state.draft is not None
    results = say(restarted, "s-restart", "西城区解放路20号", "一直都这样", "13500005555", "不用了", "确认")
    assert results[0].custom["missing"][0] == "incident_time", (
        "the location answer filled the pending question"
    )
    assert results[-1].custom["state"] == "filed"
    order = restarted.orders.get(results[-1].custom["work_order_id"])
    assert "油烟" in order.request and order.address == "西城区解放路20号"


def test_cancel_files_nothing(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "s-cancel", COMPLETE_FIRST_MESSAGE, "取消")
    assert "没有提交任何工单" in results[1].text
    assert results[1].custom["state"] == "start"
    assert lite_assistant.orders.count() == 0
    assert lite_assistant.handle("s-cancel", "确认").custom["state"] != "filed"


def test_anonymous_report_asks_no_contact(lite_assistant: DialogueManager) -> None:
    results = say(
        lite_assistant,
        "s-anon",
        "我想匿名反映，南湖区湖滨路18号的洗车店每天往河里排污水，上周三下午我看见的",
    )
    assert results[0].custom["state"] == "confirming"
    assert "匿名反映" in results[0].text
    filed = lite_assistant.handle("s-anon", "确认")
    order = lite_assistant.orders.get(filed.custom["work_order_id"])
    assert order.anonymous and order.citizen_phone is None and order.citizen_name is None


def test_a_recurring_time_reaches_the_order_in_the_citizens_words(lite_assistant: DialogueManager) -> None:
    results = say(
        lite_assistant,
        "s-nightly",
        "我实名反映，南湖区湖滨路18号的KTV每天晚上唱到两点，吵得睡不着，我姓周，电话13912345678",
        "确认",
    )
    order = lite_assistant.orders.get(results[-1].custom["work_order_id"])
    assert order.incident_time is None
    assert order.incident_time_text and "每天晚上" in order.incident_time_text


def test_photo_url_is_attached(lite_assistant: DialogueManager) -> None:
    message = COMPLETE_FIRST_MESSAGE + "照片在这里 https://img.example.cn/p/123.jpg"
    filed = say(lite_assistant, "s-photo", message, "确认")[1]
    order = lite_assistant.orders.get(filed.custom["work_order_id"])
    assert order.attachments == ["https://img.example.cn/p/123.jpg"]
    assert "https://" not in order.request


def test_greeting_and_help(lite_assistant: DialogueManager) -> None:
    hello = lite_assistant.handle("s-hello", "你好")
    assert "12345" in hello.text and hello.custom["state"] == "start"
    helped = lite_assistant.handle("s-hello", "你能做什么")
    assert "查一下我的工单" in helped.text


def test_status_without_orders(lite_assistant: DialogueManager) -> None:
    result = lite_assistant.handle("s-none", "查一下我的工单")
    assert "还没有登记过工单" in result.text
