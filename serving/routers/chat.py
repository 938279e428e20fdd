"""The assistant's Rasa-compatible REST channel: ``POST /webhooks/rest/webhook``.

Request and response follow Rasa's ``rest`` channel, so a page or client written for a Rasa
assistant talks to ours unchanged: ``{"sender", "message"}`` in, a list of
``{"recipient_id", "text", "buttons"}`` out. The list ends with one ``{"recipient_id", "custom"}``
item carrying the structured state (``state``, ``missing``, ``work_order_id``, ``triage``...), which
our citizen page reads and a plain Rasa client ignores.

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
        return assistant.handle(body.sender, body.message or "").to_rasa()

    return router
