"""A slot answer must look like an answer of that kind; anything else is taken for what it is.

From a product walkthrough in which the chat took any reply as the answer to its question (a question
became the address, 匿名 the time, 确认 the name) and the junk ended up in the filed order. The clock
is fixed on Wednesday 25 Nov 2026, 09:00 Beijing time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.address import AddressParser
from assistant.dialogue import DialogueManager, TurnResult
from assistant.extract import title_of
from assistant.intents import bare_followup, explicit_slot, order_action, wants_human
from assistant.slots import declines, find_phone, name_from_answer
from assistant.state import Phase
from assistant.text_input import InputProblem, clean_message
from assistant.timeparse import describe_time, parse_incident_time
from workorders.enums import EventKind

LOCATION_Q = "请问事情发生在哪里"
TIME_Q = "请问这件事是什么时候发生的"
PHONE_Q = "请留一个联系电话"
NAME_Q = "请问怎么称呼您"
CST = dt.timezone(dt.timedelta(hours=8))


def say(assistant: DialogueManager, session: str, *messages: str) -> list[TurnResult]:
    return [assistant.handle(session, m) for m in messages]


def summary_of(result: TurnResult) -> str:
    found = [m.text for m in result.messages if "请核对" in m.text]
    assert found, f"no summary in {result.text}"
    return found[-1]


def file_one(assistant: DialogueManager, session: str) -> TurnResult:
    """A complete complaint, confirmed: the session owns one order."""
    results = say(
        assistant,
        session,
        "我叫张伟，电话13812345678。昨天晚上北山区向阳路6号阳光小区的路灯全坏了",
        "确认",
    )
    assert results[-1].custom["state"] == "filed"
    return results[-1]


# -- 1. place -------------------------------------------------------------------------------------


def test_a_question_is_not_an_address(lite_assistant: DialogueManager) -> None:
    first, second = say(lite_assistant, "q-place", "我家停水了", "什么时候来水")

    assert LOCATION_Q in first.text
    assert second.custom["slots"]["address"] is None
    assert LOCATION_Q in second.text, "the place is asked again"
    assert "什么时候来水" in second.text, "the question is acknowledged"
    assert "什么时候来水" in second.custom["slots"]["facts"], "and passed on to the department"


# -- 2. a person, please --------------------------------------------------------------------------


def test_asking_for_a_person_is_answered_with_the_hotline(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "q-human", "转人工", "我要找人工客服", "你是机器人吗")

    for r in results:
        assert "12345" in r.text and "人工" in r.text
        assert r.custom["slots"].get("address") is None
        assert r.custom["slots"].get("incident_time_text") is None
    assert lite_assistant.orders.count() == 0


def test_asking_for_a_person_mid_draft_keeps_the_draft(lite_assistant: DialogueManager) -> None:
    _, human = say(lite_assistant, "q-human-2", "我家停水了", "我要找人工客服")

    assert "12345" in human.text
    assert LOCATION_Q in human.text, "the pending question comes again"
    assert human.custom["slots"]["request"] == "我家停水了"
    assert human.custom["slots"]["address"] is None


def test_the_citys_own_hotline_number_is_given(make_assistant, sqlite_url: str, city_config) -> None:  # type: ignore[no-untyped-def]
    config = city_config.model_copy(deep=True)
    object.__setattr__(config.city, "hotline", "0000-12345678")
    assistant = make_assistant(sqlite_url, config=config)

    reply = assistant.handle("q-hotline", "转人工")

    assert "0000-12345678" in reply.text


# -- 3. time --------------------------------------------------------------------------------------


def test_anonymous_at_the_time_question_is_anonymity_not_a_time(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "q-anon-time", "我家停水了", "南湖区建设路5号", "匿名")

    reply = results[-1]
    assert reply.custom["slots"]["anonymous"] is True
    assert reply.custom["slots"]["incident_time_text"] is None
    assert "匿名" in reply.text and TIME_Q in reply.text, "acknowledged, then the time is asked again"

    done = lite_assistant.handle("q-anon-time", "昨天")
    assert "时间：昨天" in summary_of(done)
    assert "时间：匿名" not in summary_of(done)


def test_confirm_is_not_a_time_and_an_explicit_time_replaces_the_slot(
    lite_assistant: DialogueManager,
) -> None:
    results = say(
        lite_assistant, "q-confirm-time", "我家停水了", "南湖区建设路5号", "确认", "13812345678", "确认"
    )

    assert TIME_Q in results[2].text, "确认 is not a time: asked again"
    summary = summary_of(results[-1])
    assert "时间：确认" not in summary
    assert "联系人：确认" not in summary

    corrected = lite_assistant.handle("q-confirm-time", "时间是今天下午")

    summary = summary_of(corrected)
    assert "时间：今天下午" in summary
    assert "补充" not in summary, "a named slot is replaced, not appended as a fact"


def test_address_correction_replaces_the_address(lite_assistant: DialogueManager) -> None:
    say(lite_assistant, "q-fix-place", "我叫张伟，电话13812345678。昨天晚上南湖区建设路5号的路灯坏了")
    corrected = lite_assistant.handle("q-fix-place", "地址改成北山区向阳路6号")

    summary = summary_of(corrected)
    assert "地点：北山区向阳路6号" in summary
    assert "地点：南湖区建设路5号" not in summary
    assert "补充" not in summary


# -- 4. name --------------------------------------------------------------------------------------


def test_confirm_is_not_a_name(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "q-name", "我家停水了", "南湖区建设路5号", "昨天", "13812345678", "确认")

    assert NAME_Q in results[-2].text
    summary = summary_of(results[-1])
    assert "联系人：确认" not in summary
    assert "电话 13812345678" in summary


# -- 5. phone refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("refusal", ["不想留", "不方便", "不留了", "不告诉你"])
def test_refusing_a_phone_is_anonymity(lite_assistant: DialogueManager, refusal: str) -> None:
    results = say(
        lite_assistant, f"q-refuse-{len(refusal)}", "我家停水了", "南湖区建设路5号", "昨天", refusal
    )

    reply = results[-1]
    assert PHONE_Q in results[-2].text
    assert reply.custom["slots"]["anonymous"] is True
    assert "没法打电话" in reply.text, "the citizen learns the department cannot call back"
    summary = summary_of(reply)
    assert "匿名" in summary and "补充" not in summary
    assert refusal not in reply.custom["slots"]["facts"]


# -- 6. declines with nothing pending -------------------------------------------------------------


def test_a_bare_decline_first_is_a_polite_close(lite_assistant: DialogueManager) -> None:
    reply = lite_assistant.handle("q-decline", "不用了")

    assert LOCATION_Q not in reply.text
    assert reply.custom["state"] == "start" and reply.custom["slots"].get("request") is None
    assert "随时告诉我" in reply.text


def test_decline_after_chase_and_status_does_not_start_a_complaint(lite_assistant: DialogueManager) -> None:
    file_one(lite_assistant, "q-chase-decline")
    results = say(lite_assistant, "q-chase-decline", "怎么还没人处理，催一下", "查一下我的工单", "不用了")

    assert "已为您催办" in results[0].text
    assert "工单" in results[1].text
    assert LOCATION_Q not in results[2].text
    assert results[2].custom["state"] == "filed"
    state = lite_assistant.state_of("q-chase-decline")
    assert state is not None and state.draft is None


def test_status_check_keeps_a_knowledge_offer_open(lite_assistant: DialogueManager) -> None:
    file_one(lite_assistant, "q-offer")
    offer = lite_assistant.handle("q-offer", "请问公积金怎么提取？")
    assert offer.custom["state"] == "knowledge_offered"

    status, decline = say(lite_assistant, "q-offer", "查一下我的工单", "不用了")

    assert "工单" in status.text
    assert "不登记" in decline.text
    assert LOCATION_Q not in decline.text
    assert lite_assistant.orders.count() == 1


# -- 7. chase -------------------------------------------------------------------------------------


@pytest.mark.parametrize("message", ["怎么还没人处理，催一下", "催一下", "怎么还没人处理"])
def test_chasing_an_order_wins(lite_assistant: DialogueManager, message: str) -> None:
    session = f"q-chase-{len(message)}"
    filed = file_one(lite_assistant, session)
    reply = lite_assistant.handle(session, message)

    assert "已为您催办" in reply.text
    order = lite_assistant.orders.get(filed.custom["work_order_id"])
    assert EventKind.CHASE in [e.kind for e in lite_assistant.orders.events(order.id)]


def test_chase_words_in_a_complaint_are_not_a_command() -> None:
    assert order_action("催收公司天天打电话骚扰我", has_orders=True) is None
    assert order_action("怎么还没人处理，催一下", has_orders=True) is not None


# -- 8. punctuation, and follow-ups without orders ------------------------------------------------


@pytest.mark.parametrize("text", ["？", "。。。", "……", "?!"])
def test_punctuation_only_asks_for_more(lite_assistant: DialogueManager, text: str) -> None:
    assert clean_message(text, max_chars=500).problem is InputProblem.PUNCTUATION_ONLY
    reply = lite_assistant.handle("q-punct", text)

    assert "表情" not in reply.text
    assert "多说一点" in reply.text


def test_withdraw_without_orders_says_there_is_none(lite_assistant: DialogueManager) -> None:
    reply = lite_assistant.handle("q-withdraw", "我要撤单")

    assert "请您具体说一说" not in reply.text
    assert "还没有登记过工单" in reply.text and "工单编号" in reply.text and "帮您撤销" in reply.text
    assert reply.custom["slots"].get("request") is None


def test_bare_followups_are_recognised_without_orders() -> None:
    assert bare_followup("我要撤单") is not None
    assert bare_followup("催一下") is not None
    assert bare_followup("物业催了好几次电梯还是坏的") is None


# -- 9. times -------------------------------------------------------------------------------------


@pytest.mark.parametrize("hour", [6, 9, 22])
def test_today_morning_in_a_sentence(hour: int) -> None:
    now = dt.datetime(2026, 11, 27, hour, 0, tzinfo=CST)
    for text in ("今天早上开始停水了", "今天早上"):
        found = parse_incident_time(text, now)
        assert found is not None and found.at is not None and found.at <= now
        assert found.at.date() == now.date()


def test_bare_evening_is_kept_as_words_until_it_is_evening() -> None:
    morning = parse_incident_time("晚上", dt.datetime(2026, 11, 27, 9, 0, tzinfo=CST))
    assert morning is not None and morning.at is None and describe_time(morning) == "晚上"
    evening = parse_incident_time("晚上", dt.datetime(2026, 11, 27, 22, 0, tzinfo=CST))
    assert evening is not None and evening.at == dt.datetime(2026, 11, 27, 21, 0, tzinfo=CST)
    # with a clock time the old reading stays: 晚上十一点 said in the morning is last night
    clock = parse_incident_time("晚上十一点", dt.datetime(2026, 11, 27, 9, 0, tzinfo=CST))
    assert clock is not None and clock.at == dt.datetime(2026, 11, 26, 23, 0, tzinfo=CST)


def test_full_sentence_time_answer(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "q-sentence", "我家停水了", "南湖区建设路5号", "今天早上开始停水了")

    assert results[-1].custom["slots"]["incident_time"] is not None
    assert PHONE_Q in results[-1].text


@pytest.mark.parametrize(
    ("answer", "words"), [("晚上", "晚上"), ("一个星期了", "一个星期了"), ("每天晚上", "每天晚上")]
)
def test_vague_times_keep_the_citizens_words(
    lite_assistant: DialogueManager, answer: str, words: str
) -> None:
    session = f"q-vague-{len(answer)}-{ord(answer[0])}"
    results = say(lite_assistant, session, "我家停水了", "南湖区建设路5号", answer, "13812345678", "王先生")
    summary = summary_of(results[-1])
    assert f"时间：{words}" in summary
    assert "21:00" not in summary, "no clock time is invented"

    filed = lite_assistant.handle(session, "确认")
    order = lite_assistant.orders.get(filed.custom["work_order_id"])
    assert order.incident_time is None
    assert words in order.facts, "the words go to the order's description"


# -- 10. someone else's phone ---------------------------------------------------------------------


def test_someone_elses_phone_is_a_fact_not_the_contact(lite_assistant: DialogueManager) -> None:
    reply = lite_assistant.handle(
        "q-owner-phone",
        "南湖区建设路5号门口有人乱停车堵住消防通道，车主电话13712345678打不通，昨天开始的",
    )

    assert reply.custom["slots"]["phone"] is None
    assert PHONE_Q in reply.text
    assert "13712345678" in reply.custom["slots"]["request"]


@pytest.mark.parametrize("owner", ["车主电话", "物业电话", "老板电话", "商家电话", "对方电话是"])
def test_third_party_numbers(owner: str) -> None:
    assert find_phone(f"{owner}13712345678一直打不通") is None
    mine = find_phone(f"{owner}13712345678打不通，我的电话13812345678")
    assert mine is not None and mine.number == "13812345678"


# -- 11. addresses stay in the deployment's city --------------------------------------------------


def test_unknown_district_is_not_moved_to_another_province(city_config) -> None:  # type: ignore[no-untyped-def]
    parser = AddressParser(city_config.city.name, city_config.city.districts)
    found = parser.parse("我在南城区建设路5号的房子漏水")

    assert found is not None
    assert found.district is None and found.region is None
    assert found.address is not None and "广东" not in found.address and "汕尾" not in found.address
    assert "建设路5号" in found.address


def test_unknown_district_in_conversation(lite_assistant: DialogueManager) -> None:
    reply = lite_assistant.handle("q-nancheng", "我在南城区建设路5号的房子漏水")

    assert reply.custom["slots"]["district"] != "城区"
    assert "广东" not in (reply.custom["slots"]["address"] or "")


# -- 12. titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("还有一件事，高新区科技路8号门口井盖丢了", "高新区科技路8号门口井盖丢了"),
        ("你好，小区路灯坏了好几天", "小区路灯坏了好几天"),
        ("您好，我想问一下公积金怎么提取", "公积金怎么提取"),
        ("我要反映楼下烧烤店油烟太大", "楼下烧烤店油烟太大"),
        ("事业单位招聘的事", "事业单位招聘的事"),
    ],
)
def test_titles_skip_openers(text: str, title: str) -> None:
    assert title_of(text) == title


def test_title_in_conversation(lite_assistant: DialogueManager) -> None:
    lite_assistant.handle("q-title", "还有一件事，高新区科技路8号门口井盖丢了")
    state = lite_assistant.state_of("q-title")
    assert state is not None and state.draft is not None
    assert state.draft.title == "高新区科技路8号门口井盖丢了"


# -- 13. minor ------------------------------------------------------------------------------------


def test_a_name_at_the_phone_question_is_acknowledged(lite_assistant: DialogueManager) -> None:
    results = say(lite_assistant, "q-name-at-phone", "我家停水了", "南湖区建设路5号", "昨天", "我叫王小明")

    reply = results[-1]
    assert reply.custom["slots"]["name"] == "王小明"
    assert len(reply.messages) == 2
    assert "王小明" in reply.messages[0].text
    assert PHONE_Q in reply.messages[1].text


def test_a_stale_affirm_after_filing_does_not_greet_again(lite_assistant: DialogueManager) -> None:
    file_one(lite_assistant, "q-stale")
    reply = lite_assistant.handle("q-stale", "/affirm")

    assert "您好，这里是" not in reply.text
    assert reply.custom["state"] == "filed"
    assert lite_assistant.orders.count() == 1


# -- the helpers behind them ------------------------------------------------------------------------


def test_helpers() -> None:
    assert wants_human("转人工") and wants_human("你是机器人吗") and not wants_human("人工湖边的路灯坏了")
    assert explicit_slot("时间是今天下午") == ("incident_time", "今天下午")
    assert explicit_slot("地址改成建设路5号") == ("location", "建设路5号")
    assert explicit_slot("楼下太吵了") is None
    assert all(declines(t) for t in ("不想留", "不方便", "不留了", "不告诉你"))
    assert name_from_answer("确认") is None and name_from_answer("好的") is None
    assert name_from_answer("王小明") == "王小明"
    assert Phase.FILED.value == "filed"


def test_a_problem_statement_is_not_an_address(lite_assistant: DialogueManager) -> None:
    _, reply = say(lite_assistant, "q-problem-place", "我家停水了", "我家停水了好几天了")

    assert reply.custom["slots"]["address"] is None
    assert LOCATION_Q in reply.text


def test_a_greeting_mid_draft_is_not_a_fact(lite_assistant: DialogueManager) -> None:
    _, reply = say(lite_assistant, "q-greet-mid", "我家停水了", "有人吗")

    assert reply.custom["slots"]["facts"] == []
    assert reply.custom["slots"]["address"] is None
    assert LOCATION_Q in reply.text
