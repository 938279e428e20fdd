"""Default models on a fresh machine, from the demo messages shipped with the project.

Two sets, both written for this project:

* ``training/demo/messages.jsonl``: about a hundred short messages covering the seven categories,
  every urgency tier, the matter types and each redirect kind;
* ``training/demo/taxonomy/*.jsonl``: about 2,300 category-labelled messages (chat lines and
  message-board posts) spread over every sub-topic that the first-level categories cover, written
  from the category taxonomy so that border matters (bus fares, gas supply, school canteens...)
  land where the taxonomy puts them. They train the category head only.

On the real dev split the category model trained on these alone reaches macro-F1 0.79 (0.42 from
the hundred messages alone); training on a city's labelled orders does better (README). Training
takes a few seconds, so `intake run` can call this on every start.
"""

from __future__ import annotations

import json
import logging
from importlib import resources
from pathlib import Path

from classifiers.base import ClassifierError
from classifiers.heads import HeadModel
from classifiers.store import MANIFEST, ModelStore
from training.data import Dataset, load_file, load_files
from training.trainer import train_head
from workorders.config import CityConfig

log = logging.getLogger(__name__)

DEMO_FILE = "messages.jsonl"
TAXONOMY_DIR = "taxonomy"
#: Heads trained from the demo set (departments follow the dispatch catalogue until orders carry them).
DEMO_HEADS: tuple[str, ...] = ("category", "urgency", "matter_type")


def demo_data_path() -> Path:
    return Path(str(resources.files("training").joinpath("demo", DEMO_FILE)))


def taxonomy_data_paths() -> list[Path]:
    """The category-labelled example files (one per category)."""
    folder = Path(str(resources.files("training").joinpath("demo", TAXONOMY_DIR)))
    return sorted(folder.glob("*.jsonl"))


def demo_dataset(head: str) -> Dataset:
    """The demo examples of a head: the demo messages, plus the taxonomy examples for categories."""
    data = load_file(demo_data_path(), head)
    if head == "category":
        data = data.extend(load_files(taxonomy_data_paths(), head))
    return data


def ensure_default_models(models_dir: Path, config: CityConfig) -> None:
    """Train and promote demo models for every head that has no usable active model.

    An active demo model that no longer loads (saved in a format this version refuses, such as the
    pickles of earlier versions) is replaced by a fresh one: it was trained from the shipped
    examples, so nothing is lost. A model trained on a city's own orders is never replaced behind a
    trainer's back; the triager reports it, and it stays in the registry until someone retrains or
    rolls back.
    """
    store = ModelStore(Path(models_dir))
    for head in DEMO_HEADS:
        active = store.active_path(head)
        if active is not None and not _replaceable(head, active):
            continue
        data = demo_dataset(head)
        result = train_head(
            head,
            data,
            store,
            promote=True,
            holdout=0.0,
            config=config,
            run_args={"command": "bootstrap", "data": _demo_sources(head)},
            progress=False,
        )
        log.info("trained demo %s model %s in %.1fs", head, result.version, result.seconds)


def _replaceable(head: str, path: Path) -> bool:
    """Whether the active model at `path` is a demo model that fails to load (so may be retrained).

    Only demo models are test-loaded: a model trained on real orders is never replaced here, and
    the triager reports it when it fails to load, so loading it twice on every start buys nothing.
    """
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("run_args", {}).get("command") != "bootstrap":
        return False
    try:
        HeadModel.load(path)
    except ClassifierError as err:
        log.warning("the demo %s model %s cannot be loaded (%s); training a new one", head, path.name, err)
        return True
    return False


def _demo_sources(head: str) -> list[str]:
    sources = [f"training/demo/{DEMO_FILE}"]
    if head == "category":
        sources += [f"training/demo/{TAXONOMY_DIR}/{p.name}" for p in taxonomy_data_paths()]
    return sources
