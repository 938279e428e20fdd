"""Reading labelled examples: CSV or JSONL files, or operator-confirmed orders from the database.

Trainers hand over whatever their spreadsheet exported, so every way a file can be wrong gets a
message that names the file, the row and the fix: not UTF-8, a duplicated header, no text column,
no label column, empty labels, a single class, labels outside the head's vocabulary. Validation
happens before any training starts, so a bad file can never replace the active model.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from classifiers.text import compose
from workorders.enums import MatterType, UrgencyTier


class TrainingDataError(ValueError):
    """A training file that cannot be used; the message says which file, which row, and why."""


#: Label vocabularies of heads whose labels are fixed by the domain (category/department are the
#: city's own and are checked against the city config by the trainer instead).
FIXED_LABELS: dict[str, frozenset[str]] = {
    "urgency": frozenset(t.value for t in UrgencyTier if t is not UrgencyTier.PETITION),
    "matter_type": frozenset(t.value for t in MatterType),
}

TEXT_COLUMNS = ("body", "text")


@dataclass
class Dataset:
    """Labelled texts ready for a classifier, with where they came from."""

    texts: list[str]
    labels: list[str]
    sources: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def class_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.labels).items()))

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the examples (order-independent): the same data gives the same fingerprint."""
        digest = hashlib.sha256()
        for line in sorted(f"{lab}\t{text}" for text, lab in zip(self.texts, self.labels, strict=True)):
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()

    def extend(self, other: Dataset) -> Dataset:
        return Dataset(self.texts + other.texts, self.labels + other.labels, self.sources + other.sources)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TrainingDataError(
            f"{path}: not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "re-save the file as UTF-8 (Excel: 'CSV UTF-8')"
        ) from None


def read_records(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (header row) or JSONL (one object per line) file, as string dicts."""
    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"{path}: file not found")
    text = _decode(path)
    if not text.strip():
        raise TrainingDataError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _read_jsonl(path, text)
    return _read_csv(path, text, delimiter="\t" if suffix == ".tsv" else ",")


def duplicated_columns(header: Sequence[str]) -> str | None:
    """Why a header cannot be read (a column named twice: a dict reader keeps only the last), or None."""
    dupes = sorted(h for h, n in Counter(header).items() if n > 1 and h)
    return f"duplicated column name(s) in the header: {', '.join(dupes)}" if dupes else None


def repeats_header(values: Sequence[str], header: Sequence[str]) -> bool:
    """A data row that is the header again: files joined together, whose header would become a class."""
    return [v.strip() for v in values] == list(header)


def repeated_header(row: int) -> str:
    return f"row {row} repeats the header (files joined together?); remove that row"


def _read_csv(path: Path, text: str, delimiter: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise TrainingDataError(f"{path}: the file is empty") from None
    if dupes := duplicated_columns(header):
        raise TrainingDataError(f"{path}: {dupes}")
    rows = []
    for lineno, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise TrainingDataError(
                f"{path}: row {lineno} has {len(values)} fields but the header has {len(header)} "
                "(an unquoted comma in the text?)"
            )
        if repeats_header(values, header):
            raise TrainingDataError(f"{path}: {repeated_header(lineno)}")
        rows.append({h: (values[i] if i < len(values) else "") for i, h in enumerate(header)})
    return rows


def _read_jsonl(path: Path, text: str) -> list[dict[str, str]]:
    rows = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise TrainingDataError(f"{path}: line {lineno} is not valid JSON ({err.msg})") from None
        if not isinstance(obj, dict):
            raise TrainingDataError(f"{path}: line {lineno} is not a JSON object")
        rows.append({str(k): "" if v is None else str(v) for k, v in obj.items()})
    return rows


def load_file(path: Path, head: str, *, label_column: str | None = None) -> Dataset:
    """Labelled examples for `head` from one file (label column named after the head)."""
    path = Path(path)
    rows = read_records(path)
    if not rows:
        raise TrainingDataError(f"{path}: no data rows")
    columns = set().union(*(r.keys() for r in rows))
    # the head's name, or `label` as the trainer page's import reads it (one file serves both)
    label_col = label_column or (head if head in columns or "label" not in columns else "label")
    text_col = next((c for c in TEXT_COLUMNS if c in columns), None)
    if text_col is None:
        raise TrainingDataError(
            f"{path}: no text column; expected 'body' (with an optional 'title') or 'text'. "
            f"Columns found: {', '.join(sorted(columns))}"
        )
    if label_col not in columns:
        raise TrainingDataError(
            f"{path}: no '{label_col}' column with the labels for head '{head}'. "
            f"Columns found: {', '.join(sorted(columns))}"
        )
    texts, labels = [], []
    empty_labels, empty_texts = [], []
    first_row = 2 if path.suffix.lower() not in (".jsonl", ".ndjson", ".json") else 1
    for i, row in enumerate(rows):
        label = row.get(label_col, "").strip()
        title = row.get("title", "") if text_col == "body" else ""
        text = compose(title, row.get(text_col, ""))
        if not label:
            empty_labels.append(i + first_row)
        if not text:
            empty_texts.append(i + first_row)
        texts.append(text)
        labels.append(label)
    if empty_labels:
        raise TrainingDataError(
            f"{path}: {len(empty_labels)} row(s) have an empty '{label_col}' label "
            f"(rows {_few(empty_labels)}); label them or remove them"
        )
    if empty_texts:
        raise TrainingDataError(f"{path}: {len(empty_texts)} row(s) have no text (rows {_few(empty_texts)})")
    return Dataset(texts, labels, [str(path)] * len(texts))


def _few(rows: Sequence[int], limit: int = 5) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (", …" if len(rows) > limit else "")


def load_files(paths: Sequence[Path], head: str) -> Dataset:
    data = Dataset([], [], [])
    for path in paths:
        data = data.extend(load_file(path, head))
    return data


def validate(data: Dataset, head: str, allowed: frozenset[str] | None = None) -> None:
    """Refuse data a head cannot be trained on (one class, labels outside its vocabulary)."""
    if not data.texts:
        raise TrainingDataError("no training examples")
    counts = Counter(data.labels)
    if len(counts) < 2:
        raise TrainingDataError(
            f"all {len(data)} examples have the label {next(iter(counts))!r}; a classifier needs at least two classes"
        )
    vocabulary = allowed if allowed is not None else FIXED_LABELS.get(head)
    if vocabulary is not None:
        unknown = sorted(set(counts) - vocabulary)
        if unknown:
            raise TrainingDataError(
                f"labels not allowed for head '{head}': {', '.join(unknown)}; allowed: {', '.join(sorted(vocabulary))}"
            )


def load_from_db(url: str, head: str, *, sources: Sequence[str] | None = None) -> Dataset:
    """Operator-confirmed and overridden labels from the ``labelled_examples`` table.

    Uses SQLAlchemy Core with table reflection so that training does not depend on the ORM models
    (and works against any database the service wrote to).
    """
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        table = sa.Table("labelled_examples", sa.MetaData(), autoload_with=engine)
    except sa.exc.NoSuchTableError:
        raise TrainingDataError(
            f"{_safe_url(url)}: no table 'labelled_examples' (run the migrations first)"
        ) from None
    query = sa.select(table.c.text, table.c.title, table.c.label, table.c.source).where(table.c.head == head)
    if sources:
        query = query.where(table.c.source.in_(list(sources)))
    if "id" in table.c:
        query = query.order_by(table.c.id)
    texts, labels, origin = [], [], []
    with engine.connect() as conn:
        for text, title, label, source in conn.execute(query):
            doc = compose(title, text)
            if doc and label and str(label).strip():
                texts.append(doc)
                labels.append(str(label).strip())
                origin.append(f"db:{source}")
    engine.dispose()
    if not texts:
        raise TrainingDataError(f"{_safe_url(url)}: no labelled examples for head '{head}'")
    return Dataset(texts, labels, origin)


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        import sqlalchemy as sa

        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database>"
