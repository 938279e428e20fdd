"""Bridges from the real triage, knowledge base and repeat detection to the assistant's ports.

Each adapter imports its package only when built, so `assistant` imports cleanly on a deployment
that leaves a component out, and nothing heavy happens at import time.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable, Sequence
from typing import Any

from assistant.ports import DraftForRepeat, RepeatFound
from workorders.config import CityConfig
from workorders.schemas import WorkOrderRead

log = logging.getLogger("intake.assistant")


def as_dict(value: Any) -> dict[str, Any] | None:
    """The JSON form of a pydantic model or dataclass-like result; dicts pass through."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    return dict(vars(value))


class TriagerAdapter:
    """`TriagePort` over `classifiers.triage.Triager` (or anything with the same ``triage``).

    The emergency check prefers the triager's own cheap ``emergency_check``; else the rule-only
    `classifiers.emergency.check_emergency`; else the emergency part of a full triage.
    """

    def __init__(self, triager: Any, config: CityConfig) -> None:
        self._triager = triager
        self._config = config
        try:
            self._takes_now = "now" in inspect.signature(triager.triage).parameters
        except (TypeError, ValueError):
            self._takes_now = True
        self._check: Callable[[str], Any] | None = getattr(triager, "emergency_check", None)
        if self._check is None:
            try:
                from classifiers.emergency import check_emergency
            except ImportError:
                self._check = None
            else:
                self._check = lambda text: check_emergency(text, config)

    def triage(
        self, text: str, *, title: str | None = None, now: dt.datetime | None = None
    ) -> dict[str, Any]:
        if self._takes_now:
            result = as_dict(self._triager.triage(text, title=title, now=now))
        else:  # a triager that always uses the current time
            result = as_dict(self._triager.triage(text, title=title))
        return result or {}

    def emergency(self, text: str) -> dict[str, Any] | None:
        if self._check is not None:
            return as_dict(self._check(text))
        return (self.triage(text) or {}).get("emergency")


class RulesOnlyTriage:
    """A `TriagePort` for when no trained triager is available: emergencies only, nothing routed.

    The assistant still hands emergencies over (the rules need no model) and files everything else
    unclassified, for an operator to route; it never refuses a citizen because a model is missing.
    """

    def __init__(self, config: CityConfig) -> None:
        from classifiers.emergency import check_emergency

        self._config = config
        self._check = check_emergency

    def triage(
        self, text: str, *, title: str | None = None, now: dt.datetime | None = None
    ) -> dict[str, Any]:
        return {
            "category": {"label": None, "confidence": 0.0, "top3": [], "abstained": True},
            "departments": None,
            "urgency": {
                "tier": "normal",
                "confidence": 0.0,
                "reasons": [],
                "deadline_at": None,
                "deadline_rule": None,
            },
            "emergency": self.emergency(text),
            "redirect": None,
            "matter_type": {"label": "complaint", "confidence": 0.0},
            "evidence": {},
            "model_versions": {"triage": "rules-only"},
        }

    def emergency(self, text: str) -> dict[str, Any] | None:
        return as_dict(self._check(text, self._config))


class KnowledgeBaseRepeats:
    """`RepeatPort` over `knowledge_base.repeats.find_repeat` (pure rules, no model needed).

    Args:
        window_days: The city's repeat window (`CityConfig.repeats.window_days`).
        similarity: Optional text similarity (e.g. ``embedding_similarity(embedder)``).
    """

    def __init__(self, window_days: int, similarity: Callable[[str, str], float] | None = None) -> None:
        from knowledge_base import repeats

        self._repeats = repeats
        self._window = window_days
        self._similarity = similarity

    def find(
        self, draft: DraftForRepeat, candidates: Sequence[WorkOrderRead], *, now: dt.datetime
    ) -> RepeatFound | None:
        query = self._repeats.RepeatQuery(
            request=draft.request,
            facts=draft.facts,
            citizen_phone=draft.phone,
            address=draft.address,
            district=draft.district,
            category=draft.category,
            title=draft.title,
        )
        match = self._repeats.find_repeat(
            query, candidates, window_days=self._window, now=now, similarity=self._similarity
        )
        if match is None:
            return None
        return RepeatFound(
            order_id=int(match.order_id), number=match.number, reason=match.reason, score=match.score
        )
