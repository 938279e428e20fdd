"""Training jobs started from the trainer console, run in a background worker with visible progress.

One worker thread: training is CPU-heavy and a second concurrent job would only slow both. Jobs and
their progress live in memory (the console polls them); the trained versions themselves are kept by
the model registry, so a restart loses only the progress display of a running job.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from serving.errors import page_message
from workorders.db import LabelledExampleRow
from workorders.errors import DomainError, ValidationError

if TYPE_CHECKING:
    from serving.services import Services

log = logging.getLogger("intake.training")

MAX_LOG_LINES = 200
#: The trainer's step names (`training.trainer.train_head`, English for the CLI), as the trainer page shows them.
_STEP_NAMES = {"measuring": "评估", "fitting": "拟合", "indexing cases": "建立相似案例索引", "saving": "保存"}


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass
class TrainingJob:
    id: str
    head: str
    requested_by: str
    state: JobState = JobState.QUEUED
    progress: float = 0.0
    message: str = "queued"
    version: str | None = None
    error: str | None = None
    examples: int = 0
    started_at: str | None = None
    finished_at: str | None = None
    log: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "head": self.head,
            "requested_by": self.requested_by,
            "state": self.state.value,
            "progress": round(self.progress, 4),
            "message": self.message,
            "version": self.version,
            "error": self.error,
            "examples": self.examples,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "log": list(self.log[-50:]),
        }


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class TrainingJobs:
    """Queue of training jobs over the services' model registry and labelled examples."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._jobs: dict[str, TrainingJob] = {}
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="training")
            return self._executor

    def example_counts(self) -> dict[str, dict[str, int]]:
        """Labelled examples in the database, per head and label."""
        q = select(
            LabelledExampleRow.head, LabelledExampleRow.label, func.count(LabelledExampleRow.id)
        ).group_by(LabelledExampleRow.head, LabelledExampleRow.label)
        counts: dict[str, dict[str, int]] = {}
        with self._services.sessions() as s:
            for head, label, n in s.execute(q):
                counts.setdefault(head, {})[label] = int(n)
        return counts

    def export_examples(self, head: str) -> tuple[Path, int]:
        """Write the head's labelled examples to a CSV for the trainer.

        The columns follow `training.data.load_file`: ``title``, ``body`` and a label column named
        after the head (plus ``source``, which training ignores).
        """
        directory = self._services.settings.home / "training_data"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{head}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}.csv"
        q = select(LabelledExampleRow).where(LabelledExampleRow.head == head).order_by(LabelledExampleRow.id)
        n = 0
        with self._services.sessions() as s, path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["title", "body", head, "source"])
            for row in s.scalars(q):
                writer.writerow([row.title, row.text, row.label, row.source])
                n += 1
        return path, n

    def start(self, head: str, requested_by: str) -> TrainingJob:
        registry = self._services.registry
        if registry is None:
            raise DomainError("the model registry is not available on this deployment")
        if head not in registry.heads():
            raise ValidationError(f"unknown model head {head!r} (one of {', '.join(registry.heads())})")
        with self._lock:
            if any(j.state in (JobState.QUEUED, JobState.RUNNING) for j in self._jobs.values()):
                raise ValidationError("a training job is already running; wait for it to finish")
            job = TrainingJob(id=uuid.uuid4().hex[:12], head=head, requested_by=requested_by)
            self._jobs[job.id] = job
        self._pool().submit(self._run, job)
        return job

    def get(self, job_id: str) -> TrainingJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def list(self) -> list[TrainingJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.started_at or "", reverse=True)

    def _progress(self, job: TrainingJob, fraction: float, message: str) -> None:
        with self._lock:
            job.progress = max(0.0, min(1.0, float(fraction)))
            job.message = _STEP_NAMES.get(str(message), str(message))[:300]
            job.log.append(f"{_now()} {job.progress:6.1%} {job.message}")
            del job.log[:-MAX_LOG_LINES]

    def _run(self, job: TrainingJob) -> None:
        metrics = self._services.metrics
        registry = self._services.registry
        with self._lock:
            job.state, job.started_at = JobState.RUNNING, _now()
        try:
            assert registry is not None
            self._progress(job, 0.0, "导出标注样本")
            path, n = self.export_examples(job.head)
            job.examples = n
            if n == 0:
                raise ValidationError(f"no labelled examples for {job.head}: import some first")
            self._progress(job, 0.02, f"用 {n} 条样本训练")
            version = registry.train(job.head, path, lambda f, m: self._progress(job, f, m))
            with self._lock:
                job.version, job.state, job.progress = version, JobState.SUCCEEDED, 1.0
                job.message = f"训练完成：{version}"
            metrics.training_jobs.labels("succeeded").inc()
        except DomainError as err:  # the trainer's data or request, not a fault: said, not logged as one
            log.warning("training job %s refused: %s", job.id, err)
            with self._lock:
                job.state, job.error = JobState.FAILED, page_message(err)
                job.message = "训练失败"
            metrics.training_jobs.labels("failed").inc()
        except Exception as err:
            log.exception("training job %s failed", job.id)
            with self._lock:
                job.state, job.error = JobState.FAILED, f"{type(err).__name__}: {err}"
                job.message = "训练失败"
            metrics.training_jobs.labels("failed").inc()
        finally:
            with self._lock:
                job.finished_at = _now()

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
