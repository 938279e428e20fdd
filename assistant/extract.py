"""From one message to slot values: everything the citizen said about where, when, who and how to reach them.

`extract` runs every slot extractor over a message and also returns the *rest* of the message: what
remains once contact details, the place and the time are taken out. The dialogue uses the rest to
decide whether the message also adds to the complaint itself (在建设路88号，就是那个烧烤店，天天摆到半夜)
or only answered the question.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from assistant.address import AddressParser, Location
from assistant.intents import is_question, wants_human, yes_no
from assistant.slots import (
    PhoneMatch,
    find_id_number,
    find_name,
    find_phone,
    find_urls,
    name_beside_phone,
    name_from_answer,
    phone_like_spans,
    strip_id_numbers,
    wants_anonymity,
)
from assistant.timeparse import IncidentTime, parse_incident_time
from workorders.errors import ValidationError
from workorders.validation import mask_phone, normalise_phone

_HAN = re.compile(r"[\u4e00-\u9fa5]")
_CLAUSE = re.compile(r"(?<=[，。！？；,.!?;\n])")
#: Words that only introduce contact details, with the lead-in around them (恁记一下俺电话, 打我手机).
_CONTACT_WORDS = re.compile(
    r"(?:(?:麻烦|请)?(?:你|您|恁|你们)?(?:帮我|给我)?(?:记|记录|记下|登记|写|留|存|打)(?:一下|下)?)?"
    r"(?:我|俺|咱|本人)?(?:的)?(?:联系)?(?:电话|手机号码?|手机|号码|联系方式)(?:号码)?(?:是|为|:|：)?"
    r"|(?:我|俺|咱)叫[\u4e00-\u9fa5]{1,4}|(?:(?:我|俺|咱)|免贵)?姓(?!名)[\u4e00-\u9fa5]"
    r"|(?:姓名|名字)(?:是|叫|:|：)?[\u4e00-\u9fa5]{0,4}"
    # 王女士 as a contact, not 隔壁王先生说…: a third person named in a sentence is a fact
    r"|[\u4e00-\u9fa5]{1,2}(?:先生|女士)(?=$|[\s，,。.!！、；;：:\d\x00]|电话|手机|联系|号码)"
)
#: Stands where a removed phone number was, so that its clause is known as a contact clause.
_PHONE_MARK = "\x00"
_SPOKEN = str.maketrans("零〇洞幺一二两三四五六七八九", "00011223456789")
_GREETING = re.compile(r"^(?:你好|您好|喂|在吗|hello|hi)+[，,！!。\s]*", re.IGNORECASE)
_FILLERS = re.compile(
    r"我要|我想|我们|想要|需要|投诉|反映|举报|咨询|一下|一个|有个|问题|情况|事情|你好|您好|请问|帮忙|帮我|麻烦|谢谢|那个|这个|就是"
    r"|没事|继续|知道|明白|收到|好的|可以|是的|对的|没问题|的|了|吧|啊|呢|哦|嗯|行"
)
#: Words that only steer the dialogue (不对，地址是……): never part of the complaint text.
_STEERING = re.compile(
    r"不对|不是|错了|说错了|搞错了|写错了|更正(?:一下)?|纠正(?:一下)?|改一下|修改|改成|改为|应该是|更正为"
    r"|(?:地址|地点|位置|时间|日期|电话|手机|号码|名字|姓名|称呼)(?:是|在|为|改成|改为|应该是|:|：)?"
)
#: Short words that state a problem on their own (停水了, 灯坏了, 没电).
_PROBLEM_WORDS = re.compile(r"了|坏|停|不|没|乱|吵|漏|堵|臭|脏|差|欠")
#: Openers that introduce the matter without saying it (还有一件事, 我想问一下): never a title.
_LEAD_FILLERS = re.compile(
    r"^(?:(?:你好|您好|喂|在吗|请问|麻烦(?:问|您|你)?一下|打扰(?:一下|了)|那个|就是|"
    r"我(?:还)?(?:想|要|需要)?(?:问|咨询|反映|投诉|举报|说|报告|反馈)(?:一下|个事|件事)?|"
    r"(?:还有|另外|再说|有)?(?:一件|一个|个|件)事(?:情|儿)?|"
    r"(?:我|我们)?(?:要|想)?(?:信访|上访)|我跟你(?:说|讲)(?:啊|哈)?|(?:举报|投诉|反映)一下)[，,。！!：:\s]*)+"
)
#: A reply that states a problem (停水了, 坏了) rather than a place, even when asked where.
_STATES_A_PROBLEM = re.compile(r"了[。！!，,]*$|停水|停电|停气|坏了|漏水|噪音|太吵|很吵|堵了|没人管")
#: Clause punctuation inside a time expression: it spans clauses, so it is the citizen's sentence.
_CLAUSE_MARK = re.compile(r"[，。！？；,.!?;\n]")
#: Words that hold a time in a phrase (从上个月开始, 到晚上11点以后): cut, the phrase would break.
_TIME_HELD_BEFORE = re.compile(r"(?:从|自从|自|打从|直到|到|等到|截至|截止)\s*$")
_TIME_HELD_AFTER = re.compile(r"\s*(?:以后|之后|以前|之前|以来|开始|起|到|至|直到|为止)")
#: What belongs to the time itself after it (十点多, 三点左右): taken out with it.
_TIME_TAIL = re.compile(r"^(?:多钟?|左右|前后|许|钟)")
_ANSWER_FILLERS = re.compile(r"^(?:就是|是在|在|是|地址是|时间是|大概|应该是)+")


@dataclass(frozen=True)
class Extraction:
    """Slot values found in one message (None where absent) and the rest of the message."""

    phone: PhoneMatch | None = None
    id_number: str | None = None
    anonymous: bool | None = None
    name: str | None = None
    location: Location | None = None
    time: IncidentTime | None = None
    urls: list[str] = field(default_factory=list)
    rest: str = ""


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def extract(text: str, *, parser: AddressParser, now: dt.datetime, awaiting: str | None = None) -> Extraction:
    """Run every extractor; `awaiting` (the slot just asked for) lets a bare answer count.

    A bare 张伟 is a name only in reply to 怎么称呼您; 万达后面 is a place only in reply to 在哪里.
    """
    phone = find_phone(text)
    urls = find_urls(text)
    body = text
    for url in urls:
        body = body.replace(url, " ")
    if phone:
        body = body.replace(phone.raw, " ")
    id_number = find_id_number(body)
    body = strip_id_numbers(body)
    anonymous = wants_anonymity(body)
    time = parse_incident_time(body, now)
    if awaiting is not None and not_an_answer(body):
        awaiting = None  # a question or a command is taken for what it is, never as a bare answer
    if awaiting == "location" and (time is not None or _STATES_A_PROBLEM.search(body)):
        awaiting = None  # 我家停水了好几天了 describes the matter: only a named place counts here
    name = name_from_answer(body) if awaiting == "name" else find_name(body)
    if name is None and phone is not None:
        name = name_beside_phone(text, phone)  # 张三 13700002222, 刘伟，电话是…
    location = parser.parse_answer(body) if awaiting == "location" else parser.parse(body)
    rest = body
    if location is not None:
        for piece in sorted({*location.said, location.address or "", location.district or ""}, key=len)[::-1]:
            if piece:
                rest = rest.replace(piece, " ")
    if time is not None:
        rest = without_time(rest, time.text, ongoing=time.precision == "ongoing")
    rest = _CONTACT_WORDS.sub(" ", rest)
    rest = _STEERING.sub(" ", rest)
    if name:
        rest = rest.replace(name, " ")
    rest = mask_phones(re.sub(r"\s+", " ", rest).strip(" ，,。."))
    return Extraction(
        phone=phone,
        id_number=id_number,
        anonymous=anonymous,
        name=name,
        location=location,
        time=time,
        urls=urls,
        rest=rest,
    )


def without_time(text: str, said: str, *, ongoing: bool = False) -> str:
    """`text` without the time expression `said`, unless taking it out would leave broken words.

    The time goes to its own slot, so the facts need not repeat it; but 从上个月开始的，基本每天晚上11点以后
    is the citizen's account of when it happens: cut out, it reads 从 以后. A time that spans clauses
    or is held by words around it (从…开始, …以后) stays where it is, with those words, and so does
    an ongoing one inside a sentence (隔壁的狗天天叫 must not become 隔壁的狗 叫).
    """
    if not said or said not in text:
        return text
    if _CLAUSE_MARK.search(said):
        return text
    start = text.find(said)
    before, after = text[:start], text[start + len(said) :]
    if _TIME_HELD_BEFORE.search(before) or _TIME_HELD_AFTER.match(after):
        return text
    if ongoing and han_count(_CLAUSE.split(before)[-1]) and han_count(_CLAUSE.split(after)[0]):
        return text
    after = _TIME_TAIL.sub("", after, count=1)
    return before + " " + after


def not_an_answer(text: str) -> bool:
    """The reply asks something, asks for a person, or only says yes or no: it fills no slot by itself.

    The loose readings of a reply (a bare 万达后面 as the place, a bare 张伟 as the name) are only
    safe for replies that could be answers at all; 什么时候来水 or 确认 must never become an address
    or a name.
    """
    return is_question(text) or wants_human(text) or yes_no(text) is not None


def complaint_text(text: str, phone: PhoneMatch | None, urls: list[str]) -> str:
    """The message as complaint text: greetings and contact-only clauses dropped, phone and ID numbers removed.

    The order keeps the phone and the ID number in their own (masked in public views) fields;
    repeating them in the request text would leak them wherever the text is shown.
    """
    for url in urls:
        text = text.replace(url, "")
    if phone:
        text = text.replace(phone.raw, _PHONE_MARK)
    text = mask_phones(strip_id_numbers(text))
    kept = []
    for clause in _CLAUSE.split(text):
        core = _GREETING.sub("", clause.strip())
        left = _CONTACT_WORDS.sub("", core.replace(_PHONE_MARK, ""))
        if han_count(left) < 2:
            continue
        if (_PHONE_MARK in core or left != core) and not substantive(left):
            continue  # 那个我电话是…, 恁记一下俺电话…: a contact clause whose rest is only filler
        kept.append(left if _PHONE_MARK in core else core)
    return "".join(kept).strip(" ，,")


def mask_phones(text: str) -> str:
    """`text` with the citizen's phone numbers masked (138****5678), in digits or in words.

    The contact field holds one number; a second one, or one that was not taken as the contact,
    must still never show in full in a request or a fact. Numbers introduced as someone else's
    (车主电话…) are facts of the matter and stay.
    """
    for start, end in reversed(phone_like_spans(text)):
        digits = re.sub(r"\D", "", text[start:end].translate(_SPOKEN))
        try:
            masked = mask_phone(normalise_phone(digits))
        except ValidationError:
            masked = mask_phone(digits)
        text = text[:start] + masked + text[end:]
    return text


def substantive(text: str) -> bool:
    """The text says what the matter is (楼下太吵了, 停水了), not just that there is one (我要投诉)."""
    core = han_count(_FILLERS.sub("", text))
    return core >= 3 or (core >= 2 and bool(_PROBLEM_WORDS.search(text)))


def title_of(text: str, limit: int = 30) -> str:
    """A short title: the first clause that says something, cut to `limit` characters.

    Openers (还有一件事, 您好, 我要反映) are skipped: a title made of them tells an operator's list nothing.
    """
    for clause in _CLAUSE_MARK.split(text):
        clause = _LEAD_FILLERS.sub("", clause.strip()).strip()
        if han_count(clause) >= 4:
            return clause[:limit]
    return _LEAD_FILLERS.sub("", text.strip()).strip()[:limit] or text.strip()[:limit]


def short_answer(text: str) -> str:
    """A bare answer without lead-in words (是在…, 大概…)."""
    return _ANSWER_FILLERS.sub("", text.strip()).strip("。，,.!！ ")
