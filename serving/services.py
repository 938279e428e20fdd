"""The composition root of the web service: every dependency the routers use, built in one place.

`build_services(settings)` wires the database, the city config, the work-order and account services,
and *lazily* the heavy NLP components (triage models, the knowledge base, the dialogue manager, the
model registry): they are built on first use, in the thread that needs them, and a component that
cannot be built (models not trained yet, package not installed) is reported as unavailable instead of
taking the whole service down. Tests pass fakes for any of them. Nothing here runs at import time.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from reports.settings import ReportSettings, load_report_settings
from serving.accounts import AccountService
from serving.metrics import Metrics
from serving.protocols import KnowledgeBase, ModelRegistry, Triager
from serving.settings import Settings
from serving.tokens import TokenSigner
from serving.training_jobs import TrainingJobs
from workorders.config import CityConfig, load_city_config
from workorders.db import make_engine, make_session_factory
from workorders.enums import EventKind
from workorders.schemas import WorkOrderRead
from workorders.service import OrderListener, WorkOrderService, utc_now

log = logging.getLogger("intake.services")

T = TypeVar("T")
Clock = Callable[[], dt.datetime]


class Lazy(Generic[T]):
    """A component built on first use; a failed build is remembered (with its reason) until `reset`."""

    def __init__(self, name: str, factory: Callable[[], T | None]) -> None:
        self.name = name
        self._factory = factory
        self._lock = threading.Lock()
        self._value: T | None = None
        self._built = False
        self.error: str | None = None

    @classmethod
    def of(cls, name: str, value: T) -> Lazy[T]:
        lazy = cls(name, lambda: value)
        lazy._value, lazy._built = value, True
        return lazy

    def get(self) -> T | None:
        if self._built:
            return self._value
        with self._lock:
            if not self._built:
                try:
                    self._value = self._factory()
                    self.error = None if self._value is not None else "not installed"
                except Exception as err:  # a broken component must not break the service
                    log.exception("could not build %s", self.name)
                    self._value, self.error = None, f"{type(err).__name__}: {err}"
                self._built = True
        return self._value

    def reset(self) -> None:
        """Forget the built value, so that the next `get` builds it again (after promoting a model)."""
        with self._lock:
            self._value, self._built, self.error = None, False, None

    @property
    def state(self) -> str:
        if not self._built:
            return "not loaded"
        return "ok" if self._value is not None else f"unavailable ({self.error})"


@dataclass
class Services:
    """Everything a request handler may need; one instance per app."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    config: CityConfig
    orders: WorkOrderService
    accounts: AccountService
    signer: TokenSigner
    metrics: Metrics
    clock: Clock
    triager_slot: Lazy[Triager]
    knowledge_slot: Lazy[KnowledgeBase]
    assistant_slot: Lazy[Any]
    registry_slot: Lazy[ModelRegistry]
    report_embed_slot: Lazy[Callable[[Any], Any]]
    report_settings: ReportSettings
    training: TrainingJobs = field(init=False)
    owns_engine: bool = True

    def __post_init__(self) -> None:
        self.training = TrainingJobs(self)

    @property
    def triager(self) -> Triager | None:
        return self.triager_slot.get()

    @property
    def knowledge_base(self) -> KnowledgeBase | None:
        return self.knowledge_slot.get()

    @property
    def assistant(self) -> Any | None:
        return self.assistant_slot.get()

    @property
    def registry(self) -> ModelRegistry | None:
        return self.registry_slot.get()

    @property
    def report_embed(self) -> Callable[[Any], Any] | None:
        """Texts → unit vectors for the daily report's hot issues (loaded once, not per report)."""
        return self.report_embed_slot.get()

    def component_states(self) -> dict[str, str]:
        slots = (self.triager_slot, self.knowledge_slot, self.assistant_slot, self.registry_slot)
        return {slot.name: slot.state for slot in slots}

    def warm_up(self) -> None:
        """Build the heavy components now (at start-up) rather than on the first citizen's request."""
        for slot in (self.triager_slot, self.knowledge_slot, self.registry_slot, self.assistant_slot):
            slot.get()  # the assistant last: it reuses the triager and the knowledge base

    def close(self) -> None:
        self.training.shutdown()
        if self.owns_engine:
            self.engine.dispose()


# -- default factories of the real components (imported only when first needed) -------------------


def _default_triager(settings: Settings, config: CityConfig) -> Triager | None:
    from classifiers.triage import Triager as RealTriager
    from training.bootstrap import ensure_default_models

    ensure_default_models(settings.models_dir, config)
    return RealTriager.load(settings.models_dir, config)


def _default_knowledge_base(settings: Settings) -> KnowledgeBase | None:
    from serving.adapters import load_knowledge_base

    return load_knowledge_base(settings)


def _default_registry(settings: Settings, config: CityConfig) -> ModelRegistry | None:
    from serving.adapters import load_model_registry

    return load_model_registry(settings, config)


def _default_assistant(services_ref: Callable[[], Services]) -> Any | None:
    from serving.adapters import load_assistant

    return load_assistant(services_ref())


def _default_report_embed(report_settings: ReportSettings) -> Callable[[Any], Any]:
    from reports.daily import default_embed

    return default_embed(report_settings.hot_issues)


def build_services(
    settings: Settings,
    *,
    config: CityConfig | None = None,
    engine: Engine | None = None,
    triager: Triager | None = None,
    knowledge_base: KnowledgeBase | None = None,
    assistant: Any | None = None,
    registry: ModelRegistry | None = None,
    report_embed: Callable[[Any], Any] | None = None,
    clock: Clock = utc_now,
    password_hasher: PasswordHasher | None = None,
) -> Services:
    """Wire a deployment from its settings; any component passed in replaces the real one."""
    settings.home.mkdir(parents=True, exist_ok=True)
    config = config or load_city_config(settings.city_config)
    report_settings = load_report_settings(settings.report_settings)  # validated at start-up
    owns_engine = engine is None
    engine = engine or make_engine(settings.db_url)
    sessions = make_session_factory(engine)
    holder: dict[str, Services] = {}

    services = Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        config=config,
        orders=WorkOrderService(sessions, config, clock=clock),
        accounts=AccountService(sessions, hasher=password_hasher, clock=clock),
        signer=TokenSigner(settings.secret_key),
        metrics=Metrics(),
        clock=clock,
        triager_slot=(
            Lazy.of("triage", triager)
            if triager is not None
            else Lazy("triage", lambda: _default_triager(settings, config))
        ),
        knowledge_slot=(
            Lazy.of("knowledge_base", knowledge_base)
            if knowledge_base is not None
            else Lazy("knowledge_base", lambda: _default_knowledge_base(settings))
        ),
        assistant_slot=(
            Lazy.of("assistant", assistant)
            if assistant is not None
            else Lazy("assistant", lambda: _default_assistant(lambda: holder["services"]))
        ),
        registry_slot=(
            Lazy.of("model_registry", registry)
            if registry is not None
            else Lazy("model_registry", lambda: _default_registry(settings, config))
        ),
        report_embed_slot=(
            Lazy.of("report_embedder", report_embed)
            if report_embed is not None
            else Lazy("report_embedder", lambda: _default_report_embed(report_settings))
        ),
        report_settings=report_settings,
        owns_engine=owns_engine,
    )
    holder["services"] = services
    services.orders.subscribe(_learn_closed_cases(services))
    return services


def _learn_closed_cases(services: Services) -> OrderListener:
    """Each order closed with a reply becomes a past case the knowledge base can show (incremental)."""

    def on_change(order: WorkOrderRead, action: EventKind) -> None:
        if action is not EventKind.CLOSE or not order.reply_text:
            return
        kb = services.knowledge_base
        if kb is None:
            return
        from knowledge_base.cases import case_from_closed_order

        kb.add([case_from_closed_order(order)])  # the index locks out searches while it grows

    return on_change
