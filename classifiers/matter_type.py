"""Matter type (诉求类型): consultation, help request, complaint, report, suggestion or praise.

The type is mostly carried by a few speech-act words (请问, 投诉, 举报, 建议, 感谢), so rules
(``matter_type_rules.v1``) do well and explain themselves. When a learned ``matter_type`` head has
been trained on operator-labelled orders, its probabilities are blended in; a rule hit still wins
when it is explicit (the citizen wrote 我要举报).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from classifiers.text import normalize
from workorders.enums import MatterType

VERSION = "matter_type_rules.v2"

#: The six hotline types this head predicts (petition classes are set by the petition channel).
HOTLINE_TYPES: tuple[MatterType, ...] = (
    MatterType.CONSULTATION,
    MatterType.HELP_REQUEST,
    MatterType.COMPLAINT,
    MatterType.REPORT,
    MatterType.SUGGESTION,
    MatterType.PRAISE,
)

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
    (MatterType.CONSULTATION, re.compile(r"(咨询|请问|问一下|想问|想了解|想知道)"), 2.0),
    (
        MatterType.CONSULTATION,
        re.compile(
            r"(如何|怎么|怎样|是否|能不能|可不可以|可以吗|哪里|哪个部门|什么时候|多少|需要什么|有没有|吗[?？]?$|[?？])"
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
    r"是否|有没有|哪里|哪儿|哪个|什么时候|需要什么|要什么|找谁"
)
#: Words that state a grievance or a problem happening: such a "question" is a complaint or a request.
_GRIEVANCE = re.compile(r"(太吵|太臭|太差|坏了|没人管|不管|不给|拖欠|欠|乱|扰民|了[，,。！!]|投诉|举报)")
#: Longest text read as a bare question: message-board posts ask questions inside complaints.
QUESTION_CHARS = 40
#: Weight of a bare question: above a learned head's full vote (2.0) for any other type.
QUESTION_WEIGHT = 2.5


def is_bare_question(text: str) -> bool:
    """A short question with no grievance in it: what a citizen types to ask about a rule or a procedure."""
    norm = normalize(text)
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
