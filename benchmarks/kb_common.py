"""Helpers shared by the knowledge-base benchmarks (paths, cached indexes, shared-data loaders).

The real data is read from ``../shared/data`` (or ``INTAKE_SHARED_DATA``) and never copied; built
indexes are cached under ``var/bench/`` (git-ignored) so reruns only measure what they mean to.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from knowledge_base.chunks import Chunk  # noqa: E402
from knowledge_base.embedders import Embedder  # noqa: E402
from knowledge_base.index import KnowledgeBase, KnowledgeBaseError  # noqa: E402

CACHE = REPO / "var" / "bench"
CATEGORIES = ("城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输")


def shared_data() -> Path:
    """The shared data directory; exits with a message when it is absent."""
    path = Path(os.environ.get("INTAKE_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not (path / "cases").is_dir():
        sys.exit(f"shared data not found at {path}; set INTAKE_SHARED_DATA")
    return path


def cached_kb(
    name: str, chunks: Callable[[], list[Chunk]], embedder: Embedder, rebuild: bool = False
) -> tuple[KnowledgeBase, float | None]:
    """Load ``var/bench/<name>`` or build it; returns the index and the build time (None if loaded)."""
    directory = CACHE / name
    if not rebuild:
        try:
            return KnowledgeBase.load(directory, embedder), None
        except KnowledgeBaseError:
            pass
    items = chunks()
    start = time.perf_counter()
    kb = KnowledgeBase.build(items, embedder, directory)
    return kb, time.perf_counter() - start


def phrasings_fingerprint(phrasings: dict[str, list[str]]) -> str:
    """A short hash of the citizen phrasings, so cached indexes are rebuilt when they change."""
    return hashlib.sha1(json.dumps(phrasings, sort_keys=True).encode()).hexdigest()[:10]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def all_case_bodies(data: Path) -> list[dict[str, str | None]]:
    """Every distinct message body of the shared cases, with its category where one is known.

    Categories come from the labelled files (category_train/dev) and, for the other files, from
    ``fj2_label_by_text_match`` when set; a body seen in several files keeps the first known label.
    """
    files = ["category_train.csv", "category_dev.csv", "replies.csv", "votes.csv", "unlabeled.csv"]
    bodies: dict[str, dict[str, str | None]] = {}
    for name in files:
        for row in read_csv(data / "cases" / name):
            body = (row.get("body") or "").strip()
            if not body:
                continue
            category = row.get("category") or row.get("fj2_label_by_text_match") or None
            entry = bodies.setdefault(body, {"body": body, "category": None, "date": None, "file": name})
            if entry["category"] is None and category:
                entry["category"] = category
            if entry["date"] is None and row.get("time"):
                entry["date"] = row["time"][:10]
    return list(bodies.values())
