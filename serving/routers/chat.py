"""The assistant's Rasa-compatible REST channel: ``POST /webhooks/rest/webhook``.

Request and response follow Rasa's ``rest`` channel, so a page or client written for a Rasa
assistant talks to ours unchanged: ``{"sender", "message"}`` in, a list of
``{"recipient_id", "text", "buttons"}`` out. The list ends with one ``{"recipient_id", "custom"}``
item carrying the structured state (``state``, ``missing``, ``work_order_id``, ``triage``...), which
our citizen page reads and a plain Rasa client ignores.

The ``triage`` in that item is cut down to what a citizen needs (`citizen_triage`): the decisions
(emergency hand-over, redirect, category, urgency tier), never the evidence, the confidence or the
similar training samples, which are other citizens' messages. Staff read the full triage on the
order (``GET /api/orders/{ref}``, ``/suggestions``).

The router knows nothing of sessions or rate limits: the app factory adds those as dependencies
(binding ``sender`` to the citizen's signed session) when it includes the router.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from assistant.dialogue import DialogueManager

SENDER_PATTERN = r"^[A-Za-z0-9_.:@\-]{1,64}$"


class RestMessage(BaseModel):
    """A message in Rasa's REST channel format."""

    model_config = ConfigDict(extra="ignore")

    sender: str = Field(
        min_length=1, max_length=64, pattern=SENDER_PATTERN, description="Conversation id (the chat session)"
    )
    message: str | None = Field(
        default="", max_length=200_000, description="What the citizen typed, or a button payload (/affirm)"
    )
    metadata: dict[str, Any] | None = None


class ButtonOut(BaseModel):
    title: str
    payload: str


class RestReply(BaseModel):
    """One item of the reply list: a text (with optional buttons) or the final ``custom`` state."""

    recipient_id: str
    text: str | None = None
    buttons: list[ButtonOut] | None = None
    custom: dict[str, Any] | None = None


def _pick(value: Any, *keys: str) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    return {k: value[k] for k in keys if k in value}


def citizen_triage(triage: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a triage result a citizen may see: decisions, not internal evidence.

    Kept: the emergency hand-over and the redirect (the citizen acts on them), the suggested
    category label and the urgency tier. Dropped: evidence terms, similar cases and nearest
    training samples (other citizens' complaints), confidences, reasons, model versions.
    """
    if not isinstance(triage, dict):
        return None
    category = _pick(triage.get("category"), "label", "abstained")
    urgency = _pick(triage.get("urgency"), "tier")
    matter_type = _pick(triage.get("matter_type"), "label")
    emergency = triage.get("emergency")
    if isinstance(emergency, dict):
        emergency = _pick(emergency, "number", "name", "reason", "service", "phone")
    redirect = triage.get("redirect")
    if isinstance(redirect, dict):
        redirect = _pick(redirect, "kind", "channel", "advice", "citation")
    return {
        "category": category,
        "urgency": urgency,
        "matter_type": matter_type,
        "emergency": emergency,
        "redirect": redirect,
    }


def for_citizen(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reply list with the ``custom`` item's triage cut down by `citizen_triage`."""
    out = []
    for item in items:
        custom = item.get("custom")
        if isinstance(custom, dict) and "triage" in custom:
            item = {**item, "custom": {**custom, "triage": citizen_triage(custom["triage"])}}
        out.append(item)
    return out


def build_chat_router(get_assistant: Callable[[], DialogueManager | None]) -> APIRouter:
    """The REST channel router.

    Args:
        get_assistant: Returns the app's `DialogueManager` (built lazily on first use), or None
            when the assistant is unavailable (answered with 503).
    """
    router = APIRouter(tags=["chat"])

    @router.get("/webhooks/rest/", summary="Channel health, as Rasa's REST channel answers it")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.post(
        "/webhooks/rest/webhook",
        response_model=list[RestReply],
        response_model_exclude_none=True,
        summary="Send a citizen message; get the assistant's replies (Rasa REST channel format)",
    )
    def webhook(body: RestMessage) -> list[dict[str, Any]]:
        assistant = get_assistant()
        if assistant is None:
            raise HTTPException(status_code=503, detail="the assistant is not available right now")
        return for_citizen(assistant.handle(body.sender, body.message or "").to_rasa())

    return router
