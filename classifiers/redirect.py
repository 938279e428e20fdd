"""Redirect detection (``redirect_rules.v5``): matters the hotline must not accept, and where they go.

The hotline regulations list matters that 12345 does not accept and whose proper channel the
operator must name instead: matters that belong to, or are already in, litigation, arbitration,
discipline inspection, administrative reconsideration or government-information-disclosure
procedures; matters already in the petition procedure; and matters the responsible body has already
concluded lawfully (《潍坊市12345政务服务便民热线条例》第十九条; likewise 《北京市接诉即办工作条例》
第十一条). Accusations against officials go to the discipline inspection and supervision organs
(《信访工作条例》第三十条); disclosure requests go to the body that holds the information
(《政府信息公开条例》第二十七条).

Rules fire on matters that are *already* in a procedure or explicitly ask for one; a citizen who
merely asks how arbitration works, or says they have not sued, is answered as a consultation, and one
who threatens to sue unless something is done (如果物业再不处理我就起诉) has a complaint 12345 handles.
A citizen who says plainly that they want to sue, go to arbitration or apply for reconsideration
(我要起诉我的房东) is told the right channel; mentioning a court (法院门口的路灯坏了) is not enough.

What a reply cites: the city's own article (``redirect_citations`` in its config) when it names one;
else the national regulation where one settles the matter (accusations, disclosure requests); else
the Weifang article the rules follow, *by name only when the deployment is Weifang* (a citizen of
another city must not be told that Weifang's law applies to them), and a city-neutral description of
the rule everywhere else.

v2: first-person intent counts for litigation, arbitration and reconsideration; advice no longer
repeats "not accepted" (the reply says it once); citations no longer name Weifang elsewhere.
v3: a want may drop its subject (不服，想申请复议) and ask where to go (我想告他怎么弄, 想申请仲裁去哪里申请);
告他/告到法院, 申请公开 + what is asked for, and an unenforced judgment (判了…还没执行到位) count; venting
(我都想去法院告他了) and a request that 12345 act (你们能不能先管一下) keep the matter here.
v4: chat wording of three kinds: misconduct in everyday words (收红包, 侵吞, 吃回扣) by an official (not by
a shop or property firm's staff); a won case whose money never came (官司赢了钱拿不到, 判了…一分钱都不给);
and a stated objection to an administrative body's decision (对区政府的强拆决定不服), which the
reconsideration rule takes like an explicit 复议 (a question or a condition still keeps it a consultation).
v5: an appeal against a case already judged or under way (离婚官司判了，他不服要上诉，我该怎么办; 一审判了，
我想上诉) is in litigation, whoever appeals; an appeal with no case behind it (邻居说要上诉) and a question
about appeals (上诉期是多久) are not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from classifiers import cues
from classifiers.text import normalize
from workorders.enums import RedirectKind

VERSION = "redirect_rules.v5"

#: The city whose hotline regulation the rules follow, and its list of excluded matters.
WEIFANG_CITY = "潍坊"
WEIFANG = "《潍坊市12345政务服务便民热线条例》第十九条"
#: Cited where neither the city nor a national regulation names an article: no article is invented,
#: and no other city's law is named (the reply reads 「依照有关规定，不在12345热线的受理范围内」).
GENERIC_BASIS = "有关规定"


class RedirectInfo(BaseModel):
    """Where a matter belongs instead of 12345, in words an operator can read out."""

    kind: RedirectKind
    channel: str
    advice: str
    citation: str
    matched: str = ""


@dataclass(frozen=True)
class RedirectRule:
    """One kind of matter 12345 does not accept.

    Attributes:
        kind: the redirect kind.
        pattern: the matter already in the procedure (or, with ``intent_enough``, asked for).
        channel: where it belongs, as a short name.
        advice: what the citizen should do there; it names the channel and does not repeat that
            12345 cannot accept the matter (`assistant.texts.redirect` says that once).
        weifang: the article of the Weifang regulation, cited only in Weifang.
        national: a national regulation that settles the matter in every city, if any.
        intent_enough: wanting it is enough (我想申请信息公开 is the request itself); otherwise only a
            matter already in the procedure counts, or one named by `wanted`.
        wanted: the procedure named as something the citizen wants (起诉, 申请行政复议); it counts
            only after a first-person want (我要, 我想), without a condition or a question.
    """

    kind: RedirectKind
    pattern: re.Pattern[str]
    channel: str
    advice: str
    weifang: str
    national: str = ""
    intent_enough: bool = False
    wanted: re.Pattern[str] | None = None

    def default_citation(self, city: str | None) -> str:
        """What to cite when the city's config names no article for this kind."""
        if city and city.startswith(WEIFANG_CITY):
            return f"{self.weifang}；{self.national}" if self.national else self.weifang
        return self.national or GENERIC_BASIS


#: A plan, a question or a condition before the match: 准备起诉, 如何申请仲裁, 不然只能起诉.
_NOT_YET = re.compile(
    r"(准备|打算|想|要|将|考虑|是否|能否|可否|可以|怎么|如何|怎样|如果|若|不然|否则|只能|只好|被迫|建议|告知|让我)\S{0,4}$"
)
#: An explicit question in the clause: 劳动仲裁怎么申请？ 行政复议多久出结果, 复议申请交给谁.
_QUESTION = re.compile(
    r"(怎么|如何|怎样|哪|什么|谁|多久|多长时间|要不要|收不收|算不算|会不会|能不能|可不可以|吗|呢|\?|？)"
)
#: A question that asks only where or how to go (我想告他怎么弄, 想申请仲裁去哪里申请, 找谁申请):
#: after a stated want its answer is the channel itself, so it does not make the want a consultation.
_CHANNEL_QUESTION = re.compile(
    r"(((去|到|向|找|在)?(哪里|哪儿|哪个(部门|单位|法院|机关|地方))|(去|到|向|找|在)哪)"
    r"(申请|起诉|告|办|办理|递交|提交|去|找)?|(去|要|该)?找谁(申请|办|办理)?|向谁(申请|提出)|"
    r"怎么(弄|办|告|起诉|申请|走|操作)|如何(申请|起诉|告|操作)|(走|需要|要走)?什么(程序|流程|手续))"
    r"[吗呢啊呀]?[?？]?"
)

_NO_BREAK = r"[^，,；;。！？!?\n]"
#: The citizen saying that they want the procedure, right before it in the clause: 我要起诉,
#: 我想对城管的处罚申请行政复议, 我们决定去法院起诉. 要求 is a demand on someone else, and 不想/不打算
#: say the opposite. Chat drops the subject after the first clause (我觉得处罚不合理，想申请复议), so a
#: want that opens its clause is the citizen's own; one after another subject (他想起诉我) is not.
_WANT_BEFORE = re.compile(
    rf"((我|我们|本人|咱们){_NO_BREAK}{{0,3}}(?<![不别])|^(就|还|也|所以|因此|于是|现在)?(?=想|准备|打算|决定))"
    rf"(要(?!求)|想要|想|准备|打算|决定|必须){_NO_BREAK}{{0,12}}$"
)
#: Asking about the procedure after the want: 我想咨询一下行政复议的流程, 想了解仲裁.
_ENQUIRY = re.compile(r"(咨询|了解|问问|问一下|打听|请教|知道)")
#: Venting, not a plan: 真想告他, 恨不得打官司, 气得想起诉, and 都想…了 (我都想去法院告他了: "I am so fed
#: up that I could"); 我们都想申请仲裁 without the closing 了 is a plain want of several people.
_VENT_BEFORE = re.compile(rf"(真想|真要|简直|气得|恨不得|差点){_NO_BREAK}{{0,12}}$")
_FED_UP_BEFORE = re.compile(rf"都(想|要){_NO_BREAK}{{0,12}}$")
_FED_UP_AFTER = re.compile(rf"^{_NO_BREAK}{{0,8}}了")
#: The citizen asks 12345 (or the government) to deal with it: 你们能不能先管一下, 想让你们协调一下,
#: 希望政府出面解决. A want to sue beside it is a threat or an aside, and the matter stays here.
#: A body that does not act (社区也不管) is a grievance, not a request, hence the look-behind.
_ASKS_HOTLINE = re.compile(
    rf"((你们|12345|热线){_NO_BREAK}{{0,8}}(?<![不没])(管|处理|协调|调解|解决|出面|介入|督促|帮)|"
    r"先(管|处理|协调|调解|解决|帮)|((?<!申)请|让|希望|麻烦|求求?)(你们|政府|有关部门|相关部门|街道|社区|12345|热线))"
)
#: A condition or a last resort earlier in the sentence: the want is a threat that backs a
#: complaint 12345 handles (如果物业再不处理我就去法院起诉, 实在不行我要起诉).
_CONDITION_BEFORE = re.compile(
    r"(如果|如若|若是|假如|倘若|万一|一旦|(?<![主只需])要是|不然|否则|不行|再不|只能|只好|被迫|迫不得已|除非|逼)"
)
#: A "but" after the want in its sentence: the citizen cannot or will not go (我们也想到法院起诉，但是
#: 耗不起), so the matter stays with 12345.
_BUT_AFTER = re.compile(r"(但是?|可是|不过|然而|却|无奈)")

#: Staff of a property company, a firm or a shop (物业主任, 公司领导, 超市工作人员) are not public officials:
#: what they take is a civil or consumer matter, so an official right after one of these does not count.
_PRIVATE_BEFORE = r"(?<!物业)(?<!物业的)(?<!公司)(?<!公司的)(?<!企业)(?<!厂)(?<!店)(?<!超市)(?<!商场)(?<!银行)(?<!老板)(?<!业委会)"
_OFFICIAL = (
    rf"{_PRIVATE_BEFORE}(书记|局长|镇长|乡长|县长|市长|区长|村长|村主任|主任|科长|处长|所长|站长|队长|干部|官员|"
    r"公职人员|公务员|领导|村官|支书|村委会?|工作人员)"
)
#: Misconduct in the words of a complaint as well as of the law: 收红包 and 收好处 for 受贿, 侵吞 and
#: 中饱私囊 for 贪污, 吃回扣 for 利益输送. 态度差 and 不作为 are service complaints and stay out.
_MISCONDUCT = (
    r"(贪污|贪墨|受贿|行贿|腐败|索贿|挪用|侵占|侵吞|私分|截留|克扣|以权谋私|违纪|吃拿卡要|收受|公款|权钱交易|滥用职权|徇私|"
    r"包庇|保护伞|吃空饷|公车私用|优亲厚友|违规提拔|买官|卖官|利益输送|收红包|收礼|收好处|拿好处|收钱办事|"
    r"(吃|拿|收)回扣|中饱私囊|虚报冒领|骗取(补贴|补助|低保|扶贫|救济))"
)

#: A judgment the citizen won (官司赢了, 胜诉, 判了): a court's name alone is a place (法院旁边的工地).
_WON = r"(判决|判了|判下来|裁定|调解书|胜诉|官司\S{0,2}赢了?|法院(已经?)?(判|裁))"
#: ... and the money it awarded never came: 一分钱都不给, 钱拿不到, 款一直要不回.
_UNPAID = (
    r"((一分钱|一分|分文)(都|也|还)?(不|没|未)(给|还|赔|付)|"
    r"(钱|款)(还是|一直|就是|始终|都|也)?(拿不到|要不回|要不到|没拿到|拿不回|没要到|到不了手))"
)
#: A case already decided or under way (一审判了, 离婚官司判了, 案子) and an appeal against it, by either
#: party (他不服要上诉, 我想上诉, 已经上诉了): the appeal is the court's business. A plain 上诉 with no
#: case behind it (邻居说要上诉到法院) or one ruled out (他没上诉) is not enough.
_APPEALED = (
    r"(判决|判了|判下来|一审|裁定|官司|案子|案件)[^。！？!?\n]{0,30}"
    r"(?<!不)(?<!没)(?<!未)(?<!没有)(?<!不会)(?<!不想)(?<!不打算)(上诉|二审|再审)"
)

#: A body or a kind of act that makes a decision administrative: 区政府, 城管, 强拆, 罚款, 征收.
_ADMIN = (
    r"(政府|区里|市里|县里|镇里|乡里|街道|局|城管|执法|交警|公安|派出所|税务|监管|住建|规划|国土|自然资源|人社|"
    r"环保|卫健|行政|处罚|罚款|征收|征地|拆除|强拆|拆迁|责令|吊销|没收|查封|扣押|工伤认定)"
)
#: A clause-internal character that is not a private body: 对公司的处罚决定不服 is a labour matter.
_PUBLIC_CHAR = rf"(?:(?!公司|单位|学校|物业|业委会|老板|企业|厂|店){_NO_BREAK})"
#: The citizen objects to an administrative decision (对区政府的强拆决定不服, 不服城管的处罚决定): the
#: channel the law gives that objection is reconsideration, as with an explicit 复议.
_OBJECTION = (
    rf"对{_PUBLIC_CHAR}{{0,16}}{_ADMIN}{_PUBLIC_CHAR}{{0,8}}决定(书)?{_NO_BREAK}{{0,4}}不服|"
    rf"不服{_PUBLIC_CHAR}{{0,16}}{_ADMIN}{_PUBLIC_CHAR}{{0,8}}决定"
)
_OBJECTION_RE = re.compile(_OBJECTION)

RULES: tuple[RedirectRule, ...] = (
    RedirectRule(
        RedirectKind.LITIGATION,
        re.compile(
            r"((已经?|正在|目前|现已)(向.{0,12}法院)?.{0,4}(起诉|提起诉讼|立案|开庭|上诉|申请(强制)?执行)|"
            r"法院(已经?|正在)?(受理|立案|审理|判决|裁定|开庭|执行)|(案件|官司).{0,4}(审理中|在审|正在打|还在打)|"
            r"判决(书)?(已经?|都|早就?)?(生效|下来)|诉讼(中|期间|阶段)|"
            r"(法院|判决|判了|裁定|调解书)[^。！？!?\n]{0,30}((不|没|未)\S{0,2}执行|执行不到位|拒不(履行|支付|赔偿|给)|"
            r"(不|没)(履行|赔钱|给钱|还钱|付钱|支付|赔偿))|"
            rf"{_WON}[^。！？!?\n]{{0,30}}{_UNPAID}|{_APPEALED}|"
            r"申请了?(法院)?强制执行|被执行人|执行(局|庭|法官))"
        ),
        "人民法院",
        "请向有管辖权的人民法院提起诉讼；案件已经在审理的，请向承办案件的人民法院反映；"
        "判决已经生效、对方拒不履行的，请向作出判决的人民法院申请强制执行，执行中的问题也请向该法院反映。"
        "需要法律帮助的，可以拨打12348公共法律服务热线。",
        WEIFANG,
        wanted=re.compile(
            r"(起诉|提起诉讼|打官司|告上法庭|走(法律|司法)程序|申请(法院)?强制执行|"
            rf"告(他|她|对方)(?!们)|告(他|她)们(?=$|[，,。！!；;了])|告(到|上)法院|(去|到|上|向)法院{_NO_BREAK}{{0,4}}(告|起诉))"
        ),
    ),
    RedirectRule(
        RedirectKind.ARBITRATION,
        re.compile(
            r"((已经?|正在|目前|现已)\S{0,10}仲裁|仲裁(委|委员会|院|庭)?(已经?|正在)?(受理|立案|开庭|裁决|审理)|"
            r"仲裁(中|期间|阶段|裁决书|结果))"
        ),
        "劳动人事争议仲裁委员会（合同纠纷为约定的仲裁委员会）",
        "劳动争议请向劳动人事争议仲裁委员会申请仲裁或了解案件进展，合同纠纷请向合同约定的仲裁委员会申请；"
        "对裁决不服的，可以依法向人民法院起诉。",
        WEIFANG,
        wanted=re.compile(r"(劳动)?仲裁(?!委|院|庭)"),
    ),
    RedirectRule(
        RedirectKind.ADMINISTRATIVE_RECONSIDERATION,
        re.compile(rf"(行政复议|复议(申请|决定|机关|期间|中)|{_OBJECTION})"),
        "行政复议机关",
        "对行政机关的行政行为不服的，可以自知道该行为之日起六十日内，依法向行政复议机关申请行政复议，"
        "也可以依法向人民法院提起行政诉讼；"
        "已经申请的，请向行政复议机关了解进展。",
        WEIFANG,
        wanted=re.compile(r"(行政)?复议"),
    ),
    RedirectRule(
        RedirectKind.LAWFULLY_CONCLUDED,
        re.compile(
            r"(信访(事项)?(已经?)?(依法)?终结|复核(意见|决定)(书)?|(已经?|均已)(作出|出具|给出)(了)?(书面)?(复查|复核)(意见|决定)|"
            r"(处理|答复)意见书.{0,10}(已经?)?(依法)?(办结|终结))"
        ),
        "原处理机关（已依法作出处理结论）",
        "对处理结论有异议的，请按照处理意见中告知的途径向原处理机关或其上级机关提出；"
        "如果有新的情况或新的理由，欢迎补充说明后再次反映。",
        f"{WEIFANG}第一款第四项",
    ),
    RedirectRule(
        RedirectKind.PETITION_PROCEDURE,
        re.compile(
            r"((已经?|正在|目前)(向|到|去)?.{0,10}信访(局|办|部门|室|接待)\S{0,6}(反映|上访|信访|投诉|递交|提交|登记)|"
            r"信访(局|办|部门|事项)(已经?|正在)(受理|办理|登记|转办))"
        ),
        "受理该信访事项的信访部门",
        "请向受理该信访事项的信访部门了解办理进展。",
        f"{WEIFANG}第一款第二项",
    ),
    RedirectRule(
        RedirectKind.DISCIPLINE_INSPECTION,
        re.compile(rf"({_OFFICIAL}.{{0,30}}{_MISCONDUCT}|{_MISCONDUCT}.{{0,20}}{_OFFICIAL})"),
        "纪检监察机关（12388举报电话或网站）",
        "请向纪检监察机关提出检举控告：可以拨打12388举报电话，或通过纪检监察机关网站、来信来访提出，"
        "并尽量提供具体事实和证据。",
        WEIFANG,
        national="《信访工作条例》第三十条",
        intent_enough=True,
    ),
    RedirectRule(
        RedirectKind.INFORMATION_DISCLOSURE,
        re.compile(
            r"(申请.{0,6}(政府)?信息公开|信息公开申请|依申请公开|"
            r"(申请|要求)(政府|有关部门|相关部门)?公开.{0,15}(文件|批复|批文|审批|许可|会议纪要|征收决定|补偿方案|补偿标准|账目|资金|"
            r"补偿款|明细|名单|清单|标准|预算|决算|合同|规划|数据|记录|信息))"
        ),
        "掌握该信息的行政机关（政府信息公开申请渠道）",
        "请依法向掌握该信息的行政机关提出政府信息公开申请，可以通过该机关的政府信息公开网站、信函或当面提交书面申请。",
        WEIFANG,
        national="《政府信息公开条例》第二十七条",
        intent_enough=True,
    ),
)


def _live(text: str, match: re.Match[str], rule: RedirectRule) -> bool:
    span = cues.locate(text, match.start(), match.end())
    if cues.is_negated(text, span):
        return False
    # An objection is no more than a want: beside a request that 12345 act, the matter stays here.
    if _OBJECTION_RE.fullmatch(match.group(0)) and _ASKS_HOTLINE.search(text):
        return False
    before = text[span.clause_start : match.start()]
    if not rule.intent_enough and _NOT_YET.search(before):
        return False
    # A question about the procedure (劳动仲裁怎么申请？) is a consultation, not a redirect.
    asks = _QUESTION.search(text[span.clause_start : span.clause_end])
    return rule.kind is RedirectKind.DISCIPLINE_INSPECTION or not asks


def _wanted(text: str, match: re.Match[str]) -> bool:
    """Whether the citizen plainly asks for the procedure (我要起诉我的房东), now and unconditionally.

    A want inside a condition or a last resort (如果再不处理我就起诉, 实在不行只能起诉) backs a
    complaint; a question anywhere in the sentence (我想起诉，最晚什么时候要去法院？) asks how the
    procedure works, which the knowledge base answers; and a "but" after it (我们也想起诉，但是耗不起)
    says the citizen will not go.
    """
    span = cues.locate(text, match.start(), match.end())
    before = text[span.clause_start : match.start()]
    want = _WANT_BEFORE.search(before)
    if cues.is_negated(text, span) or want is None or _VENT_BEFORE.search(before):
        return False
    if _FED_UP_BEFORE.search(before) and _FED_UP_AFTER.search(text[match.end() : span.clause_end]):
        return False
    if _ENQUIRY.search(before, want.start()):
        return False
    if _CONDITION_BEFORE.search(text, span.sentence_start, match.start()):
        return False
    if _BUT_AFTER.search(text, match.end(), span.sentence_end) or _ASKS_HOTLINE.search(text):
        return False
    sentence = _CHANNEL_QUESTION.sub("", text[span.sentence_start : span.sentence_end])
    return not _QUESTION.search(sentence)


def _first_match(norm: str, rule: RedirectRule) -> str | None:
    for match in rule.pattern.finditer(norm):
        if _live(norm, match, rule):
            return match.group(0)
    if rule.wanted is not None:
        for match in rule.wanted.finditer(norm):
            if _wanted(norm, match):
                return match.group(0)
    return None


def check_redirect(
    text: str, citations: Mapping[RedirectKind, str] | None = None, *, city: str | None = None
) -> RedirectInfo | None:
    """The channel a matter belongs to instead of 12345, or None when 12345 may accept it.

    Args:
        text: the citizen's message.
        citations: the city's own article per redirect kind (``CityConfig.redirect_citations``);
            kinds it leaves out keep the rule's default citation.
        city: the deployment's city (``CityConfig.city.name``); the default citation names the
            regulation the rules follow only in that regulation's own city.
    """
    norm = normalize(text)
    for rule in RULES:
        matched = _first_match(norm, rule)
        if matched is not None:
            return RedirectInfo(
                kind=rule.kind,
                channel=rule.channel,
                advice=rule.advice,
                citation=(citations or {}).get(rule.kind) or rule.default_citation(city),
                matched=matched,
            )
    return None
