"""When did it happen? Colloquial Chinese time expressions resolved against the current time.

Citizens rarely give dates: they say 昨天晚上, 上周三, 前天下午三点, 三天前, 刚才, 11月20号. Each is
resolved relative to "now" in the city's time zone to an aware datetime, with a note of how precise
it is, and only past times count (an incident has already happened; 明天 is a wish, not a time).
Ongoing matters (一直, 每天晚上) have no single time and are reported as such.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_CN_NUM = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUM = r"[0-9零〇一二两三四五六七八九十]{1,3}"
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}

#: Part of the day → representative hour (used when no clock time is given).
_PARTS: tuple[tuple[str, int], ...] = (
    ("凌晨", 3),
    ("清晨", 6),
    ("早上", 7),
    ("早晨", 7),
    ("一早", 7),
    ("上午", 9),
    ("中午", 12),
    ("午后", 14),
    ("下午", 15),
    ("傍晚", 18),
    ("晚上", 21),
    ("晚间", 21),
    ("夜里", 22),
    ("夜间", 22),
    ("深夜", 23),
    ("半夜", 23),
    ("晚", 21),
    ("早", 7),
)
#: When each part of the day begins: 今天早上 said at six already happened, 今天下午 said at nine has not.
_PART_STARTS: dict[str, int] = {
    **{"凌晨": 0, "清晨": 5, "早上": 5, "早晨": 5, "一早": 5, "早": 5, "上午": 6, "中午": 11},
    **{"午后": 12, "下午": 12, "傍晚": 17, "晚上": 18, "晚间": 18, "晚": 18, "夜里": 19, "夜间": 19},
    **{"深夜": 22, "半夜": 22},
}
#: Words that make a reply a statement about time, even a vague one (一个星期了, 最近, 每天晚上).
_TIME_WORDS = re.compile(
    r"[天日周月年早晚夜午点时秒]|星期|礼拜|分钟|小时|刚|最近|近来|以前|之前|以来|一直|经常|总是|老是|每|前段|这段"
    r"|开始|凌晨|傍晚|清晨|半夜|深夜|春|夏|秋|冬|节|记不清|不记得|忘了|不知道|说不准"
)
#: How long a thing was used or owned before the matter (用了两天就坏了): no word about when it happened.
_USE_DURATION = re.compile(
    r"[用买穿戴住开装租骑吃喝养]了(?:好几|几|一个多|[0-9一二三四五六七八九十两半]+)个?多?"
    r"(?:星期|礼拜|周|个?月|天|年|小时|分钟)(?:就|才|不到|左右)?"
)
_PM_PARTS = {"下午", "傍晚", "晚上", "晚间", "夜里", "夜间", "深夜", "晚", "午后"}

_DAY_WORDS: tuple[tuple[str, int], ...] = (
    ("大前天", -3),
    ("前天", -2),
    ("昨天", -1),
    ("昨日", -1),
    ("昨晚", -1),
    ("昨夜", -1),
    ("今天", 0),
    ("今日", 0),
    ("今早", 0),
    ("今晚", 0),
    ("今晨", 0),
)
_FUTURE = re.compile(r"明天|明日|后天|下周|下个?星期|下个?礼拜|下个月|明年")
_ONGOING = re.compile(
    r"一直|每天|每晚|天天|经常|长期|持续|总是|老是|常年|好久|多次|反复|三天两头"
    r"|(?<![用买穿戴住开装租骑吃喝养]了)"
    r"(?:一个多|好几个?|几个?|[0-9一二三四五六七八九十两]+个?多?)(?:星期|礼拜|周|月|天|年)(?:了|以来|多了)"
)
#: A duration up to now after a change of state (坏了好几天, 已经三天, 都一个多月): ongoing.
#: Not after a verb of use or purchase (用了两天就坏了, 买了一个月): that is how long the thing
#: served before the matter, not how long the matter has lasted.
_ONGOING_SINCE = re.compile(
    r"(?:(?<=了)|(?<=都)|(?<=已经)|(?<=快)|(?<=有)|(?<=近))(?<![用买穿戴住开装租骑吃喝养]了)"
    r"(?:好几|几|一个多|[0-9一二三四五六七八九十两]+个?多?)个?(?:星期|礼拜|周|月|天|年)(?![前后就才不])"
)
#: 去年三月, 前年, 今年5月: a month (or a year) of a named year.
_YEAR_MONTH = re.compile(rf"(去年|前年|今年)(?:\s*({_NUM})\s*月(?:份)?)?")
#: A bare part of the day followed by how things are then (晚上黑咕隆咚的, 晚上太吵): a description.
_DESCRIBES = re.compile(r"^(?:的时候|时)?(?:黑|暗|看不|很|太|特别|非常|挺|都|就|老|总|一片|没有?灯|吵|不)")
#: Clauses (split on punctuation), to set aside one that speaks of the future (明天还要上班).
_CLAUSES = re.compile(r"[^，。！？；,!?;\n]+")
_PAST_MARK = re.compile(r"昨|前天|上周|上个?星期|刚|了|过")
_JUST_NOW = re.compile(r"刚才|刚刚|方才|就在刚")
_AGO = re.compile(rf"({_NUM}|半|几)\s*(个)?\s*(分钟|小时|钟头|天|日|周|星期|礼拜|个?月|年)(之|以)?前")
_WEEK = re.compile(r"(上上|上|这|本)?\s*(?:个)?(周|星期|礼拜)([一二三四五六日天末])")
_ABS_DATE = re.compile(rf"(?:(\d{{4}})\s*年\s*)?({_NUM})\s*月\s*({_NUM})\s*[日号]?")
#: 5号 / 上个月20日; a bare number needs a time-like lead-in, or 建设路5号 would read as a date.
_DAY_OF_MONTH = re.compile(
    rf"(?:(上个?月|这个?月|本月)|(?<=[在于是从就到那我，。,、\s])|^)\s*({_NUM})\s*[号日](?![楼栋院])"
)
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_CLOCK = re.compile(
    rf"({_NUM})\s*[点时:：]\s*(半|一刻|三刻|{_NUM}\s*分?|\d{{2}})?(?![0-9]*\s*[号栋楼层室单元])"
)
_LAST_MONTH = re.compile(r"上个?月")


@dataclass(frozen=True)
class IncidentTime:
    """A resolved time of an incident.

    Attributes:
        at: Aware datetime (city time zone), or ``None`` for an ongoing matter.
        text: The expression as the citizen said it (shown back in the summary).
        precision: ``minute``, ``hour``, ``part_of_day``, ``day``, ``week``, ``month``, ``year``, ``ongoing``, or
            ``vague`` (a bare 晚上 that may be last night or tonight: the words are kept, ``at`` is None).
    """

    at: dt.datetime | None
    text: str
    precision: str


def cn_number(token: str) -> int | None:
    """Parse 0-999 written in digits or Chinese numerals (十二, 二十, 两, 三十一)."""
    token = token.strip()
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if "十" in token:
        head, _, tail = token.partition("十")
        tens = _CN_NUM.get(head, 1) if head else 1
        units = _CN_NUM.get(tail, 0) if tail else 0
        if (head and head not in _CN_NUM) or (tail and tail not in _CN_NUM):
            return None
        return tens * 10 + units
    if all(ch in _CN_NUM for ch in token):
        value = 0
        for ch in token:
            value = value * 10 + _CN_NUM[ch]
        return value
    return None


def _part_of_day(text: str) -> tuple[str, int, int] | None:
    """The first part-of-day word in the text: (word, representative hour, end offset).

    The first one is the start of the incident: 昨天晚上十点多……一直吵到凌晨 started in the evening.
    """
    best: tuple[int, int, str, int] | None = None
    for word, hour in _PARTS:
        pos = text.find(word)
        if pos >= 0 and (best is None or (pos, -len(word)) < (best[0], -len(best[2]))):
            best = (pos, hour, word, hour)
    if best is None:
        return None
    pos, hour, word, _ = best
    return word, hour, pos + len(word)


def _clock(text: str, part: str | None, near: int | None = None) -> tuple[int, int] | None:
    """The clock time in `text`; with `near`, only one starting within a few characters of it.

    "昨天晚上吵到十二点" names when it ended, not when it started: a clock time counts only when it
    follows the day or part-of-day words closely (昨天晚上十点, 下午3点半).
    """
    for m in _CLOCK.finditer(text):
        if near is not None and not (0 <= m.start() - near <= 2):
            continue
        hour = cn_number(m.group(1))
        if hour is None or hour > 24:
            continue
        minute_raw = (m.group(2) or "").replace("分", "").strip()
        minute = {"半": 30, "一刻": 15, "三刻": 45, "": 0}.get(minute_raw)
        if minute is None:
            minute = cn_number(minute_raw) or 0
        if minute > 59:
            continue
        if part in _PM_PARTS and hour < 12 and not (part in ("深夜", "半夜") and hour <= 4):
            hour += 12
        elif part in _PM_PARTS and hour == 12:
            hour, minute = 23, 59  # 晚上十二点: the very end of that day
        if part == "中午" and hour < 6:
            hour += 12
        return hour % 24, minute
    return None


def parse_incident_time(text: str, now: dt.datetime) -> IncidentTime | None:
    """Find the time of the incident in `text`, resolved against `now` (aware, city time zone).

    Returns ``None`` when the text names no time, or only a future one.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if _FUTURE.search(text) and not re.search(r"昨|前天|上周|上个?星期|刚", text):
        # 今天早上发现的，明天还要上班: only the clauses about the future are set aside
        text = "，".join(c for c in _CLAUSES.findall(text) if not _FUTURE.search(c) or _PAST_MARK.search(c))
        if _FUTURE.search(text) and not _PAST_MARK.search(text):
            return None
    found_part = _part_of_day(text)
    part = (found_part[0], found_part[1]) if found_part else None
    part_word = part[0] if part else None
    clock = _clock(text, part_word, found_part[2] if found_part else _end_of_time_words(text))
    ongoing = _ONGOING.search(text) or _ONGOING_SINCE.search(text)

    day: dt.date | None = None
    label = ""
    precision = "day"

    if m := _JUST_NOW.search(text):
        return IncidentTime(at=now.replace(second=0, microsecond=0), text=m.group(0), precision="minute")
    if m := _AGO.search(text):
        amount_raw, unit = m.group(1), m.group(3)
        amount = 0.5 if amount_raw == "半" else (3 if amount_raw == "几" else cn_number(amount_raw) or 1)
        if unit in ("分钟",):
            return IncidentTime(now - dt.timedelta(minutes=amount), m.group(0), "minute")
        if unit in ("小时", "钟头"):
            return IncidentTime(
                now - dt.timedelta(hours=amount), m.group(0), "hour" if amount >= 1 else "minute"
            )
        days = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "月": 30, "个月": 30, "年": 365}[unit]
        day = (now - dt.timedelta(days=amount * days)).date()
        label, precision = m.group(0), ("day" if days == 1 else "week" if days == 7 else "month")
    elif m := _ISO_DATE.search(text):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            day = None
        label = m.group(0)
    elif (
        (m := _ABS_DATE.search(text)) and (month := cn_number(m.group(2))) and (dom := cn_number(m.group(3)))
    ):
        year = int(m.group(1)) if m.group(1) else now.year
        try:
            day = dt.date(year, month, dom)
        except ValueError:
            day = None
        if day is not None and not m.group(1) and day > now.date():
            day = day.replace(year=year - 1)
        label = m.group(0)
    elif m := _YEAR_MONTH.search(text):
        year = now.year - {"去年": 1, "前年": 2, "今年": 0}[m.group(1)]
        month = cn_number(m.group(2)) if m.group(2) else None
        if month is not None and 1 <= month <= 12 and dt.date(year, month, 1) <= now.date():
            day, label, precision = dt.date(year, month, 15), m.group(0), "month"
        elif m.group(1) != "今年":
            day, label, precision = dt.date(year, 7, 1), m.group(1), "year"
    elif m := _WEEK.search(text):
        prefix, weekday = m.group(1) or "", _WEEKDAY[m.group(3)]
        monday = now.date() - dt.timedelta(days=now.weekday())
        if prefix == "上上":
            day = monday - dt.timedelta(days=14) + dt.timedelta(days=weekday)
        elif prefix == "上":
            day = monday - dt.timedelta(days=7) + dt.timedelta(days=weekday)
        else:
            day = monday + dt.timedelta(days=weekday)
            if day > now.date() and not prefix:
                day -= dt.timedelta(days=7)
        label = m.group(0)
    else:
        for word, offset in _DAY_WORDS:
            if word in text:
                day = now.date() + dt.timedelta(days=offset)
                label = word
                if word in ("昨晚", "昨夜", "今晚") and part is None:
                    part, part_word = ("晚上", 21), "晚上"
                    clock = clock or _clock(text, part_word, text.find(word) + len(word))
                elif word in ("今早", "今晨") and part is None:
                    part, part_word = ("早上", 7), "早上"
                break
        else:
            if m := _DAY_OF_MONTH.search(text):
                dom = cn_number(m.group(2))
                base = now.date().replace(day=1)
                if m.group(1) and "上" in m.group(1):
                    base = (base - dt.timedelta(days=1)).replace(day=1)
                try:
                    day = base.replace(day=dom) if dom else None
                except ValueError:
                    day = None
                if day is not None and day > now.date():
                    prev = (base - dt.timedelta(days=1)).replace(day=1)
                    try:
                        day = prev.replace(day=day.day)
                    except ValueError:
                        day = None
                label = m.group(0)
            elif _LAST_MONTH.search(text):
                day = (now.date().replace(day=1) - dt.timedelta(days=1)).replace(day=15)
                label, precision = "上个月", "month"

    if ongoing and label and (since := _since(text, label)):
        # 从上个月开始的，基本每天晚上11点以后: ongoing since then, not one night of last month
        said = _ongoing_said(text, ongoing, part_word)
        return IncidentTime(
            at=None, text=f"{since}，{said}" if said not in since else since, precision="ongoing"
        )
    if ongoing and not label:  # 每天晚上, 一个多星期了: no single time to record
        return IncidentTime(at=None, text=_ongoing_said(text, ongoing, part_word), precision="ongoing")
    if not label and clock is None and found_part and _DESCRIBES.match(text[found_part[2] :]):
        return None  # 晚上黑咕隆咚的 says how it is at night, not when something happened
    if day is None and part is None and clock is None:
        return None
    if day is None:
        day = now.date()
        label = ""
    hour, minute = 12, 0
    if clock is not None:
        hour, minute = clock
        precision = "minute" if minute else "hour"
    elif part is not None:
        hour = part[1]
        precision = "part_of_day"
    at = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=now.tzinfo)
    said = _said(text, label, part_word, clock is not None)
    if at > now:
        if not label and clock is None and part_word:
            # a bare 晚上 said in the morning may be last night or tonight: keep the words, invent no time
            return IncidentTime(at=None, text=said or part_word, precision="vague")
        if not label:  # "晚上十一点" said in the morning means last night
            at -= dt.timedelta(days=1)
        elif (
            clock is None and part_word and day == now.date() and now.hour >= _PART_STARTS.get(part_word, 24)
        ):
            at = now.replace(second=0, microsecond=0)  # 今天早上 said at six: the morning has begun
        else:  # 今晚8点 said at nine in the morning is a plan, not an incident
            return None
    return IncidentTime(at=at, text=said, precision=precision)


def _ongoing_said(text: str, ongoing: re.Match[str], part_word: str | None) -> str:
    """The ongoing expression, with its part of the day when adjacent (天天晚上)."""
    said = ongoing.group(0)
    if part_word:
        pos = text.find(part_word)
        if pos == ongoing.end():
            said = text[ongoing.start() : pos + len(part_word)]
        elif ongoing.start() == pos + len(part_word):
            said = text[pos : ongoing.end()]
    return said


def _since(text: str, label: str) -> str | None:
    """The words that make `label` the start of the matter (从上个月开始, 上周三以来), or None."""
    m = re.search(rf"(?:从|自从|自|打)?\s*{re.escape(label)}[^，。,；;！!？?]{{0,4}}?(?:开始|以来|起)", text)
    return m.group(0) if m else None


def _end_of_time_words(text: str) -> int | None:
    """End offset of the last day or part-of-day word, where a clock time may follow."""
    ends = [
        text.find(w) + len(w)
        for w in [*(w for w, _ in _DAY_WORDS), *(w for w, _ in _PARTS), "周", "星期", "礼拜", "号", "日"]
        if w in text
    ]
    if m := _WEEK.search(text):
        ends.append(m.end())
    return max(ends) if ends else None


def _said(text: str, label: str, part_word: str | None, has_clock: bool) -> str:
    """The span of the original text that expressed the time, for echoing it back."""
    pieces = [p for p in (label, part_word) if p]
    if has_clock and (m := _CLOCK.search(text)):
        pieces.append(m.group(0))
    if not pieces:
        return ""
    starts = [text.find(p) for p in pieces if text.find(p) >= 0]
    ends = [text.find(p) + len(p) for p in pieces if text.find(p) >= 0]
    if not starts:
        return "".join(pieces)
    start, end = min(starts), max(ends)
    span = text[start:end]
    return span if len(span) <= 24 else "".join(pieces)


def mentions_time(text: str) -> bool:
    """The text talks about time at all, even vaguely (一个星期了, 最近, 每天晚上).

    A reply to "什么时候发生的？" without any such word (匿名, 确认, a phone number) is not a time,
    whatever its length; nor is how long a thing was used (用了两天就坏了), which says nothing of when.
    """
    return bool(_TIME_WORDS.search(_USE_DURATION.sub("", text)))


def describe_time(value: IncidentTime) -> str:
    """Human-readable Chinese description: ``昨天晚上（11月24日 21:00 左右）``."""
    if value.precision == "vague":
        return value.text
    if value.at is None:
        return f"{value.text}（持续发生）" if value.text else "持续发生"
    at = value.at
    if value.precision == "year":
        exact = f"{at.year}年"
    elif value.precision == "month" and value.text and "年" in value.text:
        exact = f"{at.year}年{at.month}月"
    elif value.precision in ("day", "week", "month"):
        exact = f"{at.month}月{at.day}日"
    else:
        exact = f"{at.month}月{at.day}日 {at:%H:%M}"
    suffix = "左右" if value.precision in ("part_of_day", "hour", "week", "month") else ""
    if value.text and value.text != exact:
        return f"{value.text}（{exact}{' ' + suffix if suffix else ''}）"
    return exact + (f" {suffix}" if suffix else "")
