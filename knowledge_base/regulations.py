"""Load regulations written in the LawRefBook Markdown layout into one chunk per article (第X条).

Layout: ``# title`` line(s), a few date lines (adoption, amendments), an end-of-header comment, then
``##``/``###``/``####`` headings (编, 章, 节) and paragraphs, each article starting with ``第X条``.
An article runs until the next article or heading, so its items (（一）（二）...) and trailing
paragraphs stay in the same chunk: an item is meaningless without its lead-in sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.chunks import Chunk

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "零〇一二三四五六七八九十百千两"

ARTICLE_RE = re.compile(rf"^第([{_NUMERAL}]+)条(之[{_NUMERAL}]+)?(?:[\s\u3000]+|$)")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_FILE_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_PURPOSE_RE = re.compile(r"^为了?.{0,150}(制定本法|制定本条例|制定本规定|制定本办法)")
_IN_FORCE_RE = re.compile(r"自\S{0,25}起施行")
_DEFINITION_RE = re.compile(r"^(本法|本条例|本规定|本办法)所称|下列用语的含义")


def is_boilerplate(text: str, chapter: str = "") -> bool:
    """Whether an article is structural rather than substantive.

    Purpose clauses (为了……制定本法), definitions (本法所称…, 下列用语的含义), entry-into-force
    articles and everything under 附则 mention a law's whole vocabulary (or none of it), so they match
    many questions loosely yet almost never answer one: a citizen asks what to do about a noisy
    neighbour, not what the noise law calls 噪声敏感建筑物. Search ranks them slightly lower.

    Args:
        text: The article body (without its 第X条 label).
        chapter: The 编/章/节 path in force at the article (see `parse_regulation`).
    """
    body = re.sub(r"\s+", "", text)
    if "附则" in re.sub(r"\s+", "", chapter):
        return True
    if _IN_FORCE_RE.search(body) and len(body) < 100:
        return True
    return bool(_PURPOSE_RE.match(body) or _DEFINITION_RE.search(body))


def law_of(citation: str) -> str:
    """The instrument part of a citation (《中华人民共和国劳动合同法》第三十八条 -> 《中华人民共和国劳动合同法》)."""
    end = citation.find("》")
    return citation[: end + 1] if end >= 0 else citation


def chinese_to_int(text: str) -> int:
    """Convert a Chinese numeral as used in article numbers (e.g. 五百七十七, 一千二百六十) to int.

    Raises:
        ValueError: if the text holds a character that is not a numeral.
    """
    if not text:
        raise ValueError("empty numeral")
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


def int_to_chinese(number: int) -> str:
    """Inverse of `chinese_to_int` for 1..9999, in the form laws use (十二, not 一十二)."""
    if not 0 < number < 10000:
        raise ValueError(f"out of range: {number}")
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    zero_pending = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = number // unit_value % 10
        if d == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(("" if (unit == "十" and d == 1 and not parts) else digits[d]) + unit)
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class LawHeader:
    """What the lines before the first chapter or article say about an instrument."""

    title: str  # first ``#`` line: the instrument's name, used in citations
    subtitle: str  # further ``#`` lines (e.g. 合同编 of the Civil Code), may be empty
    adopted: str | None  # first date line, ISO
    version: str | None  # latest date (file name date, else last date line), ISO


def _iso(match: re.Match[str]) -> str:
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _parse_header(lines: list[str], file_name: str) -> LawHeader:
    titles = [ln.lstrip("#").strip() for ln in lines if ln.startswith("# ")]
    dates = [_iso(m) for ln in lines if not ln.startswith("#") and (m := _DATE_RE.search(ln))]
    file_date = _FILE_DATE_RE.search(file_name)
    version = file_date.group(1) if file_date else (max(dates) if dates else None)
    title = titles[0] if titles else Path(file_name).stem
    return LawHeader(
        title=title, subtitle=" ".join(titles[1:]), adopted=dates[0] if dates else version, version=version
    )


def parse_regulation(text: str, source: str) -> list[Chunk]:
    """Split one regulation Markdown document into article chunks.

    Args:
        text: The whole Markdown file.
        source: A name for provenance and ids (usually the file name).

    Returns:
        One chunk per article, in document order. Headings set ``meta['chapter']`` to the path
        of 编/章/节 titles in force at the article (e.g. ``第二分编 典型合同 / 第九章 买卖合同``).
    """
    lines = text.splitlines()
    # The header (title, adoption dates) is everything before the first chapter heading or article.
    end = next((i for i, ln in enumerate(lines) if ARTICLE_RE.match(ln.strip()) or ln.startswith("## ")), 0)
    end -= 1
    header = _parse_header(lines[: max(end, 0)], source)
    law_key = re.sub(r"\s+", "", header.title + header.subtitle)

    headings: dict[int, str] = {}
    chunks: list[Chunk] = []
    current: dict[str, object] | None = None
    body: list[str] = []

    def flush() -> None:
        if current is None:
            return
        article_text = "\n".join(p for p in body if p).strip()
        label = str(current["label"])
        citation = f"《{header.title}》{label}"
        chapter = str(current["chapter"])
        law_title = f"{header.title} {header.subtitle}".strip()
        chunks.append(
            Chunk(
                id=f"reg:{law_key}:{label}",
                kind="regulation",
                title=f"{law_title} {label}",
                text=article_text,
                citation=citation,
                date=header.version,
                source=source,
                meta={
                    "law_title": law_title,
                    "chapter": chapter,
                    "article": label,
                    "article_number": current["number"],
                    "adopted": header.adopted,
                    "version": header.version,
                },
            )
        )

    for raw in lines[end + 1 :]:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            headings = {lv: h for lv, h in headings.items() if lv < level}
            headings[level] = re.sub(r"\s+", " ", line.lstrip("#").strip())
            flush()
            current, body = None, []
            continue
        match = ARTICLE_RE.match(line)
        if match:
            flush()
            label = line[: match.end()].strip()
            current = {
                "label": label,
                "number": chinese_to_int(match.group(1)),
                "chapter": " / ".join(headings[lv] for lv in sorted(headings)),
            }
            body = [line[match.end() :].strip()]
        elif current is not None:
            body.append(line)
    flush()
    return _dedupe(chunks)


def _dedupe(chunks: list[Chunk]) -> list[Chunk]:
    """Keep the first of any repeated article label (a malformed file must not break id uniqueness)."""
    seen: set[str] = set()
    out = []
    for chunk in chunks:
        if chunk.id not in seen:
            seen.add(chunk.id)
            out.append(chunk)
    return out


def iter_regulation_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield the Markdown files named by ``paths`` (files, or directories searched non-recursively)."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from sorted(p for p in path.glob("*.md") if p.name.lower() != "readme.md")
        elif path.suffix.lower() == ".md":
            yield path
        else:
            raise FileNotFoundError(f"not a Markdown file or directory: {path}")


def load_regulations(paths: Iterable[Path] | Path) -> list[Chunk]:
    """Load every article of every regulation under ``paths``."""
    if isinstance(paths, str | Path):
        paths = [Path(paths)]
    chunks: list[Chunk] = []
    for file in iter_regulation_files(paths):
        chunks.extend(parse_regulation(file.read_text(encoding="utf-8"), source=file.name))
    return chunks
