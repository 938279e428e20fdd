"""Everything the assistant says, in one place, in plain and polite Chinese.

Kept apart from the dialogue logic so that wording can be reviewed (and localised for a city's
habits) without reading code paths, and so tests can refer to the same phrases.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from workorders.enums import MatterType, RedirectKind, Status

# Where an order stands, told to the citizen: what happens next ("已答复，等待您评价"), not the staff
# terms (已退单, 已回访); the table lives with the staff one in `workorders.labels`.
from workorders.labels import CITIZEN_STATUS_LABELS as CITIZEN_STATUS_LABELS

REDIRECT_LABELS: dict[str, str] = {
    RedirectKind.LITIGATION.value: "应当通过诉讼解决或已进入诉讼程序的事项",
    RedirectKind.ARBITRATION.value: "应当通过仲裁解决或已进入仲裁程序的事项",
    RedirectKind.ADMINISTRATIVE_RECONSIDERATION.value: "应当通过行政复议解决的事项",
    RedirectKind.DISCIPLINE_INSPECTION.value: "对公职人员违纪违法问题的检举控告",
    RedirectKind.INFORMATION_DISCLOSURE.value: "政府信息公开申请",
    RedirectKind.LAWFULLY_CONCLUDED.value: "已经依法处理并有明确结论的事项",
    RedirectKind.PETITION_PROCEDURE.value: "已经进入信访程序的事项",
}

MATTER_LABELS: dict[str, str] = {
    MatterType.CONSULTATION.value: "咨询",
    MatterType.HELP_REQUEST.value: "求助",
    MatterType.COMPLAINT.value: "投诉",
    MatterType.REPORT.value: "举报",
    MatterType.SUGGESTION.value: "建议",
    MatterType.PRAISE.value: "表扬",
    MatterType.PETITION_SUGGESTION.value: "建议意见",
    MatterType.PETITION_ACCUSATION.value: "检举控告",
    MatterType.PETITION_CLAIM.value: "申诉求决",
}

EMERGENCY_HINT = "遇到火灾、急病、治安、交通事故等紧急情况，请直接拨打110、119、120或122。"


def welcome(city: str) -> str:
    return (
        f"您好，这里是{city}12345政务服务便民热线在线服务。请直接说说您遇到的问题：发生了什么、在哪里、"
        f"什么时候。我会帮您登记并转交承办单位。{EMERGENCY_HINT}"
    )


HELP = (
    "我可以帮您：1. 反映问题、提出投诉或建议，登记后转交承办单位办理；2. 解答常见政策咨询；"
    "3. 查询已登记工单的进度（说“查一下我的工单”）；4. 补充情况、催办、撤单，以及对办理结果评价。"
    "请直接告诉我您遇到的问题。"
)
THANKS = "不客气，很高兴能帮到您。还有其他需要，随时告诉我。"
BYE = "再见，祝您生活顺心。还有需要，随时再来。"
ASK_DRAFT_SUPPLEMENT = "好的，请说一下要补充的情况。"
ONE_MATTER_AT_A_TIME = (
    "我们一件一件来：请先确认上面这件事（回复“确认”登记，或直接告诉我要改的地方），"
    "登记好后再告诉我另一个问题，我会另外登记一张工单。"
)
BYE_WITH_DRAFT = "再见。您刚才说的情况还没有提交，回来后在这里接着说就可以。"

QUESTIONS: dict[str, str] = {
    "request": "请您具体说一说遇到了什么问题？比如发生了什么事、影响到您什么、希望怎么解决。",
    "location": (
        "请问事情发生在哪里？请尽量说到区县和路名门牌、小区楼栋或附近的标志性地点。"
        "如果不涉及具体地点，回复“没有具体地点”即可。"
    ),
    "incident_time": (
        "请问这件事是什么时候发生的？比如“昨天晚上”“上周三下午”。如果一直存在，回复“一直都有”即可。"
    ),
    "phone": (
        "请留一个联系电话（手机或座机），方便承办单位联系您并回访办理结果。如果不想留，也可以回复“匿名”。"
    ),
    "name": "请问怎么称呼您？可以只说姓，比如“王女士”；不想说的话回复“不用了”。",
}


def ask_more_specific_location(district: str) -> str:
    return f"好的，在{district}。能再具体一些吗？比如哪条路、哪个小区或楼栋、附近有什么标志性建筑？"


BAD_PHONE = "这个号码好像不完整或格式不对。请再发一次：手机号是11位，座机请带区号，比如0531-88886666。"
PHONE_DECLINED = (
    "好的，不留电话也可以，按匿名反映登记。不过这样承办单位就没法打电话告诉您办理结果，您可以在这里查询进度。"
)
NOT_A_PLACE = "这好像不是地点。"
NOT_A_TIME = "这好像不是时间。"
QUESTION_NOTED = "您问的“{question}”需要承办单位来答复，我会把它写进工单。"
QUESTION_LATER = "这个问题我先记下，等把您的事情登记好再说。"
NOTHING_PENDING = "好的。还有其他需要，随时告诉我。"
STILL_HERE = "在的，我在听。"
ALREADY_DONE = "这一步已经办好了，不需要再确认。还有其他需要，可以直接告诉我；查进度请说“查一下我的工单”。"


def noted(name: str | None = None) -> str:
    """Acknowledges what a reply gave when it was not what was asked (我叫王小明 at the phone question)."""
    return f"好的，{name}，称呼记下了。" if name else "好的，记下了。"


def human_unavailable(hotline: str) -> str:
    """Why a web chat cannot be put through to a person, and where to find one; the draft stays."""
    return (
        f"我是12345在线智能助手，网页对话没法直接转接人工客服。需要人工服务的话，请拨打 {hotline} 热线。"
        "您已经说的情况我都记着，也可以继续在这里告诉我，我帮您登记。"
    )


def no_orders_for(action: str, hotline: str) -> str:
    """A follow-up (撤单, 催办, 查进度) asked for before any order exists in this conversation."""
    return (
        f"本次对话中还没有登记过工单。如果是之前登记的工单，请把工单编号（形如 20261125-000123）"
        f"和登记时留的手机号码发给我，我来帮您{action}；也可以拨打 {hotline} 热线。要反映新问题，请直接告诉我情况。"
    )


INPUT_EMPTY = "您好像还没有输入内容。请用一两句话说说您遇到的问题，比如发生了什么、在哪里。"
INPUT_MARKUP = "您发送的内容只有网页代码，没有可以识别的文字。请直接用文字描述您遇到的问题。"
INPUT_EMOJI = "我只收到了表情符号，没法判断您的意思。请用文字告诉我您遇到的问题，我好帮您登记。"
INPUT_PUNCTUATION = "我只收到了标点符号。是哪里没说清楚吗？能再多说一点吗？"
INPUT_FOREIGN = (
    "目前在线服务只支持中文，请用中文描述您的问题；需要其他语言帮助的，可以拨打12345热线。"
    "\nSorry, this online service works in Chinese only. Please write in Chinese, or call the 12345 hotline for help."
)


def input_too_long(length: int, limit: int) -> str:
    return (
        f"您这条消息有{length}字，超过了单条{limit}字的上限，我没有保存它。请精简后重新发送，"
        "或分几条发送；材料较多的，可以在登记后再补充。"
    )


#: `classifiers.emergency.SELF_HARM`, the kind of a threat of self-harm (kept as a string here: the
#: assistant reaches the classifiers only through its ports).
SELF_HARM_KIND = "self_harm"


def _self_harm_witness(info: dict[str, Any], danger: str) -> str:
    """The reply to someone reporting that another person is about to harm themselves.

    The writer is a witness, not the person in crisis: words for their own pain (会有这样的念头)
    would miss them, and every second counts, so the numbers come first, as in any hand-over,
    then what to do until help arrives.
    """
    lines = [
        f"【紧急】请立即拨打 {danger}！有人可能马上伤害自己，这属于紧急情况。",
        "打电话时请说清楚具体位置（哪栋楼、哪一层或哪座桥）和对方现在的状态。",
        "在救援赶到之前，如果您自己安全，请尽量有人陪在对方身边，耐心倾听、不要指责或刺激对方，"
        "移开可能用来伤害自己的物品；请不要让对方独处。",
    ]
    if support := info.get("support_number"):
        name = info.get("support_name") or "心理援助热线"
        lines.append(f"之后如果想了解怎样帮助对方，或者您自己也需要倾诉，可以拨打{name} {support}。")
    lines.append("处理完紧急情况后，如果还有需要12345跟进的问题，可以继续告诉我。")
    return "\n".join(lines)


def self_harm(info: dict[str, Any]) -> str:
    """The reply to someone who may be thinking of ending their life, or who reports someone is.

    A person in crisis who reads 「【紧急】这属于紧急情况…判断依据：有人轻生」 is processed, not heard.
    Crisis-line practice asks for something else: acknowledge the person, say they are not alone,
    give the numbers for immediate danger, and offer someone to talk to. The rule and its matched
    words stay in the event log for the operator and are not shown here. A report about someone
    else (``someone_else``) gets the numbers first instead (see `_self_harm_witness`).
    """
    police = info.get("number") or "110"
    ambulance = info.get("ambulance") or ""
    both = bool(ambulance) and ambulance != police
    if info.get("someone_else"):
        return _self_harm_witness(info, f"{police}/{ambulance}" if both else police)
    danger = f"{police} 或 {ambulance}" if both else police
    lines = [
        "谢谢您愿意告诉我。听到这样的话，我很担心。会有这样的念头，一定是承受了很多痛苦；"
        "您不是一个人，有人愿意陪您一起面对。",
        f"如果现在有生命危险，或者已经伤害了自己（或身边的人正处在这样的危险中），请马上拨打 {danger}，"
        "并请家人、朋友或身边的人过来陪着。",
    ]
    if support := info.get("support_number"):
        name = info.get("support_name") or "心理援助热线"
        lines.append(f"想找人聊一聊的话，可以随时拨打{name} {support}，那里有专业的人倾听您、帮助您。")
    lines.append("如果有让您为难的事需要12345帮忙协调，比如工作、住房或生活上的困难，也可以慢慢告诉我。")
    return "\n".join(lines)


def emergency(info: dict[str, Any]) -> str:
    """The hand-over message; a threat of self-harm gets the caring words of `self_harm` instead."""
    if info.get("kind") == SELF_HARM_KIND:
        return self_harm(info)
    number, name = info.get("number", "110"), info.get("name", "")
    reason = info.get("reason") or ""
    lines = [
        f"【紧急】这属于紧急情况，请立即拨打 {number}（{name}）！"
        if name
        else f"【紧急】请立即拨打 {number}！",
        "12345 热线不能替代紧急救援，请先确保自身和他人安全。",
    ]
    if reason:
        lines.append(f"判断依据：{reason}")
    lines.append("处理完紧急情况后，如果还有需要12345跟进的问题，可以继续告诉我。")
    return "\n".join(lines)


#: A sentence of advice that says again what the first line of a redirect says (按规定12345热线不予受理).
_NOT_ACCEPTED = re.compile(r"(不予受理|不能受理|不予重复受理|不再重复受理|不属于.{0,8}受理范围)")


def _redirect_advice(advice: str) -> str:
    """The advice of a redirect without a greeting or a "not accepted" of its own.

    The reply opens with the greeting and says once why 12345 cannot accept the matter; advice
    written to stand alone (「您好，…按规定12345热线不予受理。请向…」) would say both again.
    """
    advice = advice.strip().removeprefix("您好，").removeprefix("您好,")
    sentences = re.findall(r"[^。！!]+[。！!]?", advice)
    return "".join(s for s in sentences if not _NOT_ACCEPTED.search(s)).strip()


def redirect(info: dict[str, Any]) -> str:
    """One polite message: what the matter is, why 12345 cannot take it (with the basis), where to go."""
    label = REDIRECT_LABELS.get(str(info.get("kind")), "需要通过其他法定渠道办理的事项")
    citation = info.get("citation") or ""
    channel = info.get("channel") or ""
    advice = _redirect_advice(info.get("advice") or "")
    basis = f"依照{citation}，" if citation else ""
    lines = [f"您好，您反映的是{label}，{basis}不在12345热线的受理范围内。"]
    if advice:
        lines.append(advice)
    if channel and channel.split("（")[0] not in advice:
        lines.append(f"请向{channel}反映。")
    lines.append("本次不会登记工单。如果您还有其他问题，可以继续告诉我。")
    return "\n".join(lines)


def knowledge_answer(hits: list[dict[str, Any]], question: str = "") -> str:
    """The answer to a consultation, one bullet per hit as `assistant.knowledge.answer_hits` gives them.

    Args:
        hits: The hits to quote, best first.
        question: The citizen's own words; a hit's everyday phrasing that says the same is not echoed.

    Returns:
        The message text, ending with the offer to file the matter anyway.
    """
    lines = ["关于您问的问题，可以先参考以下内容："]
    shown = {plain_words(question)}
    for hit in hits:
        if hit.get("citation"):
            lines.append(f"· 依据{hit['citation']}：{hit['text']}")
        else:  # a past case: someone else's question, so labelled as such, never as the rule
            lines.append(f"· 类似问题的过往答复（{hit.get('title') or '过往案例'}）：{hit['text']}")
        matched = hit.get("matched_question")
        if matched and plain_words(matched) not in shown:
            shown.add(plain_words(matched))
            lines.append(understood_as(matched))
    lines.append("以上内容仅供参考。如果仍需要登记并转交相关部门办理，请回复“登记”；不需要的话回复“不用了”。")
    return "\n".join(lines)


KNOWLEDGE_NOT_FOUND = (
    "关于您问的问题，我没有找到直接相关的规定或答复，不想给您不准确的信息。"
    "如果需要，我可以帮您登记，转交相关部门答复，请回复“登记”；不需要的话回复“不用了”。"
)
"""Said to a consultation no knowledge-base entry answers closely enough (see `assistant.knowledge`):
an honest "not found" and the offer to file, rather than the nearest unrelated entry."""


def understood_as(matched_question: str) -> str:
    """The line telling a citizen which everyday question an article was found through.

    A regulation answers in legal terms; showing the plain question it was matched on lets the
    citizen see how their words were understood, and say so when that is not what they meant.
    """
    return f"  （相当于问：{matched_question}）"


def plain_words(text: str) -> str:
    """Only the letters and digits of ``text``, so "多久办完？" and "多久 办完" count as the same words."""
    return "".join(ch for ch in text if ch.isalnum())


def local(moment: dt.datetime | None, tz: dt.tzinfo, now: dt.datetime | None = None) -> str:
    """``12月4日 23:59`` in the city's time; with the year when it is not `now`'s (a petition's
    60 days run into the next year: 2027年1月27日)."""
    if moment is None:
        return "—"
    at = moment.astimezone(tz)
    year = f"{at.year}年" if now is not None and now.astimezone(tz).year != at.year else ""
    return f"{year}{at.month}月{at.day}日 {at:%H:%M}"


def summary(lines: list[tuple[str, str]]) -> str:
    body = "\n".join(f"· {k}：{v}" for k, v in lines)
    return (
        f"好的，我把您反映的情况整理如下，请核对：\n{body}\n"
        "确认无误请回复“确认”；哪里不对，直接告诉我就行（比如“地址是……”）。"
    )


def repeat_found(number: str, status: Status, own: bool) -> str:
    whose = "您之前反映的" if own else "其他市民已经反映的"
    return (
        f"您说的情况和{whose}工单 {number} 看起来是同一件事，该工单当前状态：{CITIZEN_STATUS_LABELS[status]}。"
        "为避免重复派单，我可以把您这次说的情况合并到这张工单，承办单位会一并处理。要合并吗？"
    )


def repeat_linked(number: str, status: Status) -> str:
    return (
        f"已把您反映的情况合并到工单 {number}（当前状态：{CITIZEN_STATUS_LABELS[status]}），并提醒承办单位这个问题有人再次反映。"
        "之后您可以说“查一下我的工单”了解进度。"
    )


def filed(number: str, deadline: str, anonymous: bool) -> str:
    text = (
        f"已为您登记，工单编号 {number}。承办单位将在 {deadline} 前答复。"
        "之后您可以随时说“查一下我的工单”了解进度，也可以补充情况、催办或撤单。"
    )
    if anonymous:
        text += "由于是匿名反映，办理结果不会电话回访，请在这里查询。"
    return text


CANCELLED = "好的，已取消本次登记，没有提交任何工单。如果还有其他问题，随时告诉我。"
RESTARTED = "好的，我们重新开始。请说说您遇到的问题。"
WHAT_TO_CHANGE = "请问哪一项需要修改？直接告诉我正确的内容就行，比如“地址是……”“电话是……”。"
NOT_UNDERSTOOD_CONFIRM = (
    "抱歉，我没太明白。信息无误请回复“确认”，需要修改请直接说要改的内容，不想登记了请回复“取消”。"
)
FILE_FAILED = "抱歉，登记时出了点问题：{error}。请修改后再回复“确认”。"
TRY_AGAIN = "抱歉，刚才的消息没有处理成功，请再发一次。"
NOT_YOURS = "没有找到这张工单，或者它不是在本次对话中登记的，出于隐私保护无法查询。请核对工单编号。"
ASK_PHONE_ON_FILE = "为保护您的隐私，请告诉我登记工单 {number} 时留的手机号码，核对无误后为您办理。"
VERIFICATION_FAILED = "工单编号和手机号码对不上，或者这张工单是匿名登记的，无法在这里办理。请核对工单编号和登记时留的手机号码后再试。"


def verification_locked(hotline: str) -> str:
    """Too many wrong order-number/phone pairs in one conversation."""
    return (
        f"核对未通过的次数较多，为保护工单信息，本次对话不再核对。请拨打 {hotline} 热线，由工作人员为您查询。"
    )


ASK_RATING = "承办单位已经答复。请您对办理结果评价：5 非常满意，4 满意，3 基本满意，2 不满意，1 非常不满意。"
RATING_NOT_READY = "工单 {number} 还在办理中（{status}），承办单位答复后才能评价。"
RATING_UNCLEAR = "请回复 1 到 5 的数字评价：5 非常满意，4 满意，3 基本满意，2 不满意，1 非常不满意。"
RATED_OK = "感谢您的评价（{rating}分）！工单 {number} 的办理情况我们已记录。"
RATED_BACK = (
    "很抱歉这次办理没有让您满意（{rating}分）。工单 {number} 已退回承办单位重新办理，"
    "新的办理时限是 {deadline}。有需要补充的情况，可以直接告诉我。"
)
ASK_WITHDRAW = "确定要撤销工单 {number} 吗？撤销后承办单位将停止办理。确定请回复“确认”，不撤了回复“不用了”。"
WITHDRAWN = "工单 {number} 已撤销。如果之后问题又出现了，可以随时重新反映。"
WITHDRAW_KEPT = "好的，工单 {number} 不撤销，会继续办理。"
CANNOT_WITHDRAW = "工单 {number} 目前{status}，已经不能撤销了。"
CHASED = "已为您催办工单 {number}（当前状态：{status}），承办单位会尽快处理，办理时限是 {deadline}。"
CANNOT_CHASE = "工单 {number} 目前{status}，不需要再催办了。"


def chased_recently(number: str, *, at: str, status: str, deadline: str) -> str:
    """A repeated 催办 within the window: acknowledged, not sent to the department a second time."""
    return (
        f"已经为您催办过工单 {number}（{at}），承办单位已收到催办提醒，短时间内不再重复催办。"
        f"当前状态：{status}，办理时限是 {deadline}。"
    )


def joined_order_only(number: str) -> str:
    """An order the citizen's matter was merged into (并单) but someone else filed: what they can do."""
    return (
        f"工单 {number} 是其他市民登记的，您反映的情况已合并到这张工单。您可以查询进度、催办或补充情况；"
        "撤单和评价由登记的市民办理。"
    )


def already_rated(number: str, *, at: str | None, rating: int | None) -> str:
    """Asked to rate an order the citizen already rated (a low rating would have reopened it instead)."""
    when = f"已于{at}评价过" if at else "已经评价过"
    score = f"（{rating}分）" if rating else ""
    return (
        f"工单 {number} 您{when}{score}，每张工单只能评价一次。"
        "如果问题又出现了，可以直接告诉我，我帮您重新登记。"
    )


def rating_closed(number: str, *, at: str | None, rating: int | None) -> str:
    """Asked to rate an order that is already closed (办结)."""
    when = f"已于{at}办结" if at else "已经办结"
    score = f"，您的评价是{rating}分" if rating else ""
    return f"工单 {number} {when}{score}，不能再评价了。如果问题又出现了，可以直接告诉我，我帮您重新登记。"


def rating_withdrawn(number: str) -> str:
    """Asked to rate an order the citizen withdrew."""
    return f"工单 {number} 已经撤销，没有办理结果可以评价。如果问题还在，可以直接告诉我，我帮您重新登记。"


ASK_SUPPLEMENT = "好的，请说一下要给工单 {number} 补充的内容。"
SUPPLEMENTED = "已把补充的内容加到工单 {number}，承办单位会一并看到。"
CANNOT_SUPPLEMENT = "工单 {number} 已经{status}，不能再补充了。如有新的问题，可以直接告诉我，我帮您重新登记。"
WHICH_ORDER = "您在本次对话中有多张工单：{numbers}。请告诉我是哪一张的编号。"
CORRECTED = "好的，已更正。"
ANONYMOUS_NOTED = "好的，按匿名反映登记，不留联系方式。"
