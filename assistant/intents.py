"""What does the citizen want to do with this message? Dialogue-control intents in colloquial Chinese.

The matter itself (category, urgency, emergency, redirect) is the triage model's job. This module only
recognises the conversational moves around it: yes/no to a question, corrections, and the follow-up
actions on a filed order (查进度, 撤单, 催单, 补充, 评价). Rules are enough here because these moves are
short and formulaic, and a rule that misfires is easy to see and fix; each rule is anchored so that a
complaint that merely contains 催 or 不对 is not mistaken for a command.

Buttons send Rasa-style payloads (``/affirm``, ``/rate{"rating": 4}``), recognised first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Intent(StrEnum):
    AFFIRM = "affirm"
    DENY = "deny"
    CANCEL = "cancel"
    RESTART = "restart"
    GREET = "greet"
    THANKS = "thanks"
    HELP = "help"
    STATUS = "status"
    WITHDRAW = "withdraw"
    CHASE = "chase"
    SUPPLEMENT = "supplement"
    RATE = "rate"
    FILE_ANYWAY = "file_anyway"
    CORRECTION = "correction"
    HUMAN = "human"
    BYE = "bye"


@dataclass(frozen=True)
class Parsed:
    """An intent with what it carries (a rating, an order number, the text after 补充)."""

    intent: Intent
    entities: dict[str, Any] = field(default_factory=dict)


_COMMAND = re.compile(r"^/(\w+)\s*(\{.*\})?\s*$", re.DOTALL)
_ORDER_NUMBER = re.compile(r"(?<!\d)(\d{8}-\d{6})(?!\d)")
_PUNCT = "。，,.!！?？~～ 呀啊吧哈嗯了的"

_AFFIRM = re.compile(
    r"^(?:是|是的|对|对的|对了|没错|正确|好|好的|好吧|行|可以|嗯|嗯嗯|确认|确定|提交|确认提交|没问题|就这样|ok|okay|yes|y|要|需要|要的|麻烦了|麻烦你了)$",
    re.IGNORECASE,
)
_DENY = re.compile(
    r"^(?:不|不是|不对|否|错了|不行|不要|不用|不需要|不用了|有误|no|n|修改|改一下|要修改|我要修改|需要修改|有错)$",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"^(?:算了|取消|不反映了|不投诉了|不办了|不登记了|先不(?:登记|提交|反映)了?|不用(?:登记|提交)了?)$"
    r"|^(?:还是)?算了(?:吧)?[，,\s]*(?:我)?(?:不(?:反映|投诉|办|登记|说|弄|报)|不想(?:反映|投诉|登记|麻烦))了?"
    r"(?:[，,\s]*(?:撤回|撤销|取消|撤了)(?:吧)?)?$"
)
#: 没问题提交吧, 可以，提交: a yes followed by the word for what it agrees to.
_AFFIRM_SUBMIT = re.compile(
    r"^(?:没问题|可以|好的?|对的?|是的?|没错|行|确认|嗯+|ok)[，,\s]*(?:提交|确认提交|登记|就这样|确认无误|没问题)$",
    re.IGNORECASE,
)
#: 行了就这样吧, 那就这样: agreeing to the summary as it stands.
_AFFIRM_AS_IS = re.compile(r"^(?:行了?|好了?|可以了?|那|那就)?[，,\s]*就这样(?:了|吧)?$")
_BYE = re.compile(r"^(?:再见|拜拜|拜|bye|byebye|886|先这样|就这样吧|没事了|没别的了)+$", re.IGNORECASE)
_RESTART = re.compile(r"^(?:重新开始|重来|重新来|从头开始|我要重新反映)$")
_GREET = re.compile(
    r"^(?:你好|您好|在吗|在不在|有人吗|hi|hello|哈喽|早上好|下午好|晚上好|喂)+$", re.IGNORECASE
)
_THANKS = re.compile(r"^(?:谢谢|感谢|多谢|谢了|辛苦了|谢谢你|谢谢您|好的谢谢|好谢谢|麻烦了谢谢)+$")
_HELP = re.compile(
    r"你(?:能|可以|会)(?:做|干|帮我)?(?:什么|啥)|怎么用|怎么反映|使用说明|^帮助$|^help$", re.IGNORECASE
)

_ORDER_WORDS = r"(?:工单|单子|单号|我(?:的|反映的|投诉的|提交的)(?:问题|事情|事|投诉|诉求)|上次(?:反映|投诉)的|之前(?:反映|投诉)的)"
_STATUS_ASK = (
    r"(?:进度|怎么样了?|状态|结果|处理(?:得)?(?:怎么样|如何|到哪)|有(?:没有)?(?:人管|回复|答复|结果|进展|消息)"
    r"|(?:处理|办|弄|修|解决)好了(?:没|吗|没有)|(?:处理|解决)了(?:没|吗|没有)|好了(?:没|吗)"
    r"|(?:到)?哪一步|到哪(?:了|儿了)|进展(?:如何|怎么样)?)"
)
_STATUS = re.compile(
    rf"(?:查|看|问)(?:一下|一查|询|看)?.{{0,6}}{_ORDER_WORDS}|{_ORDER_WORDS}.{{0,8}}{_STATUS_ASK}"
    r"|^(?:查进度|进度|查询进度|办理进度|处理进度|查一下进度|有结果了吗|处理了吗|查一下|查查|查询|查一查|看一下|怎么样了"
    r"|进度如何|进展如何|有人处理了吗|有人管吗|处理了没|处理了没有)$"
    r"|^(?:帮我)?(?:看看|查查|问问)?(?:办|处理|弄)得(?:咋样|怎么样|如何)了?$"
)
#: 我那个井盖的事情怎么样了: a matter named by its subject, only once the conversation has an order.
_STATUS_OF_MATTER = re.compile(
    rf"^我(?:那个|那件|反映的那个|上次说的)[^，,。！？]{{0,12}}?的?(?:事情?|问题).{{0,4}}{_STATUS_ASK}"
)
_WITHDRAW = re.compile(
    rf"(?:撤销|撤回|撤掉|取消|撤)(?:一下|掉)?.{{0,4}}{_ORDER_WORDS}"
    rf"|{_ORDER_WORDS}.{{0,6}}(?:撤销|撤回|撤了|撤掉|撤$|不用(?:再)?(?:处理|办)了|可以撤了|取消)"
    r"|^(?:撤单|我要撤单|撤销|撤回投诉|问题已经解决了?，?(?:不用|可以撤)|已经解决了?，?不用(?:再)?处理了)"
    # 撤回, 我要撤回, …，帮我撤销, 撤回吧: a bare command, at the start or after a clause
    r"|(?:^|[，,。！!\s])(?:我要|我想|帮我|请|麻烦|那就|就)?(?:撤回|撤销|撤掉|撤了)(?:吧|了|掉)?$"
    r"|(?:^|[，,。])(?:算了[，,\s]*)?我(?:要|想|就)?(?:撤回|撤销|撤单)(?:吧|了)?(?:[，,。]|$)"
)
_CHASE = re.compile(
    rf"催(?:一下|一催|办|单|促)?.{{0,6}}{_ORDER_WORDS}|{_ORDER_WORDS}.{{0,10}}(?:怎么还没(?:人)?(?:处理|解决|管|回复)|太慢|催一下|加快)"
    r"|^(?:催一下|催单|催办|帮我催一下|能不能快点|请尽快处理|怎么还没处理|怎么还没人管|还没处理|还没人来)"
    r"|^(?:都[^，,。]{1,6}了[，,]?)?(?:怎么|为什么|咋)?(?:到现在)?还(?:是)?没(?:有)?人?(?:处理|解决|管|来|回复|答复|联系我)"
    r"|(?:^|[，,。！!？?\s])(?:请|麻烦|帮我|能不能|可以)?(?:再|赶紧|给我)?催(?:一下|一催|催|办|单|促)?(?:他们|一下)?$"
    r"|^催{2,}$"
    r"|^(?:快点|快点儿|能快点吗|赶紧处理|赶快处理)(?:啊|吧)?[，,！!\s]*(?:都)?(?:几天了?|好几天了?|这么久了?)?$"
)
#: Follow-up commands that name no order (撤单, 催一下): they only make sense once an order exists.
_BARE_FOLLOWUP = re.compile(
    r"^(?:我要|我想|帮我|请|麻烦)?(?:撤单|撤销|撤回|撤销工单|撤回投诉|催单|催办|催一下|催{2,}|查进度|进度|查询进度|办理进度|处理进度)"
    r"(?:一下)?$"
)
#: Asking for a person (转人工, 我要找人工客服) or whether this is one (你是机器人吗).
_HUMAN = re.compile(
    r"转人工|转接人工|人工(?:客服|服务|坐席|座席|接线|接听)|找人工|要人工|接人工|^人工$|真人客服|人工呢"
    r"|(?:你|您)(?:是|是不是)(?:机器人|人工|真人|ai|AI|智能)|机器人吗|是机器人|不要机器人|不想(?:跟|和)机器人"
)
#: A message that asks something rather than answers (什么时候来水, 要多久?).
_QUESTION_END = re.compile(r"(?:[?？]|(?<!什)(?:吗|么))[。！!~～\s]*$")
_QUESTION_WORD = re.compile(
    r"什么时候|啥时候|什么(?!都|也)|啥(?!都|也)|怎么(?!都|也|回事)|为什么|为啥|多久|多长时间|几点|几时|何时|哪天"
    r"|能不能|可不可以|是不是|会不会|要不要|行不行|有没有"
)
#: 不知道什么时候开始的 says the citizen does not know; it asks nothing.
_NOT_ASKING = re.compile(r"不知道|不清楚|不记得|记不清|忘了|说不准|说不好|不晓得")
#: 时间是…/地点是…/地址改成…: an explicit new value for one slot, which replaces the old one.
_EXPLICIT_SLOT = re.compile(
    r"^(?:不对|不是|错了|更正|纠正|改一下)?[，,。\s]*(?P<slot>发生时间|时间|日期|地点|地址|位置|具体位置|具体地址)"
    r"(?:说错了|写错了|填错了|不对|错了|有误)?[，,。\s]*"
    r"(?:应该)?(?:是|在|为|改成|改为|改到|换成|更正为|应该是|:|：)\s*(?P<value>.+)$",
    re.DOTALL,
)
_SUPPLEMENT = re.compile(
    rf"^(?:我(?:想|要|再|还)?(?:要|想)?|再|还要|需要)?(?:补充|追加|补一下)"
    # 补充医疗保险 is a noun: the verb is followed by 一下/一点/情况…, an order word or punctuation
    rf"(?=一下|一点|一些|几句|说明|材料|情况|信息|{_ORDER_WORDS}|[:：，,。\s]|$)"
    rf"(?:一下|一点|一些|几句)?(?:说明|材料|情况|信息)?(?:{_ORDER_WORDS})?[:：，,。]?\s*(.*)$",
    re.DOTALL,
)
_RATE_WORDS: tuple[tuple[str, int], ...] = (
    ("非常不满意", 1),
    ("很不满意", 1),
    ("特别不满意", 1),
    ("不满意", 2),
    ("不太满意", 2),
    ("基本满意", 3),
    ("一般", 3),
    ("还行", 3),
    ("非常满意", 5),
    ("很满意", 5),
    ("特别满意", 5),
    ("满意", 4),
)
_RATE_SCORE = re.compile(r"(?<![\d.])([1-5一二三四五])\s*(?:分|星|颗星)(?!钟)|^([1-5])$")
#: What makes a score a rating: 评价, 打分, 满意度, and a score given outright (给5分, 打1分, 再评一次).
_RATE_INTRO = re.compile(
    r"评价|评分|打分|打个分|回访|满意度|给.{0,4}(?:打|评)|(?:给|打|评|改成|改为)\s*个?\s*[1-5一二三四五]\s*(?:分|星)|再评|重新评"
)
_FILE_ANYWAY = re.compile(
    r"(?:还是|仍然|依然|帮我|我要|我想|请|麻烦)(?:要|想)?(?:帮我)?(?:登记|反映|投诉|提交|立案|建单|报给|转给)"
    r"|^(?:登记|要登记|帮我登记|需要登记|还是登记吧)$"
)
_CORRECTION = re.compile(
    r"^(?:不对|不是|错了|说错了|搞错了|写错了|更正|纠正|改一下|修改)[，,。！!\s]*|(?:改成|改为|应该是|更正为|不是.{1,20}[，,]\s*是)"
)
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
#: An order number or a phone number with its label (工单号20261125-000123, 电话138…): what
#: identifies the order, taken out before the wording is matched (单子20261125-000004处理得怎么样了).
_IDENTIFIERS = re.compile(
    r"(?:工单(?:编)?号|单号|编号)?(?:是|为|:|：)?\s*\d{8}-\d{6}"
    r"|(?:我的)?(?:手机|电话|联系电话|手机号)(?:号码?)?(?:是|为|:|：)?\s*(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})"
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"
)


def _compact(text: str) -> str:
    return text.strip().strip(_PUNCT).strip()


def order_number(text: str) -> str | None:
    """An order number (``20261125-000123``) mentioned in the text."""
    m = _ORDER_NUMBER.search(text)
    return m.group(1) if m else None


def rating(text: str) -> int | None:
    """A 1-5 rating from digits (4分, 五星) or words (满意 = 4, 不满意 = 2)."""
    m = _RATE_SCORE.search(text.strip())
    if m:
        raw = m.group(1) or m.group(2)
        return int(raw) if raw.isdigit() else _CN_DIGIT[raw]
    for word, score in _RATE_WORDS:
        if word in text:
            return score
    return None


def parse_command(text: str) -> Parsed | None:
    """A button payload such as ``/affirm`` or ``/rate{"rating": 2}``; None for ordinary text."""
    m = _COMMAND.match(text.strip())
    if not m:
        return None
    try:
        intent = Intent(m.group(1))
    except ValueError:
        return None
    entities: dict[str, Any] = {}
    if m.group(2):
        try:
            loaded = json.loads(m.group(2))
        except json.JSONDecodeError:
            loaded = {}
        if isinstance(loaded, dict):
            entities = {str(k): v for k, v in loaded.items()}
    return Parsed(intent, entities)


def yes_no(text: str) -> Intent | None:
    """AFFIRM or DENY for a short yes/no answer; None otherwise."""
    short = _compact(text)
    if _AFFIRM.match(short) or _AFFIRM_SUBMIT.match(short) or _AFFIRM_AS_IS.match(short):
        return Intent.AFFIRM
    if _DENY.match(short):
        return Intent.DENY
    return None


def conversational(text: str) -> Intent | None:
    """Greeting, thanks, help, cancel or restart, when that is all the message says."""
    short = _compact(text)
    if _CANCEL.match(text.strip().strip(_PUNCT.replace("了", ""))):
        return Intent.CANCEL  # 算了: _compact would strip its 了
    for pattern, intent in (
        (_RESTART, Intent.RESTART),
        (_CANCEL, Intent.CANCEL),
        (_GREET, Intent.GREET),
        (_THANKS, Intent.THANKS),
        (_BYE, Intent.BYE),
    ):
        if pattern.match(short):
            return intent
    if len(short) <= 20 and _HELP.search(short):
        return Intent.HELP
    return None


def order_action(text: str, *, has_orders: bool, awaiting_rating: bool = False) -> Parsed | None:
    """A follow-up action on a filed order: status, withdraw, chase, supplement or rate.

    Args:
        has_orders: The session owns orders; short commands (催一下, 撤单) only make sense then.
        awaiting_rating: The assistant just asked for a rating, so a bare 4 or 满意 is one.
    """
    number = order_number(text)
    entities: dict[str, Any] = {"order_number": number} if number else {}
    plain = _IDENTIFIERS.sub("", text).strip(" ，,。")
    short = _compact(plain)
    score = rating(short)
    if score is not None and (awaiting_rating or _RATE_INTRO.search(short)) and len(short) <= 40:
        return Parsed(Intent.RATE, {**entities, "rating": score})
    if _RATE_INTRO.search(short) and len(short) <= 20 and has_orders:
        return Parsed(Intent.RATE, entities)
    explicit = bool(re.search(_ORDER_WORDS, short)) or number is not None
    if not (explicit or has_orders):
        return None
    if len(short) > 60 and not explicit:
        return None
    if _WITHDRAW.search(short):
        return Parsed(Intent.WITHDRAW, entities)
    if _CHASE.search(short):
        return Parsed(Intent.CHASE, entities)
    if _SUPPLEMENT.match(short) and (m := _SUPPLEMENT.match(plain)):
        return Parsed(Intent.SUPPLEMENT, {**entities, "text": m.group(1).strip(" ，,。")})
    if (
        _STATUS.search(short)
        or (has_orders and _STATUS_OF_MATTER.search(short))
        or (number is not None and len(short) <= 30)
    ):
        return Parsed(Intent.STATUS, entities)
    return None


_WITHDRAW_YES = re.compile(
    r"^(?:对|嗯|是|好|确认)?[，,\s]*(?:撤|撤吧|撤了|撤掉|撤销|撤回|撤单)(?:了|吧|了吧)?$"
)
_WITHDRAW_NO = re.compile(r"^(?:还是|先)?(?:不撤|不撤了|不撤销|不要撤|别撤)(?:了|吧)?$")


def withdraw_answer(text: str) -> Intent | None:
    """AFFIRM or DENY for an answer to 确定要撤销吗 in the citizen's own words (对，撤 / 不撤了)."""
    plain = text.strip().strip("。！!~～ ")
    if _WITHDRAW_YES.match(plain):
        return Intent.AFFIRM
    if _WITHDRAW_NO.match(plain):
        return Intent.DENY
    return yes_no(text)


def supplement_content(text: str) -> str | None:
    """What follows 我补充一下 / 补充： in a message, or None when it does not open that way.

    While a complaint is being collected, that lead-in says the rest is more about the same matter:
    a fact, never the answer to the question just asked (已经找过物业三次了 is no address).
    """
    m = _SUPPLEMENT.match(text.strip())
    return m.group(1).strip(" ，,。") if m else None


#: 另外我还要反映一个问题, 还有一件事: a second matter announced while the first awaits confirmation.
_ANOTHER_MATTER = re.compile(
    r"(?:另外|还有|再)(?:我)?(?:还)?(?:要|想)?(?:反映|投诉|说)?(?:一个|一件|个|件)(?:别的|其他)?(?:问题|事情?)"
    # 另外小区里有人养了大狗…: another subject opened at the confirmation step (not 另外电话是…)
    r"|^(?:另外|顺便|对了)[，,、\s]*(?!电话|手机|地址|地点|时间|姓名|名字|我叫|我姓|补充)"
)


def announces_another_matter(text: str) -> bool:
    """The citizen starts a second matter (另外我还要反映一个问题：…) before the first is filed."""
    return bool(_ANOTHER_MATTER.search(text))


def bare_followup(text: str) -> Parsed | None:
    """撤单, 催一下 or 查进度 said with no order to apply it to (`order_action` then says nothing).

    Recognised so the citizen can be told there is no order in this conversation, instead of being
    asked what their problem is. Only the bare command forms count, so a first complaint that
    mentions 催 or 进度 is still a complaint.
    """
    short = _compact(text)
    entities: dict[str, Any] = {}
    if not _BARE_FOLLOWUP.match(short):
        return None
    if _WITHDRAW.search(short) or short.startswith(("撤", "我要撤", "我想撤", "帮我撤", "请撤", "麻烦撤")):
        return Parsed(Intent.WITHDRAW, entities)
    if "催" in short:
        return Parsed(Intent.CHASE, entities)
    return Parsed(Intent.STATUS, entities)


def wants_human(text: str) -> bool:
    """The citizen asks for a human operator (转人工) or whether they are talking to a machine."""
    return bool(_HUMAN.search(text.strip()))


def strip_human_request(text: str) -> str:
    """The message without its request for a person (转人工，我家停水了 → 我家停水了)."""
    return _HUMAN.sub("", text).strip(" ，,。.!！?？")


def is_question(text: str) -> bool:
    """The message asks something (什么时候来水, 要多久？) instead of stating a fact or an answer."""
    text = text.strip()
    if _QUESTION_END.search(text):
        return True
    return bool(_QUESTION_WORD.search(text)) and not _NOT_ASKING.search(text)


def explicit_slot(text: str) -> tuple[str, str] | None:
    """(slot, value) for an explicit correction such as 时间是今天下午 or 地址改成建设路5号.

    Naming the slot is the citizen's way of saying "replace it": the value must not be appended to
    the complaint as an added fact.
    """
    m = _EXPLICIT_SLOT.match(text.strip())
    if not m:
        return None
    value = m.group("value").strip(" ，,。.!！")
    if not value:
        return None
    slot = "incident_time" if m.group("slot") in ("发生时间", "时间", "日期") else "location"
    return slot, value


def wants_filing(text: str) -> bool:
    """The citizen asks to register the matter after all (还是帮我登记一下)."""
    return bool(_FILE_ANYWAY.search(_compact(text)))


def is_correction(text: str) -> bool:
    """The message corrects something already said (不对，地址是……; 电话改成……)."""
    return bool(_CORRECTION.search(text.strip()))
