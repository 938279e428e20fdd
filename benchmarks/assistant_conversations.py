"""Throughput and latency of the assistant: N concurrent scripted conversations in Chinese.

Each worker thread plays the scripts below one after another, each in a fresh session, for
``--rounds`` rounds; every ``DialogueManager.handle`` call is timed. The real triage models (trained
from the bundled demo set when none exist) and the demo knowledge-base index are loaded unless
``--fake`` is given. The database is a fresh SQLite file unless ``--db-url`` names another.

    .venv/bin/python benchmarks/assistant_conversations.py                   # 20 conversations, real models
    .venv/bin/python benchmarks/assistant_conversations.py --think-ms 500    # with citizens' typing pauses
    .venv/bin/python benchmarks/assistant_conversations.py --fake            # dialogue and storage only

With no think time the workers keep the machine saturated, so latency includes queueing behind
the other conversations (a worst case); ``--think-ms`` adds a pause between a worker's turns, as
citizens need seconds to type.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Scripted conversations (written for this benchmark); {n} makes phone numbers differ per session.
SCRIPTS: dict[str, list[str]] = {
    "complete": [
        "您好，我叫张伟，电话138{n:08d}。昨天晚上十点多，南湖区建设路88号幸福小区门口的烧烤摊一直吵到凌晨，油烟也很大。",
        "确认",
        "查一下我的工单",
    ],
    "step_by_step": [
        "我要投诉",
        "楼上装修天天电钻响，中午也不停，老人孩子都休息不好",
        "北山区向阳路6号阳光小区3栋",
        "139{n:08d}",
        "王女士",
        "确认",
    ],
    "correction": [
        "我姓刘，电话137{n:08d}，前天晚上开始我们小区停水了，到现在还没来水",
        "东城区和平路12号幸福家园",
        "不对，地址是东城区和平路21号幸福家园",
        "确认",
        "催一下",
    ],
    "emergency": [
        "我们小区的电梯坏了好几天了，物业一直不修",
        "等等，楼道里着火了，好大的烟",
        "西城区解放路20号",
    ],
    "redirect": [
        "法院已经判决了，对方就是不执行，你们帮我管管",
        "那我再问一下，公司拖欠工资三个月了怎么办",
    ],
    "consultation": [
        "请问离职以后住房公积金怎么提取？",
        "不用了，谢谢",
    ],
    "bad_input": ["", "😡😡😡", "<script>alert(1)</script>", "Hello, anyone there?", "你好"],
}


def build_manager(args: argparse.Namespace, home: Path):  # type: ignore[no-untyped-def]
    from assistant.factory import build_dialogue_manager, load_knowledge, load_triage
    from serving.settings import Settings
    from workorders.config import load_city_config
    from workorders.db import make_engine
    from workorders.migrate import upgrade

    settings = Settings(home=home, database_url=args.db_url or "")
    engine = make_engine(settings.db_url)
    upgrade(engine)
    engine.dispose()
    config = load_city_config()
    if args.fake:
        from assistant.fakes import FakeTriage, sample_knowledge

        return build_dialogue_manager(
            settings, triage=FakeTriage(), knowledge=sample_knowledge(), bootstrap=False
        )
    models = Path(args.models_dir) if args.models_dir else home / "models"
    kb = Path(args.kb_dir) if args.kb_dir else home / "kb"
    started = time.perf_counter()
    triage = load_triage(models, config, bootstrap=True)
    knowledge = load_knowledge(kb, build_demo=True)
    print(f"models and index ready in {time.perf_counter() - started:.1f}s ({type(triage).__name__})")
    return build_dialogue_manager(settings, triage=triage, knowledge=knowledge)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=20, help="concurrent conversations (threads)")
    parser.add_argument("--rounds", type=int, default=2, help="times each worker plays all scripts")
    parser.add_argument("--think-ms", type=float, default=0.0, help="pause between a worker's turns")
    parser.add_argument("--fake", action="store_true", help="keyword triage and an in-memory knowledge base")
    parser.add_argument("--db-url", default="", help="database URL (default: a fresh SQLite file)")
    parser.add_argument(
        "--models-dir", default="", help="trained models (default: demo models in a temp dir)"
    )
    parser.add_argument(
        "--kb-dir", default="", help="knowledge-base index (default: the demo index in a temp dir)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    home = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    manager = build_manager(args, home)
    # Warm-up: jieba's dictionary, the models' first calls, the embedder, the database.
    for i, text in enumerate(SCRIPTS["complete"] + SCRIPTS["consultation"]):
        manager.handle(f"warmup-{i // 10}", text.format(n=99999999))

    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.conversations)

    def worker(index: int) -> None:
        mine: dict[str, list[float]] = defaultdict(list)
        barrier.wait()
        for round_ in range(args.rounds):
            for name, script in SCRIPTS.items():
                session = f"bench-{index}-{round_}-{name}"
                number = index * 1000 + round_
                for text in script:
                    start = time.perf_counter()
                    try:
                        result = manager.handle(session, text.format(n=number))
                    except Exception as err:
                        with lock:
                            errors.append(f"{session}: {err!r}")
                        continue
                    mine[name].append(time.perf_counter() - start)
                    if "没有处理成功" in result.text:
                        with lock:
                            errors.append(f"{session}: retry message")
                    if args.think_ms:
                        time.sleep(args.think_ms / 1000)
        with lock:
            for name, values in mine.items():
                latencies[name].extend(values)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.conversations)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started

    every = sorted(v for values in latencies.values() for v in values)
    if not every:
        raise SystemExit("no turns completed")

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"\n{args.conversations} concurrent conversations x {args.rounds} rounds x {len(SCRIPTS)} scripts, "
        f"think time {args.think_ms:.0f} ms, {'fake' if args.fake else 'real'} components, "
        f"{os.cpu_count()} CPUs (load average {load[0]:.1f})"
    )
    print(f"turns: {len(every)} in {wall:.2f}s = {len(every) / wall:.1f} turns/s; errors: {len(errors)}")
    print(
        f"latency ms: p50 {pct(every, 0.50):.1f}  p95 {pct(every, 0.95):.1f}  p99 {pct(every, 0.99):.1f}  "
        f"max {every[-1] * 1000:.1f}  mean {statistics.mean(every) * 1000:.1f}"
    )
    print("by script (p50 / p95 ms):")
    for name, values in sorted(latencies.items()):
        values.sort()
        print(f"  {name:<13} n={len(values):<4} {pct(values, 0.5):7.1f} / {pct(values, 0.95):7.1f}")
    for line in errors[:5]:
        print("error:", line)


if __name__ == "__main__":
    main()
