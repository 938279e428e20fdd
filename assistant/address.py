"""Where is it? Locations in colloquial Chinese: district from the city config and `cpca`, street detail
from patterns for 路/街/号/小区/栋/单元.

Two sources know the administrative level: the city's own district list (authoritative for the
deployment, and the only source that knows a demo or newly created district) and `cpca`, a maintained
library with the national division codes, which also recognises short forms (历下 → 历下区) and
places outside the city. Neither knows streets, so the street-level part (road and number, estate,
building, unit, landmark) is found with patterns over the suffixes Chinese addresses use.
"""

from __future__ import annotations

import importlib
import importlib.resources
import re
import sys
import threading
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

_NAME = r"[\u4e00-\u9fa5A-Za-z0-9]"
_NUMERAL = r"[0-9一二三四五六七八九十两]+"
#: 弄 is a lane only after its number (长乐路123弄); on its own it is a verb (怎么弄). 里 names a
#: residential area (和平里, 八角北里, 华威西里) only when its number or section follows (八角北里15号楼,
#: 和平里七区); alone it is "in" (小区里, 群里).
_LI = r"里(?=[0-9一二三四五六七八九十两]+(?:号|栋|幢|座|区)|[东西南北中]区)"
_ROAD_SUFFIX = rf"(?:街道|大街|大道|路|街|巷|胡同|(?<=[0-9一二三四五六七八九十])弄|{_LI})"
_PLACE_SUFFIX = (
    r"(?:小区|花园|家园|公寓|新村|社区|大厦|广场|商场|市场|中心|小学|中学|大学|学校|幼儿园|医院|卫生院|公园|"
    r"超市|地铁站|公交站|车站|工业园|产业园|园区|苑|湾|村|厂|公司|酒店|饭店|宾馆)"
)
_HEAD = rf"{_NAME}{{1,12}}?(?:{_ROAD_SUFFIX}|{_PLACE_SUFFIX})"
#: A place suffix standing alone after a name (幸福花园|小区); a one-character one (村, 苑) only at the
#: end of a word, or 杨柳村村口 would end as 杨柳村村.
_BARE_SUFFIX = (
    "(?:"
    + "|".join(w for w in _PLACE_SUFFIX[3:-1].split("|") if len(w) > 1)
    + "|(?:"
    + "|".join(w for w in _PLACE_SUFFIX[3:-1].split("|") if len(w) == 1)
    + r")(?![\u4e00-\u9fa5]))"
)
#: A section of an estate or compound (和平里七区, 龙泽苑东区, 18号院北区); 城区 or 小区 are not sections.
_SECTION = rf"(?:{_NUMERAL}|[东西南北中])区"
_TAIL = (
    rf"(?:{_NUMERAL}(?:号楼|栋|幢|座)(?:\d{{3,4}}(?!\d)(?:室|号房|户)?)?|{_NUMERAL}期|{_NUMERAL}号(?:院)?|{_SECTION}"
    r"|街道|大街|大道|胡同"
    rf"|{_NUMERAL}单元(?:\d{{3,4}}(?!\d)(?:室|号房|户)?)?|\d+(?:室|号房|户)|{_NUMERAL}(?:楼|层)|{_NUMERAL}弄"
    rf"|(?:附近|门口|对面|旁边|路口|交叉口|十字路口|[东西南北]侧|[东西南北]门|后面|后门|楼下"
    rf"|村口|村委会?|村部|居委会|桥头|桥下|街口|巷口|大门)"
    rf"|{_NAME}{{2,12}}?(?:{_ROAD_SUFFIX}|{_PLACE_SUFFIX})|{_BARE_SUFFIX})"
)
_ADDRESS = re.compile(rf"{_HEAD}(?:的?{_TAIL})*")
_SUFFIX_AT_END = re.compile(rf"(?:{_ROAD_SUFFIX}|{_PLACE_SUFFIX})")

#: Words that end the lead-in before a place name ("我要反映 | 建设路"): the name starts after them.
_STOP_WORDS = (
    *("反映", "投诉", "举报", "位于", "地址", "地点", "家住", "住在", "就在", "那条", "这条", "旁边的"),
    *("孩子", "小孩", "明年", "今年", "去年", "上学", "办理", "报销", "怎么"),
    # a time said before the place is no part of its name (昨天小区着火了, 今早万达门口)
    *("昨天", "前天", "今天", "今早", "昨晚", "今晚", "刚才", "刚刚", "现在", "上周", "上个月", "最近"),
    *("早上", "上午", "中午", "下午", "傍晚", "晚上", "夜里", "半夜", "凌晨"),
    *("在", "住", "是", "到", "从", "我", "你", "他", "她", "们", "的", "了", "有", "个", "说", "去", "往"),
    *(
        "把",
        "被",
        "这",
        "那",
        "要",
        "想",
        "就",
        "也",
        "还",
        "又",
        "跟",
        "给",
        "对",
        "找",
        "让",
        "叫",
        "看",
        "过",
        "着",
    ),
)
#: Words before a suffix that do not name a place (楼下饭店, 隔壁小区, 我家小区).
_GENERIC_NAMES = frozenset(
    {
        "楼下",
        "楼上",
        "隔壁",
        "对面",
        "旁边",
        "附近",
        "门口",
        "家里",
        "我家",
        "这家",
        "那家",
        "一家",
        "这个",
        "那个",
    }
    | {"这里", "那里", "外面", "路边", "街边", "马路", "小区", "学校", "单位", "公司", "本地", "当地", "周边"}
    # a service provider named by its trade (热力公司, 物业公司) is who to act, not where it happened
    | {
        "物业",
        "热力",
        "供热",
        "供暖",
        "供电",
        "电力",
        "燃气",
        "煤气",
        "自来水",
        "供水",
        "水务",
        "快递",
        "物流",
    }
    | {"保险", "中介", "装修", "保洁", "移动", "电信", "联通", "公交", "出租车", "开发商", "房地产", "施工"}
)
_FILLERS = re.compile(
    r"^(?:地址|地点|位置|具体位置|具体地址)?(?:是|在|为|:|：)?\s*|^(?:就在|我家在|我住在|家住|在)"
)
#: Something in a free answer that names or points at a place (门, 路, 楼, 后面, 菜场…); an answer
#: without any (老张, 去年三月, 给个4分, 怎么弄) is not an address.
_PLACE_HINT = re.compile(
    r"[路街巷道弄号栋幢楼室层村镇乡区县市省庄屯湾坊苑园院门口桥场站店馆厂所局校河湖山江岸坡坝渠沟井]"
    r"|单元|胡同|旁边|边上|后面|前面|对面|附近|隔壁|那边|这边|一带|交叉|拐角|角落|车库|电梯|楼道|中心|大厦|广场"
)
#: An answer that is something else: a question, a time, a rating, a chase or a stated problem.
_NOT_A_PLACE = re.compile(
    r"怎么|什么|为什么|咋|吗|呢|[?？]|催|评价|[0-9一二三四五]\s*分|打分|满意|没水|没电|停水|停电|坏了"
    r"|[去今明前]年|[0-9一二三四五六七八九十]+\s*月(?![台])|昨天|前天|今天|上周|星期|礼拜"
)
#: Words that point at a place without naming it (我们小区3栋): the answer is kept, but a department
#: could not find it, so it is not specific.
_GENERIC_PLACE = re.compile(
    r"我们|我家|咱们|咱家|俺们|俺家|我住的|小区|院子|大院|楼下|楼上|隔壁|对面|家里|这里|那里|这边|那边"
    r"|门口|旁边|附近|后面|前面|路边"
    rf"|{_NUMERAL}(?:号楼|栋|幢|座|单元|楼|层|号|室)|\d+|[的了里]"
)
#: Building, unit and flat (5栋1单元702): detail that belongs to a compound named elsewhere.
_BUILDING = re.compile(
    rf"(?<![0-9])(?:{_NUMERAL}(?:号楼|栋|幢|座)(?:{_NUMERAL}单元)?|{_NUMERAL}单元)(?:\d{{3,4}}(?!\d)(?:室|号房|户)?)?"
)
#: A clause that only names a section, building or gate (，北区 / ，3号楼2单元): part of the address before it.
_NEXT_CLAUSE_PART = re.compile(
    rf"[，,、\s]+((?:{_SECTION})?(?:{_BUILDING.pattern})?(?:[东西南北]门|门口)?)(?=$|[，。,.;；!！?？\s])"
)
#: Words that point near a division without naming a spot (南湖区那边, 顺义区一带).
_VAGUE_WORDS = re.compile(r"那边|这边|那里|这里|一带|附近|境内|里面")
#: Only administrative divisions (顺义区后沙峪镇, 光明街道): where, but not yet a spot.
_DIVISIONS_ONLY = re.compile(
    r"^(?:(?:(?![路街巷号栋幢楼室院苑园门村0-9])[\u4e00-\u9fa5]){1,8}?"
    r"(?:省|自治区|市|地区|(?<![一二三四五六七八九十两东西南北中小园校景])区|县|镇|乡|街道|的))+[。，,.\s]*$"
)
#: A free answer that complains rather than says where (停车费说涨就涨, 物业乱收费, 太吵了).
_COMPLAINS = re.compile(
    r"说(?!的)|涨|乱收|收费|[太很][吵脏乱差贵响臭闹]|不(?:让|给|开|管|修|理|交|准|办|退)|没人管|一直|总是|天天|每天"
    r"|(?:物业|开发商|中介|房东|老板)$"
)
#: 是南区，不是北区 / 不是北区，是南区: one part of what was said, swapped for another.
_SWAP = (
    re.compile(r"是(?P<new>[^，,。！!]{1,12}?)[，,\s]*(?:而)?不是(?P<old>[^，,。！!]{1,12})"),
    re.compile(r"不是(?P<old>[^，,。！!]{1,12}?)[，,\s]*(?:而)?是(?P<new>[^，,。！!]{1,12})"),
)
#: A part that reads as a place on its own (南区, 3栋, 东门, 二期), not a description (整栋楼).
_PLACE_END = re.compile(
    r"^(?:[东南西北中]|[0-9一二三四五六七八九十两]+)(?:区|栋|幢|座|号楼|号院|号|楼|门|期|单元)$"
)
#: A road named only as a landmark (就在和平路那边): the compound, not the road, is the address.
_LANDMARK_AFTER = re.compile(r"^(?:那边|这边|附近|旁边|边上|一带|那块|这块|那里|这里)")
_NOT_APPLICABLE = re.compile(
    r"没有具体(?:的)?(?:地址|地点|位置)|不涉及(?:具体)?(?:的)?(?:地址|地点)|没有地址|不需要地址|不方便说|网上|线上|无固定"
)


@dataclass(frozen=True)
class Location:
    """A place named in a message.

    Attributes:
        address: What goes in the order's address field (district prefix + street detail), or
            ``None`` when only the district is known.
        district: A district of the city config when one is named, else the district `cpca`
            recognised (possibly outside the city).
        specific: Street-level detail is present (road, estate, building, landmark with a name),
            enough for a department to find the spot.
        region: Province/city/district as `cpca` resolved them, when it did.
        not_applicable: The citizen said the matter has no particular place.
        said: The pieces of the message that named the place, as typed: the address may be put
            together (a region prefixed, a building said apart appended), and the rest of the
            message must lose exactly what went into it.
    """

    address: str | None
    district: str | None
    specific: bool
    region: str | None = None
    not_applicable: bool = False
    said: tuple[str, ...] = field(default=(), compare=False)


class _CpcaLoader:
    """Loads `cpca` on first use, with a shim for `pkg_resources` on new setuptools.

    cpca 0.5 reads its bundled division table with ``pkg_resources.resource_stream``, which setuptools
    81+ no longer ships. The shim implements that one function with `importlib.resources`, is only
    installed when `pkg_resources` is missing, and is created on first use, never at import time.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._module: Any = None
        self._failed = False

    def get(self) -> Any:
        if self._module is not None or self._failed:
            return self._module
        with self._lock:
            if self._module is None and not self._failed:
                try:
                    importlib.import_module("pkg_resources")
                except ImportError:
                    shim = types.ModuleType("pkg_resources")
                    shim.resource_stream = lambda pkg, name: (
                        importlib.resources.files(pkg).joinpath(name).open("rb")
                    )  # type: ignore[attr-defined]
                    sys.modules.setdefault("pkg_resources", shim)
                try:
                    self._module = importlib.import_module("cpca")
                except Exception:  # cpca missing or broken: the city's district list still works
                    self._failed = True
        return self._module


class AddressParser:
    """Finds the location in a message.

    Args:
        city_name: The city of the deployment (示范市), used to tell its districts from others.
        districts: The city's districts, as in the city config (东城区, 临江县...).
        use_cpca: Also consult `cpca` for divisions the config does not list.
    """

    def __init__(self, city_name: str, districts: Sequence[str], *, use_cpca: bool = True) -> None:
        self._city = city_name
        self._districts = sorted(districts, key=len, reverse=True)
        self._short = {
            d[:-1]: d for d in districts if len(d) >= 3 and d[-1] in "区县市"
        }  # 南湖 → 南湖区, only for names of 2+ characters
        self._cpca = _CpcaLoader() if use_cpca else None

    # -- public -----------------------------------------------------------------------------

    def parse(self, text: str) -> Location | None:
        """The location named anywhere in `text`, or ``None`` when it names none."""
        district, region = self._district(text)
        found = self._street(text, [n for n in (self._city, district, *self._region_parts(region)) if n])
        admin = tuple(n for n in (self._city, district, *self._region_parts(region)) if n and n in text)
        if found is None:
            if district is None:
                return None
            return Location(address=None, district=district, specific=False, region=region, said=admin)
        street, pieces = found
        lead = (region or district or "") if not street.startswith(district or "\0") else ""
        return Location(
            address=(lead + street)[:300],
            district=district,
            specific=not _DIVISIONS_ONLY.match(street),  # 光明街道 alone is a subdistrict, not a spot
            region=region,
            said=(*pieces, *admin),
        )

    def parse_answer(self, text: str) -> Location | None:
        """The location in a reply to "where did it happen?", accepting free descriptions.

        A direct answer to the question is an address even without the usual suffixes
        (万达后面那条街, 东门菜场), so when no pattern matches, the cleaned answer itself is taken if it
        is short and written in Chinese.
        """
        if _NOT_APPLICABLE.search(text):
            return Location(address=None, district=None, specific=True, not_applicable=True)
        found = self.parse(text)
        if found is not None and (found.specific or found.not_applicable):
            return found
        answer = _FILLERS.sub("", text.strip()).strip("。，,. ")
        if found is not None and found.district:
            rest = answer.replace(found.district, "").replace(found.district[:-1], "")
            rest = _VAGUE_WORDS.sub("", rest)
            if len(rest.strip("。，,. 的")) < 2:
                return found
        answer = _leading_place(answer)
        if 2 <= len(answer) <= 80 and looks_like_place(answer):
            district = found.district if found else None
            named = _GENERIC_PLACE.sub("", answer.replace(district or "\0", ""))
            return Location(
                address=answer,
                district=district,
                # 顺义区, 后沙峪镇: a division alone is no spot a department can find
                specific=len(re.findall(r"[\u4e00-\u9fa5A-Za-z]", named)) >= 2
                and not _DIVISIONS_ONLY.match(_VAGUE_WORDS.sub("", answer)),
                region=found.region if found else None,
                said=(answer,),
            )
        return found

    # -- internals --------------------------------------------------------------------------

    @staticmethod
    def corrected_address(address: str | None, text: str) -> str | None:
        """The address with the part a correction names replaced (2栋301 → 2栋401, 北区 → 南区).

        A new part that the address lacks (是南区 when 北区 was never kept) is added when it reads as
        a place; None when the correction is about something else.
        """
        if not address:
            return None
        fixed = AddressParser.corrected_building(address, text)
        if fixed:
            return fixed
        for pattern in _SWAP:
            m = pattern.search(text)
            if m is None:
                continue
            old, new = m.group("old").strip(), m.group("new").strip()
            if old and old in address:
                return address.replace(old, new)[:300]
            if _PLACE_END.search(new) and new not in address:
                return (address + new)[:300]
        return None

    @staticmethod
    def corrected_building(address: str | None, text: str) -> str | None:
        """The address with its building, unit or flat replaced by the one in a correction.

        不对，是2栋401 corrects only the part of 幸福小区2栋301 it names; without a building in both,
        or when nothing changes, None.
        """
        new = _BUILDING.search(text)
        old = _BUILDING.search(address or "")
        if address is None or new is None or old is None or new.group(0) == old.group(0):
            return None
        return (address[: old.start()] + new.group(0) + address[old.end() :])[:300]

    @staticmethod
    def merge_answers(previous: str | None, new: Location) -> Location:
        """Combine a vague earlier answer (我们小区3栋) with the one given when asked again (翠湖小区).

        The second answer names the compound, the first said the building: a department needs
        both, so the building, unit and flat of the earlier answer are kept when the new one has none.
        """
        if not previous or new.address is None or new.not_applicable or _BUILDING.search(new.address):
            return new
        building = _BUILDING.search(previous)
        if building is None or building.group(0) in new.address:
            return new
        address = (new.address + building.group(0))[:300]
        return Location(
            address=address, district=new.district, specific=new.specific, region=new.region, said=new.said
        )

    def _district(self, text: str) -> tuple[str | None, str | None]:
        """(district, region): a config district, or what cpca found with its province and city."""
        for name in self._districts:
            if name in text:
                return name, None
        for short, name in self._short.items():
            pos = text.find(short)
            if pos >= 0 and text[pos + len(short) : pos + len(short) + 1] not in ("路", "街", "巷"):
                return name, None
        cpca = self._cpca.get() if self._cpca else None
        if cpca is None:
            return None, None
        try:
            row = cpca.transform([text]).iloc[0]
        except Exception:
            return None, None
        province, city, area = (_clean(row.get("省")), _clean(row.get("市")), _clean(row.get("区")))
        if not area:
            return None, None
        if city and self._city and city == self._city:
            return area, None
        if not _names_any(text, (province, city)):
            # cpca completes short forms anywhere in China (南城区 → 广东省汕尾市城区); a place outside
            # the deployment's city is only believed when the citizen named its province or city
            return None, None
        region = "".join(p for p in (province, "" if city == "市辖区" else city, area) if p)
        return area, region

    @staticmethod
    def _region_parts(region: str | None) -> list[str]:
        if not region:
            return []
        return re.findall(r".+?(?:自治区|省|市|区|县)", region)

    def _street(self, text: str, admin_names: list[str]) -> tuple[str, tuple[str, ...]] | None:
        """The longest street-level span, without the administrative names that lead it.

        Returns the street and the pieces of `text` it was made of (a building or a section said in
        a clause of its own is added to the compound: 学院路18号院，北区).
        """
        best: str | None = None
        best_end = 0
        forms = sorted(
            {f for n in admin_names for f in (n, n[:-1] if len(n) >= 3 else n)}, key=len, reverse=True
        )
        best_rank: tuple[int, int, int] | None = None
        for m in _ADDRESS.finditer(text):
            span = m.group(0)
            landmark = bool(_LANDMARK_AFTER.match(text[m.end() :])) and not _BUILDING.search(span)
            head_end = _head_end(span)
            for form in forms:  # an administrative name ends the lead-in: the street comes after it
                pos = span.rfind(form, 0, head_end + len(form))
                if pos >= 0 and pos + len(form) < len(span):
                    span = span[pos + len(form) :]
                    head_end = _head_end(span)
            span = _trim_lead_in(span)
            if not _has_proper_name(span):
                continue
            # a compound with its building beats a road said as a landmark (桂花苑 … 和平路那边)
            rank = (0 if landmark else 1, 1 if _BUILDING.search(span) else 0, len(span))
            if best_rank is None or rank > best_rank:
                best, best_rank, best_end = span, rank, m.end()
        if best is None:
            return None
        if (more := _NEXT_CLAUSE_PART.match(text, best_end)) and more.group(1):
            # 学院路18号院，北区: a clause that is only a section or a building continues the address
            return best + more.group(1), (best, more.group(1))
        if not _BUILDING.search(best) and _ends_with_place(best):
            # 桂花苑，……，我住5栋1单元702: the building said apart still belongs to the compound
            for b in _BUILDING.finditer(text):
                if b.group(0) not in best:
                    return best + b.group(0), (best, b.group(0))
        return best, (best,)


def _names_any(text: str, divisions: Sequence[str | None]) -> bool:
    """The text names one of the divisions, in full or short form (山东省/山东, 济南市/济南)."""
    for name in divisions:
        if not name or name == "市辖区":
            continue
        short = re.sub(r"(?:维吾尔|壮族|回族)?(?:自治区|自治州|特别行政区|省|市|地区|盟)$", "", name)
        if name in text or (len(short) >= 2 and short in text):
            return True
    return False


def _clean(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _head_end(span: str) -> int:
    """Where the first road or place suffix starts (the name before it is the lead-in's end)."""
    first = _SUFFIX_AT_END.search(span)
    return first.start() if first else len(span)


def _trim_lead_in(span: str) -> str:
    """Cut the words that precede the place name (the regex starts at the leftmost Han character)."""
    head_end = _head_end(span)
    cut = 0
    for word in _STOP_WORDS:
        pos = span.rfind(word, 0, head_end)
        if pos >= 0:
            cut = max(cut, pos + len(word))
    return span[cut:]


def looks_like_place(answer: str) -> bool:
    """A free answer names or points at a place (万达后面, 东门菜场), and is not something else.

    Names (老张), times (去年三月), ratings (给个4分), chases (再催一次) and questions (怎么弄) answer
    no "where", however short they are.
    """
    if not re.search(r"[\u4e00-\u9fa5]", answer) or _NOT_A_PLACE.search(answer):
        return False
    # 就是我们小区物业，停车费说涨就涨: every clause of a place answer names or points at the place
    clauses = [c for c in re.split(r"[，。,.;；！!、\s…]+", answer) if c]
    return bool(clauses) and all(_PLACE_HINT.search(c) and not _COMPLAINS.search(c) for c in clauses)


def _leading_place(answer: str) -> str:
    """The clauses of a free answer up to the first that is not about the place.

    就在小区门口，天天有人摆摊 answers where with its first clause and complains with the second; only
    the first is the place (the whole answer when no clause looks like one, for the caller to reject).
    """
    end = 0
    for clause in re.finditer(r"[^，。,.;；！!、\s…]+", answer):
        if not looks_like_place(clause.group(0)):
            break
        end = clause.end()
    return answer[:end] if end else answer


def _ends_with_place(span: str) -> bool:
    """The span ends with a compound or place suffix (桂花苑, 幸福小区), not with a road."""
    return bool(re.search(rf"{_PLACE_SUFFIX}$", span))


def _has_proper_name(span: str) -> bool:
    """A road or place needs a name of two or more characters (建设路 yes; 马路, 小区 no)."""
    first = _SUFFIX_AT_END.search(span)
    if first is None:
        return False
    name = span[: first.start()]
    if name in _GENERIC_NAMES:
        return False
    if span[first.start()] == "里" and len(name) < 2:
        return False  # 家里3号, 院里5栋: "in", not a 里 area like 和平里
    # a one-character name needs a number after it (金苑5栋); none at all (小区3栋) names nothing
    return len(name) >= 2 or (
        len(name) == 1 and bool(re.search(rf"{_NUMERAL}(?:号|栋|单元|号楼|室)", span[first.end() :]))
    )
