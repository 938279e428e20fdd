"""Latency of the main HTTP routes, in process (ASGI test client, SQLite in a temporary directory).

Measures what the web layer adds (auth, validation, middleware, database) on top of the components;
with ``--real`` the real triage models, knowledge base and assistant are used (trained/built on the
fly from the demo data), otherwise the keyword fakes.

    .venv/bin/python benchmarks/serving_latency.py [--real] [--orders 200] [--repeat 100]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from serving.app import create_app
from serving.fakes import InMemoryModelRegistry, KeywordTriager, StaticKnowledgeBase, demo_hits, hashing_embed
from serving.services import build_services
from serving.settings import Settings
from workorders.config import load_city_config
from workorders.migrate import upgrade

TEXTS = [
    "小区门口的路灯坏了一个多星期，晚上很黑",
    "楼下饭店油烟直排，窗户都不能开",
    "公司拖欠工资三个月了，老板联系不上",
    "路口红绿灯坏了，早晚高峰很堵",
    "学校周边有无证摊贩，卫生很差",
    "我们楼已经停水一天了，也没有通知",
    "工地夜里施工噪音太大，影响休息",
    "超市卖过期食品，要求退款被拒绝",
]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    print(
        f"{name:<38} n={len(samples):<4} mean={statistics.fmean(samples):7.2f} ms  "
        f"p50={statistics.median(samples):7.2f} ms  p95={p95:7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="use the real NLP components")
    parser.add_argument("--orders", type=int, default=200, help="orders filed (and measured)")
    parser.add_argument("--repeat", type=int, default=100, help="samples per read route")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    settings = Settings(home=home, environment="test", public_rate_limit=10**9)
    config = load_city_config()
    fakes = (
        {}
        if args.real
        else {
            "triager": KeywordTriager(config),
            "knowledge_base": StaticKnowledgeBase(demo_hits()),
            "registry": InMemoryModelRegistry({"category": None}),
            "report_embed": hashing_embed,
        }
    )
    services = build_services(settings, config=config, password_hasher=PasswordHasher(), **fakes)
    upgrade(services.engine)
    start = time.perf_counter()
    services.warm_up()
    print(f"components: {services.component_states()}  (warm-up {time.perf_counter() - start:.1f} s)")
    services.accounts.create_user("operator", "bench-pass-8d2k1x", "operator")
    key = services.accounts.create_api_key("bench")[0]

    with TestClient(create_app(settings, services)) as client:
        citizen = {"Authorization": "Bearer " + client.post("/api/citizen/session").json()["token"]}
        numbers: list[str] = []

        def file_one() -> None:
            text = TEXTS[len(numbers) % len(TEXTS)] + f"（第{len(numbers)}次）"
            r = client.post(
                "/api/citizen/orders", json={"text": text, "phone": "13812345678"}, headers=citizen
            )
            numbers.append(r.json()["order"]["number"])

        report("POST /api/citizen/orders (triage+file)", timed(file_one, args.orders))
        login = timed(
            lambda: client.post(
                "/api/auth/token", json={"username": "operator", "password": "bench-pass-8d2k1x"}
            ),
            5,
        )
        report("POST /api/auth/token (argon2 default)", login)
        token = client.post("/api/auth/token", json={"username": "operator", "password": "bench-pass-8d2k1x"})
        op = {"Authorization": "Bearer " + token.json()["access_token"]}
        report(
            f"GET /api/queue ({len(numbers)} open orders)",
            timed(lambda: client.get("/api/queue", headers=op), args.repeat),
        )
        report(
            "GET /api/orders/{n}/suggestions",
            timed(lambda: client.get(f"/api/orders/{numbers[0]}/suggestions", headers=op), args.repeat),
        )
        report(
            "GET /console (HTML queue)",
            timed(
                lambda: client.get("/console", headers={**op, "accept": "text/html"}),
                max(10, args.repeat // 5),
            ),
        )
        report(
            "GET /api/citizen/orders",
            timed(lambda: client.get("/api/citizen/orders", headers=citizen), args.repeat),
        )
        report(
            "POST /open311/v2/requests.json",
            timed(
                lambda: client.post(
                    "/open311/v2/requests.json",
                    data={
                        "api_key": key,
                        "service_code": "transportation",
                        "description": "红绿灯坏了",
                        "address_string": "路口",
                    },
                ),
                max(10, args.repeat // 2),
            ),
        )
        report(
            "GET /open311/v2/requests.json",
            timed(lambda: client.get("/open311/v2/requests.json", params={"api_key": key}), args.repeat),
        )
        report("GET /healthz", timed(lambda: client.get("/healthz"), args.repeat))
    services.close()


if __name__ == "__main__":
    main()
