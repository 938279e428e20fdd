"""Query expansion from everyday words to the terms regulations use (工钱 -> 劳动报酬).

Citizens and legal texts describe the same matter in different words, and neither BM25 nor a small
multilingual embedder bridges 老板不给工钱 to 用人单位拖欠劳动报酬 reliably. A hand-written lexicon
(``lexicon.yaml``; cities extend it) adds the legal terms to the query at a lower weight than the
citizen's own words, so a query still ranks first what it literally says.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml


def load_lexicon(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Read a lexicon YAML (groups of ``everyday word: legal terms``) into one flat mapping.

    Args:
        path: A YAML file; ``None`` reads the bundled ``knowledge_base/lexicon.yaml``.
    """
    if path is None:
        text = (resources.files("knowledge_base") / "lexicon.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    flat: dict[str, tuple[str, ...]] = {}
    for group in data.values():
        for key, value in (group or {}).items():
            flat[str(key)] = tuple(str(value).split())
    return flat


@lru_cache(maxsize=1)
def default_lexicon() -> dict[str, tuple[str, ...]]:
    """The bundled lexicon, read once on first use."""
    return load_lexicon()


def expansion_terms(query: str, lexicon: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Legal terms for the everyday words that occur in ``query`` (deduplicated, in order)."""
    lexicon = default_lexicon() if lexicon is None else lexicon
    seen: dict[str, None] = {}
    for key, terms in lexicon.items():
        if key in query:
            for term in terms:
                seen.setdefault(term, None)
    return list(seen)
