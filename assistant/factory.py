"""Composition: a ready `DialogueManager` from deployment settings or from the web app's services.

Used by the web app (`serving` calls ``build_dialogue_manager(services=...)``), the CLI and the
benchmarks. Loading models and the index happens here, when called, never at import time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.adapters import KnowledgeBaseRepeats, RulesOnlyTriage, TriagerAdapter
from assistant.dialogue import AssistantConfig, DialogueManager
from assistant.ports import KnowledgePort, RepeatPort, TriagePort
from assistant.store import ConversationStore
from workorders.config import CityConfig, load_city_config
from workorders.db import make_engine, make_session_factory
from workorders.errors import DomainError
from workorders.migrate import pending
from workorders.service import WorkOrderService, utc_now

if TYPE_CHECKING:
    from serving.settings import Settings

log = logging.getLogger("intake.assistant")


def load_triage(models_dir: Path, config: CityConfig, *, bootstrap: bool = True) -> TriagePort:
    """The real triager (training default models first when `bootstrap` and none exist).

    Falls back to `RulesOnlyTriage` (emergencies only, nothing routed) when the triage package or its
    models are unavailable, so the assistant still takes complaints and hands emergencies over.
    """
    try:
        from classifiers.triage import Triager

        if bootstrap:
            from training.bootstrap import ensure_default_models

            ensure_default_models(models_dir, config)
        return TriagerAdapter(Triager.load(models_dir, config), config)
    except Exception:
        log.exception("triage models unavailable: the assistant runs with emergency rules only")
        return RulesOnlyTriage(config)


def load_knowledge(
    kb_dir: Path, *, build_demo: bool = True, embedder_threads: int = 1
) -> KnowledgePort | None:
    """The knowledge base in `kb_dir` (building the bundled demo one when empty), or None.

    Args:
        embedder_threads: BLAS threads of the query embedder. One per query is fastest when many
            conversations run at once: with two, concurrent queries on a 2-core machine fight
            over the cores (measured: ~7 ms per query embedding with one thread, ~170 ms with two
            under load).
    """
    try:
        from knowledge_base.index import MANIFEST, KnowledgeBase

        if build_demo and (not kb_dir.exists() or not any(kb_dir.iterdir())):
            from knowledge_base.demo import build_demo_kb

            log.info("no knowledge base at %s: building the demo one", kb_dir)
            build_demo_kb(kb_dir)
        return KnowledgeBase.load(kb_dir, _query_embedder(kb_dir / MANIFEST, embedder_threads))
    except Exception:
        log.exception("knowledge base unavailable: consultations will be taken as orders")
        return None


def _query_embedder(manifest: Path, threads: int) -> Any:
    """The index's own embedder with `threads` BLAS threads, when it takes that option; else None."""
    import json

    from knowledge_base.embedders import get_embedder

    try:
        stored = json.loads(manifest.read_text(encoding="utf-8"))["embedder"]
        options = {**stored.get("options", {}), "threads": threads}
        return get_embedder(stored["name"], **options)
    except (OSError, KeyError, TypeError, ValueError):
        return None  # let KnowledgeBase.load build the one named in the manifest


def load_repeats(config: CityConfig) -> RepeatPort | None:
    """Rule-based repeat detection from `knowledge_base.repeats`, or None when it is not installed."""
    try:
        return KnowledgeBaseRepeats(config.repeats.window_days)
    except ImportError:
        log.warning("knowledge_base.repeats unavailable: repeats will not be linked")
        return None


def build_dialogue_manager(
    settings: Settings | None = None,
    *,
    services: Any | None = None,
    config: CityConfig | None = None,
    triage: TriagePort | None = None,
    knowledge: KnowledgePort | None = None,
    repeats: RepeatPort | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    assistant_config: AssistantConfig | None = None,
    bootstrap: bool = True,
    warm_up: bool = True,
) -> DialogueManager:
    """Wire a dialogue manager.

    Args:
        settings: Deployment settings; used when `services` is not given (default: ``Settings()``).
        services: The web app's `serving.services.Services`; its database sessions, order service,
            clock, triager and knowledge base are reused instead of building new ones.
        config: City config (default: from settings, or the services').
        triage, knowledge, repeats: Components to use instead of the real ones.
        clock: Current time (default: the services' clock, or UTC now).
        assistant_config: Tunable dialogue behaviour.
        bootstrap: Train default models / build the demo index when missing.
        warm_up: Load lazily loaded data (address table, tokenizer dictionary) now.

    Raises:
        DomainError: the database schema is not up to date (run ``intake db upgrade``).
    """
    if services is not None:
        config = config or services.config
        sessions = services.sessions
        orders: WorkOrderService = services.orders
        clock = clock or services.clock
        if triage is None:
            triager = services.triager
            triage = TriagerAdapter(triager, config) if triager is not None else RulesOnlyTriage(config)
        if knowledge is None:
            knowledge = services.knowledge_base
    else:
        if settings is None:
            from serving.settings import Settings

            settings = Settings()
        config = config or load_city_config(settings.city_config)
        settings.home.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.db_url)
        if pending(engine):
            raise DomainError("the database schema is not up to date: run `intake db upgrade` first")
        sessions = make_session_factory(engine)
        clock = clock or utc_now
        orders = WorkOrderService(sessions, config, clock=clock)
        if triage is None:
            triage = load_triage(settings.models_dir, config, bootstrap=bootstrap)
        if knowledge is None:
            knowledge = load_knowledge(settings.kb_dir, build_demo=bootstrap)
    assert config is not None and clock is not None
    if assistant_config is None and settings is not None:
        assistant_config = AssistantConfig(knowledge_min_similarity=settings.knowledge_min_similarity)
    manager = DialogueManager(
        store=ConversationStore(sessions, clock),
        orders=orders,
        triage=triage,
        config=config,
        knowledge=knowledge,
        repeats=repeats if repeats is not None else load_repeats(config),
        clock=clock,
        settings=assistant_config,
    )
    if warm_up:
        manager.warm_up()
    return manager
