"""Train one head into the model registry: validate, fit, measure, save, register, maybe promote.

The order of steps is what makes retraining safe to hand to trainers: data is validated before
anything is fitted; the model is built in a hidden staging directory and only renamed into the
registry when complete; promotion is a separate, atomic pointer swap. A failure at any step leaves
the active model exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split
from tqdm import tqdm

from classifiers.evidence import CaseIndex
from classifiers.heads import CASES_DIR, CLASSIFIER_DIR, HeadModel
from classifiers.registry import create
from classifiers.store import HEADS, ModelStore, new_version_name
from training.data import Dataset, TrainingDataError, validate
from training.evaluate import evaluate
from workorders.config import CityConfig

log = logging.getLogger(__name__)

#: Backend each head is trained with unless the trainer names another (see README for numbers).
DEFAULT_BACKENDS: dict[str, str] = {
    "category": "tfidf.v1",
    "department": "tfidf.v1",
    "urgency": "tfidf_logreg.v1",
    "matter_type": "tfidf.v1",
}


@dataclass(frozen=True)
class TrainResult:
    head: str
    version: str
    path: Path
    metrics: dict[str, Any]
    promoted: bool
    seconds: float


def check_against_config(head: str, data: Dataset, config: CityConfig | None) -> list[str]:
    """Refuse labels the city config does not know; returns warnings (none so far).

    A model that suggests a department or a category the city lacks can never be routed by the
    dispatch catalogue: its suggestions would be dropped at every order, so it is refused outright
    (a typo such as 城市建设, a label from another city's data).
    """
    if config is None:
        return []
    if head == "department":
        known = {d.code for d in config.departments}
        unknown = sorted(set(data.labels) - known)
        if unknown:
            raise TrainingDataError(f"department codes not in the city config: {', '.join(unknown)}")
    if head == "category":
        known = {c.name for c in config.categories} | {c.code for c in config.categories}
        unknown = sorted(set(data.labels) - known)
        if unknown:
            raise TrainingDataError(
                f"categories not in the city config (no dispatch route): {', '.join(unknown)}; "
                f"the city's categories: {', '.join(c.name for c in config.categories)}"
            )
    return []


def train_head(
    head: str,
    data: Dataset,
    store: ModelStore,
    *,
    backend: str | None = None,
    backend_options: dict[str, Any] | None = None,
    promote: bool | None = None,
    eval_data: Dataset | None = None,
    holdout: float = 0.1,
    unlabeled: Sequence[str] | None = None,
    config: CityConfig | None = None,
    run_args: dict[str, Any] | None = None,
    progress: bool = True,
    on_progress: Callable[[float, str], None] | None = None,
    seed: int = 0,
) -> TrainResult:
    """Train `head` on `data` and register it as a new version.

    Args:
        promote: True promotes, False never does, None promotes only when the head has no active
            model yet (so a first training run gives a working system).
        eval_data: measure on this set; otherwise on a stratified `holdout` share of `data`
            (then the final model is refitted on all of it). ``holdout=0`` skips measuring.
        unlabeled: extra texts for semi-supervised backends (ignored by the others).
        on_progress: called with (share done, step name) after each step, for web progress bars.
    """
    if head not in HEADS:
        raise TrainingDataError(f"unknown head {head!r}; heads are {', '.join(HEADS)}")
    validate(data, head)
    warnings = check_against_config(head, data, config)
    for w in warnings:
        log.warning(w)
    backend = backend or DEFAULT_BACKENDS[head]
    options = dict(backend_options or {})
    started = time.perf_counter()
    steps = tqdm(total=4, desc=f"train {head}", unit="step", disable=not progress, leave=False)

    def step(name: str) -> None:
        steps.set_postfix_str(name)
        if on_progress is not None:
            on_progress(steps.n / 4, name)

    metrics: dict[str, Any] = {}
    staging = store.staging_dir(head)
    try:
        step("measuring")
        split = _holdout_split(data, holdout, seed) if eval_data is None else None
        if eval_data is not None or split is not None:
            train_part, test_part = (data, eval_data) if eval_data is not None else split  # type: ignore[misc]
            probe = create(backend, **options).fit(
                train_part.texts, train_part.labels, unlabeled=unlabeled, progress=progress
            )
            probe_model = HeadModel(head, "probe", probe, CaseIndex(), {"backend": backend})
            metrics = evaluate(head, probe_model, test_part)
            metrics["measured_on"] = "eval_data" if eval_data is not None else f"holdout {holdout:.0%}"
            if eval_data is not None:
                classifier = probe
        steps.update(1)

        step("fitting")
        if eval_data is None or not metrics:
            classifier = create(backend, **options).fit(
                data.texts, data.labels, unlabeled=unlabeled, progress=progress
            )
        steps.update(1)

        step("indexing cases")
        cases = CaseIndex().build(data.texts, data.labels, seed=seed)
        steps.update(1)

        step("saving")
        classifier.save(staging / CLASSIFIER_DIR)
        cases.save(staging / CASES_DIR)
        fingerprint = data.fingerprint
        version = new_version_name(f"{fingerprint}:{backend}:{sorted(options.items())}")
        seconds = round(time.perf_counter() - started, 2)
        manifest = {
            "backend": backend,
            "backend_options": options,
            "labels": classifier.labels,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "run_args": run_args or {},
            "data": {
                "fingerprint": fingerprint,
                "n": len(data),
                "class_counts": data.class_counts,
                "sources": sorted(set(data.sources)),
                "n_unlabeled": len(unlabeled or []),
            },
            "metrics": metrics,
            "classifier": classifier.metadata,
            "warnings": warnings,
            "train_seconds": seconds,
            "python": platform.python_version(),
        }
        path = store.commit(head, staging, version, manifest)
        steps.update(1)
    except BaseException:
        store.discard(staging)
        raise
    finally:
        steps.close()

    if on_progress is not None:
        on_progress(1.0, "registered")
    should_promote = promote if promote is not None else store.active_version(head) is None
    if should_promote:
        store.promote(head, version, reason="trained")
    return TrainResult(head, version, path, metrics, should_promote, seconds)


def _holdout_split(data: Dataset, share: float, seed: int) -> tuple[Dataset, Dataset] | None:
    """A stratified split for measuring, or None when the data is too small to spare any."""
    if share <= 0 or len(data) < 40:
        return None
    counts = np.unique(data.labels, return_counts=True)[1]
    stratify = data.labels if counts.min() >= 2 else None
    idx = np.arange(len(data))
    try:
        tr, te = train_test_split(idx, test_size=share, random_state=seed, stratify=stratify)
    except ValueError:
        return None
    if len(set(data.labels[i] for i in tr)) < 2:
        return None

    def pick(ix: np.ndarray) -> Dataset:
        return Dataset(
            [data.texts[i] for i in ix], [data.labels[i] for i in ix], [data.sources[i] for i in ix]
        )

    return pick(tr), pick(te)


def environment() -> dict[str, str]:
    return {"python": platform.python_version(), "machine": platform.machine()}


def default_models_dir() -> Path:
    from serving.settings import Settings

    return Settings().models_dir
