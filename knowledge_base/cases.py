"""Past cases (message + official reply) as knowledge-base chunks.

Sources: CSV/JSONL exports such as the message-board replies file, the bundled demo cases, and work
orders closed with a reply (`case_from_closed_order`, added one at a time as orders close).

A case is worth showing as a resolution only when its reply says what was done or what the rule is.
Replies that only acknowledge (留言已收悉), only forward (已转XX局核处) or stop mid-sentence are kept
out of ``Chunk.reply`` (the case stays searchable: its message still shows how such matters are
classified), so neither an operator nor a citizen is shown a non-answer as if it were one.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from knowledge_base.chunks import Chunk

#: Sentences that carry no resolution: acknowledgements, forwarding notices, courtesy.
_BOILERPLATE_RE = re.compile(
    r"收悉|已经?收到|敬请关注|关注后续|会向您反馈|将及时反馈|及时与您联系|感谢|谢谢|祝您|欢迎|特此(回复|答复)"
    r"|予以(回复|答复|反馈)|(回复|答复)如下|现(回复|答复)|问政"
    r"|^(尊敬的)?(网友|网民|来信人|市民|朋友|同志)?.{0,24}(您好|你好)$"
)
_FORWARD_RE = re.compile(
    r"(已|现)?(转交|转办|转至|转给|转到|转相关|转[^，。]{1,25}(核查|核实|办复|核处|处理|调查|办理))"
)
_DATE_RE = re.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{0,2}\s*[日号]?")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[。！？!?；;\n])")
_CLAUSE_SPLIT_RE = re.compile(r"[，,。！？!?；;：:\n]")
_TRUNCATED_END = tuple("，,、：:；;（(“《-—")
#: A reply may end in punctuation, a date, a number or a signature (…局, …办公室); a reply that ends
#: in any other character stopped mid-sentence.
_CLEAN_END_RE = re.compile(r"[。！？!?”\"）)】日号局府室心处办会司队所院部站委组科厅股馆行\w]$", re.ASCII)
_MIN_SUBSTANCE = 10


def _normalise(text: str) -> str:
    text = text.replace("\u3000", " ").replace("\xa0", " ").replace("\r", "")
    text = re.sub(r"[ \t]+", " ", text)
    return text.strip()


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT_RE.split(text) if s.strip()]


def _is_boilerplate(clause: str) -> bool:
    core = _DATE_RE.sub("", clause).strip(" 。！？!?；;\n")
    if len(re.findall(r"[\u4e00-\u9fff]", core)) < 4:
        return True  # a date, a phone number, a signature fragment
    if _BOILERPLATE_RE.search(core):
        return True
    return len(core) <= 50 and bool(_FORWARD_RE.search(core))


def _substance(text: str) -> int:
    """Characters of the clauses that are neither greeting, acknowledgement, forwarding nor thanks."""
    return sum(len(c.strip()) for c in _CLAUSE_SPLIT_RE.split(text) if c.strip() and not _is_boilerplate(c))


def usable_reply(reply: str | None) -> str | None:
    """Return the reply cleaned for display, or ``None`` when it is not a real resolution.

    Trailing boilerplate (a forwarding notice appended after the signature date, thanks) is cut;
    the reply is refused when fewer than 10 characters of substance remain, or when it ends
    mid-sentence (a truncated export).
    """
    if not reply:
        return None
    text = _normalise(str(reply))
    if not text or text.endswith(_TRUNCATED_END) or text.endswith(("链接", "如下")):
        return None
    if not _CLEAN_END_RE.search(text) and not _DATE_RE.search(text[-12:]):
        return None
    if _substance(text) < _MIN_SUBSTANCE:
        return None
    sentences = _sentences(text)
    while (
        len(sentences) > 1
        and _substance(sentences[-1]) == 0
        and not _DATE_RE.fullmatch(sentences[-1].strip())
    ):
        sentences.pop()
    return "".join(sentences).strip() or None


def case_id(title: str, body: str) -> str:
    """Content-derived id: the same message imported twice (or from two files) is one case."""
    digest = hashlib.sha1(f"{title}\x1f{body}".encode()).hexdigest()[:16]
    return f"case:{digest}"


def _iso_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    text = str(value).strip()
    match = re.match(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _first(record: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = record.get(key)
        if value is not None and not (isinstance(value, float) and value != value) and str(value).strip():
            return value
    return None


def case_from_record(record: Mapping[str, Any], source: str = "") -> Chunk | None:
    """Build a case chunk from one CSV/JSONL row; ``None`` when it has no message text.

    Column names follow the shared data (title, body, time, reply, reply_time, category/label) and
    the work-order schema (request, facts, reply_text, lead_department, closed_at), so either
    export loads without a mapping file.
    """
    title = str(_first(record, "title") or "").strip()
    body_parts = [str(_first(record, "body", "message", "text") or "").strip()]
    if not body_parts[0]:
        body_parts = [str(_first(record, k) or "").strip() for k in ("request", "facts")]
    body = "\n".join(p for p in body_parts if p)
    if not body and not title:
        return None
    raw_reply = _first(record, "reply", "reply_text", "answer")
    category = _first(record, "category", "label", "fj2_label_by_text_match")
    department = _first(record, "department", "lead_department")
    created = _iso_date(_first(record, "time", "date", "created_at"))
    replied = _iso_date(_first(record, "reply_time", "replied_at", "closed_at"))
    meta: dict[str, Any] = {
        "department": str(department) if department else None,
        "created": created,
        "replied": replied,
        "has_raw_reply": raw_reply is not None,
    }
    if (number := _first(record, "number")) is not None:
        meta["number"] = str(number)
    return Chunk(
        id=case_id(title, body),
        kind="case",
        title=title or body[:30],
        text=body or title,
        reply=usable_reply(str(raw_reply)) if raw_reply is not None else None,
        category=str(category) if category else None,
        date=created or replied,
        source=source,
        meta=meta,
    )


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """Yield rows of a ``.csv``, ``.jsonl`` or ``.json`` (list of objects) file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.DictReader(handle)
    elif suffix == ".jsonl":
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
    elif suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        yield from (data if isinstance(data, list) else data.get("cases", []))
    else:
        raise ValueError(f"unsupported case file (want .csv, .jsonl or .json): {path}")


def load_cases(paths: Iterable[Path] | Path) -> list[Chunk]:
    """Load cases from files, dropping rows without text and duplicates of the same message."""
    if isinstance(paths, str | Path):
        paths = [Path(paths)]
    seen: set[str] = set()
    chunks: list[Chunk] = []
    for path in paths:
        for record in iter_records(Path(path)):
            chunk = case_from_record(record, source=Path(path).name)
            if chunk is not None and chunk.id not in seen:
                seen.add(chunk.id)
                chunks.append(chunk)
    return chunks


def _get(order: Any, name: str) -> Any:
    if isinstance(order, Mapping):
        return order.get(name)
    return getattr(order, name, None)


def case_from_closed_order(order: Any) -> Chunk:
    """Turn a work order closed with a reply into a case chunk (incremental add on close).

    Args:
        order: A `WorkOrderRow`, `WorkOrderRead` or mapping with number, title, request, facts,
            reply_text, category, lead_department, closed_at (created_at/replied_at used if set).

    Returns:
        A chunk whose id is ``case:order:<number>``, so re-adding the same order is a no-op.

    Raises:
        ValueError: if the order has no number or no request text.
    """
    number = _get(order, "number")
    request = str(_get(order, "request") or "").strip()
    if not number or not request:
        raise ValueError("a closed order needs a number and a request to become a case")
    facts = str(_get(order, "facts") or "").strip()
    title = str(_get(order, "title") or "").strip() or request[:30]
    closed = _iso_date(_get(order, "closed_at")) or _iso_date(_get(order, "replied_at"))
    created = _iso_date(_get(order, "created_at"))
    reply_text = _get(order, "reply_text")
    return Chunk(
        id=f"case:order:{number}",
        kind="case",
        title=title,
        text="\n".join(p for p in (request, facts) if p),
        reply=usable_reply(str(reply_text)) if reply_text else None,
        category=str(_get(order, "category")) if _get(order, "category") else None,
        date=closed or created,
        source=f"work_order:{number}",
        meta={
            "number": str(number),
            "department": _get(order, "lead_department"),
            "created": created,
            "replied": closed,
            "has_raw_reply": bool(reply_text),
        },
    )
