"""What the dialogue needs from the triage models, the knowledge base and repeat detection.

The assistant is written against these small protocols, not the concrete classes, so it can be
tested with fakes (`assistant.fakes`) and so a deployment can swap a component. `assistant.adapters`
bridges the real `classifiers.triage.Triager`, `knowledge_base.KnowledgeBase` and
`knowledge_base.repeats.find_repeat` to them.

Triage results cross this boundary as plain JSON dicts (the ``model_dump(mode="json")`` of the
triage result): the assistant stores them in the conversation state and on the order as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from workorders.schemas import WorkOrderRead


@runtime_checkable
class TriagePort(Protocol):
    """Classifies a citizen's matter.

    ``triage`` returns the JSON form of a triage result::

        {"category": {"label", "confidence", "top3", "abstained"},
         "departments": {"lead", "lead_name", "assisting", ...} | None,
         "urgency": {"tier", "confidence", "reasons", "deadline_at", "deadline_rule"},
         "emergency": None | {"number", "name", "reason"},
         "redirect": None | {"kind", "channel", "advice", "citation"},
         "matter_type": {"label", "confidence"}, "evidence": {...}, "model_versions": {...}}
    """

    def triage(
        self, text: str, *, title: str | None = None, now: dt.datetime | None = None
    ) -> dict[str, Any]:
        """The full triage of a matter."""
        ...

    def emergency(self, text: str) -> dict[str, Any] | None:
        """``{"number", "name", "reason"}`` when the text reports a live emergency, else None.

        Runs on every message, mid-conversation included, so it must be cheap (rules, no model).
        """
        ...


@runtime_checkable
class HitLike(Protocol):
    """A knowledge-base search hit (`knowledge_base.chunks.Hit` fits)."""

    id: str
    kind: str
    score: float
    title: str
    snippet: str
    citation: str | None
    reply: str | None


@runtime_checkable
class KnowledgePort(Protocol):
    """Searches regulations and past cases."""

    def search(self, query: str, *, kind: str | None = None, k: int = 5) -> Sequence[Any]:
        """Hits (`HitLike`, optionally with an absolute ``similarity``), best first."""
        ...


@dataclass(frozen=True)
class DraftForRepeat:
    """The matter about to be filed, as repeat detection sees it."""

    request: str
    facts: str
    phone: str | None
    address: str | None
    district: str | None
    category: str | None
    title: str = ""


@dataclass(frozen=True)
class RepeatFound:
    """An open order that the draft repeats.

    Attributes:
        order_id: The open order's id.
        number: Its number.
        reason: ``same_citizen`` (same phone) or ``same_place`` (another citizen, same place).
        score: Similarity that passed the threshold.
    """

    order_id: int
    number: str
    reason: str
    score: float


@runtime_checkable
class RepeatPort(Protocol):
    """Finds the open order a new matter repeats, among candidates the service fetched."""

    def find(
        self, draft: DraftForRepeat, candidates: Sequence[WorkOrderRead], *, now: dt.datetime
    ) -> RepeatFound | None:
        """The order to link to, or None to file a new one."""
        ...
