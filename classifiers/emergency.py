"""Emergency hand-over (110/119/120/122): the cheap check a chat runs on every citizen message.

Emergencies are not 12345 work orders: the citizen must be told the number to call at once. This
check uses only the emergency rules of the urgency rubric (no model), so it costs well under a
millisecond and can run mid-conversation before anything else is known.

A threat of self-harm is handed over too, but the person on the other end needs more than a
number: the reply (`assistant.texts.emergency`) speaks to them, and offers a psychological help
line besides 110/120. That line is ``emergency_numbers.mental_health`` in the city config when the
city names its own (validated like every other entry there); otherwise the national psychological
assistance hotline 12356. A witness reporting someone else about to harm themselves (我邻居站在楼顶
说不想活了) is not in crisis and has no time to lose: `EmergencyInfo.someone_else` tells the reply to
say "call 110/120 now" first, like any other hand-over.
"""

from __future__ import annotations

from pydantic import BaseModel

from classifiers import urgency_rules
from classifiers.text import normalize
from workorders.config import CityConfig, EmergencyNumber
from workorders.enums import UrgencyTier

#: Service used when the city config lacks the key a rule names.
_FALLBACK_SERVICE = "police"
#: Rule key of a threat of self-harm, whose reply differs from the one for a fire or a crime.
SELF_HARM = "self_harm"
#: Config key (under ``emergency_numbers``) of the city's psychological help line.
MENTAL_HEALTH_SERVICE = "mental_health"
#: The national psychological assistance hotline (全国统一心理援助热线), used when the city names none.
DEFAULT_MENTAL_HEALTH = EmergencyNumber(number="12356", name="心理援助热线", covers="心理危机干预、情绪疏导")


class EmergencyInfo(BaseModel):
    """Which emergency line takes over, and why (shown to the operator and the citizen).

    Attributes:
        number: the line to call now.
        name: its name (公安报警).
        reason: the rule and the words it matched, for the operator and the event log.
        kind: the rule that fired (``fire``, ``self_harm``...), so the reply can fit the situation.
        service: the config key of the line (``police``).
        ambulance: for a threat of self-harm, the ambulance line as well (someone may be hurt).
        support_number: for a threat of self-harm, a psychological help line.
        support_name: its name.
        someone_else: for a threat of self-harm, the person at risk is not the writer.
    """

    number: str
    name: str
    reason: str
    kind: str = ""
    service: str = ""
    ambulance: str = ""
    support_number: str = ""
    support_name: str = ""
    someone_else: bool = False


def emergency_rules() -> tuple[urgency_rules.Rule, ...]:
    return tuple(r for r in urgency_rules.RULES if r.tier is UrgencyTier.EMERGENCY)


def _line(config: CityConfig, service: str) -> tuple[str, EmergencyNumber]:
    """The config entry for a service, falling back to the police line, then to any line."""
    numbers = config.emergency_numbers
    for key in (service, _FALLBACK_SERVICE):
        if key in numbers:
            return key, numbers[key]
    key = next(iter(numbers))
    return key, numbers[key]


def from_verdict(verdict: urgency_rules.RuleVerdict, config: CityConfig) -> EmergencyInfo | None:
    """The hand-over for a rule verdict whose tier is emergency, else None."""
    if verdict.tier is not UrgencyTier.EMERGENCY:
        return None
    hit = next(h for h in verdict.hits if h.rule.tier is UrgencyTier.EMERGENCY)
    service, entry = _line(config, hit.rule.service or _FALLBACK_SERVICE)
    info = EmergencyInfo(
        number=entry.number,
        name=entry.name,
        reason=f"{hit.rule.reason}：“{hit.matched}”",
        kind=hit.rule.key,
        service=service,
    )
    if hit.rule.key == SELF_HARM:
        support = config.emergency_numbers.get(MENTAL_HEALTH_SERVICE, DEFAULT_MENTAL_HEALTH)
        ambulance = config.emergency_numbers.get("ambulance")
        info = info.model_copy(
            update={
                "ambulance": ambulance.number if ambulance else "",
                "support_number": support.number,
                "support_name": support.name,
                "someone_else": hit.about_other,
            }
        )
    return info


def check_emergency(text: str, config: CityConfig) -> EmergencyInfo | None:
    """Return the emergency line to hand over to, or None when the text reports no live emergency."""
    verdict = urgency_rules.assess(normalize(text), emergency_rules())
    return from_verdict(verdict, config)
