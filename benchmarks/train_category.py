"""Training time and model size of the category head on the full train set, on two cores.

Runs the same code path as ``intake train category`` (validation, fit with calibration, evidence
index, saving, registration) with the process pinned to two CPUs.

    .venv/bin/python benchmarks/train_category.py                      # default backend, no holdout
    .venv/bin/python benchmarks/train_category.py --holdout 0.1        # as `intake train` by default
    .venv/bin/python benchmarks/train_category.py --backend fasttext.v1
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "2"

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from triage_common import category_split, dir_size_mb  # noqa: E402

from classifiers.heads import HeadModel  # noqa: E402
from classifiers.store import ModelStore  # noqa: E402
from training.data import Dataset  # noqa: E402
from training.trainer import DEFAULT_BACKENDS, train_head  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", default=DEFAULT_BACKENDS["category"])
    parser.add_argument("--holdout", type=float, default=0.0)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))[:2]
        os.sched_setaffinity(0, set(cpus))
        print(f"pinned to CPUs {cpus}")
    x, y = category_split("train")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = train_head(
            "category",
            Dataset(x, y, ["train"] * len(x)),
            ModelStore(Path(tmp)),
            backend=args.backend,
            holdout=args.holdout,
            progress=False,
        )
        wall = time.perf_counter() - started
        print(
            f"{args.backend}: n={len(x)} trained in {wall:.1f}s (holdout {args.holdout}); "
            f"model {dir_size_mb(result.path):.1f} MB on disk"
        )
        if result.metrics:
            print(f"holdout macro-F1 {result.metrics['macro_f1']:.4f}")
        started = time.perf_counter()
        HeadModel.load(result.path)
        print(f"loaded (classifier and case index) in {time.perf_counter() - started:.2f}s")


if __name__ == "__main__":
    main()
