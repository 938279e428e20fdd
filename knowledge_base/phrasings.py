"""Citizen phrasings of regulation articles: everyday questions each article answers.

A citizen asks 房东到期不退押金怎么办; the article that answers it speaks of 出租人 and 租赁物. Query
expansion (`knowledge_base.lexicon`) bridges single words, but a whole situation is better matched
by a question that describes it. So, for each article a citizen might need, the project ships two
or three everyday questions it answers (``knowledge_base/phrasings/*.jsonl``, written for this
project; a city adds its own files). The index embeds each phrasing as an extra vector of its
article and adds its words to the article's BM25 document (see `KnowledgeBase`): a question then
meets the article through whichever of its texts it resembles most.

File format: JSON Lines, ``{"citation": "《…》第X条", "questions": ["…", "…"]}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path

from knowledge_base.chunks import Chunk

#: Key of a regulation chunk's ``meta`` that holds its phrasings.
META_KEY = "phrasings"


class PhrasingsError(ValueError):
    """A phrasings file is malformed; the message names the file and line."""


def _parse(text: str, source: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            citation = str(record["citation"]).strip()
            questions = [str(q).strip() for q in record["questions"] if str(q).strip()]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise PhrasingsError(
                f'{source}:{number}: expected {{"citation": "…", "questions": ["…"]}} ({err})'
            ) from None
        if not citation.startswith("《"):
            raise PhrasingsError(f"{source}:{number}: citation {citation!r} does not start with 《")
        found.setdefault(citation, []).extend(questions)
    return found


def bundled_dir() -> Path:
    """Where the product's own phrasings live (``knowledge_base/phrasings/``)."""
    return Path(str(resources.files("knowledge_base") / "phrasings"))


def bundled_phrasings() -> dict[str, list[str]]:
    """The phrasings shipped with the product."""
    return load_phrasings()


def load_phrasings(paths: Iterable[Path] = (), *, bundled: bool = True) -> dict[str, list[str]]:
    """Phrasings by citation: the bundled ones (unless ``bundled`` is false) plus ``paths``.

    Args:
        paths: Extra ``.jsonl`` files or directories of them (a city's own phrasings).
        bundled: Include the product's own files.

    Raises:
        PhrasingsError: if a file is malformed.
        FileNotFoundError: if a path does not exist.
    """
    merged: dict[str, list[str]] = {}
    for path in [bundled_dir(), *paths] if bundled else list(paths):
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no phrasings file or directory at {path}")
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            _merge(merged, _parse(file.read_text(encoding="utf-8"), str(file)))
    return merged


def _merge(into: dict[str, list[str]], more: Mapping[str, list[str]]) -> None:
    for citation, questions in more.items():
        known = into.setdefault(citation, [])
        known.extend(q for q in questions if q not in known)


def attach_phrasings(chunks: Iterable[Chunk], phrasings: Mapping[str, list[str]]) -> list[Chunk]:
    """Copies of ``chunks`` whose regulation articles carry their phrasings in ``meta``.

    Chunks without a matching citation (cases, or articles nobody wrote phrasings for) are returned
    unchanged, so attaching is always safe.
    """
    out: list[Chunk] = []
    for chunk in chunks:
        questions = phrasings.get(chunk.citation or "") if chunk.kind == "regulation" else None
        if questions:
            chunk = replace(chunk, meta={**chunk.meta, META_KEY: list(questions)})
        out.append(chunk)
    return out


def phrasings_of(chunk: Chunk) -> list[str]:
    """The phrasings a chunk carries (empty for cases and articles without any)."""
    return list(chunk.meta.get(META_KEY) or [])
