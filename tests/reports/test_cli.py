"""`intake report daily` and `intake report hot-issues` through a throwaway Typer app."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from reports.cli import register
from tests.reports.conftest import TZ
from workorders.db import make_engine, make_session_factory
from workorders.schemas import NewWorkOrder
from workorders.service import WorkOrderService

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Throwaway root: no deployment settings."""

    register(app)
    return app


@pytest.fixture
def day_with_orders(sqlite_url: str, city_config) -> tuple[str, dt.date]:
    """A database with three water-cut orders filed two days ago (dates relative to today)."""
    day = dt.datetime.now(TZ).date() - dt.timedelta(days=2)
    engine = make_engine(sqlite_url)
    when = dt.datetime.combine(day, dt.time(9), tzinfo=TZ)
    service = WorkOrderService(make_session_factory(engine), city_config, clock=lambda: when)
    for i in range(3):
        service.file(
            NewWorkOrder.model_validate(
                {"citizen": {"phone": f"1390000{i:04d}"}, "title": "小区停水", "request": f"滨江路{i}号停水",
                 "category": "城乡建设", "district": "南湖区", "address": "南湖区滨江路"}
            )
        )  # fmt: skip
    engine.dispose()
    return sqlite_url, day


def test_daily_writes_html_pdf_and_json(day_with_orders, tmp_path: Path) -> None:
    url, day = day_with_orders
    out = tmp_path / "out"
    args = ["report", "daily", "--date", day.isoformat(), "--out", str(out), "--database-url", url,
            "--embedder", "hashing.v1"]  # fmt: skip
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    stem = f"daily-{day.isoformat()}"
    assert {p.name for p in out.iterdir()} == {f"{stem}.html", f"{stem}.pdf", f"{stem}.json"}
    data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert data["volume"]["total"] == 3
    assert "3 orders" in result.output
    assert "南湖区" in (out / f"{stem}.html").read_text(encoding="utf-8")


def test_daily_for_a_future_date_or_an_idle_department_says_so(day_with_orders, tmp_path: Path) -> None:
    url, day = day_with_orders
    future = day + dt.timedelta(days=10)
    result = runner.invoke(
        _app(),
        [
            "report",
            "daily",
            "--date",
            future.isoformat(),
            "--out",
            str(tmp_path),
            "--database-url",
            url,
            "--no-pdf",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "尚未到来" in result.output
    result = runner.invoke(
        _app(),
        ["report", "daily", "--date", day.isoformat(), "--out", str(tmp_path), "--database-url", url,
         "--department", "gas", "--no-pdf", "--embedder", "hashing.v1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "市燃气集团没有受理工单" in result.output
    assert (tmp_path / f"daily-{day.isoformat()}-gas.html").is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--date", "26/11/2026"], "is not a date"), (["--department", "nope"], "unknown department 'nope'")],
)
def test_daily_rejects_bad_input_with_one_line(
    day_with_orders, tmp_path: Path, extra: list[str], message: str
) -> None:
    url, _ = day_with_orders
    result = runner.invoke(_app(), ["report", "daily", "--out", str(tmp_path), "--database-url", url, *extra])
    assert result.exit_code == 1
    assert message in result.output


def test_hot_issues_over_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "messages.csv"
    rows = ["id,title,body,time,user,likes"]
    for i, title in enumerate(
        ["幸福里小区工地夜间施工扰民", "幸福里小区旁工地半夜施工噪音", "投诉幸福里小区附近工地夜间施工"]
    ):
        rows.append(f"{i},{title},{title}，请尽快处理,2026-11-2{i} 21:00:00,u{i},{i * 10}")
    rows.append("9,丹桂苑电梯故障,电梯停运,2026-11-21 08:00:00,u9,0")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(_app(), ["report", "hot-issues", str(path), "--json", "--embedder", "hashing.v1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(i["place"], i["count"], i["likes"]) for i in data["issues"]] == [("幸福里小区", 3, 30)]
    out = tmp_path / "out"
    text = runner.invoke(
        _app(), ["report", "hot-issues", str(path), "--embedder", "hashing.v1", "--out", str(out)]
    )
    assert " 1. 幸福里小区" in text.output
    assert (out / "hot-issues.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((out / "hot-issues.json").read_text(encoding="utf-8"))["issues"][0]["count"] == 3
    missing = runner.invoke(_app(), ["report", "hot-issues", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "file not found" in missing.output


@pytest.mark.slow
def test_daily_demo_builds_its_own_week(tmp_path: Path) -> None:
    day = dt.datetime.now(TZ).date() - dt.timedelta(days=1)
    args = ["report", "daily", "--demo", "--out", str(tmp_path), "--embedder", "hashing.v1", "--no-pdf"]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / f"daily-{day.isoformat()}.json").read_text(encoding="utf-8"))
    assert data["volume"]["total"] > 0 and data["alerts"] and data["supervision"]["overdue"]["total"] > 0
