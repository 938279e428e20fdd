"""Bridges from the web layer's protocols to the real components of the other packages.

Each loader imports its package only when called and returns None when the package is not
installed, so the web service runs (with the component shown as unavailable) on a deployment that
leaves one out.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from serving.protocols import KnowledgeBase, ModelRegistry
    from serving.services import Services
    from serving.settings import Settings
    from workorders.config import CityConfig

log = logging.getLogger("intake.adapters")


def optional_import(name: str) -> ModuleType | None:
    """The module, or None when it (not one of its own imports) is missing."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name is not None and (name == err.name or name.startswith(err.name + ".")):
            return None
        raise


def call_with(fn: Callable[..., Any], /, **available: Any) -> Any:
    """Call `fn` with those of `available` that it accepts by name.

    Used where another package's factory signature is still settling: the web layer offers what it
    has (services, settings, config...) and the factory takes what it needs.
    """
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return fn(**available)
    missing = [
        n
        for n, p in params.items()
        if p.default is inspect.Parameter.empty
        and p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        and n not in available
    ]
    if missing:
        raise TypeError(
            f"{getattr(fn, '__qualname__', fn)} needs {missing}, which the web layer does not have"
        )
    return fn(**{n: v for n, v in available.items() if n in params})


def load_knowledge_base(settings: Settings) -> KnowledgeBase | None:
    module = optional_import("knowledge_base")
    if module is None or not hasattr(module, "KnowledgeBase"):
        return None
    kb_dir = settings.kb_dir
    if not kb_dir.exists() or not any(kb_dir.iterdir()):
        log.info("no knowledge base at %s yet: building the demo one", kb_dir)
        build_demo = getattr(module, "build_demo_kb", None)
        if build_demo is None:
            return None
        call_with(build_demo, directory=kb_dir)
    return module.KnowledgeBase.load(kb_dir)


def load_model_registry(settings: Settings, config: CityConfig) -> ModelRegistry | None:
    module = optional_import("serving.training_adapter")
    if module is None:
        return None
    return module.build_registry(settings, config)


def load_assistant(services: Services) -> Any | None:
    module = optional_import("assistant")
    factory = getattr(module, "build_dialogue_manager", None) if module is not None else None
    if factory is None:
        return None
    return call_with(factory, services=services, settings=services.settings, config=services.config)
