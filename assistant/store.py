"""Conversation storage: the state of each chat session and an audit log of what the assistant did.

`conversations` holds one row per session (the state as JSON, with a version for optimistic
concurrency, so two workers cannot silently overwrite each other's turn). `conversation_events`
records the outcomes that have no work order behind them (emergency hand-overs, redirects, knowledge
answers) and those that do (filed, linked, withdrawn, rated...), so they are auditable and countable.
The state and the turn's events are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from assistant.state import ConversationState
from workorders.db import Base, read_session

Clock = Callable[[], dt.datetime]


class ConversationEventKind(StrEnum):
    """What the assistant did in a turn, as recorded in `conversation_events`."""

    EMERGENCY_HANDOVER = "emergency_handover"
    REDIRECT = "redirect"
    KNOWLEDGE_ANSWER = "knowledge_answer"
    FILED = "filed"
    REPEAT_LINKED = "repeat_linked"
    STATUS_QUERY = "status_query"
    SUPPLEMENT = "supplement"
    WITHDRAW = "withdraw"
    CHASE = "chase"
    RATE = "rate"
    REJECTED_INPUT = "rejected_input"
    CANCELLED = "cancelled"


class ConversationRow(Base):
    """One chat session (the Rasa ``sender``): its state and when it was last active."""

    __tablename__ = "conversations"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    phase: Mapped[str] = mapped_column(String(32))
    state: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(Integer)
    turns: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime] = mapped_column(index=True)


class ConversationEventRow(Base):
    """One auditable outcome of a turn."""

    __tablename__ = "conversation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    turn: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_conversation_events_kind_created", "kind", "created_at"),)


class ConcurrentTurnError(RuntimeError):
    """Another worker saved this session's state first; the turn must be redone on fresh state."""


@dataclass(frozen=True)
class ConversationEvent:
    """An event to record, or one read back."""

    kind: ConversationEventKind
    data: dict[str, Any]
    work_order_id: int | None = None
    session_id: str = ""
    turn: int = 0
    created_at: dt.datetime | None = None


class ConversationStore:
    """Loads and saves conversation state; appends and reads conversation events."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def load(self, session_id: str) -> ConversationState | None:
        """The stored state of a session, or None for a new one.

        Read in a read-only session: it runs on every turn, and must not queue behind other
        conversations' writes (see `workorders.db.read_session`).
        """
        with read_session(self._sessions) as s:
            row = s.get(ConversationRow, session_id)
            if row is None:
                return None
            state = ConversationState.model_validate(row.state)
            state.version = row.version
            return state

    def save(self, state: ConversationState, events: Sequence[ConversationEvent] = ()) -> None:
        """Write the state (bumping its version) and the turn's events in one transaction.

        Raises:
            ConcurrentTurnError: the stored version is not the one this state was loaded at.
        """
        now = self._clock()
        expected = state.version
        payload = state.model_dump(mode="json", exclude={"version"})
        try:
            with self._sessions.begin() as s:
                if expected == 0:
                    s.add(
                        ConversationRow(
                            session_id=state.session_id,
                            phase=state.phase.value,
                            state=payload,
                            version=1,
                            turns=state.turns,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    s.flush()
                else:
                    result = s.execute(
                        update(ConversationRow)
                        .where(ConversationRow.session_id == state.session_id)
                        .where(ConversationRow.version == expected)
                        .values(
                            phase=state.phase.value,
                            state=payload,
                            version=expected + 1,
                            turns=state.turns,
                            updated_at=now,
                        )
                    )
                    if result.rowcount != 1:
                        raise ConcurrentTurnError(f"session {state.session_id} was updated concurrently")
                for event in events:
                    s.add(
                        ConversationEventRow(
                            session_id=state.session_id,
                            turn=state.turns,
                            kind=event.kind.value,
                            work_order_id=event.work_order_id,
                            data=event.data,
                            created_at=now,
                        )
                    )
        except IntegrityError as err:
            raise ConcurrentTurnError(f"session {state.session_id} was created concurrently") from err
        state.version = expected + 1

    def record(self, session_id: str, event: ConversationEvent, *, turn: int = 0) -> None:
        """Append one event outside a turn (the Rasa action server has no conversation row)."""
        with self._sessions.begin() as s:
            s.add(
                ConversationEventRow(
                    session_id=session_id,
                    turn=turn,
                    kind=event.kind.value,
                    work_order_id=event.work_order_id,
                    data=event.data,
                    created_at=self._clock(),
                )
            )

    def events(
        self, *, session_id: str | None = None, kind: ConversationEventKind | None = None, limit: int = 1000
    ) -> list[ConversationEvent]:
        """Recorded events, oldest first, optionally of one session and/or one kind."""
        q = select(ConversationEventRow).order_by(ConversationEventRow.id).limit(limit)
        if session_id is not None:
            q = q.where(ConversationEventRow.session_id == session_id)
        if kind is not None:
            q = q.where(ConversationEventRow.kind == kind.value)
        with self._sessions() as s:
            return [
                ConversationEvent(
                    kind=ConversationEventKind(r.kind),
                    data=r.data,
                    work_order_id=r.work_order_id,
                    session_id=r.session_id,
                    turn=r.turn,
                    created_at=r.created_at,
                )
                for r in s.scalars(q)
            ]

    def count(self, kind: ConversationEventKind, *, since: dt.datetime | None = None) -> int:
        """How many events of a kind were recorded (since a time, if given)."""
        q = select(func.count(ConversationEventRow.id)).where(ConversationEventRow.kind == kind.value)
        if since is not None:
            q = q.where(ConversationEventRow.created_at >= since)
        with self._sessions() as s:
            return int(s.scalar(q) or 0)
