"""What the web layer needs from the NLP components, as `Protocol`s.

The web app only talks to these shapes, so the real triage pipeline, knowledge base and model
registry, their fakes in `serving.fakes`, or a GPU deployment's replacements are interchangeable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class TriageResultLike(Protocol):
    """A triage result: pydantic-like, dumped to JSON for storage on the order."""

    def model_dump(self, *, mode: str = ...) -> dict[str, Any]: ...


@runtime_checkable
class Triager(Protocol):
    """Category, departments, urgency, emergency and redirect detection for one message."""

    def triage(self, text: str, title: str | None = None) -> TriageResultLike: ...


@runtime_checkable
class KnowledgeHit(Protocol):
    id: str
    kind: str
    score: float
    title: str
    snippet: str
    citation: str | None
    reply: str | None
    category: str | None


@runtime_checkable
class KnowledgeBase(Protocol):
    """Search over regulation articles (``regulation``) and past cases with replies (``case``)."""

    def search(
        self, query: str, kind: str | None = None, k: int = 5, category: str | None = None
    ) -> list[Any]: ...

    def add(self, chunks: Any) -> int:
        """Add new chunks (ids already present are skipped); returns how many were added."""
        ...


#: ``progress(fraction_done, message)``, called by training from its worker thread.
ProgressFn = Callable[[float, str], None]


@dataclass(frozen=True)
class ModelVersionInfo:
    """One trained version of a head, with the evaluation figures the trainer compares."""

    head: str
    version: str
    active: bool
    created_at: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    has_confusion_matrix: bool = False
    notes: str = ""


@runtime_checkable
class ModelRegistry(Protocol):
    """Trains, lists, promotes and rolls back versions of the classifier heads."""

    def heads(self) -> list[str]: ...

    def labels(self, head: str) -> list[str] | None:
        """The allowed labels of a head (None: any label)."""
        ...

    def versions(self, head: str) -> list[ModelVersionInfo]: ...

    def train(self, head: str, data: Path, progress: ProgressFn) -> str:
        """Train a new version from a CSV file (``text,label[,title]``); return its version name."""
        ...

    def promote(self, head: str, version: str) -> None: ...

    def rollback(self, head: str) -> str:
        """Reactivate the previously active version; return its name."""
        ...

    def can_roll_back(self, head: str) -> bool:
        """Whether there is an earlier promoted version for `rollback` to go back to."""
        ...

    def confusion_matrix_png(self, head: str, version: str) -> bytes | None: ...
