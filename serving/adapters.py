"""Loaders of the real components behind the web layer's protocols.

Each loader imports its package when called (never at import time), so the web service starts fast
and a component that fails to load is reported as unavailable by `serving.services.Lazy`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from serving.protocols import KnowledgeBase, ModelRegistry
    from serving.services import Services
    from serving.settings import Settings
    from workorders.config import CityConfig

log = logging.getLogger("intake.adapters")


def load_knowledge_base(settings: Settings) -> KnowledgeBase:
    """The deployment's index; on a fresh installation the demo one is built first (seconds)."""
    from knowledge_base import KnowledgeBase as RealKnowledgeBase
    from knowledge_base import build_demo_kb

    kb_dir = settings.kb_dir
    if not kb_dir.exists() or not any(kb_dir.iterdir()):
        log.info("no knowledge base at %s yet: building the demo one", kb_dir)
        build_demo_kb(kb_dir)
    return RealKnowledgeBase.load(kb_dir)


def load_model_registry(settings: Settings, config: CityConfig) -> ModelRegistry:
    from serving.training_adapter import build_registry

    return build_registry(settings, config)


def load_assistant(services: Services) -> Any:
    """The dialogue manager, sharing the app's database, order service, triager and index."""
    from assistant import build_dialogue_manager

    return build_dialogue_manager(services.settings, services=services, config=services.config)
