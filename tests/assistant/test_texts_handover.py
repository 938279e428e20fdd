"""The words of an emergency hand-over and of a redirect (assistant.texts), on rule output."""

from __future__ import annotations

from assistant import texts
from assistant.adapters import RulesOnlyTriage
from classifiers.emergency import check_emergency
from classifiers.redirect import check_redirect
from workorders.enums import RedirectKind


def test_self_harm_reply_is_caring_not_a_template(city_config) -> None:  # type: ignore[no-untyped-def]
    info = check_emergency("我不想活了", city_config)
    assert info is not None
    reply = texts.emergency(info.model_dump())
    assert "【紧急】" not in reply and "判断依据" not in reply and "轻生" not in reply
    assert "不是一个人" in reply
    assert "110" in reply and "120" in reply, "urges a call now if in danger"
    assert "12356" in reply and "心理援助热线" in reply, "offers a psychological help line"


def test_someone_else_about_to_harm_themselves_gets_the_numbers_first(city_config) -> None:  # type: ignore[no-untyped-def]
    """A witness is not in crisis: 110/120 come first, and no words for the writer's own pain."""
    info = check_emergency("我邻居小伙子站在楼顶边上说不想活了，要跳下去，在东城区人民路3号楼顶", city_config)
    assert info is not None and info.kind == "self_harm" and info.someone_else
    reply = texts.emergency(info.model_dump())
    first = reply.splitlines()[0]
    assert first.startswith("【紧急】请立即拨打") and "110" in first and "120" in first, reply
    assert "念头" not in reply and "您不是一个人" not in reply, reply
    assert texts.self_harm(info.model_dump()) == reply, "the form and the API use the same words"
    own = texts.emergency(check_emergency("活着真没意思", city_config).model_dump())  # type: ignore[union-attr]
    assert "您不是一个人" in own and not own.startswith("【紧急】")


def test_other_emergencies_keep_the_urgent_hand_over(city_config) -> None:  # type: ignore[no-untyped-def]
    info = check_emergency("楼道里着火了，烟很大", city_config)
    assert info is not None
    reply = texts.emergency(info.model_dump())
    assert reply.startswith("【紧急】") and "119" in reply and "判断依据" in reply


def test_a_chat_about_self_harm_gets_the_caring_reply(make_assistant, sqlite_url, city_config) -> None:  # type: ignore[no-untyped-def]
    assistant = make_assistant(sqlite_url, triage=RulesOnlyTriage(city_config))
    result = assistant.handle("s-self-harm", "我真的不想活了")
    assert result.custom["state"] == "emergency"
    assert "不是一个人" in result.text and "12356" in result.text
    assert assistant.orders.count() == 0


def test_each_redirect_reads_as_one_message(city_config) -> None:  # type: ignore[no-untyped-def]
    messages = {
        RedirectKind.LITIGATION: "我要起诉我的房东",
        RedirectKind.ADMINISTRATIVE_RECONSIDERATION: "我要申请行政复议，对城管的罚款决定不服",
        RedirectKind.DISCIPLINE_INSPECTION: "举报我们村支书贪污扶贫款",
        RedirectKind.INFORMATION_DISCLOSURE: "我想申请政府信息公开，要看拆迁的批复文件",
        RedirectKind.PETITION_PROCEDURE: "这件事已经向市信访局反映了，信访局正在办理",
    }
    for kind, message in messages.items():
        info = check_redirect(message, city_config.redirect_citations, city=city_config.city.name)
        assert info is not None and info.kind is kind
        reply = texts.redirect(info.model_dump(mode="json"))
        assert reply.startswith("您好") and reply.count("您好") == 1, reply
        assert reply.count("受理范围") == 1 and "不予受理" not in reply, reply
        assert "建议：" not in reply and "属于" not in reply, reply
        assert "潍坊" not in reply and info.citation in reply, reply
        assert "不会登记工单" in reply


def test_redirect_reply_drops_the_repetition_of_standalone_advice() -> None:
    reply = texts.redirect(
        {
            "kind": "litigation",
            "channel": "人民法院",
            "citation": "《某市条例》第十九条",
            "advice": "您好，您反映的事项已经进入诉讼程序，按规定12345热线不予受理。请向审理案件的人民法院反映。",
        }
    )
    assert reply.count("您好") == 1 and "不予受理" not in reply
    assert "请向审理案件的人民法院反映。" in reply and "《某市条例》第十九条" in reply
