"""The daily report as one self-contained HTML page (charts inlined as PNG data URIs).

Self-contained so that it can be mailed, archived or served as a static file without broken links;
the template (``daily_report.html``, package data) uses only system fonts, Chinese ones first.
"""

from __future__ import annotations

import base64
from functools import partial
from importlib import resources
from zoneinfo import ZoneInfo

from jinja2 import Environment, Template

from reports import charts
from reports.model import DailyReport

TEMPLATE_NAME = "daily_report.html"


def _template() -> Template:
    source = resources.files("reports").joinpath(TEMPLATE_NAME).read_text(encoding="utf-8")
    return Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(source)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def chart_images(report: DailyReport) -> dict[str, str]:
    """Data URIs of the charts that have something to show (a chart without data is left out)."""
    images: dict[str, str] = {}
    vol = report.volume
    if vol is not None and vol.total > 0:
        for key, items, title in (
            ("channel", vol.by_channel, "受理渠道"),
            ("category", vol.by_category, "问题类别"),
            ("department", vol.by_department, "承办部门"),
            ("district", vol.by_district, "所在区县"),
        ):
            if charts.has_data(items):
                images[key] = _data_uri(
                    charts.figure_png(partial(charts.bar_chart, items=items, title=title))
                )
    if vol is not None and charts.has_data(vol.trend):
        images["trend"] = _data_uri(
            charts.figure_png(
                partial(charts.trend_chart, items=vol.trend, title="近 8 日受理量"), size=(6.0, 2.6)
            )
        )
    rates = report.rates
    if rates is not None and any(
        r.denominator for r in (rates.response, rates.resolution, rates.satisfaction)
    ):
        images["rates"] = _data_uri(
            charts.figure_png(partial(charts.rates_chart, rates=rates), size=(6.0, 2.2))
        )
    hot = report.hot_issues
    if hot is not None and hot.issues:
        from reports.model import CountItem

        items = [CountItem(key=str(i.rank), label=f"{i.rank}. {i.place}", count=i.count) for i in hot.issues]
        images["hot"] = _data_uri(
            charts.figure_png(
                partial(charts.bar_chart, items=items, title="热点问题件数", label_chars=16), size=(6.0, 3.4)
            )
        )
    return images


def render(report: DailyReport) -> str:
    tz = ZoneInfo(report.timezone)
    return _template().render(
        r=report,
        images=chart_images(report),
        local=lambda t, fmt="%m-%d %H:%M": t.astimezone(tz).strftime(fmt) if t is not None else "—",
    )
