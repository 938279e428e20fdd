"""The trainer console's `ModelRegistry` over the real model store and trainer.

Versions, promotion and rollback are `classifiers.store.ModelStore`'s; training is
`training.trainer.train_head` with a held-out share for the metrics the console compares; the
confusion-matrix picture is drawn by `training.report.plot_confusion` once per version and cached
under the deployment's home (the version directories themselves are never written after commit).
Errors of the training stack (bad data, unknown version) become domain `ValidationError`s (422).
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from serving.protocols import ModelVersionInfo, ProgressFn
from serving.settings import Settings
from workorders.config import CityConfig
from workorders.errors import ValidationError

log = logging.getLogger("intake.training")

#: Share of the examples held out to measure a new version (the model is then refitted on all).
HOLDOUT = 0.2
#: Numeric figures of a manifest shown in the comparison table, in this order.
_SHOWN = ("n", "accuracy", "macro_f1", "coverage", "accuracy_when_suggested", "top3_accuracy", "ece")


def flat_metrics(manifest: dict[str, Any]) -> dict[str, float]:
    """The comparable numbers of a version: evaluation figures, training-set size, training time."""
    metrics = manifest.get("metrics") or {}
    flat: dict[str, float] = {}
    for key in _SHOWN:
        value = metrics.get(key, (metrics.get("abstention") or {}).get(key))
        if isinstance(value, int | float) and not isinstance(value, bool):
            flat[key] = float(value)
    data = manifest.get("data") or {}
    if isinstance(data.get("n"), int):
        flat["train_examples"] = float(data["n"])
    if isinstance(manifest.get("train_seconds"), int | float):
        flat["train_seconds"] = float(manifest["train_seconds"])
    return flat


class StoreRegistry:
    """`ModelRegistry` backed by the on-disk model store under ``settings.models_dir``."""

    def __init__(self, models_dir: Path, config: CityConfig, cache_dir: Path) -> None:
        from classifiers.store import HEADS, ModelStore

        self._store = ModelStore(Path(models_dir))
        self._heads = list(HEADS)
        self._config = config
        self._cache = Path(cache_dir)

    def heads(self) -> list[str]:
        return list(self._heads)

    def _local_time(self, stamp: str) -> str | None:
        """A manifest's UTC timestamp in the city's time, with its offset (as every API time is)."""
        try:
            moment = dt.datetime.fromisoformat(stamp)
        except ValueError:
            return stamp or None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(ZoneInfo(self._config.timezone)).isoformat(timespec="seconds")

    def labels(self, head: str) -> list[str] | None:
        return None  # category/department/urgency/matter_type vocabularies come from the config

    def versions(self, head: str) -> list[ModelVersionInfo]:
        infos = self._call(self._store.list, head)
        return [
            ModelVersionInfo(
                head=head,
                version=i.version,
                active=i.active,
                created_at=self._local_time(i.created_at),
                metrics=flat_metrics(i.manifest),
                has_confusion_matrix=bool((i.manifest.get("metrics") or {}).get("confusion")),
                notes="; ".join(
                    str(x)
                    for x in [
                        i.manifest.get("backend"),
                        (i.manifest.get("metrics") or {}).get("measured_on"),
                        *(i.manifest.get("warnings") or []),
                    ]
                    if x
                ),
            )
            for i in infos
        ]

    def train(self, head: str, data: Path, progress: ProgressFn) -> str:
        from training.data import load_file
        from training.trainer import train_head

        progress(0.05, "读取标注样本")
        dataset = self._call(load_file, data, head)
        progress(0.15, f"用 {len(dataset)} 条样本训练（留出 {HOLDOUT:.0%} 用于评估）")
        kwargs: dict[str, Any] = {
            "promote": False,
            "holdout": HOLDOUT,
            "config": self._config,
            "run_args": {"command": "web", "data": ["labelled_examples"]},
            "progress": False,
        }
        for name in ("on_progress", "progress_callback", "callback"):
            if name in inspect.signature(train_head).parameters:  # finer progress when the trainer offers it
                kwargs[name] = lambda f, m="": progress(0.15 + 0.8 * float(f), str(m) or "训练中")
                break
        result = self._call(train_head, head, dataset, self._store, **kwargs)
        figures = ", ".join(
            f"{k} {v:.3f}" for k, v in flat_metrics({"metrics": result.metrics}).items() if k != "n"
        )
        progress(
            1.0,
            f"训练完成 {result.version}，用时 {result.seconds:.1f} 秒" + (f"：{figures}" if figures else ""),
        )
        return result.version

    def promote(self, head: str, version: str) -> None:
        self._call(self._store.promote, head, version, actor="web", reason="promote")

    def rollback(self, head: str) -> str:
        return self._call(self._store.rollback, head, actor="web")

    def can_roll_back(self, head: str) -> bool:
        return self._call(self._store.rollback_target, head) is not None

    def confusion_matrix_png(self, head: str, version: str) -> bytes | None:
        if version not in self._call(self._store.versions, head):
            return None
        path = self._cache / head / f"{version}.png"
        if not path.is_file():
            confusion = (self._call(self._store.manifest, head, version).get("metrics") or {}).get(
                "confusion"
            )
            if not confusion:
                return None
            from training.report import plot_confusion

            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.png")
            plot_confusion(list(confusion["labels"]), confusion["matrix"], tmp)
            tmp.replace(path)
        return path.read_bytes()

    @staticmethod
    def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a training-stack call, turning its data and registry errors into `ValidationError`."""
        from classifiers.base import ClassifierError
        from classifiers.store import ModelStoreError
        from training.data import TrainingDataError

        try:
            return fn(*args, **kwargs)
        except (ModelStoreError, TrainingDataError, ClassifierError) as err:
            raise ValidationError(str(err)) from None


def build_registry(settings: Settings, config: CityConfig) -> StoreRegistry:
    return StoreRegistry(settings.models_dir, config, settings.home / "cache" / "confusion")
