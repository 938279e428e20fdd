"""Tunable behaviour of the assistant, with the defaults a deployment starts from."""

from __future__ import annotations

from dataclasses import dataclass

from workorders.enums import MatterType


@dataclass(frozen=True)
class AssistantConfig:
    """Tunable behaviour of the dialogue.

    Attributes:
        max_message_chars: Longest message accepted (real message-board posts: p95 about 1,400).
        knowledge_min_similarity: Dense similarity a hit needs before it is shown as an answer.
        knowledge_hits: How many hits an answer cites at most.
        location_optional: Matter types that need no place (a consultation about a policy).
        time_asked: Matter types for which the time of the incident is asked (once).
    """

    max_message_chars: int = 5000
    knowledge_min_similarity: float = 0.5
    knowledge_hits: int = 2
    location_optional: frozenset[str] = frozenset(
        {
            MatterType.CONSULTATION.value,
            MatterType.SUGGESTION.value,
            MatterType.PRAISE.value,
            MatterType.PETITION_SUGGESTION.value,
        }
    )
    time_asked: frozenset[str] = frozenset(
        {
            MatterType.COMPLAINT.value,
            MatterType.REPORT.value,
            MatterType.HELP_REQUEST.value,
            MatterType.PETITION_CLAIM.value,
            MatterType.PETITION_ACCUSATION.value,
        }
    )
