"""What one turn produces: messages with quick-reply buttons, audit events, and the Rasa-format reply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from assistant.state import ConversationState
from assistant.store import ConversationEvent, ConversationEventKind


@dataclass(frozen=True)
class Button:
    """A quick reply; ``payload`` is what the channel sends back when it is pressed."""

    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    text: str
    buttons: tuple[Button, ...] = ()


YES_NO_BUTTONS = (Button("确认提交", "/affirm"), Button("需要修改", "/deny"), Button("取消", "/cancel"))
RATING_BUTTONS = tuple(
    Button(f"{n} {label}", f'/rate{{"rating": {n}}}')
    for n, label in ((5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意"))
)


@dataclass
class TurnResult:
    """The assistant's answer to one message.

    Attributes:
        session_id: The session (Rasa ``sender``).
        messages: What to show, in order.
        custom: Structured state for the channel: ``state``, ``missing``, ``work_order_id``,
            ``work_order_number``, ``orders``, ``triage``, ``slots``, ``emergency``, ``redirect``,
            ``repeat_of``, ``knowledge``, ``session_id``, ``turn``.
    """

    session_id: str
    messages: list[BotMessage]
    custom: dict[str, Any]

    def to_rasa(self) -> list[dict[str, Any]]:
        """Rasa REST channel format: text items, then one ``custom`` item with the state."""
        out: list[dict[str, Any]] = []
        for message in self.messages:
            item: dict[str, Any] = {"recipient_id": self.session_id, "text": message.text}
            if message.buttons:
                item["buttons"] = [{"title": b.title, "payload": b.payload} for b in message.buttons]
            out.append(item)
        out.append({"recipient_id": self.session_id, "custom": self.custom})
        return out

    @property
    def text(self) -> str:
        """All message texts joined (for logs and tests)."""
        return "\n".join(m.text for m in self.messages)


@dataclass
class Turn:
    """Working memory of one turn: the state being changed, and what to say and to record."""

    state: ConversationState
    now: dt.datetime
    messages: list[BotMessage] = field(default_factory=list)
    events: list[ConversationEvent] = field(default_factory=list)
    #: the triage this turn used or produced (shown in the ``custom`` item)
    triage: dict[str, Any] | None = None
    #: the order this turn was about (filed, linked, queried...)
    last_number: str | None = None

    def say(self, text: str, buttons: tuple[Button, ...] = ()) -> None:
        self.messages.append(BotMessage(text, buttons))

    def record(self, kind: ConversationEventKind, data: dict[str, Any], order_id: int | None = None) -> None:
        self.events.append(ConversationEvent(kind=kind, data=data, work_order_id=order_id))
