"""Where a message is about: its district and the named places (小区, 村, 学校, 路 ...) it mentions.

Hot issues are "one matter in one place", so clustering needs a notion of place that is finer than the
district: the residential compound, village, school or road the citizens name. Messages are free text,
so places are found by their suffixes (魅力之城小区, 金鼎村, 凉塘路) rather than by a gazetteer; the
district comes from the order's field, from the city's district list, or from pseudonymised codes
(``A3区``) in imported message sets.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

_SUFFIX_TEXT = (
    "小区 花园 家园 新城 新村 公寓 大厦 广场 社区 街道 中学 小学 学校 学院 大学 幼儿园 医院 卫生院 公司 "
    "物业 驾校 大道 项目 楼盘 市场 工地 酒店 集团 银行 景区 公园 车站 地铁站 码头 村 镇 乡 路 街 巷 站 线 "
    "湖 府 苑 城 湾 园 庭 阁 港 桥 厂 店 馆 平台 案件 案"
)
#: Suffixes after which a following name is part of the same compound (伊景园 + 滨河苑).
_COMPOUND_ENDS = ("园", "苑", "城", "府", "湾", "庭", "阁", "花园", "家园", "新城", "广场", "大厦")
#: Suffixes that end a place name; matched longest first so that 小区 wins over shorter forms.
PLACE_SUFFIXES = tuple(sorted(_SUFFIX_TEXT.split(), key=len, reverse=True))
_PLACE_SPAN = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]{2,10}?(?:" + "|".join(PLACE_SUFFIXES) + ")")
#: Lead-in words that the lazy span pattern tends to swallow (投诉伊景园 → 伊景园).
_LEAD_IN = re.compile(
    r"^(?:关于|反映|反应|投诉|举报|请求|建议|咨询|希望|请问|要求|强烈|坚决|反对|解决|质疑|恳请|请|在|对|给|"
    r"的|位于|地处|座落在|坐落在|我是|本人|我们|我|市民|居民|业主|再次|问问|尽快|这个|那个|该|本|此|各|每个|"
    r"整个|周边|附近|现在|目前|一个|一家|一所)+"
)
#: Bodies of government (every message may address them) and common words ending in a suffix (备案).
_NOT_PLACES = re.compile(
    r"(?:政府|党委|市委|区委|县委|部门|单位|[备方答立提档议预草图报结办定专个本此该翻]案)$"
)
#: Legal-form words shared by every company name; they would make any two companies look alike.
_LEGAL_FORMS = re.compile(r"(?:股份有限|有限责任|有限)(?=公司)")
#: Candidate place names that are only a generic word.
_GENERIC_NAMES = frozenset(
    [
        "公司",
        "有限公司",
        "集团",
        "物业",
        "小区",
        "社区",
        "街道",
        "学校",
        "医院",
        "项目",
        "市场",
        "工地",
        "中学",
        "小学",
    ]
)

#: Pseudonymised administrative codes of imported message sets (A市, A3区, A7县).
_CODED_DISTRICT = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{1,2}[区县]")
_CODED_ADMIN = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{0,2}[市区县]|[\u4e00-\u9fa5]{2,4}省")


def find_district(text: str, known: Sequence[str] = ()) -> str | None:
    """The first district the text names: one of the city's districts, else a pseudonymised code."""
    best: tuple[int, str] | None = None
    for name in known:
        pos = text.find(name)
        if pos >= 0 and (best is None or pos < best[0]):
            best = (pos, name)
    if best is not None:
        return best[1]
    m = _CODED_DISTRICT.search(text)
    return m.group(0) if m else None


def strip_admin(text: str, known: Iterable[str] = ()) -> str:
    """Remove province, city and district names: they say nothing about the specific place."""
    for name in known:
        if name:
            text = text.replace(name, " ")
    return _CODED_ADMIN.sub(" ", text)


def place_spans(text: str, known: Iterable[str] = ()) -> list[str]:
    """Named places in a text, in order of appearance (``["劳动东路魅力之城小区", "凉塘路"]``).

    A short name right after a compound-ending one is joined to it (伊景园 + 滨河苑 → 伊景园滨河苑);
    a span needs two characters besides its suffix, so "该小区" is no place.
    """
    spans: list[str] = []
    last_end = -1
    for m in _PLACE_SPAN.finditer(strip_admin(text, known)):
        part = m.group(0)
        joins = (
            spans and m.start() == last_end and spans[-1].endswith(_COMPOUND_ENDS) and len(part) <= 6
            and not _LEAD_IN.match(part)
        )  # fmt: skip
        if joins:
            spans[-1] += part
        else:
            spans.append(part)
        last_end = m.end()
    out = []
    for span in spans:
        span = _LEGAL_FORMS.sub("", _LEAD_IN.sub("", span))
        suffix = next((s for s in PLACE_SUFFIXES if span.endswith(s)), "")
        if len(span) - len(suffix) >= 2 and not _NOT_PLACES.search(span):
            out.append(span)
    return out


def common_place(
    span_sets: Sequence[Sequence[str]],
    min_share: float = 0.5,
    title_span_sets: Sequence[Sequence[str]] | None = None,
) -> tuple[str, float]:
    """The place name most members of a group share, and the share of members that mention it.

    Candidates are substrings (2–12 characters) of the members' place spans that at least `min_share`
    of the members (and two of them) mention. The winner maximises ``members × min(length, 6)``, then
    members, then length: "伊景园滨河苑" beats "伊景园" (shorter) and "投诉伊景园滨河苑" (fewer
    members), while a long phrase that a few members repeat does not beat the short name that all of
    them use. Places named in titles (`title_span_sets`) are preferred when one is shared widely enough.
    Returns ``("", 0.0)`` when no place is shared widely enough.
    """
    n = len(span_sets)
    if n == 0:
        return "", 0.0
    if title_span_sets is not None:
        gram, _ = _best_shared(title_span_sets, min_share)
        if gram:
            share = sum(any(gram in s for s in spans) for spans in span_sets) / n
            return gram, share
    return _best_shared(span_sets, min_share)


def _best_shared(span_sets: Sequence[Sequence[str]], min_share: float) -> tuple[str, float]:
    n = len(span_sets)
    coverage: Counter[str] = Counter()
    for spans in span_sets:
        grams: set[str] = set()
        for span in spans:
            for length in range(2, min(12, len(span)) + 1):
                for i in range(len(span) - length + 1):
                    grams.add(span[i : i + length])
        coverage.update(grams)
    need = max(2, math.ceil(n * min_share))
    candidates = [
        (c * min(len(g), 6), c, len(g), g)
        for g, c in coverage.items()
        if c >= need and g not in _GENERIC_NAMES and not (len(g) <= 2 and g in PLACE_SUFFIXES)
    ]
    if not candidates:
        return "", 0.0
    _, count, _, gram = max(candidates)
    return gram, count / n
