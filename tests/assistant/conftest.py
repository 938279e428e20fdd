"""Fixtures for the assistant tests: a dialogue manager on a migrated database with test doubles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from assistant.adapters import KnowledgeBaseRepeats
from assistant.dialogue import DialogueManager
from assistant.fakes import FakeKnowledge, FakeTriage, sample_knowledge
from assistant.store import ConversationStore
from workorders.db import make_engine, make_session_factory
from workorders.service import WorkOrderService

COMPLETE_FIRST_MESSAGE = (
    "您好，我叫张伟，电话13812345678。昨天晚上十点多，南湖区建设路88号幸福小区门口的烧烤摊"
    "一直吵到凌晨，油烟也很大，希望有关部门管一管。"
)


def demo_knowledge() -> FakeKnowledge:
    """Two invented entries: a guide article (similarity 0.9) and a case below the threshold (0.3)."""
    return sample_knowledge()


@pytest.fixture
def make_assistant(city_config, clock) -> Iterator[Callable[..., DialogueManager]]:  # type: ignore[no-untyped-def]
    """Builds dialogue managers on a database URL; the same URL gives a "restarted" server."""
    engines = []

    def build(url: str, **overrides: Any) -> DialogueManager:
        engine = make_engine(url)
        engines.append(engine)
        sessions = make_session_factory(engine)
        orders = WorkOrderService(sessions, city_config, clock=clock)
        kwargs: dict[str, Any] = {
            "store": ConversationStore(sessions, clock),
            "orders": orders,
            "triage": FakeTriage(),
            "config": city_config,
            "knowledge": demo_knowledge(),
            "repeats": KnowledgeBaseRepeats(city_config.repeats.window_days),
            "clock": clock,
        }
        kwargs.update(overrides)
        return DialogueManager(**kwargs)

    yield build
    for engine in engines:
        engine.dispose()


@pytest.fixture
def assistant(make_assistant, db_url: str) -> DialogueManager:  # type: ignore[no-untyped-def]
    """A dialogue manager on each backend (SQLite, and PostgreSQL where reachable)."""
    return make_assistant(db_url)


@pytest.fixture
def lite_assistant(make_assistant, sqlite_url: str) -> DialogueManager:  # type: ignore[no-untyped-def]
    """A dialogue manager on SQLite only, for tests of dialogue logic rather than storage."""
    return make_assistant(sqlite_url)
