"""A side question, a knowledge answer or a redirect never replaces the matter being collected."""

from __future__ import annotations

import pytest

from assistant.dialogue import DialogueManager
from assistant.intents import Intent, conversational, order_action, supplement_content, yes_no

from .conftest import COMPLETE_FIRST_MESSAGE


def test_a_question_while_collecting_stays_part_of_the_complaint(lite_assistant: DialogueManager) -> None:
    s = "k-heat"
    lite_assistant.handle(s, "我们小区的暖气一直不热，家里才十五度")
    lite_assistant.handle(s, "南湖区建设路88号幸福小区5栋")
    reply = lite_assistant.handle(s, "热力公司的电话一直没人接，能不能让他们派人来看看吗？")
    assert reply.custom["state"] == "collecting", "no knowledge offer in the middle of a complaint"
    phone = lite_assistant.handle(s, "13812345678")
    assert phone.custom["slots"]["request"] == "我们小区的暖气一直不热，家里才十五度"
    assert "请您具体说一说" not in phone.text


def test_details_after_an_unanswered_question_file_that_question(lite_assistant: DialogueManager) -> None:
    s = "k-ask"
    offered = lite_assistant.handle(s, "建设路的超市天天喊跳楼价，价格比原来还贵，这能投诉吗")
    assert offered.custom["state"] == "knowledge_offered"
    place = lite_assistant.handle(s, "南湖区建设路88号")
    assert place.custom["state"] == "collecting"
    assert "跳楼价" in place.custom["slots"]["request"]
    assert place.custom["slots"]["address"] == "南湖区建设路88号"


def test_a_place_alone_does_not_become_the_request(lite_assistant: DialogueManager) -> None:
    reply = lite_assistant.handle("k-place", "南湖区建设路88号幸福小区5栋2单元301")
    assert reply.custom["slots"].get("request") is None
    assert "请您具体说一说" in reply.text


@pytest.mark.parametrize("words", ["算了", "算了不投诉了", "算了，不反映了", "算了我想撤了这个单子"])
def test_giving_up_drops_the_draft(lite_assistant: DialogueManager, words: str) -> None:
    s = f"k-quit-{len(words)}"
    lite_assistant.handle(s, "南湖区建设路的公厕坏了好几天，臭气熏天")
    reply = lite_assistant.handle(s, words)
    assert "没有提交任何工单" in reply.text and reply.custom["state"] == "start"


def test_goodbye_is_not_a_complaint(lite_assistant: DialogueManager) -> None:
    assert "再见" in lite_assistant.handle("k-bye", "再见").text
    lite_assistant.handle("k-bye2", "南湖区建设路的公厕坏了好几天")
    assert "还没有提交" in lite_assistant.handle("k-bye2", "拜拜").text


@pytest.mark.parametrize("words", ["没问题提交吧", "可以，提交", "好的提交", "对的，确认无误"])
def test_a_yes_with_the_word_for_submitting_is_a_yes(words: str) -> None:
    assert yes_no(words) is Intent.AFFIRM


def test_conversational_moves() -> None:
    assert conversational("再见") is Intent.BYE
    assert conversational("算了不投诉了") is Intent.CANCEL
    assert conversational("算了") is Intent.CANCEL
    assert conversational("算了吧，太麻烦") is None


@pytest.mark.parametrize(
    ("text", "has_orders", "intent"),
    [
        ("我再补充一点：3号楼门口还有个井盖松动了", True, Intent.SUPPLEMENT),
        ("我的工单处理好了没", True, Intent.STATUS),
        ("我那个井盖的事情怎么样了", True, Intent.STATUS),
        ("催催催", True, Intent.CHASE),
        ("还行吧，给个4分", True, Intent.RATE),
        ("我上午报的那个单子20261125-000004处理得怎么样了 电话18600003333", False, Intent.STATUS),
        ("20261125-000002 13700002222 催一下，都一天了还没来水", False, Intent.CHASE),
        ("我要补充一下情况，工单号20261125-000001，电话13812345678", False, Intent.SUPPLEMENT),
    ],
)
def test_follow_up_wordings(text: str, has_orders: bool, intent: Intent) -> None:
    parsed = order_action(text, has_orders=has_orders)
    assert parsed is not None and parsed.intent is intent


def test_a_supplement_named_with_its_order_and_phone_has_no_text_yet() -> None:
    parsed = order_action("我要补充一下情况，工单号20261125-000001，电话13812345678", has_orders=False)
    assert parsed is not None and parsed.entities["text"] == ""
    assert parsed.entities["order_number"] == "20261125-000001"


@pytest.mark.parametrize("text", ["我那个井盖的事情怎么样了", "我的快递怎么样了"])
def test_a_matter_named_by_its_subject_needs_an_order_in_the_conversation(text: str) -> None:
    assert order_action(text, has_orders=False) is None


def test_a_vague_place_and_the_compound_named_later_are_combined(lite_assistant: DialogueManager) -> None:
    s = "k-merge"
    lite_assistant.handle(s, "小区楼道的灯坏了一个月了")
    lite_assistant.handle(s, "我们小区3栋")
    reply = lite_assistant.handle(s, "南湖区幸福小区")
    assert reply.custom["slots"]["address"] == "南湖区幸福小区3栋"


def test_a_supplement_while_collecting_is_a_fact_not_the_answer(lite_assistant: DialogueManager) -> None:
    s = "k-supp"
    lite_assistant.handle(s, "小区楼顶漏水一个月了")
    reply = lite_assistant.handle(s, "我补充一下，已经找过物业三次了，物业说找不到楼上业主")
    slots = reply.custom["slots"]
    assert slots.get("address") is None and "已经找过物业三次了" in "".join(slots["facts"])
    assert "记下了" in reply.text


def test_a_second_matter_waits_until_the_first_is_confirmed(lite_assistant: DialogueManager) -> None:
    s = "k-second"
    summary = lite_assistant.handle(s, COMPLETE_FIRST_MESSAGE)
    assert summary.custom["state"] == "confirming"
    reply = lite_assistant.handle(s, "另外我还要反映一个问题：小区电梯也经常坏")
    assert "一件一件来" in reply.text and reply.custom["state"] == "confirming"
    assert "电梯" not in "".join(reply.custom["slots"]["facts"])


@pytest.mark.parametrize(
    "text",
    [
        "撤回",
        "把工单撤了",
        "我要撤回",
        "我不需要了，撤回吧",
        "问题已经解决了，工单撤了吧",
        "不用处理了，帮我撤销",
    ],
)
def test_withdraw_wordings_once_an_order_exists(text: str) -> None:
    parsed = order_action(text, has_orders=True)
    assert parsed is not None and parsed.intent is Intent.WITHDRAW


@pytest.mark.parametrize(("text", "intent"), [("查一下", Intent.STATUS), ("快点啊都几天了", Intent.CHASE)])
def test_short_follow_ups_once_an_order_exists(text: str, intent: Intent) -> None:
    parsed = order_action(text, has_orders=True)
    assert parsed is not None and parsed.intent is intent


def test_supplementary_insurance_is_not_a_supplement() -> None:
    assert order_action("补充医疗保险报销不了", has_orders=True) is None
    assert supplement_content("补充医疗保险报销不了") is None
    assert supplement_content("我要补充:灯杆也歪了") == "灯杆也歪了"


def test_giving_up_with_a_withdraw_word_drops_the_draft() -> None:
    assert conversational("算了，我不想投诉了，撤回吧") is Intent.CANCEL
    assert conversational("还是算了吧，不想麻烦了") is Intent.CANCEL


def test_a_corrected_flat_replaces_only_the_flat(lite_assistant: DialogueManager) -> None:
    s = "k-flat"
    lite_assistant.handle(s, "南湖区幸福小区2栋301楼上漏水一个星期了，我姓钟，电话13912345678")
    reply = lite_assistant.handle(s, "不对，是2栋401，我写错了")
    assert "已更正" in reply.text and reply.custom["slots"]["address"] == "南湖区幸福小区2栋401"
    assert reply.custom["state"] == "confirming"


def test_a_correction_of_a_place_part_keeps_the_complaint(lite_assistant: DialogueManager) -> None:
    s = "k-swap"
    lite_assistant.handle(s, "我们小区停水了，从今天早上一直到现在都没水")
    lite_assistant.handle(s, "南湖区建设路88号院北区")
    reply = lite_assistant.handle(s, "不对，是南区，不是北区")
    slots = reply.custom["slots"]
    assert slots["request"] == "我们小区停水了，从今天早上一直到现在都没水"
    assert slots["address"] == "南湖区建设路88号院南区"


def test_a_correction_naming_nothing_is_kept_as_a_fact(lite_assistant: DialogueManager) -> None:
    s = "k-vague-fix"
    lite_assistant.handle(s, "我们小区停水了，从今天早上一直到现在都没水")
    reply = lite_assistant.handle(s, "不对，是整栋楼都没水，不光我家")
    slots = reply.custom["slots"]
    assert slots["request"] == "我们小区停水了，从今天早上一直到现在都没水"
    assert any("整栋楼都没水" in f for f in slots["facts"])


def test_a_correction_of_the_request_replaces_it_without_its_label(lite_assistant: DialogueManager) -> None:
    s = "k-request-fix"
    lite_assistant.handle(s, COMPLETE_FIRST_MESSAGE)
    reply = lite_assistant.handle(s, "诉求不对，应该是楼下烧烤摊每天晚上占道经营")
    assert reply.custom["slots"]["request"] == "楼下烧烤摊每天晚上占道经营"


def test_an_address_correction_keeps_what_came_before_the_corrected_part(
    lite_assistant: DialogueManager,
) -> None:
    s = "k-addr-fix"
    lite_assistant.handle(s, "南湖区幸福小区5号楼楼道灯坏了，昨天晚上，我姓钟，电话13912345678")
    reply = lite_assistant.handle(s, "地址说错了，是幸福小区6号楼")
    assert reply.custom["slots"]["address"] == "南湖区幸福小区6号楼"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("我的工单现在到哪一步了", Intent.STATUS),
        ("进度如何", Intent.STATUS),
        ("有人处理了吗", Intent.STATUS),
        ("帮我看看办得咋样了", Intent.STATUS),
        ("都一个礼拜了怎么还没人联系我", Intent.CHASE),
        ("算了，我撤回吧，已经和楼上谈好了", Intent.WITHDRAW),
        ("不对，改成2分，其实水压还是很小", Intent.RATE),
    ],
)
def test_more_follow_up_wordings(text: str, intent: Intent) -> None:
    parsed = order_action(text, has_orders=True)
    assert parsed is not None and parsed.intent is intent


def test_answers_to_the_withdraw_question_and_to_the_summary() -> None:
    from assistant.intents import withdraw_answer

    assert withdraw_answer("对，撤") is Intent.AFFIRM and withdraw_answer("嗯，撤了吧") is Intent.AFFIRM
    assert withdraw_answer("不撤了") is Intent.DENY
    assert yes_no("行了就这样吧") is Intent.AFFIRM


def test_a_dated_time_replaces_vague_words_given_before(lite_assistant: DialogueManager) -> None:
    s = "k-time"
    lite_assistant.handle(s, "我家门口的路灯坏了")
    lite_assistant.handle(s, "南湖区建设路88号")
    vague = lite_assistant.handle(s, "最近")
    assert vague.custom["slots"]["incident_time_text"] == "最近"
    dated = lite_assistant.handle(s, "上周五晚上发现的")
    assert dated.custom["slots"]["incident_time"] is not None


def test_typing_restart_starts_over(lite_assistant: DialogueManager) -> None:
    assert conversational("重新开始") is Intent.RESTART
    lite_assistant.handle("k-restart", "南湖区建设路的公厕坏了好几天")
    reply = lite_assistant.handle("k-restart", "重新开始")
    assert reply.custom["state"] == "start" and reply.custom["slots"].get("request") is None
