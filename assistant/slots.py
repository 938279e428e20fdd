"""Contact details in free text: phone numbers, names, anonymity, photo links.

Each extractor looks for one thing and says nothing when it is absent; none of them guesses. Phone
numbers are normalised with the work-order domain's own `normalise_phone`, so that the number the
assistant confirms is exactly the one repeat detection will compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workorders.errors import ValidationError
from workorders.validation import ID_NUMBER_RE, normalise_phone, validate_id_number

_MOBILE = re.compile(r"(?<![\d-])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?![\d])")
_LANDLINE = re.compile(
    r"(?<![\d-])(?:[(（]\s*0\d{2,3}\s*[)）]|0\d{2,3})[\s-]?\d{7,8}(?:\s*(?:转|ext|#|-)\s*\d{1,6})?(?!\d)"
)
#: Digits said in words (一三九…, 幺 for 1, 洞 for 0), each one character: read one for one.
_SPOKEN_DIGITS = str.maketrans("零〇洞幺一二两三四五六七八九", "00011223456789")
_SPOKEN_RUN = re.compile(r"[零〇洞幺一二两三四五六七八九]")
#: A run of seven or more spoken digits (with digits, spaces or dashes between): meant as a number.
_SPOKEN_NUMBER = re.compile(
    r"[零〇洞幺一二两三四五六七八九0-9](?:[\s-]?[零〇洞幺一二两三四五六七八九0-9]){6,}"
)
#: A run of digits that looks meant as a phone number but is not a valid one (too short or long).
_DIGIT_RUN = re.compile(r"(?<!\d)(?:1\d{6,12}|0\d{6,13})(?!\d)")
_URL = re.compile(r"https?://[^\s，。！？、\"'<>（）()]+", re.IGNORECASE)

_ANONYMOUS = re.compile(
    r"匿名|不(?:想|愿意?|方便)(?:留|透露|告诉|说)(?:我的)?(?:电话|手机|号码|姓名|名字|联系方式|个人信息)"
    r"|不留(?:电话|名字|姓名|联系方式)|(?:个人信息|身份)(?:要|请)?保密"
)
_NOT_ANONYMOUS = re.compile(r"不(?:要|用|需要)匿名|不匿名|可以留(?:电话|名字|联系方式)|实名")

#: Two-character surnames: after 我姓 a second character is only taken when the two make one of these
#: (我姓欧阳 yes; 我姓李电话… must not give 李电).
_COMPOUND_SURNAMES = (
    "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木|西门|南宫|独孤|轩辕|钟离"
    "|澹台|申屠|太史|闻人|呼延|万俟|赫连|百里|东郭|第五|公羊|拓跋|完颜|爱新觉罗"
)
#: Common surnames: a bare one-character reply to "怎么称呼您" is a surname only when it is one of
#: these (王 yes; 中, 好, 行 are "OK" in speech and dialect, not names).
_COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒"
    "阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉"
    "缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑"
    "郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉"
    "伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬扈晁芮都普阙浦戈伏鹿"
    "薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇湛宾戎勾茅利於居揭干但尉冶斯元束檀衣"
    "信展阴昝智幸奉植衡富尧闭由成"
)
#: One-character replies that are words (OK, yes, fillers), never a surname on their own.
_REPLY_WORDS = frozenset("中好行嗯对是成可要能会得妥管有没无不哦啊恩额呃哎唉喂哈嘿噢喔呀嘞啥咋")
_SURNAME = rf"(?:{_COMPOUND_SURNAMES}|[\u4e00-\u9fa5])"
#: Who introduces themselves: 我 and its dialect forms (俺, 咱, 本人).
_SELF = r"(?:我|俺|咱|本人)"
_NAME_PATTERNS = (
    re.compile(
        rf"(?:{_SELF}叫|{_SELF}的名字(?:是|叫)|名字(?:是|叫)|姓名(?:是|:|：)?|称呼我|叫我)\s*"
        r"([\u4e00-\u9fa5]{1,4}|[A-Za-z][A-Za-z .]{1,30})"
    ),
    # 我姓李 / 免贵姓李 / a bare 姓赵 at the start of a clause (13700002222 姓赵); never 百姓, 姓名
    re.compile(rf"(?:{_SELF}|免贵|(?:^|(?<=[，。,、；;！!\s\d])))姓(?!名)\s*({_SURNAME})"),
    re.compile(r"(?:^|[，。,\s]|你好|您好)(?:我|俺)是\s*([\u4e00-\u9fa5]{2,3})(?=$|[，。,\s！!])"),
)
_TITLE = re.compile(r"([\u4e00-\u9fa5]{1,2})(先生|女士|小姐|阿姨|师傅|老师)")
#: What may stand before and after a title that is the caller's own (start, punctuation, 我是…; end,
#: punctuation, the phone); anything else makes it someone the citizen talks about.
_TITLE_BEFORE = re.compile(r"(?:^|[\s，,。.!！、；;：:\d\x00]|我是|本人是?|是|叫)$")
_TITLE_AFTER = re.compile(r"$|[\s，,。.!！、；;：:?？\d\x00]|电话|手机|号码|联系|就行|就好|吧")
#: Trades and places before a title (保安师傅, 物业师傅, 群里老师): who someone is, never a name.
_TITLE_ROLES = frozenset(
    {
        "保安",
        "物业",
        "维修",
        "修理",
        "装修",
        "快递",
        "外卖",
        "司机",
        "医生",
        "护士",
        "班主任",
        "学校",
        "群里",
        "班里",
    }
)
#: Words that follow 我是/我叫 but are roles, not names (我是业主, 我是这里的居民).
_NOT_NAMES = frozenset(
    [
        "业主",
        "居民",
        "市民",
        "住户",
        "租户",
        "家长",
        "学生",
        "老师",
        "员工",
        "职工",
        "工人",
        "司机",
        "乘客",
        "顾客",
        "消费者",
        "患者",
        "病人",
        "老人",
        "村民",
        "群众",
        "网友",
        "本人",
        "房东",
        "外地人",
        "本地人",
        "退休",
        "农民工",
        "这里",
        "附近",
        "楼下",
        "楼上",
        "隔壁",
        "邻居",
        "一名",
        "一个",
        "他们",
        "我们",
        "这个",
        "那个",
        "谁",
        "什么",
    ]
)
_NAME_TAIL = re.compile(r"(?:就行|就好|就可以了?|即可|吧|啊)$")
_SURNAME_ONLY = re.compile(r"^[\u4e00-\u9fa5]$")
_NAME_CHARS = re.compile(r"^[\u4e00-\u9fa5]{2,4}$|^[A-Za-z][A-Za-z .]{1,30}$")
_NAME_FILLERS = re.compile(
    r"^(?:(?:我|俺|咱)(?:叫|是|姓)|免贵姓|姓(?!名)|叫我|名字是|姓名是?|称呼我)\s*|(?:就行|就好|就可以了|吧)[。.!！]*$"
)
#: A two-character reply ending in a particle (好嘞, 行吧, 中嘞, 成了) is speech, not a name.
_PARTICLE_END = re.compile(r"^[\u4e00-\u9fa5][了的吧啊呢嘞哈呀哦嘛咧]$")
_NOT_A_NAME = re.compile(r"不用|不要|不想|没有|算了|随便|都行|无所谓|匿名|保密|不方便|不告诉|不知道")
_DECLINE = re.compile(
    r"^(?:不用了?|不想(?:说|留|给|告诉(?:你|您)?)?|不方便(?:说|留|给|透露)?|不告诉(?:你|您)?|保密|算了|不需要"
    r"|没必要|跳过|不留了?|不给|不说了?|不愿意(?:说|留|给)?)(?:了|的|吧|啊)?[。.!！~～]*$"
)
#: Phone numbers that belong to someone else (车主电话138…): facts of the matter, not the citizen's contact.
_OTHERS_PHONE = re.compile(
    r"(?:车主|物业|老板|商家|对方|店主|店家|房东|中介|司机|师傅|邻居|负责人|开发商|施工方|工地|公司|单位|卖家|"
    r"他|她|他们|她们|人家)(?:的)?(?:联系)?(?:电话|手机号?码?|号码|联系方式)(?:号码)?(?:是|为|:|：)?\s*$"
)
#: Replies that are control words or questions, never a name (确认, 好的, 你是谁).
_NOT_NAME_REPLY = re.compile(
    r"^(?:确认|确定|提交|好的?|是的?|对的?|没错|可以|行|嗯+|ok|谢谢|知道了?|明白了?|收到|继续|下一步"
    r"|中|成|妥|管|要得|晓得|对头|得嘞|好嘞|中嘞|中中|没得问题)$"
    r"|人工|客服|机器人|什么|怎么|为什么|吗|呢|[?？]",
    re.IGNORECASE,
)


#: The words that introduce a phone number (，电话是 / 手机:), between a name and the number.
_CONTACT_LEAD = re.compile(
    r"[\s，,、：:；;]*(?:(?:我的|我|俺|本人)?(?:联系)?(?:电话|手机号码?|手机|号码|联系方式|座机)(?:号码)?"
    r"(?:是|为|:|：)?)?[\s，,、：:；;]*$"
)
#: A name standing alone at the end of the text before the number, or at the start of the text after it.
_NAME_BEFORE = re.compile(r"(?:^|[\s，,。.、；;！!：:]|联系人(?:是|为)?)([\u4e00-\u9fa5]{2,4})$")
_NAME_AFTER = re.compile(r"^[\s，,、；;：:]*([\u4e00-\u9fa5]{2,4})(?=$|[\s，,。.、；;！!])")
#: Characters and words of everyday speech or places, never in a name beside a number (白天打, 全天, 马上来).
_EVERYDAY = re.compile(
    r"[的了是在打拨找电话号码机吧呢吗啊哦嗯呀您你我他她们这那个些有没不也都就还要会能时上午晚早便来去请谢"
    r"路街巷区县市镇村楼栋号室店厂院站局所门]|白天|全天|随时|工作|周末|平时|联系|方便|尽快|回复"
)


@dataclass(frozen=True)
class PhoneMatch:
    """A phone number found in text; ``number`` is normalised, ``raw`` is as typed."""

    number: str
    raw: str


def find_phone(text: str) -> PhoneMatch | None:
    """The first valid mainland mobile or landline number in `text`, in digits or said in words.

    电话是一三九八七六五四三二一 is as much a phone number as 13987654321; ``raw`` is then the words as
    typed, so that removing it from the complaint text removes the number in every form.
    """
    found = _find_phone_in(text, text)
    if found is None and _SPOKEN_RUN.search(text):
        # spoken digits map one character to one, so the spans line up with the original text
        found = _find_phone_in(text.translate(_SPOKEN_DIGITS), text, spoken_only=True)
    return found


def _find_phone_in(digits: str, text: str, *, spoken_only: bool = False) -> PhoneMatch | None:
    """A phone number in `digits` (the text, or it with spoken digits read), reported as in `text`."""
    for pattern in (_MOBILE, _LANDLINE):
        for m in pattern.finditer(digits):
            raw = text[m.start() : m.end()]
            if spoken_only and not _SPOKEN_RUN.search(raw):
                continue  # a number in plain digits was already looked for as typed
            if belongs_to_someone_else(text, m.start()):
                continue
            try:
                number = normalise_phone(m.group(0).replace("（", "(").replace("）", ")"))
            except ValidationError:
                continue
            return PhoneMatch(number=number, raw=raw)
    return None


def phone_like_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that hold a phone number (digits or words) not introduced as someone else's.

    Used to mask the citizen's numbers wherever the text is kept (facts, request), beyond the one
    number that `find_phone` took for the contact field.
    """
    digits = text.translate(_SPOKEN_DIGITS)
    spans = []
    for pattern in (_MOBILE, _LANDLINE):
        for m in pattern.finditer(digits):
            if belongs_to_someone_else(text, m.start()):
                continue
            if any(s <= m.start() < e for s, e in spans):
                continue
            try:
                normalise_phone(m.group(0).replace("（", "(").replace("）", ")"))
            except ValidationError:
                continue
            spans.append((m.start(), m.end()))
    return sorted(spans)


def find_id_number(text: str) -> str | None:
    """The citizen's resident ID number (身份证号) in `text`, when one with a valid check digit is given.

    It goes to the order's own, masked field; the complaint text loses every ID-like number (see
    `strip_id_numbers`) so that it never shows in a title, a queue or a summary.
    """
    for m in ID_NUMBER_RE.finditer(text):
        if belongs_to_someone_else(text, m.start()):
            continue
        try:
            return validate_id_number(m.group(0))
        except ValidationError:
            continue
    return None


def strip_id_numbers(text: str) -> str:
    """`text` without ID-card-like numbers (18 or 15 digits), with the words that introduced them."""
    text = re.sub(r"(?:我的)?(?:身份证|证件)(?:号码?)?(?:是|为|:|：)?\s*(?=\d{15})", "", text)
    return ID_NUMBER_RE.sub("", text)


def belongs_to_someone_else(text: str, start: int) -> bool:
    """True when the number starting at `start` is introduced as another person's (车主电话…).

    The citizen often quotes the other party's number as a fact (车主电话打不通); taking it as their own
    would have the department call the wrong person.
    """
    return bool(_OTHERS_PHONE.search(text[max(0, start - 12) : start]))


def looks_like_bad_phone(text: str) -> bool:
    """True when the text holds a digit run meant as a phone number that is not a valid one."""
    compact = re.sub(r"[\s-]", "", text)
    if find_phone(text) is not None:
        return False
    return bool(_DIGIT_RUN.search(compact)) or bool(
        (m := _SPOKEN_NUMBER.search(text)) and _SPOKEN_RUN.search(m.group(0))
    )


def find_urls(text: str) -> list[str]:
    """http(s) links (photos, videos) in the order they appear, without duplicates."""
    seen: list[str] = []
    for url in _URL.findall(text):
        url = url.rstrip(".,;:!?")
        if url not in seen and len(url) <= 500:
            seen.append(url)
    return seen


def wants_anonymity(text: str) -> bool | None:
    """True (匿名), False (explicitly not anonymous) or None (not said)."""
    if _NOT_ANONYMOUS.search(text):
        return False
    if _ANONYMOUS.search(text):
        return True
    return None


def find_name(text: str) -> str | None:
    """A name the citizen gives for themselves (我叫张伟, 我姓王, 王女士), or None."""
    for pattern in _NAME_PATTERNS:
        m = pattern.search(text)
        if m:
            name = _NAME_TAIL.sub("", m.group(1).strip())
            if not name:
                continue
            if name in _NOT_NAMES or any(name.startswith(w) for w in _NOT_NAMES) or _NOT_A_NAME.search(name):
                continue  # 我是业主, 姓名不方便说: a role or a refusal, not a name
            if pattern is _NAME_PATTERNS[1]:
                # 免贵姓李，李女士: the title that follows says which; any other title is someone else's
                for t in _TITLE.finditer(text, m.end()):
                    if t.group(1).endswith(name):
                        return name + t.group(2)
                return name + "先生/女士"
            return name + ("先生/女士" if _SURNAME_ONLY.match(name) else "")
    for t in _TITLE.finditer(text):
        if (name := _titled_self(text, t)) is not None:
            return name
    return None


def _titled_self(text: str, t: re.Match[str]) -> str | None:
    """王女士 as the citizen's own name, or None when the title names someone else.

    A title only names the caller when it stands alone (王女士，13800001111 / 我是李老师); one in
    the middle of a sentence is a third person (王老师说不交就不让参加, 隔壁王先生家, 物业师傅), and
    the words before a title are not a name unless they start with a surname (群里老师).
    """
    words, title = t.group(1), t.group(2)
    if words in _NOT_NAMES or words in _TITLE_ROLES:
        return None
    if len(words) == 2 and words[0] in "小老" and words[1] in _COMMON_SURNAMES:
        start, name = t.start(1), words[1] + title  # 小李师傅 → 李师傅
    elif words[-1] in _COMMON_SURNAMES:
        start, name = t.end(1) - 1, words[-1] + title  # 系王女士 (联系王女士): only 王 is the name
    elif len(words) == 2 and words[0] in _COMMON_SURNAMES:
        start, name = t.start(1), words + title  # 张伟先生
    else:
        return None
    if not _TITLE_BEFORE.search(text[:start]) or not _TITLE_AFTER.match(text, t.end()):
        return None
    return name


def name_beside_phone(text: str, phone: PhoneMatch) -> str | None:
    """A bare name said right before or after the phone number (张三 13700002222, 刘伟，电话是…).

    Citizens often leave contact details as name-and-number; the name must stand alone in its
    clause, be two or three characters (four after 欧阳, 司马…), start with a common surname and not be an everyday word
    (白天 13700002222, 13700002222 谢谢).
    """
    start = text.find(phone.raw)
    if start < 0:
        return None
    before = _CONTACT_LEAD.sub("", text[:start])
    after = text[start + len(phone.raw) :]
    for candidate in (_NAME_BEFORE.search(before), _NAME_AFTER.match(after)):
        if candidate is not None and plausible_name(candidate.group(1)):
            return candidate.group(1)
    return None


def plausible_name(word: str) -> bool:
    """A 2–3 character word that reads as a person's name, not a role, place or everyday word."""
    compound = bool(re.match(_COMPOUND_SURNAMES, word))
    return (
        (word[0] in _COMMON_SURNAMES or compound)
        and 2 <= len(word) <= (4 if compound else 3)
        and word not in _NOT_NAMES
        and not any(word.startswith(w) for w in _NOT_NAMES)
        and not _NOT_A_NAME.search(word)
        and not _NOT_NAME_REPLY.search(word)
        and not _EVERYDAY.search(word)
    )


def name_from_answer(text: str) -> str | None:
    """A name given in reply to "怎么称呼您？": a bare name is enough (张伟, 王, Li Ming)."""
    if declines(text) or _NOT_A_NAME.search(text) or _NOT_NAME_REPLY.search(text.strip(" 。.!！")):
        return None
    found = find_name(text)
    if found:
        return found
    answer = _NAME_FILLERS.sub("", text.strip()).strip("。，,.!！ ")
    answer = _NAME_FILLERS.sub("", answer).strip()
    if _SURNAME_ONLY.match(answer):
        # a lone character is a surname only when it is a common one, never a word like 中 or 好
        if answer in _COMMON_SURNAMES and answer not in _REPLY_WORDS:
            return answer + "先生/女士"
        return None
    if _PARTICLE_END.match(answer):
        return None
    if _NAME_CHARS.match(answer) and answer not in _NOT_NAMES:
        return answer
    return None


def declines(text: str) -> bool:
    """The citizen declines to give what was asked (不用了, 不想说, 保密)."""
    return bool(_DECLINE.match(text.strip()))
