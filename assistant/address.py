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
from dataclasses import dataclass
from typing import Any

_NAME = r"[\u4e00-\u9fa5A-Za-z0-9]"
_NUMERAL = r"[0-9一二三四五六七八九十两]+"
_ROAD_SUFFIX = r"(?:街道|大街|大道|路|街|巷|胡同|弄)"
_PLACE_SUFFIX = (
    r"(?:小区|花园|家园|公寓|新村|社区|大厦|广场|商场|市场|中心|小学|中学|大学|学校|幼儿园|医院|卫生院|公园|"
    r"超市|地铁站|公交站|车站|工业园|产业园|园区|苑|湾|村|厂|公司|酒店|饭店|宾馆)"
)
_HEAD = rf"{_NAME}{{1,12}}?(?:{_ROAD_SUFFIX}|{_PLACE_SUFFIX})"
_TAIL = (
    rf"(?:{_NUMERAL}(?:号楼|栋|幢|座)(?:\d{{3,4}}(?!\d)(?:室|号房|户)?)?|{_NUMERAL}期|{_NUMERAL}号(?:院)?"
    rf"|{_NUMERAL}单元(?:\d{{3,4}}(?!\d)(?:室|号房|户)?)?|\d+(?:室|号房|户)|{_NUMERAL}(?:楼|层)"
    rf"|(?:附近|门口|对面|旁边|路口|交叉口|十字路口|[东西南北]侧|[东西南北]门|后面|后门|楼下)"
    rf"|{_NAME}{{2,12}}?(?:{_ROAD_SUFFIX}|{_PLACE_SUFFIX})|{_PLACE_SUFFIX})"
)
_ADDRESS = re.compile(rf"{_HEAD}(?:的?{_TAIL})*")
_SUFFIX_AT_END = re.compile(rf"(?:{_ROAD_SUFFIX}|{_PLACE_SUFFIX})")

#: Words that end the lead-in before a place name ("我要反映 | 建设路"): the name starts after them.
_STOP_WORDS = (
    *("反映", "投诉", "举报", "位于", "地址", "地点", "家住", "住在", "就在", "那条", "这条", "旁边的"),
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
)
_FILLERS = re.compile(
    r"^(?:地址|地点|位置|具体位置|具体地址)?(?:是|在|为|:|：)?\s*|^(?:就在|我家在|我住在|家住|在)"
)
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
    """

    address: str | None
    district: str | None
    specific: bool
    region: str | None = None
    not_applicable: bool = False


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
        street = self._street(text, [n for n in (self._city, district, *self._region_parts(region)) if n])
        if street is None:
            if district is None:
                return None
            return Location(address=None, district=district, specific=False, region=region)
        lead = (region or district or "") if not street.startswith(district or "\0") else ""
        return Location(address=(lead + street)[:300], district=district, specific=True, region=region)

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
            rest = re.sub(r"那边|这边|那里|这里|一带|附近|境内|里面", "", rest)
            if len(rest.strip("。，,. 的")) < 2:
                return found
        if 2 <= len(answer) <= 80 and re.search(r"[\u4e00-\u9fa5]", answer):
            district = found.district if found else None
            return Location(
                address=answer, district=district, specific=True, region=found.region if found else None
            )
        return found

    # -- internals --------------------------------------------------------------------------

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

    def _street(self, text: str, admin_names: list[str]) -> str | None:
        """The longest street-level span, without the administrative names that lead it."""
        best: str | None = None
        forms = sorted(
            {f for n in admin_names for f in (n, n[:-1] if len(n) >= 3 else n)}, key=len, reverse=True
        )
        for m in _ADDRESS.finditer(text):
            span = m.group(0)
            head_end = _head_end(span)
            for form in forms:  # an administrative name ends the lead-in: the street comes after it
                pos = span.rfind(form, 0, head_end + len(form))
                if pos >= 0 and pos + len(form) < len(span):
                    span = span[pos + len(form) :]
                    head_end = _head_end(span)
            span = _trim_lead_in(span)
            if not _has_proper_name(span):
                continue
            if best is None or len(span) > len(best):
                best = span
        return best


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


def _has_proper_name(span: str) -> bool:
    """A road or place needs a name of two or more characters (建设路 yes; 马路, 小区 no)."""
    first = _SUFFIX_AT_END.search(span)
    if first is None:
        return False
    name = span[: first.start()]
    if name in _GENERIC_NAMES:
        return False
    return len(name) >= 2 or bool(re.search(rf"{_NUMERAL}(?:号|栋|单元|号楼|室)", span[first.end() :]))
