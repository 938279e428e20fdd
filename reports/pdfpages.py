"""The daily report as an A4 PDF, laid out with matplotlib alone (no browser, no HTML engine).

Matplotlib's PDF backend embeds the CJK font's glyphs (subset, searchable), so the PDF renders the
same everywhere. Pages are filled top to bottom by a small layout helper: headings, wrapped text,
one-line-per-row tables (long cells are shortened with "…"; the HTML page has the full text) and charts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from reports import charts
from reports.fonts import cjk_rc
from reports.hot_issues import HotIssueResult
from reports.model import CountItem, DailyReport, OrderRef

PAGE_W, PAGE_H = 8.27, 11.69  # A4, inches
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 0.6, 0.65, 0.7
TEXT_W = PAGE_W - 2 * MARGIN_X
INK, MUTED, RULE, HEAD_BG, ACCENT = "#1d2733", "#5b6776", "#c9d2dc", "#eef3f8", "#b42318"


def _char_em(ch: str) -> float:
    """Approximate advance width in ems: full-width (CJK) characters 1, others about 0.55."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.56


def text_width(text: str, size: float) -> float:
    """Approximate width of `text` in inches at `size` points."""
    return sum(_char_em(c) for c in text) * size / 72.0


def fit(text: str, width: float, size: float) -> str:
    """`text` shortened with "…" to fit `width` inches."""
    if text_width(text, size) <= width:
        return text
    out, used, limit = [], 0.0, width - text_width("…", size)
    for ch in text:
        w = _char_em(ch) * size / 72.0
        if used + w > limit:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking by character (Chinese has no spaces to break at)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0.0
        for ch in para:
            w = _char_em(ch) * size / 72.0
            if used + w > width and line:
                lines.append(line)
                line, used = "", 0.0
            line += ch
            used += w
        lines.append(line)
    return lines


class PageWriter:
    """Fills A4 pages top to bottom; starts a new page whenever the next block does not fit."""

    def __init__(self, pdf: PdfPages, header: str) -> None:
        self.pdf = pdf
        self.header = header
        self.fig: Figure | None = None
        self.y = 0.0  # inches from the top of the page
        self.pages = 0

    # -- pages --------------------------------------------------------------------------------

    def _new_page(self) -> None:
        self._flush()
        self.pages += 1
        self.fig = Figure(figsize=(PAGE_W, PAGE_H))
        self.fig.text(MARGIN_X / PAGE_W, 1 - 0.35 / PAGE_H, self.header, fontsize=7.5, color=MUTED, va="top")
        self.fig.text(
            1 - MARGIN_X / PAGE_W, 0.35 / PAGE_H, f"第 {self.pages} 页", fontsize=7.5, color=MUTED, ha="right"
        )
        self.y = MARGIN_TOP

    def _flush(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def need(self, height: float) -> None:
        if self.fig is None or self.y + height > PAGE_H - MARGIN_BOTTOM:
            self._new_page()

    def _text(self, x: float, text: str, size: float, **kwargs: object) -> None:
        assert self.fig is not None
        self.fig.text(x / PAGE_W, 1 - self.y / PAGE_H, text, fontsize=size, va="top", **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        self._flush()

    # -- blocks -------------------------------------------------------------------------------

    def title(self, text: str, sub: str) -> None:
        self.need(0.9)
        self._text(MARGIN_X, text, 16, color=INK, weight="bold")
        self.y += 0.38
        self._text(MARGIN_X, sub, 8.5, color=MUTED)
        self.y += 0.3

    def heading(self, text: str) -> None:
        self.need(0.7)
        self.y += 0.12
        self._text(MARGIN_X, text, 12.5, color=INK, weight="bold")
        self.y += 0.27
        assert self.fig is not None
        self.fig.add_artist(
            _hline(self.fig, MARGIN_X, PAGE_W - MARGIN_X, self.y - 0.03, colour="#2f6db5", width=1.2)
        )
        self.y += 0.08

    def subheading(self, text: str) -> None:
        self.need(0.5)
        self.y += 0.06
        self._text(MARGIN_X, text, 10.5, color=INK, weight="bold")
        self.y += 0.24

    def paragraph(self, text: str, size: float = 9, colour: str = INK, indent: float = 0.0) -> None:
        line_h = size * 1.55 / 72
        for line in wrap(text, TEXT_W - indent, size):
            self.need(line_h)
            self._text(MARGIN_X + indent, line, size, color=colour)
            self.y += line_h
        self.y += 0.04

    def notice(self, text: str) -> None:
        self.paragraph("▶ " + text, size=9.5, colour=ACCENT)

    def table(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], size: float = 8
    ) -> None:
        """A table; `widths` are fractions of the text width; the header repeats on each new page."""
        row_h = size * 1.75 / 72
        cols = [w * TEXT_W for w in widths]
        xs = [MARGIN_X + sum(cols[:i]) for i in range(len(cols))]

        def header() -> None:
            assert self.fig is not None
            self.fig.add_artist(_band(self.fig, MARGIN_X, self.y, TEXT_W, row_h))
            for x, w, h in zip(xs, cols, headers, strict=True):
                self._text(x + 0.04, fit(h, w - 0.08, size), size, color=INK, weight="bold")
            self.y += row_h

        self.need(row_h * 2)
        header()
        for row in rows:
            if self.y + row_h > PAGE_H - MARGIN_BOTTOM:
                self._new_page()
                header()
            for x, w, cell in zip(xs, cols, row, strict=True):
                self._text(x + 0.04, fit(str(cell), w - 0.08, size), size, color=INK)
            self.y += row_h
            assert self.fig is not None
            self.fig.add_artist(
                _hline(self.fig, MARGIN_X, PAGE_W - MARGIN_X, self.y - 0.03, colour=RULE, width=0.4)
            )
        self.y += 0.12

    def chart(
        self, draw: Callable[[Axes], None], height: float = 2.6, left: float = 0.0, width: float = 1.0
    ) -> None:
        """A chart `height` inches tall; `left`/`width` as fractions of the text width (side-by-side charts)."""
        self.need(height + 0.1)
        assert self.fig is not None
        label_room = 1.3  # inches for the y tick labels of horizontal bar charts
        x0 = MARGIN_X + left * TEXT_W + label_room
        w = width * TEXT_W - label_room - 0.15
        ax = self.fig.add_axes(
            (x0 / PAGE_W, 1 - (self.y + height - 0.15) / PAGE_H, w / PAGE_W, (height - 0.45) / PAGE_H)
        )
        draw(ax)
        self.y += height

    def advance(self, height: float) -> None:
        self.y += height


def _hline(fig: Figure, x0: float, x1: float, y: float, colour: str, width: float):  # type: ignore[no-untyped-def]
    from matplotlib.lines import Line2D

    return Line2D(
        [x0 / PAGE_W, x1 / PAGE_W],
        [1 - y / PAGE_H] * 2,
        transform=fig.transFigure,
        color=colour,
        linewidth=width,
    )


def _band(fig: Figure, x: float, y: float, w: float, h: float):  # type: ignore[no-untyped-def]
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x / PAGE_W, 1 - (y + h - 0.03) / PAGE_H), w / PAGE_W, h / PAGE_H, transform=fig.transFigure,
        color=HEAD_BG, zorder=-1,
    )  # fmt: skip


# -- the report ---------------------------------------------------------------------------------


def _order_rows(orders: Sequence[OrderRef], tz: ZoneInfo) -> list[list[str]]:
    def t(x):  # type: ignore[no-untyped-def]
        return x.astimezone(tz).strftime("%m-%d %H:%M") if x is not None else "—"

    return [
        [o.number, o.title, o.district or "—", o.department or "—", o.status, t(o.deadline_at), o.detail]
        for o in orders
    ]


def render(report: DailyReport, path: Path) -> Path:
    """Write `report` to `path` as a PDF; returns the path."""
    tz = ZoneInfo(report.timezone)
    path.parent.mkdir(parents=True, exist_ok=True)
    with cjk_rc(), PdfPages(path, metadata={"Title": report.title, "Creator": "civic-intake"}) as pdf:
        w = PageWriter(pdf, report.title)
        w.title(
            report.title,
            f"生成时间 {report.generated_at.astimezone(tz):%Y-%m-%d %H:%M} · "
            f"数据截至 {report.as_of.astimezone(tz):%Y-%m-%d %H:%M} · 时区 {report.timezone}",
        )
        for n in report.notices:
            w.notice(n)
        if report.state != "future":
            _overview(w, report)
            _volume(w, report)
            _hot(w, report)
            _alerts(w, report)
            _supervision(w, report, tz)
        w.heading("统计口径")
        for d in report.definitions:
            w.paragraph("· " + d, size=8, colour=MUTED)
        w.close()
    return path


def _overview(w: PageWriter, r: DailyReport) -> None:
    assert r.volume is not None and r.rates is not None
    v, rates = r.volume, r.rates
    w.heading("一、总体情况")
    w.paragraph(
        f"当日受理 {v.total} 件（前一日 {v.previous_day} 件，前 7 日日均 {v.average_7d:.1f} 件）；"
        f"答复 {rates.replied} 件，办结 {rates.closed} 件，回访 {rates.rated} 件。"
    )
    rows = [
        [x.name, x.percent(), str(x.numerator), str(x.denominator)]
        for x in (rates.response, rates.resolution, rates.satisfaction)
    ]
    w.table(["指标", "数值", "分子", "分母"], rows, [0.25, 0.25, 0.25, 0.25])
    if not rates.rated:
        w.paragraph("当日没有回访评价，解决率和满意率无数据。", colour=MUTED)
    if charts.has_data(v.trend):
        w.chart(partial(charts.trend_chart, items=v.trend, title="近 8 日受理量"), height=2.3)
    if any(x.denominator for x in (rates.response, rates.resolution, rates.satisfaction)):
        w.chart(partial(charts.rates_chart, rates=rates), height=1.9)


def _volume(w: PageWriter, r: DailyReport) -> None:
    assert r.volume is not None
    v = r.volume
    w.heading("二、受理情况")
    if v.total == 0:
        w.notice("当日没有受理工单，无分类统计。")
    else:
        pairs = [
            ("受理渠道", v.by_channel),
            ("问题类别", v.by_category),
            ("承办部门", v.by_department),
            ("所在区县", v.by_district),
        ]
        for (t1, i1), (t2, i2) in (pairs[:2], pairs[2:]):
            w.need(2.7)
            top = w.y
            w.chart(partial(charts.bar_chart, items=i1, title=t1, max_items=8, label_chars=9), 2.6, 0.0, 0.5)
            w.y = top
            w.chart(partial(charts.bar_chart, items=i2, title=t2, max_items=8, label_chars=9), 2.6, 0.5, 0.5)
            w.y = top + 2.6
        rows = [[i.label, str(i.count), f"{100 * i.count / v.total:.1f}%"] for i in v.by_department]
        w.subheading("按承办部门")
        w.table(["承办部门", "件数", "占比"], rows, [0.6, 0.2, 0.2])
    if v.departments_without_orders:
        w.paragraph(
            "当日无工单的部门：" + "、".join(v.departments_without_orders) + "。", size=8.5, colour=MUTED
        )


def _hot(w: PageWriter, r: DailyReport) -> None:
    h = r.hot_issues
    assert h is not None
    w.heading("三、热点问题")
    w.paragraph(
        f"近 {h.window_days} 日受理 {h.orders_in_window} 件工单中，按同一地点、同一事项聚类。"
        + (h.note or ""),
        colour=MUTED,
    )
    if not h.issues:
        w.notice(f"近 {h.window_days} 日未发现热点问题。")
        return
    items = [CountItem(key=str(i.rank), label=f"{i.rank}. {i.place}", count=i.count) for i in h.issues]
    w.chart(
        partial(charts.bar_chart, items=items, title="热点问题件数", label_chars=12),
        height=min(3.4, 1.0 + 0.3 * len(items)),
    )
    rows = [
        [
            str(i.rank),
            i.label,
            str(i.count),
            str(i.recent_count),
            str(i.reach),
            r.department_names(i.departments[:2]),
        ]
        for i in h.issues
    ]
    w.table(
        ["#", "热点问题", "件数", "当日新增", "涉及人数", "承办部门"], rows, [0.05, 0.47, 0.08, 0.1, 0.1, 0.2]
    )
    w.subheading("典型工单")
    for i in h.issues:
        for s in h.samples.get(i.rank, []):
            w.paragraph(
                f"[{i.rank}] {s.number}  {s.title}（{s.district or '—'}，{s.department or '—'}）", size=8.5
            )


def _alerts(w: PageWriter, r: DailyReport) -> None:
    w.heading("四、预警（未诉先办）")
    if not r.alerts:
        w.notice("当日未触发预警。")
        return
    rows = [
        [
            ("【新】" if a.new else "") + a.label,
            a.scope,
            str(a.count),
            f"{a.baseline:.2f}",
            f"{a.ratio:.1f}",
            r.department_names(a.departments),
        ]
        for a in r.alerts
    ]
    w.table(
        ["预警", "范围", "当日件数", "前期日均", "倍数", "责任部门"], rows, [0.22, 0.12, 0.1, 0.1, 0.08, 0.38]
    )
    for a in r.alerts:
        w.paragraph(f"{a.scope}{a.label} 涉及工单：" + "，".join(a.order_numbers), size=8, colour=MUTED)


def _supervision(w: PageWriter, r: DailyReport, tz: ZoneInfo) -> None:
    s = r.supervision
    assert s is not None
    w.heading("五、督办清单")
    widths = [0.16, 0.24, 0.07, 0.16, 0.07, 0.12, 0.18]
    for lst in (s.overdue, s.chased, s.unsatisfied):
        w.subheading(f"{lst.name}（{lst.total} 件）")
        more = f"；仅列前 {len(lst.orders)} 件" if lst.total > len(lst.orders) else ""
        w.paragraph(lst.definition + more, size=8, colour=MUTED)
        if lst.orders:
            w.table(
                ["工单号", "标题", "区县", "承办部门", "状态", "办理时限", "说明"],
                _order_rows(lst.orders, tz),
                widths,
            )
        else:
            w.paragraph("无。")
    w.subheading(f"退单较多的部门（近 {s.returns_window_days} 日）")
    if not s.returns_by_department:
        w.paragraph(f"近 {s.returns_window_days} 日没有退单。")
        return
    rows = [
        [d.label, str(d.count), str(d.count_on_day), "，".join(d.order_numbers)]
        for d in s.returns_by_department
    ]
    w.table(["部门", "退单数", "其中当日", "工单"], rows, [0.3, 0.1, 0.1, 0.5])


def render_hot_issues(result: HotIssueResult, path: Path, title: str) -> Path:
    """A PDF of ranked hot issues (for an imported message set): chart, table and sample messages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with cjk_rc(), PdfPages(path, metadata={"Title": title, "Creator": "civic-intake"}) as pdf:
        w = PageWriter(pdf, title)
        w.title(
            title,
            f"共 {result.messages_total} 条留言 · 聚类 {result.clusters_found} 组 · 嵌入模型 {result.embedder}",
        )
        if result.note:
            w.notice(result.note)
        if not result.issues:
            w.notice("没有发现热点问题（同一地点、同一事项的留言不足）。")
            w.close()
            return path
        counts = [
            CountItem(key=str(i.rank), label=f"{i.rank}. {i.place}", count=i.count) for i in result.issues
        ]
        w.chart(partial(charts.bar_chart, items=counts, title="热点问题留言数", label_chars=12), height=3.2)
        if any(i.likes for i in result.issues):
            likes = [
                CountItem(key=str(i.rank), label=f"{i.rank}. {i.place}", count=i.likes) for i in result.issues
            ]
            w.chart(
                partial(charts.bar_chart, items=likes, title="热点问题点赞数", label_chars=12), height=3.2
            )
        rows = [
            [str(i.rank), i.label, str(i.count), str(i.likes), f"{i.first_seen:%Y-%m-%d}~{i.last_seen:%m-%d}"]
            for i in result.issues
        ]
        w.heading("热点问题排行")
        w.table(
            ["#", "热点问题（地点：关键词）", "留言数", "点赞", "时间范围"], rows, [0.05, 0.55, 0.1, 0.1, 0.2]
        )
        w.heading("典型留言")
        for i in result.issues:
            w.subheading(f"{i.rank}. {i.label}")
            for s in i.samples:
                w.paragraph(f"{s.id}  {s.time:%Y-%m-%d}  {s.title}（点赞 {s.likes}）", size=8.5)
        w.close()
    return path
