"""From a confirmed draft to a `NewWorkOrder`: routing taken from the triage, checked against the city.

The triage result is a suggestion: a category or department the city config does not know is
dropped (the operator routes the order), and an emergency tier is never filed (emergencies are
handed over before this point; should one slip through, it is filed as urgent rather than lost).
"""

from __future__ import annotations

from typing import Any

from assistant.state import ConversationState, Draft
from workorders.config import CityConfig
from workorders.enums import Channel, MatterType, UrgencyTier
from workorders.errors import ConfigError
from workorders.schemas import CitizenIn, NewWorkOrder

_FILED_TIERS = frozenset(
    {UrgencyTier.URGENT, UrgencyTier.EXPEDITED, UrgencyTier.NORMAL, UrgencyTier.PETITION}
)


def triage_field(triage: dict[str, Any] | None, part: str, key: str) -> Any:
    """``triage[part][key]``, tolerating a triager that gives the part as a bare value or leaves it out."""
    value = (triage or {}).get(part) if isinstance(triage, dict) else None
    if isinstance(value, dict):
        return value.get(key)
    return value if key in ("label", "tier") and isinstance(value, str) else None


def category_of(triage: dict[str, Any] | None, config: CityConfig) -> str | None:
    """The suggested category's name in the city config, unless the model abstained."""
    label = triage_field(triage, "category", "label")
    if not label or triage_field(triage, "category", "abstained"):
        return None
    try:
        return config.category(label).name
    except ConfigError:
        return None


def urgency_of(triage: dict[str, Any] | None) -> UrgencyTier:
    try:
        tier = UrgencyTier(triage_field(triage, "urgency", "tier") or "normal")
    except ValueError:
        return UrgencyTier.NORMAL
    return tier if tier in _FILED_TIERS else UrgencyTier.URGENT


def matter_type_of(triage: dict[str, Any] | None) -> MatterType:
    try:
        return MatterType(triage_field(triage, "matter_type", "label") or "complaint")
    except ValueError:
        return MatterType.COMPLAINT


def new_work_order(
    state: ConversationState, draft: Draft, config: CityConfig, *, routed: bool
) -> NewWorkOrder:
    """The order to file for a confirmed draft; the session token owns it.

    Args:
        routed: Take the lead and assisting departments from the triage (False: leave routing to
            the service's catalogue, e.g. after the triage named a department the city lacks).
    """
    triage = draft.triage or {}
    contact = state.contact
    departments = triage.get("departments") if routed else None
    departments = departments if isinstance(departments, dict) else {}
    known = {dep.code for dep in config.departments}
    lead = departments.get("lead") if departments.get("lead") in known else None
    assisting = [c for c in departments.get("assisting") or [] if c in known and c != lead] if lead else []
    facts = "\n".join(draft.facts)
    return NewWorkOrder(
        channel=Channel.WEB_CHAT,
        citizen=CitizenIn(
            name=None if contact.anonymous else contact.name,
            phone=None if contact.anonymous else contact.phone,
            id_number=None if contact.anonymous else contact.id_number,
            anonymous=contact.anonymous,
        ),
        citizen_token=state.session_id,
        title=draft.title[:200],
        request=draft.request[:20000],
        facts=facts[:20000],
        address=draft.address[:300] if draft.address else None,
        district=draft.district[:100] if draft.district else None,
        incident_time=draft.incident_time,
        incident_time_text=draft.incident_time_text[:100] if draft.incident_time_text else None,
        category=category_of(triage, config),
        lead_department=lead,
        assisting_departments=assisting,
        urgency=urgency_of(triage),
        matter_type=matter_type_of(triage),
        attachments=draft.attachments[:20],
        triage=triage or None,
        idempotency_key=f"chat:{state.session_id}:{draft.number}",
    )
