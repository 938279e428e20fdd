"""Emergency hand-over (110/119/120/122): the cheap check a chat runs on every citizen message.

Emergencies are not 12345 work orders: the citizen must be told the number to call at once. This
check uses only the emergency rules of the urgency rubric (no model), so it costs well under a
millisecond and can run mid-conversation before anything else is known.
"""

from __future__ import annotations

from pydantic import BaseModel

from classifiers import urgency_rules
from classifiers.text import normalize
from workorders.config import CityConfig
from workorders.enums import UrgencyTier

#: Service used when the city config lacks the key a rule names.
_FALLBACK_SERVICE = "police"


class EmergencyInfo(BaseModel):
    """Which emergency line takes over, and why (shown to the operator and the citizen)."""

    number: str
    name: str
    reason: str


def emergency_rules() -> tuple[urgency_rules.Rule, ...]:
    return tuple(r for r in urgency_rules.RULES if r.tier is UrgencyTier.EMERGENCY)


def from_verdict(verdict: urgency_rules.RuleVerdict, config: CityConfig) -> EmergencyInfo | None:
    """The hand-over for a rule verdict whose tier is emergency, else None."""
    if verdict.tier is not UrgencyTier.EMERGENCY:
        return None
    hit = next(h for h in verdict.hits if h.rule.tier is UrgencyTier.EMERGENCY)
    service = hit.rule.service or _FALLBACK_SERVICE
    numbers = config.emergency_numbers
    entry = numbers.get(service) or numbers.get(_FALLBACK_SERVICE) or next(iter(numbers.values()))
    return EmergencyInfo(number=entry.number, name=entry.name, reason=f"{hit.rule.reason}：“{hit.matched}”")


def check_emergency(text: str, config: CityConfig) -> EmergencyInfo | None:
    """Return the emergency line to hand over to, or None when the text reports no live emergency."""
    verdict = urgency_rules.assess(normalize(text), emergency_rules())
    return from_verdict(verdict, config)
