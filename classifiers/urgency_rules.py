"""The urgency rubric as rules (``urgency_rules.v8``).

Each rule is a hazard pattern with the tier the rubric gives it and, for emergencies, the service
that takes over (a key of ``emergency_numbers`` in the city config: police/fire/ambulance/traffic).
A match counts only when the text frames it as happening now: not negated, not in the past, not
already over, not a question about fees or schedules, not a risk or the consequent of a condition,
and (for standing hazards) not a long-standing general complaint without any sign that harm is
imminent. Rules are ordered by tier; the most urgent live match wins. Lexicons are deliberately
explicit: 燃气 alone never triggers, 燃气泄漏 does.

v2 (after v1 was checked against labelled message-board posts): repeated complaints mark a standing
complaint; in long posts the cue that overrides chronic framing must sit in the hazard's sentence;
recurring and threatened outages are not outages now; conditions govern the clauses after them;
"safe" no longer matches the school-safety rule; selling unsafe food is a standing hazard.

v3 (long message-board posts again): idioms and hyperbole (天要塌了, 气炸了) are not hazards; pollution
in a long-standing complaint (一直排放, 投诉多次) is a standing hazard, and restaurant fumes are a
nuisance; harm to people now (呕吐, 呼吸困难) keeps a standing hazard live; a burst pipe counts only
with water escaping or a right-now cue; a supply cut off over the citizen's own arrears or an empty
prepaid meter is a billing matter; gas cylinders in ordinary use are dangerous goods only when
leaking, burning, hoarded or said to be about to explode.

v4 (chat walkthrough): a robbery told as 被人抢了手机 is a robbery; a fall into water is caught however
it is phrased (掉河里, 掉到水里, 落水); 汽 typed for 气 (煤汽, 天然汽) still names gas; and a traffic
accident typed into a chat line as a fresh event (出车祸了, 两辆车撞了) with someone hurt is happening
now (see `cues.is_fresh_report`), while long posts about old accidents stay discounted.

v5 (chat walkthrough): injuries and acute illness told now go to 120: unconsciousness (叫不醒), heavy
or unstopped bleeding (头在流血, 血止不住), a fall after which someone cannot get up, sudden stroke or
breathing signs, a febrile seizure, swallowing poison; a fracture, a dog bite or 摔伤 counts when told
as it happens, not when told as a complaint or question (物业不管, 去哪打疫苗, 住院一个月了). A threat
to kill (说要弄死我, 拿刀威胁) typed into a chat goes to 110, repeated daily or not. Self-harm words
record whether they are the writer's own or said about someone else, whose witness needs the
numbers first (see `classifiers.emergency`).

v6 (staff walkthrough): the follow-up of a gas leak or a lift entrapment that is over (救出来了, 消防
处理完了) with a request to inspect or repair is urgent, as city guides list it (燃气泄漏后续处置、
电梯困人后续检修: 2 hours); a repair done long ago asks for nothing.

v7 (chat re-test): a hedged emergency (好像着火了, 可能着火了, 好像要跳下去) is a report, not a simile
or a risk (`cues.hedge_start`); smoke where it means fire (楼道冒烟了) goes to 119 unless it is
cigarettes, cooking, a barbecue or a factory; a threat to kill with a time clause (说今晚回来就弄死
我) is a threat; 要往下跳 / 跳下去 is someone about to jump; 躺地上起不来 marks the injured in an
accident and a fall.

v8 (regression pass): venting right before a threat word (这个房东简直要杀人, 这家店真是要把人整死, 我气
得想杀了他) is exaggeration about a landlord, a shop or a company (`cues.is_venting`); who threatens or
with what (他说要杀了我, 拿刀说要杀人, 扬言要杀人, 房东气得说要弄死我) keeps it a threat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from classifiers import cues
from workorders.enums import UrgencyTier

VERSION = "urgency_rules.v8"


@dataclass(frozen=True)
class Rule:
    """One hazard pattern of the rubric.

    Attributes:
        key: stable identifier (shows up in evaluation reports).
        reason: short Chinese description shown to operators.
        pattern: what to look for.
        tier: tier when the match is live.
        service: emergency service key for ``tier == EMERGENCY``.
        needs_present: also require an explicit present-time cue (for words that are mostly
            used about past events, e.g. 车祸).
        standing_hazard: a hazard that can stand for months; a chronic framing without an
            imminent cue makes it ``normal`` (the rubric's "存在安全隐患，希望尽快整改").
        veto: text around the match (a few characters either side) that cancels it (跳楼价, 炸鸡).
        ongoing: the pattern itself describes a state that is still going on (an injured person
            left without care), so past-tense framing of the sentence does not cancel it.
        ignore_questions: a question about fees/schedules in the clause cancels it.
        outage: the pattern names an interrupted supply (water, power, gas, heating). The rubric
            asks whether the supply is cut off *now*, so a recurring outage without a present cue
            (经常停电), an outage threatened as a sanction (不交费就停气) and a supply cut off over
            the citizen's own unpaid bill (欠费停气, 预付费电表没钱了) do not count.
        needs_sign: the words of the pattern are mostly background (a burst pipe named as the cause
            of an outage, a gas cylinder beside a stove), so the match counts only with a sign of
            danger in its sentence (the whole text of a chat line) that is not itself hypothetical;
            see `_lacks_sign`.
        nuisance: a source in the match's sentence that makes it an everyday nuisance, which the
            rubric files with "noise from a construction site or shop" under ``normal`` (fumes from
            a restaurant kitchen or a barbecue stall are not the acute pollution of a factory).
        chat_only: the match counts only in a chat-length message: a citizen who types just
            "水管爆了" is reporting it as it happens, while a long post names it as background.
        complaint: words in the match's scope (the whole chat line, or its sentence in a longer
            post) that make the event the subject of a complaint or a question rather than a call
            for help: 孩子被狗咬伤了，物业不管 asks 12345 to act on the dog, not for an ambulance.
        persistent: repetition makes the matter worse rather than a standing complaint, so a
            habitual framing does not cancel it: 天天发短信说要弄死我 is harassment under way.
        personal: the words may be the writer's own (我不想活了) or said about someone else; which
            is recorded on the hit (`RuleHit.about_other`) because the reply differs.
        venting: a venting word right before the match (这个房东简直要杀人, 我气得想杀了他) makes it
            exaggeration (`cues.is_venting`), unless the match itself says who threatens or with
            what (说要杀了我, 拿刀说要杀人): this pattern matches those words at the start of the match.
    """

    key: str
    reason: str
    pattern: re.Pattern[str]
    tier: UrgencyTier
    service: str | None = None
    needs_present: bool = False
    standing_hazard: bool = False
    veto: re.Pattern[str] | None = None
    ignore_questions: bool = False
    ongoing: bool = False
    outage: bool = False
    needs_sign: re.Pattern[str] | None = None
    nuisance: re.Pattern[str] | None = None
    chat_only: bool = False
    complaint: re.Pattern[str] | None = None
    persistent: bool = False
    personal: bool = False
    venting: re.Pattern[str] | None = None


@dataclass(frozen=True)
class RuleHit:
    """A live match. `about_other`: a ``personal`` rule's words are said about someone else."""

    rule: Rule
    matched: str
    start: int
    about_other: bool = False


@dataclass(frozen=True)
class RuleVerdict:
    """What the rules conclude about a text."""

    tier: UrgencyTier
    hits: list[RuleHit] = field(default_factory=list)
    #: matches that were discounted, with why (negated, past...), for the evidence display
    discounted: list[tuple[RuleHit, str]] = field(default_factory=list)

    @property
    def service(self) -> str | None:
        for hit in self.hits:
            if hit.rule.tier is UrgencyTier.EMERGENCY and hit.rule.service:
                return hit.rule.service
        return None

    def reasons(self) -> list[str]:
        out = [f"{h.rule.reason}：“{h.matched}”" for h in self.hits]
        out += [f"未计入（{why}）：“{h.matched}”" for h, why in self.discounted]
        return out


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


E, U, X = UrgencyTier.EMERGENCY, UrgencyTier.URGENT, UrgencyTier.EXPEDITED

_PLACE = r"(家|屋|房|楼|楼道|楼梯间|厨房|小区|单元|车库|仓库|店|工厂|厂房|宿舍|车|山|林)"

#: Household gas by name. Pinyin input often gives 汽 for 气 (煤汽, 天然汽 are not words of their own),
#: and a citizen reporting a leak in a hurry does not correct it, so both spellings count.
_GAS = r"(燃[气汽]|煤[气汽]|天然[气汽]|液化石油[气汽]|液化[气汽])"

#: What a robber takes. A robbery told from the victim's side (被人抢了手机, 包被抢走了) names the loot;
#: without it 被抢 is mostly a parking space, a customer or a bargain.
_LOOT = (
    r"(手机|钱包|皮包|挎包|背包|包|钱|现金|项链|金链子?|首饰|耳环|戒指|手表|财物|电动车|自行车|摩托车|车钥匙)"
)
_NO_BREAK = r"[^，,；;。！？!?\n]"

#: Something falling into water or a pit, however the citizen phrases it: 掉进河里, 掉到河里, 掉河里,
#: 掉水里, 落入水中. Objects dropped into water (手机掉水里了) are vetoed by the rule.
_FELL_IN = (
    rf"((掉|落|跌|摔|滑|栽|卡)(进|到|入|在)?了?{_NO_BREAK}{{0,4}}?"
    r"(井|坑|河|湖|江|海|水|池塘|水塘|鱼塘|水库|粪池|冰窟窿?)(里|中))"
)

#: What makes a burst pipe the rubric's "burst water main flooding a street or homes": water
#: escaping or flooding, or a right-now cue. A burst pipe named as the cause of outages (以爆管为由
#: 停水) or in a complaint about repairs has no such sign; a pipe that burst and left the supply off
#: is still picked up by the water-outage rule.
_BURST_PIPE = _re(r"(爆管|(水管|自来水管|供水管|主管道?|管道).{0,4}(爆|破裂|爆裂|断裂))")
_BURST_SIGNS = _re(
    r"(冒|喷|涌|淹|漫|灌|往外流|流到|流了?一地|满地(都)?是水|到处(都)?是水|水流成河|哗哗|泡在水|积水|水柱|"
    r"正在|现在|刚刚|刚才|突然|此刻|今天|今早|今晚|快来|赶紧|赶快|速来)"
)

#: Gas cylinders are in ordinary use in every kitchen and food stall, so one standing by a stove is
#: not the rubric's "dangerous goods stored among homes" unless it leaks, burns, is said to be
#: about to explode, or is a hoard (a depot of cylinders among homes). 随时可能爆炸 is taken as one
#: sign so that its 可能 is not read as a mere risk (`_lacks_sign` ignores hypothetical signs).
_CYLINDER_SIGNS = _re(
    r"(随时(都)?(有)?(可能|会)?(爆炸|爆|起火|着火|燃烧)?|漏气|泄漏|泄露|漏了|着火|起火|冒烟|冒火|火苗|要爆|会爆|爆炸|炸了|"
    r"囤积|大量|成堆|几十|数十|上百|成百|仓库|储存点|储气点|黑气站|非法(储存|存放|充装|经营))"
)
_CYLINDER = r"(液化气罐|液化气瓶|液化石油气瓶|煤气罐|煤气瓶|燃气罐|燃气瓶|液化气钢瓶|钢瓶)"
_HAZMAT = r"(危险品|危化品|易燃易爆|炸药|烟花爆竹|汽油|油桶)"
_STORE_VERB = r"(堆放|存放|囤积|储存|堆在|放在|摆在|放着|堆着)"

#: Bleeding that needs an ambulance: heavy, not stopping, or going on as the citizen writes (头在流血).
#: A bare 流血 is left to the traffic rule and to 流血冲突 (the crowd rule).
_BLEEDING = (
    r"(大出血|血流不止|流血不止|血止不住|止不住(地)?(流)?血|一直(在)?(流|出|冒)血|(还|正)?在(流|出|冒)血|"
    r"流了(好多|很多|一地|一大滩|不少|大量)的?血|(满地|一地)(都)?是血|满(头|脸|身|手)(都)?是血|浑身是血|头破血流)"
)
#: A fall. On its own it is no emergency (老人摔倒了 may be a complaint about a slippery path), but a
#: fall after which someone cannot get up is one.
_FALL = r"(摔倒|跌倒|摔了一跤|摔了一下|摔下来|掉下来|滑倒|绊倒|倒在地上|倒地)"
#: Limbs and bones, for 胳膊断了; 手机, 脚手架 and the like are not.
_LIMB = (
    r"(腿|胳膊|胳臂|手臂|手腕|(?<!脚)手(?![机续套表架柄里上中段术])|(?<!手)脚(?![手步下本印])|脚踝|"
    r"骨头|肋骨|锁骨|脖子|腰椎|颈椎|脊椎|鼻梁)"
)
#: An injury told after the fact (谁负责, 物业不管, 去哪打疫苗) or already in a doctor's hands
#: (在医院抢救, 住院, 医药费): a complaint or a question to 12345, not a call for an ambulance.
_INJURY_COMPLAINT = _re(
    r"(不管|不处理|不理|不作为|不负责|不肯负责|拒不|无人(过问|关注|负责)|谁负责|谁来负责|负责任|推诿|推脱|扯皮|"
    r"投诉|举报|反映|要求|怎么办|怎么处理|如何处理|去哪|哪里|哪儿|请问|咨询|办理|申请|残疾|疫苗|赔|索要|报销|"
    r"(在|进了?|住进了?|送进了?|送到了?)[^，,；;。！？!?\n]{0,6}(医院|抢救|ICU|icu)|住院|医药费|医疗费|治疗费)"
)
#: Threats to kill: who says it (说要, 扬言, 放话) or that it is meant (要, 想), the act, the victim.
#: 他说要告我 is not one, nor 价格要杀人 (no such victim); a bare 杀 needs 要 or 想 (说杀人偿命 is a saying).
_THREAT_LEAD = r"((说|扬言|威胁|声称|放话|发话|叫嚣)(着)?(要|会|就)?|要|想|会|准备|非得|非要)"
_KILL = r"(杀了|杀死|弄死|砍死|捅死|打死|掐死|整死|宰了|砍了|捅了|废了)"
#: A threat with a time or condition between the words and the act (说今晚回来就弄死我, 说等我下班就
#: 捅死我, 说不给钱就砍死你): 就 ties the act to the moment, so it is as much a threat as 说要弄死我.
_THREAT_WHEN = rf"(说|扬言|威胁|声称|放话|发话|叫嚣)(着)?{_NO_BREAK}{{1,8}}?(就|便|立马|马上)(要|会)?"
_VICTIM = (
    r"(我全家|你全家|他全家|全家|一家人?|我们|你们|他们|我家人?|我(的)?(孩子|儿子|女儿|老婆|老公|妈|爸)|"
    r"我|你|他|她|人)"
)

#: Where smoke means a fire: a home, a stairwell, a store, the woods, wiring and batteries. Factories
#: and chimneys are left out (smoke there is the pollution rule's), and so are appliances that smoke
#: for a moment (电脑冒烟了一下).
_SMOKE_PLACE = (
    r"(楼道|楼梯间?|楼上|楼下|家里|屋里|屋子里|房间|房子|厨房|卧室|客厅|阳台|窗户|窗口|门缝|电梯|车库|地下室|"
    r"仓库|店里|隔壁|邻居家|对面|山上|林子|树林|配电箱|电表箱|电箱|插座|插线板|电线|充电器|电瓶|电动车|"
    r"车里|发动机)"
)
#: Smoke the citizen lives with rather than a fire: cigarettes, cooking, a barbecue stall, burning
#: paper or rubbish, fireworks, a factory chimney.
_SMOKE_NUISANCE = _re(
    r"(香烟|抽烟|吸烟|烟头|油烟|做饭|炒菜|烧烤|烤串|饭店|餐馆|餐厅|饭馆|烟囱|工厂|厂房|排放|污染|"
    r"烧纸|烧香|上坟|祭祀|鞭炮|烟花|烧垃圾|焚烧|秸秆|蚊香|艾灸)"
)

RULES: tuple[Rule, ...] = (
    # ---- emergency: hand over to 110/119/120/122 -----------------------------------------------
    Rule(
        "fire",
        "火情",
        _re(r"(着火|起火|失火|火灾|大火|火势|烧起来|烧着了|火苗|浓烟滚滚|冒出浓烟)"),
        E,
        "fire",
        # 烟囱冒出浓烟 is pollution (the environment rules), not a fire.
        veto=_re(r"(火灾隐患|消防隐患|火灾险|防火|消防通道|消防栓|灭火器|火灾报警器|烟囱|排放|排出)"),
    ),
    Rule(
        # Smoke without a flame seen (楼道冒烟了, 满屋子都是烟): the citizen cannot tell yet whether it
        # is a fire, and 119 wants the call before they can.
        "smoke",
        "冒烟，可能起火",
        _re(
            rf"({_SMOKE_PLACE}{_NO_BREAK}{{0,4}}?(冒|往外冒|冒出|冒起|窜出|飘出|涌出)了?(很多|好多|大量)?的?"
            r"(黑|浓|白)?烟(?![味囱头草酒花])|"
            r"满(屋子?|楼道|楼|房间|走廊)(里)?(都|全)?是(黑|浓)?烟(?![味囱头草酒花]))"
        ),
        E,
        "fire",
        veto=_re(r"一下"),
        nuisance=_SMOKE_NUISANCE,
        # 配电箱冒烟的问题物业一直不管 asks 12345 to fix the box; the smoke is not pouring out now.
        complaint=_re(r"(的问题|不管|不处理|没人管|没人修|没修|不修|一直没|谁负责|投诉|反映|举报|隐患)"),
    ),
    Rule(
        "gas_leak",
        "燃气泄漏",
        _re(
            rf"({_GAS}(管道?|罐|瓶)?[^，,；;。！？!?\n]{{0,3}}(泄漏|泄露|漏气|漏了)|漏气|"
            rf"(闻到|有|一股).{{0,6}}{_GAS}味|{_GAS}味.{{0,4}}(很|特别|非常)?(大|浓|重|刺鼻))"
        ),
        E,
        "fire",
        veto=_re(r"(轮胎|车胎|气球|充气)"),
    ),
    Rule(
        "explosion",
        "爆炸",
        _re(r"(爆炸|炸开|炸了)"),
        E,
        "fire",
        veto=_re(r"(炸鸡|炸串|油炸|信息爆炸|炸街|炸货)"),
    ),
    Rule(
        "trapped",
        "有人被困",
        _re(
            r"(被困|困在|关在电梯|卡在电梯|电梯.{0,6}(困住|关住|困人|关人)|(关|困|卡)着(人|[一两三四五六七八九\d]+个人)|"
            rf"{_FELL_IN}|落水|溺水|压在.{{0,4}}下面|被埋)"
        ),
        E,
        "fire",
        standing_hazard=False,
        # Things, not people, that fell in: 手机掉水里了, 车轮掉坑里了.
        veto=_re(r"(手机|钥匙|钱包|东西|首饰|戒指|垃圾|杂物|树叶|球|鞋|帽子|车|轮|石头|钱)"),
    ),
    Rule(
        "collapse_now",
        "建筑正在倒塌",
        _re(
            r"((房子|房屋|楼房?|墙|屋顶|天花板|桥|棚|脚手架|塔吊).{0,4}(塌了|倒塌了|坍塌了|正在倒塌|垮了|砸下来))"
        ),
        E,
        "fire",
    ),
    Rule(
        "violence",
        "暴力或犯罪正在发生",
        _re(
            r"(正在打人|在打人|打起来了|殴打|砍人|持刀|拿刀|拿着刀|行凶|抢劫|抢包|(?<!道德)绑架|家暴|正在偷|入室盗窃|"
            r"撬.{0,6}(门|锁|窗)|(拽|拉|抱|拖)着?.{0,8}(往车上|上车|拉走|抱走)|强行带走|抢孩子|拐走|非法拘禁|扣押.{0,4}人|威胁要?杀|"
            rf"被{_NO_BREAK}{{0,4}}抢劫|被{_NO_BREAK}{{0,4}}抢(走|了|去|夺)了?{_NO_BREAK}{{0,4}}{_LOOT}|"
            rf"{_LOOT}{_NO_BREAK}{{0,3}}被{_NO_BREAK}{{0,3}}抢(了|走|去|夺)?|抢(走|了)(我|他|她|我们)的{_LOOT}|飞车抢)"
        ),
        E,
        "police",
        veto=_re(r"(红包|抢购|抢票|抢单)"),
    ),
    Rule(
        "self_harm",
        "有人轻生",
        _re(
            r"((想|要|准备|扬言|打算|威胁)(要)?(自杀|轻生|寻死|跳楼|跳河|跳江|跳桥|割腕|喝农药)|"
            # Seen from below (要往下跳, 要从桥上跳下去): someone on a height about to jump.
            rf"(想|要|准备|打算)(要)?(从{_NO_BREAK}{{1,6}}?)?(往下跳|跳下去)|"
            r"不想活了?|活不下去了?|不想活下去|活着(真|真的|太|好)?没(有)?(意思|意义)|"
            r"(站|坐)在.{0,6}(楼顶|天台|桥上|窗台|窗户上|阳台外)|(割腕|喝了农药|吃了.{0,4}安眠药))"
        ),
        E,
        "police",
        veto=_re(r"(跳楼价|跳楼大?甩卖|跳楼清仓|游泳|跳水|蹦极|玩水|潜水)"),
        personal=True,
    ),
    Rule(
        "medical",
        "急病或重伤",
        _re(
            r"(昏迷|晕倒|晕过去|昏倒|不省人事|叫不醒|喊不醒|叫不应|(没有|没了|失去|丧失)(意识|知觉)|意识不清|"
            r"抽搐|惊厥|(发烧|发高烧|高烧|高热)[^，,；;。！？!?\n]{0,4}(抽筋|抽风)|心脏病(发作|犯了)|心脏骤停|"
            r"心跳骤停|没有?心跳|休克|呼吸困难|喘不上气|喘不过气|"
            rf"{_BLEEDING}|口吐白沫|没有呼吸|没气了|奄奄一息|生命垂危|危在旦夕|"
            r"(躺|倒)(在.{0,8}|地上.{0,4})(动不了|不能动|起不来|动弹不得|一动不动)|倒地不起|"
            rf"{_FALL}{_NO_BREAK}{{0,8}}(起不来|动不了|不能动|站不起来|爬不起来|动弹不得)|"
            r"突然(晕|倒|昏|抽|说不出话|不会说话|动不了|喘不|胸口疼|胸痛)|(嘴唇|脸)(都)?(发)?(紫|青)了|"
            r"(半边|一边)(身子|身体).{0,4}(动不了|不能动|没知觉)|触电了|"
            r"误(服|食|吃|喝|吞)了|(食物|煤气|一氧化碳|农药)?中毒)"
        ),
        E,
        "ambulance",
        # Figures of speech: 流血流汗, 心在流血, 压力大得让人喘不过气, 房贷压得我喘不过气.
        veto=_re(r"(预防|防止|科普|宣传|流汗|心在|心里|心都|令人|让人|压力|压得)"),
    ),
    Rule(
        "injury",
        "刚发生的受伤",
        _re(
            rf"({_LIMB}{_NO_BREAK}{{0,4}}(骨折|断了|折了)|骨折|摔(伤|断|破|骨折|晕)|"
            rf"摔得{_NO_BREAK}{{0,4}}(流血|骨折|断)|"
            rf"被{_NO_BREAK}{{0,8}}(狗|犬|猫|蛇|马蜂|蜜蜂|蜂)[^，,；;。！？!?\n]{{0,4}}(咬|蛰|蜇)(伤|了)|"
            r"(烧伤|烫伤|砸伤|割伤|扎伤|夹伤)|(受了?|是)重伤|伤得(很|特别|非常)?(重|厉害))"
        ),
        E,
        "ambulance",
        needs_present=True,
        complaint=_INJURY_COMPLAINT,
        veto=_re(r"((椅|桌|凳|床|柜)子?腿|工伤|伤残|鉴定)"),
    ),
    Rule(
        "threat",
        "扬言杀人或持械威胁",
        _re(
            rf"({_THREAT_LEAD}{_KILL}{_VICTIM}|(要|想)杀{_VICTIM}|{_THREAT_WHEN}({_KILL}|杀){_VICTIM}|"
            rf"{_THREAT_LEAD}把{_VICTIM}{_NO_BREAK}{{0,4}}{_KILL}|"
            r"(拿|持|举|提|抄)(着|起)?(刀|菜刀|砍刀|斧头|铁棍|棍子|枪|刀子|剪刀)[^，,；;。！？!?\n]{0,6}"
            r"(威胁|逼|对着|指着|追|要杀|要砍)|"
            r"(刀|枪)(架|抵|顶|比)在.{0,6}(脖子|身上|头上|胸口)|死亡威胁)"
        ),
        E,
        "police",
        persistent=True,
        venting=_re(r"(说|扬言|威胁|声称|放话|发话|叫嚣|拿|持|举|提|抄|刀|枪)"),
        # On the message board a threat is told inside a grievance (工资至今没给，动辄威胁要把我们
        # 打死); typed into a chat it is a call for help.
        chat_only=True,
    ),
    Rule(
        "injured_unattended",
        "伤病者无人救治",
        _re(
            r"((动弹不得|昏睡|奄奄一息|受伤|伤者|伤员|昏迷).{0,20}(无人|没人)(管|照顾|照料|救治|理睬)|粒米未(进|沾)|滴水未进)"
        ),
        E,
        "ambulance",
        ongoing=True,
    ),
    Rule(
        "traffic_accident",
        "交通事故有人受伤",
        _re(
            r"((车祸|撞车|相撞|追尾|翻车|撞人|被车撞|交通事故|被撞|车[^，,；;。！？!?\n]{0,3}撞(了|上|倒|在一起))"
            # 躺地上起不来: the injured person, told the way a witness says it (not 动不了, which is
            # as often the car: 追尾了，车动不了).
            r".{0,12}(受伤|流血|躺在|躺地上|倒地|昏迷|伤者|有人|人员|起不来|爬不起来)|"
            r"(受伤|流血|躺在地上).{0,8}(车祸|撞车|被撞))"
        ),
        E,
        "traffic",
        needs_present=True,
    ),
    # ---- urgent: on site within 2 hours ---------------------------------------------------------
    Rule(
        "manhole",
        "井盖缺失或破损",
        _re(
            r"(井盖.{0,4}(丢失|丢了|被偷|没有了|没了|缺失|不见|破损|破了|碎了|坏了|塌陷|移位|翻|松动|下陷)|"
            r"(没有|没|缺)(了)?井盖|无盖(的)?(窨井|下水井)|敞口.{0,3}(井|窨井))"
        ),
        U,
        standing_hazard=True,
    ),
    Rule(
        "road_collapse",
        "路面塌陷",
        _re(
            r"((路面|道路|马路|地面|人行道|路基)?.{0,2}(塌陷|坍塌|下陷|塌了|陷下去|垮塌)|(路面|路基|桥面|地面|高速).{0,4}(沉降|下沉)|天坑|大坑.{0,6}(车|人).{0,4}(掉|陷))"
        ),
        U,
        standing_hazard=True,
    ),
    Rule(
        "fallen_object",
        "树木、杆线倒伏或电线掉落",
        _re(
            r"((大树|树木|树枝|树|电线杆|电杆|线杆|广告牌|路灯杆|灯杆|杆子|招牌).{0,4}(倒了|倒下|倒伏|折断|断了|砸|歪倒|快倒|倾倒)|"
            r"电线.{0,6}(掉|垂|落|断|拖)(落|在|到|下)?.{0,4}(地|路|人行道|头顶)|(电线|线路|电缆).{0,4}(漏电|打火|冒火花|裸露)|漏电)"
        ),
        U,
        veto=_re(r"(漏电保护|防漏电)"),
    ),
    Rule(
        "burst_pipe",
        "水管爆裂、正在跑水",
        _BURST_PIPE,
        U,
        needs_sign=_BURST_SIGNS,
    ),
    Rule(
        "burst_pipe_reported",
        "水管爆裂（未说明正在跑水）",
        _BURST_PIPE,
        X,
        chat_only=True,
        outage=True,  # framed like a supply cut: a recurring burst (老是爆管) is not one happening now
    ),
    Rule(
        "flooding",
        "积水进屋或淹街",
        _re(
            r"((水|积水|雨水).{0,4}(漫进|灌进|淹了?|进了?)(家|屋|房|室|楼|车库|店)|(家|屋|房|车库|小区|街道?|路).{0,4}被(水)?淹)"
        ),
        U,
    ),
    Rule(
        "sewage_backflow",
        "污水倒灌进屋",
        _re(
            r"((污水|粪水|下水道|化粪池|马桶|地漏).{0,6}(倒灌|返水|反水|冒水|漫进|溢进|涌进|冒出来)|"
            r"粪水.{0,4}(进|流进|漫)(了)?(家|屋|房))"
        ),
        U,
    ),
    Rule(
        "structure_failing",
        "建筑、墙体或边坡随时可能垮塌",
        _re(
            r"((楼|房屋|房子|墙|围墙|挡土墙|山体|边坡|阳台|屋顶|外墙|桥|护坡).{0,10}(随时|即将|快要|马上)(可能)?.{0,4}(倒|塌|垮|掉|落)|"
            r"摇摇欲坠|滑坡|泥石流|山体塌方|(边坡|护坡|挡土墙|山体).{0,4}(垮塌|坍塌|塌了|垮了)|(外墙|墙皮|瓷砖|玻璃|空调外机).{0,4}(脱落|掉落|砸))"
        ),
        U,
    ),
    Rule(
        "dangerous_goods",
        "居民区存放危险品",
        _re(rf"({_HAZMAT}.{{0,10}}{_STORE_VERB}|{_STORE_VERB}.{{0,10}}{_HAZMAT})"),
        U,
        standing_hazard=True,
    ),
    Rule(
        "gas_cylinders",
        "燃气瓶漏气、着火或大量囤积",
        _re(rf"({_CYLINDER}.{{0,10}}{_STORE_VERB}|{_STORE_VERB}.{{0,10}}{_CYLINDER})"),
        U,
        standing_hazard=True,
        needs_sign=_CYLINDER_SIGNS,
    ),
    Rule(
        "crowd",
        "群体聚集、冲突可能升级",
        _re(
            r"((聚集|围堵|堵门|堵路|拉横幅|静坐|对峙|推搡).{0,10}(讨薪|维权|要说法|冲突|打起来)|"
            r"(双方|群众|工人|业主|村民).{0,6}(冲突|对峙|推搡|打起来)|(几十|上百|很多)(个)?人.{0,6}(聚集|围堵)|"
            r"(流血事件|流血冲突|械斗|群殴|打群架))"
        ),
        U,
    ),
    Rule(
        "unattended_person",
        "老人、儿童或残障人士无人照料",
        _re(
            r"((老人|老太太|老大爷|儿童|孩子|小孩|婴儿|残疾人|病人|智障).{0,10}(无人照(看|顾|料)|没人(管|照顾|照看)|被遗弃|走失|失踪|独自在家)|"
            r"(无人照(看|顾|料)|没人(管|照顾)).{0,6}(老人|儿童|孩子|小孩|残疾)|弃婴)"
        ),
        U,
    ),
    # ---- expedited: within 24 hours -------------------------------------------------------------
    Rule(
        "water_outage",
        "停水或水压不足",
        _re(
            r"(停水|断水|断供水|没水|没有水|没有自来水|不来水|来不了水|水压(太|很|过|非常)?(低|小|不足|不够)|"
            r"水(很|太)小|上不去水|(水|自来水)(上|供)不(到|上|去)|无水可用|喝不上水|吃不上水|用不上水|无法用水|(每天|一天)(只有|就|才)?.{0,4}(几个|\d+个?)小时(有水|供水))"
        ),
        X,
        ignore_questions=True,
        outage=True,
        veto=_re(r"(停水通知|没水平|没有水平|没水准|积水|防水|漏水|排水|汗水|水费)"),
    ),
    Rule(
        "power_outage",
        "停电",
        _re(r"(停电|断电|没电|没有电|不来电|用不上电)"),
        X,
        ignore_questions=True,
        outage=True,
        veto=_re(r"(电费|停电通知|电动车|手机没电|电话)"),
    ),
    Rule(
        "gas_outage",
        "停气",
        _re(r"(停气|停燃气|断气供|没有(燃|天然|煤)气|(燃气|天然气)(停了|断了|中断))"),
        X,
        ignore_questions=True,
        outage=True,
        veto=_re(r"燃气费"),
    ),
    Rule(
        "heating_outage",
        "暖气不热或停暖",
        _re(
            r"(停暖|停止供暖|暖气.{0,4}(不热|不通|冰凉|冰冷|停了|没有|不暖)|(没有|没)暖气|供暖.{0,2}(中断|停止|不达标)|"
            r"室内温度.{0,6}(只有|才|不到)|冻得)"
        ),
        X,
        ignore_questions=True,
        outage=True,
        veto=_re(r"(暖气费|供暖费|采暖费)"),
    ),
    Rule(
        "safety_follow_up",
        "燃气泄漏或电梯困人之后的检修",
        _re(
            rf"({_GAS}.{{0,4}}(泄漏|泄露|漏气|漏了)|漏气|电梯.{{0,4}}(困人|关人|困住|被困)|困在电梯)"
            r"[^。！？!?]{0,30}(请|希望|要求|尽快|赶紧|麻烦|能否|能不能|派人|让)[^。！？!?，,]{0,10}"
            r"(检修|维修|修理|抢修|排查|检查|来修|来人|换管|更换)"
        ),
        U,
        ongoing=True,
    ),
    Rule(
        "lift_failure",
        "电梯停运或故障",
        _re(
            r"(电梯.{0,8}(坏了|故障|停运|停用|不能用|不能坐|不运行|停了|下坠|下滑|坠落|急坠|骤停|溜梯|冲顶|蹲底|抖动|抖晃|晃动|异响|停止运行|困人|关人|"
            r"掉了|掉落|掉下|没人修|带病运行|不动了)|"
            r"(坐|乘)电梯.{0,10}(掉|坠|卡|摔))"
        ),
        X,
        standing_hazard=True,
    ),
    Rule(
        "acute_pollution",
        "正在发生的严重污染",
        _re(
            r"(黑烟|浓烟|刺鼻|呛人|恶臭|臭气熏天|毒气|有毒气体|死鱼|鱼.{0,3}死|(河|水|井水|河水|湖).{0,6}(变黑|变色|发黑|发臭|变白|乳白|奶白|变红|黑色|白色|红色)|"
            r"偷排|(?<!一)直排|血铅|头晕.{0,4}(恶心|呕吐)|喝不了|不能饮用)"
        ),
        X,
        standing_hazard=True,
        nuisance=_re(r"(油烟|餐饮|饭店|餐馆|餐厅|烧烤|夜宵|大排档|小吃)"),
    ),
    Rule(
        "school_safety",
        "学校或校车的安全问题",
        _re(
            r"((校车|学生|孩子|校园|学校|幼儿园).{0,10}(超载|危险|中毒|受伤|坍塌|漏水漏电|安全隐患|安全问题|不安全|冰冻|结冰)|"
            r"(超载|危险|食物中毒).{0,6}(校车|学生))"
        ),
        X,
        needs_present=True,
    ),
    Rule(
        "access_blocked",
        "家门或通道被堵",
        _re(
            r"((堵住|封堵|封死|挡住|堵死|围挡)(了)?.{0,6}(出入口|大门|通道|家门|进出|出路|楼道|门口)|(出不了门|进不了家|回不了家|无法进出))"
        ),
        X,
        veto=_re(r"消防通道"),
    ),
    Rule(
        "wage_destitution",
        "欠薪导致生活无着",
        _re(
            r"((工资|欠薪|血汗钱|工钱|劳务费).{0,40}(回不了家|没钱吃饭|吃不上饭|过不了年|没钱回家|饿肚子|生活无着|走投无路|没饭吃))"
        ),
        X,
    ),
    Rule(
        "treatment_stopped",
        "治疗即将中断",
        _re(r"(停药|断药|停止治疗|被赶出医院|无钱治疗|没钱治疗|要被停止治疗)"),
        X,
    ),
    Rule(
        "food_poisoning",
        "食品安全事件正在发生",
        _re(r"((吃|喝)了.{0,8}(拉肚子|呕吐|住院)|上吐下泻)"),
        X,
    ),
    Rule(
        # Selling such food is a practice that can go on for months (a market complaint); it is
        # an incident only when the text says it is happening now or people fell ill.
        "unsafe_food_sold",
        "有问题的食品正在出售",
        _re(r"((病死|死猪|瘟猪|注水|有毒|变质|过期)(猪|牛|羊)?(肉|食品|食物|奶粉))"),
        X,
        standing_hazard=True,
    ),
)


#: Texts up to this long (a chat line, a phone note) are taken to report the present when they
#: say nothing about time; longer message-board posts must say that an emergency is happening now.
SHORT_TEXT = 150
#: Beyond this length (a long petition-style post) even non-emergency hazards must be framed as
#: current: such posts mention outages and smells in passing while complaining about something else.
LONG_TEXT = 600


#: A standing complaint: the citizen has complained again and again (多次找了, 一再反映, and in the
#: other order 反映多次, 告知物业好几次). The rubric files "complaints about long-standing or recurring
#: problems" and "requests for supervision of earlier handling" under ``normal``; together with
#: `cues.CHRONIC` this marks a standing hazard as a general complaint unless the text ties a present
#: or imminent cue to the hazard.
STANDING_COMPLAINT = re.compile(
    r"((多次|屡次|几十次|数十次|无数次|一再|再三|三番五次)[^,，。；;！!？?\n]{0,12}"
    r"(反映|反应|投诉|举报|上访|信访|上诉|抗议|找|打电话|致电)|"
    r"(反映|反应|投诉|举报|上访|信访|告知|找|打电话|致电)(了|过)?[^,，。；;！!？?\n]{0,8}"
    r"(多次|屡次|无数次|好几次|很多次|许多次|[几十数]+次|\d+次))"
)

_FREQUENTLY = r"(经常|常常|时常|时不时|不时|动不动就?|动辄|隔三差五|三天两头|偶尔|有时候?|总是|老是)"
#: A frequency word right before an outage (经常停电, 动不动就停水): the outage recurs, so it is
#: not necessarily cut off now. It also governs the next clause of its sentence when that clause
#: goes on with the same outage (经常性以爆管为由，无限制停水).
_RECURRING_BEFORE = re.compile(rf"{_FREQUENTLY}[^。！!？?\n]{{0,16}}$")

#: An outage named as the sanction for not paying or not signing (不交费就停气, 否则停水).
_SANCTION_BEFORE = re.compile(
    r"((不|未|没有?|拒绝?)[^。！!？?\n]{0,3}(交|缴|付|续费|签|办)[^。！!？?\n]{0,16}(就|便|则|将|要)|否则)"
    r"[^,，。；;！!？?\n]{0,6}$"
)

#: The citizen's own unpaid bill or an empty prepaid meter (欠费停气, 因未缴费被停水, 预付费电表没钱了,
#: 气表只剩4方): the supply comes back when the bill is paid, so the matter is a billing one.
_BILLING = re.compile(
    r"(欠费|欠缴|(未|没有?|不)(缴|交)[^，,；;。！？!?\n]{0,3}(费|钱)|余额(不足|不够|用完|没了)|没有?余额|预付费|"
    r"(电|气|水)表[^，,；;。！？!?\n]{0,8}(没钱|没有钱|没量|没气|没电|只剩|剩下?|余额|欠费)|表里没(钱|气|电|水|量)|"
    r"充值|没充|买(气|电)|补交|补缴|续费)"
)
#: ... unless someone else failed to pay (物业公司未交水费而停水): then households that paid are cut
#: off, which is the rubric's interrupted service.
_THIRD_PARTY_ARREARS = re.compile(
    r"(物业|开发商|房东|业委会|村委|居委|社区|单位|学校|老板|施工方|管理处|出租方)"
    r"[^，,；;。！？!?\n]{0,6}(拖欠|欠|未交|没交|不交|未缴|没缴)"
)

#: "The threat of" after a hazard (受到停电的威胁, 面临停水之忧): a risk, not an event.
_THREAT_AFTER = re.compile(r"^[^,，。；;！!？?\n]{0,3}(威胁|之忧|之虞)")

#: A condition opening the sentence (如果..., 一旦..., 万一...): the clauses after it describe what
#: could happen. `cues.is_hypothetical` only looks a few characters back in the same clause.
_CONDITION = re.compile(r"(如果|如若|若是|假如|倘若|万一|一旦|(?<![主只需])要是)")
#: How far back a condition is taken to govern the hazard (about two short clauses).
_CONDITION_REACH = 25


def _is_conditional(text: str, span: cues.Span) -> bool:
    """A non-emergency hazard in the consequent of a condition, without an imminent cue.

    "如若不监管，外墙瓷砖掉落砸到路人谁负责" is a fear, but "如果不修，这堵墙随时会倒" still says
    the wall is about to fail, so an imminent cue in the hazard's own clause keeps it live.
    """
    before = text[max(span.sentence_start, span.start - _CONDITION_REACH) : span.start]
    if not _CONDITION.search(before):
        return False
    return not cues.is_imminent(text[span.clause_start : span.clause_end])


def _is_standing_complaint(text: str) -> bool:
    """Whether the text frames its matter as long-standing or as a repeat of earlier complaints."""
    return cues.is_chronic(text) or bool(STANDING_COMPLAINT.search(text))


def _still_happening(text: str, span: cues.Span) -> bool:
    """An imminent, recent or harm-now cue that overrides chronic framing.

    In a chat line any such cue counts. In a longer post it must be in the hazard's own sentence:
    petition-style posts say 现在 or 正在 about many things (现在国家高度重视环保), and only a cue
    attached to the hazard says that harm is imminent or happening, as the rubric requires.
    """
    scope = _scope(text, span)
    return cues.is_imminent(scope) or cues.is_recent(scope) or cues.is_harming(scope)


def _scope_bounds(text: str, span: cues.Span) -> tuple[int, int]:
    """Where to look for what qualifies a match: all of a chat line, or its sentence in a longer post."""
    if len(text) <= SHORT_TEXT:
        return 0, len(text)
    return span.sentence_start, span.sentence_end


def _scope(text: str, span: cues.Span) -> str:
    lo, hi = _scope_bounds(text, span)
    return text[lo:hi]


def _outage_frame(text: str, span: cues.Span, frame: cues.Frame | None) -> str | None:
    """Why an outage match is not a supply cut off now, or None when it is.

    The rubric's ``expedited`` outage is a basic service interrupted *right now*. A sanction
    (不交费就停气) has not happened; a frequency word (经常停电) says it recurs, which is the
    rubric's recurring-problem complaint unless a present cue (最近, 现在, 今天) says it is off now.
    A supply cut off over the citizen's own unpaid bill or an empty prepaid meter is restored by
    paying, so it is one of the rubric's "disputes over money", not an interrupted service; when a
    third party (物业, 开发商) did not pay, households that paid are cut off and it stays an outage.

    Returns:
        A short reason for the operator, or None.
    """
    sentence_before = text[span.sentence_start : span.start]
    if _SANCTION_BEFORE.search(sentence_before):
        return "假设或担忧"
    scope = _scope(text, span)
    if _BILLING.search(scope) and not _THIRD_PARTY_ARREARS.search(scope):
        return "欠费或预付费用完停供，属于缴费问题"
    if (
        _RECURRING_BEFORE.search(sentence_before)
        and frame is not cues.Frame.CURRENT
        and not cues.present_later(text, span)
    ):
        return "反复出现的问题，没有说明正在停"
    return None


def _lacks_sign(text: str, rule: Rule, span: cues.Span) -> bool:
    """Whether a ``needs_sign`` match has no live sign of danger around it.

    A sign counts only as a statement: 一旦漏气 or 万一爆炸 is a fear about a gas cylinder, not a leak,
    so a sign that is itself negated or hypothetical is ignored.
    """
    if rule.needs_sign is None:
        return False
    for match in rule.needs_sign.finditer(text, *_scope_bounds(text, span)):
        sign = cues.locate(text, match.start(), match.end())
        if not (cues.is_negated(text, sign) or cues.is_hypothetical(text, sign)):
            return False
    return True


def _frame_of(text: str, rule: Rule, span: cues.Span) -> str | None:
    """Why a match does not count, or None when it is live."""
    if cues.is_idiom(text, span):
        return "习语或夸张说法"
    if rule.venting and cues.is_venting(text, span) and not rule.venting.match(text, span.start):
        return "习语或夸张说法"
    if rule.chat_only and len(text) > SHORT_TEXT:
        return "长文中只是提到"
    if rule.veto and rule.veto.search(text[max(0, span.start - 4) : span.end + 4]):
        return "不属于险情的说法"
    if rule.nuisance and rule.nuisance.search(text, span.sentence_start, span.sentence_end):
        return "餐饮油烟等日常扰民"
    if rule.complaint and rule.complaint.search(text, *_scope_bounds(text, span)):
        return "事后投诉或询问"
    if cues.is_negated(text, span):
        return "否定"
    if rule.ignore_questions and cues.is_question(text, span):
        return "询问费用或安排"
    # A hedged emergency (好像着火了, 好像要跳下去) is judged by the words before its hedge.
    hedge = cues.hedge_start(text, span) if rule.tier is UrgencyTier.EMERGENCY else None
    framed = span if hedge is None else replace(span, start=hedge)
    if cues.is_simile(text, framed):
        return "比喻"
    if cues.is_hypothetical(text, framed) or _THREAT_AFTER.search(text[span.end : span.clause_end]):
        return "假设或担忧"
    if rule.tier is not UrgencyTier.EMERGENCY and _is_conditional(text, span):
        # Emergencies are exempt: "再不来人他就要跳楼" is conditional and still a hand-over.
        return "假设或担忧"
    if rule.ongoing:
        return None
    frame = cues.time_frame(text, span)
    if frame is cues.Frame.PAST:
        return "已过去的事"
    if cues.is_resolved_after(text, span):
        return "已经恢复或解决"
    if rule.outage and (why := _outage_frame(text, span, frame)):
        return why
    if _lacks_sign(text, rule, span):
        return "没有险情迹象"
    if rule.tier is UrgencyTier.EMERGENCY:
        live = frame is cues.Frame.CURRENT or (frame is None and cues.present_later(text, span))
        if cues.mentions_dispute(text) and not live:
            return "事后索赔或追责"
        if rule.needs_present and not live and not cues.is_fresh_report(text, span):
            return "没有说明正在发生"
        if len(text) > SHORT_TEXT and not (live and cues.happening_right_now(text, span)):
            # A hand-over needs an emergency under way now. In a long post, 至今/每天/持续 frame a
            # standing grievance (a beating last year that is still unpunished), so only a
            # right-now cue in the hazard's own sentence makes it live.
            return "长文中没有说明正在发生"
        if cues.is_habitual(text, span) and not rule.persistent:
            return "反复出现的问题，没有说明正在发生"
    elif frame is not cues.Frame.CURRENT and not cues.present_later(text, span):
        if rule.needs_present and not cues.is_fresh_report(text, span):
            return "没有说明正在发生"
        if len(text) > LONG_TEXT:
            return "长文中没有说明正在发生"
    if rule.standing_hazard and _is_standing_complaint(text) and not _still_happening(text, span):
        return "长期存在的隐患"
    return None


_TIER_ORDER = {E: 0, U: 1, X: 2, UrgencyTier.NORMAL: 3}

#: Frames that belong to one phrase (a negation, a non-hazard wording, a fee question). Every other
#: frame describes the matter, so later mentions of the same hazard without a time of their own
#: inherit it.
_PHRASE_ONLY = frozenset(
    {"否定", "不属于险情的说法", "习语或夸张说法", "询问费用或安排", "餐饮油烟等日常扰民"}
)


def assess(text: str, rules: tuple[Rule, ...] = RULES) -> RuleVerdict:
    """Apply the rubric rules to a normalised text."""
    hits: list[RuleHit] = []
    discounted: list[tuple[RuleHit, str]] = []
    for rule in rules:
        earlier: str | None = None  # why this rule's first mention did not count
        for match in rule.pattern.finditer(text):
            span = cues.locate(text, match.start(), match.end())
            about_other = rule.personal and cues.about_someone_else(text, span)
            hit = RuleHit(rule, match.group(0), match.start(), about_other)
            why = _frame_of(text, rule, span)
            if why is None and earlier is not None and cues.time_frame(text, span) is None:
                # A later mention with no time of its own refers back to the same matter (停电了一上午
                # ……这次停电影响很大): it keeps the frame the first mention was given.
                why = earlier
            if why is None:
                hits.append(hit)
                break
            discounted.append((hit, why))
            if earlier is None and why not in _PHRASE_ONLY:
                earlier = why
    if not hits:
        return RuleVerdict(UrgencyTier.NORMAL, [], discounted[:3])
    hits.sort(key=lambda h: (_TIER_ORDER[h.rule.tier], h.start))
    return RuleVerdict(hits[0].rule.tier, hits, discounted[:3])
