"""The conversation state: where the dialogue stands and what the citizen has told us so far.

It is one pydantic model, stored as JSON in the `conversations` table after every turn, so a restarted
server (or another worker) picks the conversation up exactly where it was. Nothing in it is derived
from a model at read time: the triage result is stored as it was when the draft was last triaged.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class Phase(StrEnum):
    """Where the dialogue stands (the ``state`` of the Rasa ``custom`` item)."""

    START = "start"  # nothing under way: waiting for the citizen's matter
    COLLECTING = "collecting"  # a draft is being completed, one question at a time
    CONFIRMING = "confirming"  # the summary is shown; waiting for 确认 or a correction
    CONFIRM_REPEAT = "confirm_repeat"  # an open order looks like the same matter: link it?
    KNOWLEDGE_OFFERED = "knowledge_offered"  # answered from the knowledge base; file anyway?
    FILED = "filed"  # an order was filed; follow-up actions are possible
    LINKED = "linked"  # the matter was linked to an open order (并单)
    EMERGENCY = "emergency"  # handed over to 110/119/120/122
    REDIRECTED = "redirected"  # not a 12345 matter: told where to go; nothing filed
    AWAITING_RATING = "awaiting_rating"  # asked to rate a replied order
    AWAITING_WITHDRAW = "awaiting_withdraw"  # asked to confirm withdrawing an order
    AWAITING_SUPPLEMENT = "awaiting_supplement"  # asked what to add to an order
    AWAITING_VERIFICATION = "awaiting_verification"  # asked for the phone on file of a named order


_LONG_DIGITS = re.compile(r"\d{7,}")

#: Slots of a draft, in the order the assistant asks for them.
SLOT_ORDER = ("request", "location", "incident_time", "phone", "name")


class Draft(BaseModel):
    """A matter being put together before filing.

    ``number`` counts drafts within the session; with the session id it makes the idempotency key
    of the filing, so a double-clicked 确认 files one order.
    """

    number: int
    request: str = ""
    facts: list[str] = Field(default_factory=list)
    title: str = ""
    address: str | None = None
    district: str | None = None
    region: str | None = None
    location_specific: bool = False
    location_not_applicable: bool = False
    incident_time: dt.datetime | None = None
    incident_time_text: str | None = None
    incident_time_precision: str | None = None
    attachments: list[str] = Field(default_factory=list)
    triage: dict[str, Any] | None = None
    triaged_text: str = ""
    #: how many times each slot was asked for
    asked: dict[str, int] = Field(default_factory=dict)
    #: the slot the last question asked for
    awaiting: str | None = None
    repeat: dict[str, Any] | None = None
    repeat_declined: bool = False
    knowledge: list[dict[str, Any]] = Field(default_factory=list)
    #: The knowledge base was consulted for this draft (answered or not): ask it once per matter.
    knowledge_searched: bool = False

    def text(self) -> str:
        """Request and facts as one text (what triage and repeat detection read)."""
        return "\n".join(p for p in (self.request, *self.facts) if p)


class Contact(BaseModel):
    """Who the citizen is; kept across drafts of one session so it is asked once."""

    name: str | None = None
    name_declined: bool = False
    phone: str | None = None
    #: resident ID number, when the citizen gave one (some matters need it: 社保, 公积金)
    id_number: str | None = None
    anonymous: bool = False


class ConversationState(BaseModel):
    """Everything the dialogue remembers about one session."""

    session_id: str
    phase: Phase = Phase.START
    #: phase to go back to after an emergency hand-over interrupted a draft
    resume_phase: Phase | None = None
    draft: Draft | None = None
    drafts_started: int = 0
    contact: Contact = Field(default_factory=Contact)
    #: ids of orders filed in this session (the citizen owns them through the session token)
    orders: list[int] = Field(default_factory=list)
    #: ids of other orders this session's matters were linked to (并单)
    linked: list[int] = Field(default_factory=list)
    #: ids of orders filed elsewhere (another chat, the phone line) that the citizen proved theirs
    #: by the order number and the phone number on file (工单号 + 手机号, as 12345 portals ask)
    verified: list[int] = Field(default_factory=list)
    #: wrong number/phone pairs given so far; past `followup.MAX_VERIFY_FAILURES` no more are tried
    verify_failures: int = 0
    #: the order number and the follow-up action waiting for that proof
    pending_number: str | None = None
    pending_action: str | None = None
    #: the order a pending question is about (rating, withdrawal, supplement)
    pending_order_id: int | None = None
    pending_text: str | None = None
    last_order_id: int | None = None
    last_emergency: dict[str, Any] | None = None
    last_redirect: dict[str, Any] | None = None
    turns: int = 0
    #: optimistic-concurrency version of the stored row
    version: int = 0
    history: list[dict[str, str]] = Field(default_factory=list)

    def has_orders(self) -> bool:
        """Whether there is an order this conversation can act on: filed, joined or proven."""
        return bool(self.orders or self.linked or self.verified)

    def remember(self, role: str, text: str, *, keep: int = 20) -> None:
        """Append one line of the transcript, keeping the last `keep` lines.

        Digit runs that may be phone or ID numbers are masked: the transcript is for context and
        audit, and the order keeps the number itself where access to it is controlled.
        """
        masked = _LONG_DIGITS.sub(
            lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 5) + m.group(0)[-2:], text[:500]
        )
        self.history.append({"role": role, "text": masked})
        del self.history[:-keep]
