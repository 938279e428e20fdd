"""The unit the knowledge base indexes (`Chunk`) and the unit a search returns (`Hit`).

A chunk is one regulation article (第X条) or one past case. Both kinds share one record type so that
one index, one persistence format and one search path serve them; kind-specific details (the law's
chapter, the case's department) live in ``meta`` rather than in a class hierarchy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Kind = Literal["regulation", "case"]
KINDS: tuple[str, ...] = ("regulation", "case")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One searchable unit.

    Attributes:
        id: Stable, unique key (``reg:<law>:<article>`` or ``case:<source>:<key>``); adding a chunk
            with an id already in the index replaces nothing and is skipped, which keeps
            incremental adds idempotent.
        kind: ``regulation`` or ``case``.
        title: Law title with article (regulation) or the message title (case).
        text: Full text that BM25 indexes and snippets are cut from (article text; message body).
        citation: How to cite it, e.g. 《信访工作条例》第三十四条; ``None`` for cases.
        reply: Official reply (答复) of a case, only when it is a real resolution (see
            `knowledge_base.cases.usable_reply`); ``None`` otherwise.
        category: One of the 7 first-level categories, when known.
        date: ISO date (``YYYY-MM-DD``) used by date filters: the case's date or the law's latest
            version date.
        source: Where it came from (file name, ``work_order:<number>``...), for provenance.
        meta: Kind-specific extras (chapter, article number, adoption date, department...).
    """

    id: str
    kind: str
    title: str
    text: str
    citation: str | None = None
    reply: str | None = None
    category: str | None = None
    date: str | None = None
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def embedding_text(self, max_chars: int) -> str:
        """Text given to the dense embedder: title first, then the head of the body.

        Embedding cost grows with length while the gist of a message or an article sits in its
        title and first sentences, so the dense side sees a bounded prefix and BM25 covers the rest.
        """
        if self.kind == "regulation":
            head = f"{self.meta.get('law_title', '')} {self.meta.get('chapter', '')} {self.text}"
        else:
            head = f"{self.title}。{self.text}" if self.title else self.text
        return head[:max_chars]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form, used by the on-disk chunk store."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        """Inverse of `to_dict`; unknown keys are ignored so older stores still load."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


class Hit(BaseModel):
    """One search result, ready to show to an operator or a citizen (JSON via ``model_dump``).

    ``score`` is the fused rank score (higher is better, comparable only within one result list);
    ``similarity`` is the dense cosine similarity of the query and the chunk, an absolute value that
    callers can threshold to decide whether the knowledge base really answers the question.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Kind
    score: float
    title: str
    snippet: str
    citation: str | None = None
    reply: str | None = None
    category: str | None = None
    date: str | None = None
    source: str = ""
    similarity: float | None = None
    meta: dict[str, Any] = {}

    @property
    def matched_question(self) -> str | None:
        """The citizen phrasing through which a regulation article was found, if any."""
        return self.meta.get("matched_question")
