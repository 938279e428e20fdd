"""Redirect detection (``redirect_rules.v1``): matters the hotline must not accept, and where they go.

The hotline regulations list matters that 12345 does not accept and whose proper channel the
operator must name instead: matters that belong to, or are already in, litigation, arbitration,
discipline inspection, administrative reconsideration or government-information-disclosure
procedures; matters already in the petition procedure; and matters the responsible body has already
concluded lawfully (《潍坊市12345政务服务便民热线条例》第十九条; likewise 《北京市接诉即办工作条例》
第十一条). Accusations against officials go to the discipline inspection and supervision organs
(《信访工作条例》第三十条); disclosure requests go to the body that holds the information
(《政府信息公开条例》第二十七条).

Rules fire on matters that are *already* in a procedure or explicitly ask for one; a citizen who
merely asks how arbitration works, or says they have not sued, is answered as a consultation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from classifiers import cues
from classifiers.text import normalize
from workorders.enums import RedirectKind

VERSION = "redirect_rules.v1"

WEIFANG = "《潍坊市12345政务服务便民热线条例》第十九条"


class RedirectInfo(BaseModel):
    """Where a matter belongs instead of 12345, in words an operator can read out."""

    kind: RedirectKind
    channel: str
    advice: str
    citation: str
    matched: str = ""


@dataclass(frozen=True)
class RedirectRule:
    kind: RedirectKind
    pattern: re.Pattern[str]
    channel: str
    advice: str
    citation: str
    #: wanting it is enough (我想申请信息公开 is the request itself); otherwise only a matter
    #: already in the procedure counts
    intent_enough: bool = False


#: A plan, a question or a condition before the match: 准备起诉, 如何申请仲裁, 不然只能起诉.
_NOT_YET = re.compile(
    r"(准备|打算|想|要|将|考虑|是否|能否|可否|可以|怎么|如何|怎样|如果|若|不然|否则|只能|只好|被迫|建议|告知|让我)\S{0,4}$"
)
#: An explicit question in the clause: 劳动仲裁怎么申请？
_QUESTION = re.compile(r"(怎么|如何|怎样|哪里|什么|吗|呢|\?|？)")

_OFFICIAL = r"(书记|局长|镇长|乡长|县长|市长|区长|村长|村主任|主任|科长|处长|所长|站长|队长|干部|官员|公职人员|公务员|领导|村官|支书|工作人员)"
_MISCONDUCT = (
    r"(贪污|受贿|行贿|腐败|索贿|挪用|侵占|私分|截留|克扣|以权谋私|违纪|吃拿卡要|收受|公款|权钱交易|滥用职权|徇私|"
    r"包庇|保护伞|吃空饷|公车私用|优亲厚友|违规提拔|买官|卖官|利益输送)"
)

RULES: tuple[RedirectRule, ...] = (
    RedirectRule(
        RedirectKind.LITIGATION,
        re.compile(
            r"((已经?|正在|目前|现已)(向.{0,12}法院)?.{0,4}(起诉|提起诉讼|立案|开庭|上诉|申请(强制)?执行)|"
            r"法院(已经?|正在)?(受理|立案|审理|判决|裁定|开庭|执行)|(案件|官司).{0,4}(审理中|在审|正在打|还在打)|"
            r"判决(书)?(已经?)?(生效|下来)|诉讼(中|期间|阶段))"
        ),
        "人民法院",
        "您好，您反映的事项已经进入诉讼程序（或依法应当通过诉讼解决），按规定12345热线不予受理。"
        "请向审理案件的人民法院反映；需要法律帮助的，可以拨打12348公共法律服务热线。",
        WEIFANG,
    ),
    RedirectRule(
        RedirectKind.ARBITRATION,
        re.compile(
            r"((已经?|正在|目前|现已)\S{0,10}仲裁|仲裁(委|委员会|院|庭)?(已经?|正在)?(受理|立案|开庭|裁决|审理)|"
            r"仲裁(中|期间|阶段|裁决书|结果))"
        ),
        "劳动人事争议仲裁委员会（合同纠纷为约定的仲裁委员会）",
        "您好，您反映的事项已经进入仲裁程序（或依法应当通过仲裁解决），按规定12345热线不予受理。"
        "请向受理案件的仲裁委员会了解进展；对裁决不服的，可以依法向人民法院起诉。",
        WEIFANG,
    ),
    RedirectRule(
        RedirectKind.ADMINISTRATIVE_RECONSIDERATION,
        re.compile(r"(行政复议|复议(申请|决定|机关|期间|中))"),
        "行政复议机关",
        "您好，您反映的事项属于行政复议程序处理的范围，按规定12345热线不予受理。"
        "对行政行为不服的，可以依法向行政复议机关申请行政复议，复议期间请向复议机关了解进展。",
        WEIFANG,
    ),
    RedirectRule(
        RedirectKind.LAWFULLY_CONCLUDED,
        re.compile(
            r"(信访(事项)?(已经?)?(依法)?终结|复核(意见|决定)(书)?|(已经?|均已)(作出|出具|给出)(了)?(书面)?(复查|复核)(意见|决定)|"
            r"(处理|答复)意见书.{0,10}(已经?)?(依法)?(办结|终结))"
        ),
        "原处理机关（已依法作出处理结论）",
        "您好，您反映的事项承办单位已经依法作出处理并有明确结论，按规定12345热线不再重复受理。"
        "如果有新的情况或新的理由，欢迎补充说明后再次反映。",
        "《潍坊市12345政务服务便民热线条例》第十九条第一款第四项",
    ),
    RedirectRule(
        RedirectKind.PETITION_PROCEDURE,
        re.compile(
            r"((已经?|正在|目前)(向|到|去)?.{0,10}信访(局|办|部门|室|接待)\S{0,6}(反映|上访|信访|投诉|递交|提交|登记)|"
            r"信访(局|办|部门|事项)(已经?|正在)(受理|办理|登记|转办))"
        ),
        "受理该信访事项的信访部门",
        "您好，您反映的事项已经进入信访程序，按规定12345热线不予重复受理。请向受理该事项的信访部门了解办理进展。",
        "《潍坊市12345政务服务便民热线条例》第十九条第一款第二项",
    ),
    RedirectRule(
        RedirectKind.DISCIPLINE_INSPECTION,
        re.compile(rf"({_OFFICIAL}.{{0,30}}{_MISCONDUCT}|{_MISCONDUCT}.{{0,20}}{_OFFICIAL})"),
        "纪检监察机关（12388举报电话或网站）",
        "您好，您反映的是对公职人员违纪违法问题的检举控告，依法由纪检监察机关受理，12345热线不予受理。"
        "请通过12388举报电话、纪检监察机关网站或来信来访提出，并尽量提供具体事实和证据。",
        f"{WEIFANG}；《信访工作条例》第三十条",
        intent_enough=True,
    ),
    RedirectRule(
        RedirectKind.INFORMATION_DISCLOSURE,
        re.compile(
            r"(申请.{0,6}(政府)?信息公开|信息公开申请|依申请公开|"
            r"(申请|要求)(政府|有关部门|相关部门)?公开.{0,15}(文件|批复|批文|审批|许可|会议纪要|征收决定|补偿方案|补偿标准|账目|资金))"
        ),
        "掌握该信息的行政机关（政府信息公开申请渠道）",
        "您好，获取政府信息需要依法向掌握该信息的行政机关提出政府信息公开申请，12345热线不予受理。"
        "可以通过该机关的政府信息公开网站、信函或当面提交书面申请。",
        f"{WEIFANG}；《政府信息公开条例》第二十七条",
        intent_enough=True,
    ),
)


def _live(text: str, match: re.Match[str], rule: RedirectRule) -> bool:
    span = cues.locate(text, match.start(), match.end())
    if cues.is_negated(text, span):
        return False
    before = text[span.clause_start : match.start()]
    if not rule.intent_enough and _NOT_YET.search(before):
        return False
    # A question about the procedure (劳动仲裁怎么申请？) is a consultation, not a redirect.
    asks = _QUESTION.search(text[span.clause_start : span.clause_end])
    return rule.kind is RedirectKind.DISCIPLINE_INSPECTION or not asks


def check_redirect(text: str, citations: Mapping[RedirectKind, str] | None = None) -> RedirectInfo | None:
    """The channel a matter belongs to instead of 12345, or None when 12345 may accept it.

    Args:
        text: the citizen's message.
        citations: the city's own article per redirect kind (``CityConfig.redirect_citations``);
            kinds it leaves out keep the rule's default citation.
    """
    norm = normalize(text)
    for rule in RULES:
        for match in rule.pattern.finditer(norm):
            if _live(norm, match, rule):
                return RedirectInfo(
                    kind=rule.kind,
                    channel=rule.channel,
                    advice=rule.advice,
                    citation=(citations or {}).get(rule.kind, rule.citation),
                    matched=match.group(0),
                )
    return None
