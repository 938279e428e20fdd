"""Latency of one full triage (without retrieval) on one core.

Trains the default category head on ``category_train.csv`` (the demo messages with ``--demo``),
the urgency and matter-type heads on the demo messages, then times `Triager.triage` on every dev
message (title + body) and on the body alone. The process is pinned to one CPU and BLAS/torch to
one thread before numpy is imported.

    .venv/bin/python benchmarks/triage_latency.py
    .venv/bin/python benchmarks/triage_latency.py --demo --limit 200
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from triage_common import category_split, dir_size_mb  # noqa: E402

from classifiers.store import ModelStore  # noqa: E402
from classifiers.triage import Triager  # noqa: E402
from training.bootstrap import ensure_default_models  # noqa: E402
from training.data import Dataset  # noqa: E402
from training.trainer import train_head  # noqa: E402
from workorders.config import load_city_config  # noqa: E402


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--demo", action="store_true", help="category head from the demo messages only")
    parser.add_argument("--limit", type=int, default=None, help="time only this many dev messages")
    args = parser.parse_args()

    config = load_city_config()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = ModelStore(root)
        if not args.demo:
            x, y = category_split("train")
            train_head("category", Dataset(x, y, ["train"] * len(x)), store, holdout=0.0, progress=False)
        ensure_default_models(root, config)
        cat_dir = store.active_path("category")
        assert cat_dir is not None
        print(f"category model {cat_dir.name}: {dir_size_mb(cat_dir):.1f} MB on disk")

        pinned = _pin_one_core()
        started = time.perf_counter()
        triager = Triager.load(root, config)
        print(f"load: {time.perf_counter() - started:.2f}s; {pinned}")
        dev_tb, _ = category_split("dev")
        dev_body, _ = category_split("dev", with_title=False)
        if args.limit:
            dev_tb, dev_body = dev_tb[: args.limit], dev_body[: args.limit]
        for text in dev_tb[:20]:  # warm-up: first-call allocations, lazy imports
            triager.triage(text)
        for name, texts in (("title+body", dev_tb), ("body only", dev_body)):
            times = []
            for text in texts:
                t0 = time.perf_counter()
                triager.triage(text)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            print(
                f"{name:<11} n={len(times)} median {statistics.median(times):.2f} ms | "
                f"p95 {times[int(0.95 * (len(times) - 1))]:.2f} ms | max {times[-1]:.2f} ms"
            )


if __name__ == "__main__":
    main()
