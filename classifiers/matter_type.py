"""Matter type (诉求类型): consultation, help request, complaint, report, suggestion or praise.

The type is mostly carried by a few speech-act words (请问, 投诉, 举报, 建议, 感谢), so rules
(``matter_type_rules.v1``) do well and explain themselves. When a learned ``matter_type`` head has
been trained on operator-labelled orders, its probabilities are blended in; a rule hit still wins
when it is explicit (the citizen wrote 我要举报).

v2: a short chat question with no grievance in it (不留姓名能反映吗) is a consultation, above a learned vote.
v3: 能不能 / 可不可以 / 能否 asking someone to act (能不能有人来修一下, 楼道灯坏了能不能修一下) is a help
request, and asking for something to be added (能不能加个红绿灯) a suggestion; neither is a bare question
(a consultation is answered from the knowledge base and needs no place; these are filed and need one).
A question without 吗 or a question mark is still a question: 哪些, 什么 (12345都管哪些事, 按什么划片的)
and A-not-A forms (要不要公示, 算不算, 归不归); 凭什么 and 什么服务态度 are grievances, not questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from classifiers.text import normalize
from workorders.enums import MatterType

VERSION = "matter_type_rules.v3"

#: The six hotline types this head predicts (petition classes are set by the petition channel).
HOTLINE_TYPES: tuple[MatterType, ...] = (
    MatterType.CONSULTATION,
    MatterType.HELP_REQUEST,
    MatterType.COMPLAINT,
    MatterType.REPORT,
    MatterType.SUGGESTION,
    MatterType.PRAISE,
)

#: Asking whether one may (能不能, 可不可以, 能否, 可否, 可以...吗, 麻烦) right before the act asked for;
#: 请 is left out (请问管道维修一下多少钱 asks a fee).
_CAN_YOU = r"(能不能|能否|可不可以|可否|可以|麻烦)[^，,；;。！？!?\n]{0,4}"
#: ... someone to come and act (能不能有人来修一下, 楼道灯坏了能不能修一下, 能不能派人来看看): a request to
#: 12345, not a question. It needs who comes (有人来, 派人) or the act's 一下/看看, so that 小区里能不能装充电桩
#: (is it allowed?) stays a question.
_ASK_TO_FIX = re.compile(
    _CAN_YOU
    + r"((有人|派人|找人|来人|安排人|来|过来|上门|帮(我们|我|忙)?|给(我们|我)?)[^，,；;。！？!?\n]{0,3}"
    r"(修|维修|修理|修复|抢修|处理|清理|清运|疏通|看看|看一下|检查|管|换|更换|拖走|挪走|移走|解决)|"
    r"(修|维修|修理|修复|抢修|处理|清理|清运|疏通|检查|管|换|更换|拖|挪|移)(一下|一修|管|好|掉|走))"
)
#: ... something added (能不能加个红绿灯, 可不可以装个路灯, 能否设一个站点): a suggestion.
_ASK_TO_ADD = re.compile(_CAN_YOU + r"(加|增加|装|安装|设|设置|建|修|划|增设)(一)?(个|条|座|些|几个|块|处)")

#: 要不要, 算不算 and the like: a question without 吗 (物业收费标准要不要公示). 是不是 is left out (是不是有人
#: 偷排 suspects rather than asks), and so are 能不能 / 可不可以 (matched on their own).
_A_NOT_A = r"(要不要|需不需要|需要不需要|用不用|算不算|归不归|管不管|收不收|交不交|给不给|让不让|行不行|对不对|会不会)"
#: (type, pattern, weight). Explicit self-labelling (我要投诉) weighs most.
_CUES: tuple[tuple[MatterType, re.Pattern[str], float], ...] = (
    (
        MatterType.PRAISE,
        re.compile(r"(表扬|感谢|谢谢|点赞|赞扬|致谢|锦旗|好评|辛苦了|为.{0,10}点赞|值得学习)"),
        2.0,
    ),
    (MatterType.SUGGESTION, re.compile(r"(建议|提议|意见和建议|呼吁|倡议)"), 2.0),
    (
        MatterType.SUGGESTION,
        re.compile(
            r"(希望|能否|可否|是否可以|应该).{0,12}(增设|增加|开通|设置|修建|延长|改善|考虑|调整|优化|完善|规划)"
        ),
        1.2,
    ),
    (MatterType.REPORT, re.compile(r"(举报|检举|揭发|告发)"), 2.5),
    (
        MatterType.REPORT,
        re.compile(r"(偷排|违法(行为|经营|建设)?|非法|无证(经营)?|黑作坊|传销|诈骗|售假|假冒|违规经营|无照)"),
        1.0,
    ),
    (
        MatterType.COMPLAINT,
        re.compile(
            r"(投诉|控诉|不满|太差|扰民|拖欠|乱收费|推诿|不作为|态度(恶劣|差|蛮横)|维权|讨说法|要求(赔偿|退款|处理|整改)|强烈要求)"
        ),
        1.5,
    ),
    (
        MatterType.COMPLAINT,
        re.compile(r"(严重影响|无人管|没人管|至今未|一直没有|多次反映|迟迟|拒不|欠薪|克扣)"),
        0.8,
    ),
    (
        MatterType.HELP_REQUEST,
        re.compile(
            r"(求助|求救|帮帮|帮忙|帮助|救助|请求.{0,6}(帮|解决|协调)|走投无路|无依无靠|怎么办才好|生活困难)"
        ),
        1.6,
    ),
    (MatterType.HELP_REQUEST, re.compile(r"(停水|停电|停气|暖气不热|电梯坏|井盖|漏水|堵塞|被困)"), 0.6),
    (MatterType.HELP_REQUEST, _ASK_TO_FIX, 2.0),
    (MatterType.SUGGESTION, _ASK_TO_ADD, 1.6),
    (MatterType.CONSULTATION, re.compile(r"(咨询|请问|问一下|想问|想了解|想知道)"), 2.0),
    (
        MatterType.CONSULTATION,
        re.compile(
            r"(如何|怎么|怎样|是否|能不能|可不可以|可以吗|哪里|哪个部门|哪些|什么时候|多少|需要什么|有没有|"
            r"吗[?？]?$|[?？]|" + _A_NOT_A + r")"
        ),
        0.8,
    ),
)

#: Order used to break ties: the most actionable reading first.
_PRIORITY = {
    t: i
    for i, t in enumerate(
        (
            MatterType.REPORT,
            MatterType.COMPLAINT,
            MatterType.HELP_REQUEST,
            MatterType.SUGGESTION,
            MatterType.CONSULTATION,
            MatterType.PRAISE,
        )
    )
}


#: A chat line asking something (不留姓名能反映吗, 工单多久能办完, 医保异地就医怎么备案): short, framed as a
#: question, and stating no grievance. 怎么办 is left out: 楼下太吵了怎么办 is a complaint put as a question.
_QUESTION_FORM = re.compile(
    r"(吗|呢|么)[?？。]*$|[?？]$|怎么(?!办)|如何|怎样|多久|多长时间|几天|多少|能不能|可不可以|可以吗|"
    r"是否|有没有|哪里|哪儿|哪个|哪些|什么时候|需要什么|要什么|找谁|(?<!凭)(?<!为)什么|" + _A_NOT_A
)
#: Words that state a grievance or a problem happening: such a "question" is a complaint or a request.
_GRIEVANCE = re.compile(
    r"(太吵|太臭|太差|坏了|没人管|不管|不给|拖欠|欠|乱|扰民|了[，,。！!]|投诉|举报|凭什么|什么[^，,。！!?？]{0,3}态度)"
)
#: Longest text read as a bare question: message-board posts ask questions inside complaints.
QUESTION_CHARS = 40
#: Weight of a bare question: above a learned head's full vote (2.0) for any other type.
QUESTION_WEIGHT = 2.5


def is_bare_question(text: str) -> bool:
    """A short question with no grievance in it: what a citizen types to ask about a rule or a procedure."""
    norm = normalize(text)
    if _ASK_TO_FIX.search(norm) or _ASK_TO_ADD.search(norm):
        return False
    return len(norm) <= QUESTION_CHARS and bool(_QUESTION_FORM.search(norm)) and not _GRIEVANCE.search(norm)


@dataclass(frozen=True)
class MatterTypeVerdict:
    label: MatterType
    confidence: float
    cues: list[str]


def rule_scores(text: str) -> tuple[dict[MatterType, float], list[str]]:
    """Cue weights per type and the cue words found."""
    norm = normalize(text)
    scores = {t: 0.0 for t in HOTLINE_TYPES}
    found: list[str] = []
    for mtype, pattern, weight in _CUES:
        matches = [m.group(0) for m in pattern.finditer(norm)]
        if matches:
            scores[mtype] += weight * min(len(matches), 3) ** 0.5
            found.extend(matches[:2])
    if is_bare_question(norm):
        scores[MatterType.CONSULTATION] += QUESTION_WEIGHT
    return scores, found


def classify(
    text: str,
    learned: tuple[list[str], np.ndarray] | None = None,
    *,
    default: MatterType = MatterType.COMPLAINT,
) -> MatterTypeVerdict:
    """Rule-based matter type, optionally blended with a learned head's ``(labels, proba_row)``."""
    scores, found = rule_scores(text)
    total = sum(scores.values())
    if learned is not None:
        labels, proba = learned
        for lab, p in zip(labels, proba, strict=True):
            try:
                mtype = MatterType(lab)
            except ValueError:
                continue
            if mtype in scores:
                scores[mtype] += 2.0 * float(p)
        total = sum(scores.values())
    if total <= 0:
        return MatterTypeVerdict(default, 0.4, [])
    best = max(scores, key=lambda t: (scores[t], -_PRIORITY[t]))
    # Softmax over cue weights gives a confidence that grows with the margin over the runner-up.
    weights = np.array(list(scores.values()))
    probs = np.exp(weights - weights.max())
    probs /= probs.sum()
    confidence = float(probs[list(scores).index(best)])
    return MatterTypeVerdict(best, round(confidence, 3), found[:5])
