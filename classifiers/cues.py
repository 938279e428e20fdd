"""Tense, negation and framing cues: is the danger a message names happening *now*?

The urgency rubric judges the situation the citizen describes now, not the topic. The same hazard
word appears in a live emergency (楼道里闻到很浓的煤气味), in a past one the citizen wants
compensation for (去年家里着火，至今没有赔偿), in a question (燃气费怎么交) and in a long-standing
complaint (井盖破损好几个月了，存在安全隐患). These cue lists let the rules tell them apart; they
are deliberately small and readable so an operator can see why a message was or was not escalated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

#: Words right before a hazard that deny it: 没有着火, 并未发现漏气, 不是火灾.
NEGATION = re.compile(r"(没有|没|不是|并非|并未|从未|未曾|未|无|不存在|排除了?|不会|别)$")

#: A time frame that puts an event in the past.
PAST = re.compile(
    r"(上个?月|上个?星期|上周|上礼拜|去年|前年|往年|前几年|以前|之前|此前|曾经|曾|当时|当场|那时|那次|"
    r"上次|上一次|年前|月前|周前|天前|几天前|多年前|\d{4}年|\d{1,2}月\d{1,2}[日号]|事后|过去|多次|屡次|数次|曾多次|"
    r"接二连三|屡屡|频频|发生过|出现过|昨天|昨晚|昨日|前天|前几天)"
)

#: A time frame that puts it in the present (or says it is still going on).
PRESENT = re.compile(
    r"(现在|目前|正在|此刻|此时|刚才|刚刚|今天|今日|今晚|今早|今天早上|今天下午|今夜|当前|"
    r"至今|到现在|仍然|仍在|依然|还在|还是没|一直没|到目前|眼下|马上|快来|赶紧|赶快|速来|请尽快|"
    r"已经\S{0,3}(天|小时|个小时|周)了?|持续|连续|每天|天天|每晚|每夜|接连|频繁|反复|最近|近日|这几天|这两天|"
    r"(自从|自|从)\S{0,15}(以后|以来|开始|起))"
)

#: Immediate danger: overrides "long-standing" framing (a wall that has leaned for months but is
#: now about to fall is still urgent).
IMMINENT = re.compile(
    r"(随时|马上就要|即将|快要|就要|摇摇欲坠|岌岌可危|正在|刚刚|刚才|危在旦夕|已经有人(受伤|摔|被砸|掉)|"
    r"砸伤|砸到人|有人受伤)"
)

#: Harm to people happening now (呕吐, 呼吸困难, 住进了医院): the rubric keeps a long-standing hazard
#: ``normal`` "unless the text says harm is imminent or happening", so this overrides chronic framing
#: the way `IMMINENT` does (a plant that has smoked for years and now makes people vomit). 头晕 and
#: 令人作呕 are left out: odour complaints use them as a figure of speech.
HARM_NOW = re.compile(r"(呕吐|呼吸困难|喘不过气|喘不上气|流鼻血|晕倒|昏倒|住进了?医院|送进了?医院)")

#: Something changed recently: a long-standing problem that got worse now (最近电梯经常停运).
RECENT = re.compile(
    r"(最近|近日|近期|这几天|这两天|今天|今日|昨天|昨晚|刚刚|刚才|现在|目前|今早|今晚|本周|这周)"
)

#: Framing of a hazard as a long-standing problem (a general complaint, not an incident).
#: 一直 counts only with what it governs: 一直排放污水 describes a standing source of pollution,
#: while 水一直往外冒 describes water escaping now. A start date (2018年6月开业以来) or a duration
#: (长达七年, 十几年来) says the same as 多年, and so does a yearly recurrence (每逢过年, 每年夏天).
CHRONIC = re.compile(
    r"(长期|多年|好几年|几年|数年|好几个月|几个月|数月|一直以来|常年|由来已久|存在.{0,6}隐患|"
    r"多次(反映|投诉|举报|向)|屡次|反复(投诉|反映|举报)|至今(未|没有)(得到)?(解决|处理|整改)|(\d{4}年|去年|前年|年初|上半年)(以来|开始|起)|"
    r"\d{4}年[^，,；;。！？!?\n]{0,12}以来|长达[^，,；;。！？!?\n]{0,4}年|年之久|多少年来|每逢|每年|年年|"
    r"一直(都|在|是|有)?[^，,；;。！？!?\n]{0,6}(排|污染|散发|冒烟|冒黑烟|臭))"
)

#: Hypothetical or preventive framing just before a hazard word: 一旦发生火灾, 容易引发爆炸.
HYPOTHETICAL_BEFORE = re.compile(
    r"(一旦|如果|万一|若是?|假如|(?<![主只需])要是|容易|可能|恐怕?|(?<![可哪])怕|极易|将会|会(引发|导致|造成|发生|出现)|会$|哪天|迟早|早晚|说不定|引发|导致|造成|引起|防止|避免|预防|以防|以免|免得|等到|防范|担心|害怕|"
    r"隐患|风险|险些|差点|差一点|消防|谨防|严禁|禁止|安全)"
)
#: Idioms and hyperbole built from hazard words: 天要塌了, 肺都气炸了, 群里炸开了锅, 气得喘不上气.
#: They say how the citizen feels, not what is happening, so a hazard match inside one never counts.
#: 煤气炸了 (an explosion) and 今天塌了一段路 (a cave-in) are not idioms, hence the look-behinds.
IDIOM = re.compile(
    r"((?<![今昨前明当每几半整两三这那])天(都|就)?(要|快)?塌(了|下来)|急死(人|我)了?|要(了)?(我的|人)?命|火冒三丈|"
    r"((肺|头|脑袋|脑子)(都|要|快)+(气)?|(?<![煤燃然化液氧沼毒暖蒸废])气)炸(了|掉)?|炸(开)?了?锅|"
    r"(群|网|朋友圈|评论区|论坛)(里|上)?(都|也)?炸(了|开)|气得[^，,；;。！？!?\n]{0,6}喘不(上|过)气|"
    r"跳楼价|跳楼大?甩卖|跳楼清仓)"
)
#: Venting right before a threat word: 这个房东简直要杀人, 这家店真是要把人整死, 我气得想杀了他.
#: Exaggeration about a landlord, a shop or a company, not a threat: the venting word must sit right
#: before the words (是, 就, 都, 快, 想, 要 may come between), so 前夫简直疯了要杀了我 stays a threat. 气得
#: counts only after 我 (the caller's own anger): 房东气得要杀了我 tells what the landlord means to do.
VENT_BEFORE = re.compile(r"(简直|真是|真的是|实在是|(?<=我)气得|恨不得)[是就都快也想要]{0,3}$")
#: How far either side of a match an idiom containing it can reach.
_IDIOM_REACH = 8

#: A comparison, not an event: 吵得像爆炸一样, 仿佛着火了. Checked before the match in its clause.
SIMILE_BEFORE = re.compile(r"(像|好像|就像|如同|仿佛|犹如|宛如|好似|似乎)[^，,；;。！？!?\n]{0,6}$")
#: ... and right after it: 爆炸似的, 着了火一样.
SIMILE_AFTER = re.compile(r"^[^，,；;。！？!?\n]{0,3}(似的|一样|一般)")

#: Right now, as opposed to "still" or "every day": what a hand-over needs in a long post, where
#: 至今, 每天 and 持续 usually describe a standing grievance rather than an emergency under way.
#: 马上/赶紧/赶快 count only as a call to come (赶紧派人来); in a narrative they say how someone
#: hurried back then (赶紧为父亲穿衣服准备送医院).
NOW = re.compile(
    r"(现在|正在|此刻|此时|刚才|刚刚|眼下|快来|速来|救命|救救|(马上|赶紧|赶快)(派人|来人|过来|来|救|处理))"
)

#: ... or just after it: 火灾隐患, 爆炸的危险, 出了事谁负责.
HYPOTHETICAL_AFTER = re.compile(
    r"^.{0,3}(隐患|风险|危险|的可能|可能|怎么办|谁(来)?负责|事故隐患|险情|的话|等(事故|情况))"
)

#: The situation has ended: 已经恢复供水, 火已扑灭, 电梯已修好, 已经关火了 (a pot that smoked).
RESOLVED = re.compile(
    r"(已经?|早已|后来|现已|已被)(恢复|修好|修复|维修好|解决|处理好|扑灭|灭了|来水|来电|通水|通电|送电|排除|抢修完|"
    r"关火|关了火|不冒烟了|没烟了|没事了|救出|处理完|关了阀门|关闭阀门|关阀)|"
    r"(才|终于|及时|很快|被)\S{0,2}(扑灭|熄灭|救下|救出)|"
    r"(救出来|放出来|处理完|处置完)了|"
    r"恢复(了)?(供水|供电|供气|供暖|正常)|(来水|来电)了"
)

#: The citizen is pursuing money or responsibility for an event: it is a dispute, not a live danger.
DISPUTE = re.compile(
    r"(赔偿|索赔|理赔|补偿|责任认定|定责|鉴定|判决|官司|保险公司|追责|追究责任|医药费|误工费)"
)

#: A question about a schedule, a fee or a procedure rather than a report of a situation.
QUESTION = re.compile(
    r"(什么时候|何时|几点|是否会|会不会|通知|计划|预计|怎么交|如何交|缴费|交费|缴纳|费用|收费|价格|多少钱|"
    r"怎么办理|如何办理|申请|政策)"
)


class Frame(StrEnum):
    """How a text frames an event it mentions."""

    CURRENT = "current"
    PAST = "past"
    NEGATED = "negated"
    RESOLVED = "resolved"
    QUESTION = "question"


@dataclass(frozen=True)
class Span:
    """A match of a hazard pattern and where it is: the clause and the sentence around it."""

    text: str
    start: int
    end: int
    clause_start: int
    clause_end: int
    sentence_start: int
    sentence_end: int


_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?\n]")
_SENTENCE_BREAK = re.compile(r"[。！？!?\n]")


def locate(text: str, start: int, end: int) -> Span:
    """Clause and sentence boundaries around a match (punctuation-delimited)."""

    def bounds(pattern: re.Pattern[str]) -> tuple[int, int]:
        left = max((m.end() for m in pattern.finditer(text, 0, start)), default=0)
        right_match = pattern.search(text, end)
        right = right_match.start() if right_match else len(text)
        return left, right

    c0, c1 = bounds(_CLAUSE_BREAK)
    s0, s1 = bounds(_SENTENCE_BREAK)
    return Span(text[start:end], start, end, c0, c1, s0, s1)


def is_negated(text: str, span: Span) -> bool:
    """A negation word within the four characters before the match, in the same clause."""
    window = text[max(span.clause_start, span.start - 4) : span.start]
    return bool(NEGATION.search(window))


def time_frame(text: str, span: Span) -> Frame | None:
    """PAST or CURRENT from the nearest time cue: same clause first, then earlier in the sentence.

    Returns None when nothing in the sentence says when it happened.
    """
    clause = text[span.clause_start : span.clause_end]
    past, present = PAST.search(clause), PRESENT.search(clause)
    if present and not past:
        return Frame.CURRENT
    if past and not present:
        return Frame.PAST
    if past and present:
        return Frame.CURRENT if present.end() > past.end() else Frame.PAST
    before = text[span.sentence_start : span.clause_start]
    last_past = max((m.end() for m in PAST.finditer(before)), default=-1)
    last_present = max((m.end() for m in PRESENT.finditer(before)), default=-1)
    if last_past < 0 and last_present < 0:
        return None
    return Frame.PAST if last_past > last_present else Frame.CURRENT


def is_hypothetical(text: str, span: Span) -> bool:
    """Whether the hazard is mentioned as a risk or a fear rather than as something happening."""
    before = text[max(span.clause_start, span.start - 12) : span.start]
    after = text[span.end : min(span.clause_end, span.end + 8)]
    return bool(HYPOTHETICAL_BEFORE.search(before) or HYPOTHETICAL_AFTER.search(after))


#: A hedge right before an emergency word (好像着火了, 可能着火了, 好像哪里烧起来了, 好像要跳下去):
#: the citizen is not sure what they see, which is no reason to wait. 好像 and 可能 also make similes
#: (吵得好像着火了一样) and risks (可能会着火), so a hedge counts only when it is not the degree
#: complement of 得 and the event is reported, with a perfective 了 right after it or a 要/快/在
#: saying it is about to happen or under way. The words between hedge and event are few and named.
HEDGE_BEFORE = re.compile(
    r"(?<!得)(好像|好象|似乎|貌似|可能|估计|怀疑|应该|像是|是不是|恐怕|八成|大概)(是)?"
    r"(哪里|哪儿|哪家|谁家|什么地方|有人|有个人)?(?P<aspect>又|已经|正在|在|就要|快要|要|快)?$"
)
#: An aspect marker at the start of the match itself (要跳下去, 在打人).
_ASPECT_START = re.compile(r"^(正在|在|就要|快要|要|快)")


def hedge_start(text: str, span: Span) -> int | None:
    """Where a hedge reporting the matched emergency begins, or None (see `HEDGE_BEFORE`).

    The caller judges simile and risk framing from the words before the hedge instead of the hedge
    itself, so 容易 in 容易着火 still makes a risk while 好像着火了 is a report.
    """
    m = HEDGE_BEFORE.search(text, span.clause_start, span.start)
    if m is None or SIMILE_AFTER.search(text[span.end : span.clause_end]):
        return None
    perfective = "了" in text[span.end : span.end + 2]
    prospective = bool(m.group("aspect") or _ASPECT_START.search(span.text))
    return m.start() if perfective or prospective else None


def is_venting(text: str, span: Span) -> bool:
    """Whether a venting word (简直, 真是, 我气得, 恨不得) stands right before the match in its clause."""
    return bool(VENT_BEFORE.search(text, span.clause_start, span.start))


def is_simile(text: str, span: Span) -> bool:
    """Whether the hazard word is a comparison (噪音大得像爆炸一样), not an event."""
    before = text[max(span.clause_start, span.start - 10) : span.start]
    after = text[span.end : span.clause_end]
    return bool(SIMILE_BEFORE.search(before) or SIMILE_AFTER.search(after))


def is_idiom(text: str, span: Span) -> bool:
    """Whether the match is part of an idiom or hyperbole (天要塌了, 气炸了) rather than a hazard."""
    lo, hi = max(0, span.start - _IDIOM_REACH), min(len(text), span.end + _IDIOM_REACH)
    return any(m.start() < span.end and m.end() > span.start for m in IDIOM.finditer(text, lo, hi))


#: A habit, not an event: 每天浓烟滚滚, 通常选择晚上烧, 动不动就 (but not 一动不动: someone lying still).
#: A hazard word in such a sentence describes what keeps happening (a standing complaint), unless a
#: strict right-now cue says it is happening as the citizen writes (现在 alone is not one:
#: 现在的烧起来更隐蔽 means "nowadays").
HABITUAL = re.compile(
    r"(每天|天天|每晚|每夜|每到|经常|常常|时常|通常|往往|总是|老是|隔三差五|三天两头|频繁|屡屡|家常便饭|(?<!一)动不动|动辄)"
)
STRICT_NOW = re.compile(
    r"(正在|此刻|刚才|刚刚|眼下|快来|赶紧|赶快|速来|救命|救救|现在又|现在还在|又.{0,2}(着|烧)起来)"
)


def is_habitual(text: str, span: Span) -> bool:
    """Whether the hazard's sentence frames it as a habit, with no strict right-now cue."""
    lo, hi = span.sentence_start, span.sentence_end
    return bool(HABITUAL.search(text, lo, hi)) and not STRICT_NOW.search(text, lo, hi)


#: How far from the hazard a right-now cue may stand. Some posts run for hundreds of characters
#: without a full stop; their opening 现在向您反映 is not about the symptoms narrated much later.
NOW_REACH = 40


def happening_right_now(text: str, span: Span) -> bool:
    """A right-now cue (正在, 现在, 刚刚, 快来) in the hazard's sentence, near the hazard."""
    lo = max(span.sentence_start, span.start - NOW_REACH)
    hi = min(span.sentence_end, span.end + NOW_REACH)
    return bool(NOW.search(text, lo, hi))


#: A chat line at most this long that reports an event with a perfective 了 (出车祸了，有人受伤) is
#: taken to report it as it happens: someone typing two short clauses into a chat is not telling a
#: story about last year. Message-board posts are longer and keep needing an explicit time cue.
FRESH_REPORT_MAX = 50

#: What follows an event that is over: treatment, a hospital stay, blame being settled, or how long
#: ago it was (住院两个月, 半年了). With any of these 撞了 is the start of a story, not a fresh report.
AFTERMATH = re.compile(
    r"(住院|出院|治疗|医药费|康复|伤残|认定书?|处理结果|处理意见|"
    r"(一|两|三|四|五|六|七|八|九|十|几|半|\d+)(个)?(多)?(月|年|星期|礼拜|周))"
)


def is_fresh_report(text: str, span: Span) -> bool:
    """A short chat line that reports the matched event with a perfective 了 (出车祸了, 车撞了).

    Rules such as the traffic-accident one need an explicit present cue because the words are
    mostly used about past events in complaints. But a citizen who types "出车祸了，有人受伤" into
    a chat is reporting what has just happened, and waiting for a 现在 would miss the hand-over.
    Only a short line counts, with the 了 inside the match or right after it, and with nothing that
    makes it an aftermath (a hospital stay, blame, a duration); past framing and disputes are
    judged before this is asked.
    """
    if len(text) > FRESH_REPORT_MAX:
        return False
    if "了" not in text[span.start : min(len(text), span.end + 2)]:
        return False
    return not AFTERMATH.search(text)


def present_later(text: str, span: Span) -> bool:
    """A present-time cue later in the same sentence (两车相撞，现在还躺在路上)."""
    return bool(PRESENT.search(text, span.end, span.sentence_end))


#: Words that turn 恢复供水 into a request (请尽快恢复供水) rather than a report that it is over.
_REQUEST_BEFORE = re.compile(
    r"(请|尽快|要求|希望|何时|什么时候|早日|马上|及时|督促|能否|才能|没有|没|未|不)\S{0,2}$"
)


def is_resolved_after(text: str, span: Span) -> bool:
    """Whether the text says, after the match, that the situation has ended."""
    for m in RESOLVED.finditer(text, span.end):
        if not _REQUEST_BEFORE.search(text[max(0, m.start() - 6) : m.start()]):
            return True
    return False


def is_question(text: str, span: Span) -> bool:
    return bool(QUESTION.search(text[span.clause_start : span.clause_end]))


def mentions_dispute(text: str) -> bool:
    return bool(DISPUTE.search(text))


def is_chronic(text: str) -> bool:
    return bool(CHRONIC.search(text))


def is_recent(text: str) -> bool:
    return bool(RECENT.search(text))


def is_imminent(text: str) -> bool:
    return bool(IMMINENT.search(text))


def is_harming(text: str) -> bool:
    return bool(HARM_NOW.search(text))


#: Who a sentence is about, for a threat of self-harm: the writer (我, 本人, 俺; 我们 too, workers
#: who say together that they cannot go on) or someone else. 我 before a noun (我同事, 我邻居) is
#: followed by the noun, which then counts as the nearer person.
_SELF = r"(?P<self>我|本人|俺)"
#: Words that name someone else beyond doubt: a pronoun, an indefinite person, a neighbour.
_OTHER_STRONG = (
    r"(?P<strong>(?<!其)他|她|有人|有个|有一个|一个人|一名|一位|别人|邻居|同事|朋友|同学|室友|舍友|"
    r"小伙子?|姑娘|女的|男的|男子|女子|女孩|男孩|老人|学生|员工|工人|租客|房客|病人)"
)
#: Family members: someone else when named in the clause itself (孩子说不想活了), but often the
#: cause of the writer's own distress when named earlier (老公出轨了，不想活了).
_OTHER_FAMILY = (
    r"(?P<family>儿子|女儿|孩子|小孩|老公|丈夫|老婆|妻子|爱人|男朋友|女朋友|男友|女友|爸|妈|父亲|母亲|"
    r"爷爷|奶奶|姥姥|姥爷|外公|外婆|哥|姐|弟|妹|亲戚)"
)
PERSON = re.compile(f"{_SELF}|{_OTHER_STRONG}|{_OTHER_FAMILY}")


def about_someone_else(text: str, span: Span) -> bool:
    """Whether words of self-harm are said about someone else (我邻居站在楼顶说不想活了).

    The writer in crisis needs to be heard; a witness needs to be told to call 110/120 at once.
    The nearest person named before the match in its own clause decides (我朋友说他要割腕, 我同事说
    不想活了); with none there, the nearest in the earlier clauses of the sentence, counting only
    words that cannot be the writer's own trouble (有个人在楼顶，说要跳楼). With no one named the
    words are the writer's own (不想活了).
    """
    in_clause = list(PERSON.finditer(text, span.clause_start, span.start))
    if in_clause:
        return in_clause[-1].group("self") is None
    earlier = [
        m for m in PERSON.finditer(text, span.sentence_start, span.clause_start) if m.group("family") is None
    ]
    return bool(earlier) and earlier[-1].group("strong") is not None
