"""Conversation storage: state round trip, optimistic concurrency, events."""

from __future__ import annotations

import pytest

from assistant.state import ConversationState, Draft, Phase
from assistant.store import ConcurrentTurnError, ConversationEvent, ConversationEventKind, ConversationStore
from workorders.db import make_engine, make_session_factory


@pytest.fixture
def store(db_url: str, clock):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    yield ConversationStore(make_session_factory(engine), clock)
    engine.dispose()


def test_round_trip_and_events_in_one_save(store: ConversationStore) -> None:
    assert store.load("s1") is None
    state = ConversationState(
        session_id="s1", phase=Phase.COLLECTING, draft=Draft(number=1, request="楼下太吵")
    )
    store.save(state, [ConversationEvent(ConversationEventKind.REDIRECT, {"kind": "arbitration"})])
    assert state.version == 1

    loaded = store.load("s1")
    assert loaded is not None and loaded.version == 1
    assert (
        loaded.phase is Phase.COLLECTING and loaded.draft is not None and loaded.draft.request == "楼下太吵"
    )
    events = store.events(session_id="s1")
    assert [(e.kind, e.data) for e in events] == [(ConversationEventKind.REDIRECT, {"kind": "arbitration"})]
    assert store.count(ConversationEventKind.REDIRECT) == 1


def test_a_stale_state_is_refused(store: ConversationStore) -> None:
    store.save(ConversationState(session_id="s2"))
    a, b = store.load("s2"), store.load("s2")
    assert a is not None and b is not None
    a.turns = 1
    store.save(a)
    b.turns = 5
    with pytest.raises(ConcurrentTurnError):
        store.save(b, [ConversationEvent(ConversationEventKind.CHASE, {})])
    loaded = store.load("s2")
    assert loaded is not None and loaded.turns == 1
    assert store.count(ConversationEventKind.CHASE) == 0, "a refused save writes no events either"


def test_two_new_states_for_one_session_conflict(store: ConversationStore) -> None:
    store.save(ConversationState(session_id="s3"))
    with pytest.raises(ConcurrentTurnError):
        store.save(ConversationState(session_id="s3"))


def test_history_keeps_the_last_lines() -> None:
    state = ConversationState(session_id="s4")
    for i in range(30):
        state.remember("citizen", f"第{i}句" + "长" * 600)
    assert len(state.history) == 20 and state.history[-1]["text"].startswith("第29句")
    assert len(state.history[-1]["text"]) == 500


def test_history_masks_long_numbers() -> None:
    state = ConversationState(session_id="s5")
    state.remember("citizen", "电话13812345678，身份证110105199001011234")
    text = state.history[0]["text"]
    assert "13812345678" not in text and "138******78" in text
    assert "110105199001011234" not in text


def test_migration_matches_the_models(db_url: str) -> None:
    """Migration 0002 creates exactly what `ConversationRow` and `ConversationEventRow` describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from assistant.store import ConversationEventRow, ConversationRow
    from workorders.db import Base

    ours = {ConversationRow.__tablename__, ConversationEventRow.__tablename__}
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()

    def table_of(diff: object) -> str | None:
        item = diff[0] if isinstance(diff, list) else diff
        for part in item[1:] if isinstance(item, tuple) else ():
            name = getattr(part, "name", None) if not isinstance(part, str) else None
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None):
                return table.name
            if name in ours:
                return name
            if isinstance(part, str) and part in ours:
                return part
        return None

    mine = [d for d in diffs if table_of(d) in ours]
    assert mine == [], mine
