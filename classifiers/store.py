"""The versioned model registry on disk: ``<models_dir>/<head>/<version>/`` plus an ACTIVE pointer.

Why files and renames rather than a database: a model is a directory of artefacts, and POSIX
``rename`` gives exactly the atomicity promotion needs. A version directory is built under a hidden
temporary name and renamed into place only when complete, so a crashed or refused training run never
leaves a half-written version behind; the ACTIVE pointer is replaced with ``os.replace``, so a server
reading it sees either the old or the new version, never a torn write. Every promotion is appended to
``HISTORY`` (JSON lines), which is what rollback walks back through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Heads with a trained model. Emergency and redirect detection are rule sets, versioned in code.
HEADS: tuple[str, ...] = ("category", "department", "urgency", "matter_type")
MANIFEST = "manifest.json"
ACTIVE = "ACTIVE"
HISTORY = "HISTORY"


class ModelStoreError(ValueError):
    """A registry operation that cannot be done (unknown head or version, nothing to roll back to)."""


@dataclass(frozen=True)
class ModelInfo:
    """What `intake models list` shows about one version."""

    head: str
    version: str
    path: Path
    active: bool
    manifest: dict[str, Any]

    @property
    def created_at(self) -> str:
        return str(self.manifest.get("created_at", ""))

    @property
    def metrics(self) -> dict[str, Any]:
        return dict(self.manifest.get("metrics") or {})


def new_version_name(fingerprint: str, now: dt.datetime | None = None) -> str:
    """A sortable version name: UTC timestamp plus a short hash of the data and settings."""
    now = now or dt.datetime.now(dt.UTC)
    short = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:8]
    return f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%S}-{short}"


class ModelStore:
    """Versions, promotion and rollback of trained heads under one directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- reading -------------------------------------------------------------------------------

    def head_dir(self, head: str) -> Path:
        if head not in HEADS:
            raise ModelStoreError(f"unknown head {head!r}; heads are {', '.join(HEADS)}")
        return self.root / head

    def pointer(self, head: str) -> Path:
        return self.head_dir(head) / ACTIVE

    def active_version(self, head: str) -> str | None:
        """The promoted version of `head`, or None when nothing was promoted yet."""
        try:
            version = self.pointer(head).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return version or None

    def active_path(self, head: str) -> Path | None:
        version = self.active_version(head)
        if version is None:
            return None
        path = self.head_dir(head) / version
        return path if (path / MANIFEST).is_file() else None

    def pointer_stamp(self, head: str) -> tuple[int, int] | None:
        """(mtime_ns, inode) of the ACTIVE pointer: a cheap way to notice a promotion."""
        try:
            st = self.pointer(head).stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_ino)

    def versions(self, head: str) -> list[str]:
        base = self.head_dir(head)
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if p.is_dir() and (p / MANIFEST).is_file())

    def manifest(self, head: str, version: str) -> dict[str, Any]:
        path = self.head_dir(head) / version / MANIFEST
        if not path.is_file():
            raise ModelStoreError(f"{head} has no version {version!r}")
        return json.loads(path.read_text(encoding="utf-8"))

    def list(self, head: str | None = None) -> list[ModelInfo]:
        heads = [head] if head else list(HEADS)
        out = []
        for h in heads:
            active = self.active_version(h)
            for version in self.versions(h):
                out.append(
                    ModelInfo(
                        h, version, self.head_dir(h) / version, version == active, self.manifest(h, version)
                    )
                )
        return out

    def history(self, head: str) -> list[dict[str, Any]]:
        path = self.head_dir(head) / HISTORY
        if not path.is_file():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    # -- writing -------------------------------------------------------------------------------

    def staging_dir(self, head: str) -> Path:
        """A fresh hidden directory to build a version in; `commit` renames it into place."""
        base = self.head_dir(head)
        base.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".staging-", dir=base))

    def commit(self, head: str, staging: Path, version: str, manifest: dict[str, Any]) -> Path:
        """Write the manifest and move a complete staging directory to ``<head>/<version>``."""
        manifest = {**manifest, "head": head, "version": version}
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        target = self.head_dir(head) / version
        if target.exists():
            raise ModelStoreError(f"{head} version {version} already exists")
        os.rename(staging, target)
        return target

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    def promote(self, head: str, version: str, *, actor: str = "cli", reason: str = "promote") -> None:
        """Make `version` the active model of `head` (atomic pointer swap, logged in HISTORY)."""
        if version not in self.versions(head):
            raise ModelStoreError(f"{head} has no version {version!r}")
        previous = self.active_version(head)
        self._write_pointer(head, version)
        self._append_history(
            head,
            {
                "at": dt.datetime.now(dt.UTC).isoformat(),
                "version": version,
                "previous": previous,
                "actor": actor,
                "reason": reason,
            },
        )

    def rollback_target(self, head: str) -> str | None:
        """The version `rollback` would re-activate, or None when there is none to go back to."""
        current = self.active_version(head)
        stack = self._promotion_stack(head)
        available = set(self.versions(head))
        while stack and stack[-1] == current:
            stack.pop()
        while stack and stack[-1] not in available:
            stack.pop()
        return stack[-1] if stack else None

    def rollback(self, head: str, *, actor: str = "cli") -> str:
        """Re-activate the version that was active before the current one; returns it."""
        current = self.active_version(head)
        previous = self.rollback_target(head)
        if previous is None:
            raise ModelStoreError(f"{head}: no earlier version to roll back to")
        self._write_pointer(head, previous)
        self._append_history(
            head,
            {
                "at": dt.datetime.now(dt.UTC).isoformat(),
                "version": previous,
                "previous": current,
                "actor": actor,
                "reason": "rollback",
            },
        )
        return previous

    def _promotion_stack(self, head: str) -> list[str]:
        """Replay HISTORY: a promotion pushes a version, a rollback pops back to the one below.

        Repeated rollbacks therefore walk further back instead of toggling between two versions.
        """
        stack: list[str] = []
        for entry in self.history(head):
            if entry.get("reason") == "rollback":
                while stack and stack[-1] != entry.get("version"):
                    stack.pop()
            else:
                stack.append(str(entry.get("version")))
        return stack

    def _write_pointer(self, head: str, version: str) -> None:
        pointer = self.pointer(head)
        fd, tmp = tempfile.mkstemp(prefix=".active-", dir=pointer.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(version + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, pointer)

    def _append_history(self, head: str, entry: dict[str, Any]) -> None:
        with (self.head_dir(head) / HISTORY).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
