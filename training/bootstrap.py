"""Default models on a fresh machine, from the demo messages shipped with the project.

The demo set (``training/demo/messages.jsonl``) was written for this project: about a hundred
short messages covering the seven categories, every urgency tier, the matter types and each
redirect kind. Models trained on it are only good enough to demonstrate the flow; the README says
how to train on real orders. Training here takes a few seconds, so `intake run` can call this on
every start.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from classifiers.store import ModelStore
from training.data import Dataset, load_file
from training.trainer import train_head
from workorders.config import CityConfig

log = logging.getLogger(__name__)

DEMO_FILE = "messages.jsonl"
#: Heads trained from the demo set (departments follow the dispatch catalogue until orders carry them).
DEMO_HEADS: tuple[str, ...] = ("category", "urgency", "matter_type")


def demo_data_path() -> Path:
    return Path(str(resources.files("training").joinpath("demo", DEMO_FILE)))


def demo_dataset(head: str) -> Dataset:
    return load_file(demo_data_path(), head)


def ensure_default_models(models_dir: Path, config: CityConfig) -> None:
    """Train and promote demo models for every head that has no active model yet."""
    store = ModelStore(Path(models_dir))
    for head in DEMO_HEADS:
        if store.active_path(head) is not None:
            continue
        data = demo_dataset(head)
        result = train_head(
            head,
            data,
            store,
            promote=True,
            holdout=0.0,
            config=config,
            run_args={"command": "bootstrap", "data": [f"training/demo/{DEMO_FILE}"]},
            progress=False,
        )
        log.info("trained demo %s model %s in %.1fs", head, result.version, result.seconds)
