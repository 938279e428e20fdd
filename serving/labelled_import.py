"""Import of labelled examples (CSV or JSON lines) into `labelled_examples`, for training.

A trainer uploads a file with a text column (``text`` or ``body``) and a label column (``label`` or
the head's name), ``title`` optional. Every row is
checked before anything is written: an unknown label or an empty text rejects the whole file with
the row numbers, so a typo never becomes a silent new class.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from training.data import duplicated_columns, repeated_header, repeats_header
from workorders.config import CityConfig
from workorders.db import LabelledExampleRow
from workorders.enums import MatterType, UrgencyTier
from workorders.errors import ValidationError

MAX_ROWS = 100_000
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    title: str = ""


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: examples per label, and how many were already there (not written again)."""

    counts: Counter[str]
    skipped: int
    #: texts stored (or in this file) with another label for the head: they teach the model both
    conflicts: int = 0


def allowed_labels(head: str, config: CityConfig, registry_labels: list[str] | None) -> dict[str, str] | None:
    """Accepted spellings → canonical label for a head; None accepts any label."""
    if head == "category":
        return {**{c.name: c.name for c in config.categories}, **{c.code: c.name for c in config.categories}}
    if head == "department":  # the code or the name staff see on every page
        return {
            **{d.name: d.code for d in config.departments},
            **{d.code: d.code for d in config.departments},
        }
    if head == "urgency":  # petition is a deadline tier set by the matter type, not a learned label
        return {t.value: t.value for t in UrgencyTier if t is not UrgencyTier.PETITION}
    if head == "matter_type":
        return {m.value: m.value for m in MatterType}
    if registry_labels:
        return {label: label for label in registry_labels}
    return None


def parse_examples(data: bytes, filename: str, head: str) -> list[Example]:
    """Rows of a CSV (with a header row) or JSONL file.

    The text is in ``text`` or ``body`` (``title`` optional); the label in ``label`` or in a column
    named after the head, as `intake train` reads files, so one file serves both.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("the file is not UTF-8 text (Excel: save as 'CSV UTF-8')") from None
    if "\x00" in text:
        raise ValidationError("the file contains NUL characters: is it a spreadsheet rather than CSV?")
    jsonl = filename.lower().endswith((".jsonl", ".ndjson", ".json"))
    rows: list[dict[str, object]] = []
    if jsonl:
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValidationError(f"line {i}: not valid JSON ({err.msg})") from None
            if not isinstance(obj, dict):
                raise ValidationError(f"line {i}: expected an object with text and label")
            rows.append(obj)
        columns = set().union(*(r.keys() for r in rows)) if rows else set()
    else:
        reader = csv.DictReader(io.StringIO(text))
        header = [(f or "").strip() for f in reader.fieldnames or []]
        if dupes := duplicated_columns(header):
            raise ValidationError(dupes)
        columns = set(header)
        rows = [{(k or "").strip(): v for k, v in row.items()} for row in reader]
        for i, row in enumerate(rows, start=2):
            if repeats_header([str(row.get(h) or "") for h in header], header):
                raise ValidationError(repeated_header(i))
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"at most {MAX_ROWS} rows per file")
    text_col = next((c for c in ("text", "body") if c in columns), None)
    label_col = next((c for c in ("label", head) if c in columns), None)
    if text_col is None or label_col is None:
        raise ValidationError(
            f"the file needs a text column (text or body) and a label column (label or {head}); "
            f"found: {', '.join(sorted(str(c) for c in columns)) or 'none'}"
        )
    if not rows:
        raise ValidationError("the file has no examples")
    examples = []
    for i, row in enumerate(rows, start=1 if jsonl else 2):
        body = str(row.get(text_col) or "").strip()
        label = str(row.get(label_col) or "").strip()
        title = str(row.get("title") or "").strip()[:200]
        if not body or not label:
            raise ValidationError(f"row {i}: text and label must not be empty")
        examples.append(Example(body[:MAX_TEXT], label, title))
    return examples


def import_examples(
    sessions: sessionmaker[Session],
    head: str,
    examples: list[Example],
    labels: dict[str, str] | None,
    *,
    now: object,
) -> ImportResult:
    """Validate every label, then write the new rows in one transaction.

    An example whose text already carries that label for the head (imported before, or twice in the
    file) is skipped: the same file uploaded again must not weigh its examples double.
    """
    canonical = []
    bad: list[str] = []
    for i, ex in enumerate(examples, start=1):
        label = labels.get(ex.label) if labels is not None else ex.label
        if label is None:
            bad.append(f"#{i} {ex.label!r}")
        canonical.append(label)
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        allowed = ", ".join(sorted(set((labels or {}).values())))
        raise ValidationError(f"unknown {head} labels: {shown} (allowed: {allowed})")
    with sessions.begin() as s:
        labels_of: dict[str, set[str]] = {}
        stored = select(LabelledExampleRow.text, LabelledExampleRow.label).where(
            LabelledExampleRow.head == head
        )
        for text, label in s.execute(stored).tuples():
            labels_of.setdefault(text, set()).add(label)
        fresh: list[tuple[Example, str]] = []
        conflicts = 0
        for ex, label in zip(examples, canonical, strict=True):  # every label is known by now
            known = labels_of.setdefault(ex.text, set())
            if label in known:
                continue
            conflicts += bool(known)
            known.add(label)
            fresh.append((ex, label))
        s.add_all(
            LabelledExampleRow(
                head=head,
                text=ex.text,
                title=ex.title,
                label=label,
                source="import",
                order_id=None,
                created_at=now,
            )
            for ex, label in fresh
        )
    return ImportResult(
        counts=Counter(label for _, label in fresh), skipped=len(examples) - len(fresh), conflicts=conflicts
    )
