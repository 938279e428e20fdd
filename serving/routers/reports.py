"""The daily report (日报) for operators and admins: HTML, or PDF with ``?format=pdf``."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from serving.accounts import Role
from serving.security import StaffPrincipal, get_services, require_staff
from workorders.errors import ValidationError

router = APIRouter(tags=["reports"])


#: The report page is self-contained: inline styles and charts as data: URLs, no scripts.
REPORT_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; frame-ancestors 'none'"
)


@router.get(
    "/reports/daily",
    response_class=Response,
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}},
    summary="Daily report of one day (default: today, city time), for the city or one department",
)
def daily_report(
    request: Request,
    date: Annotated[dt.date | None, Query(description="YYYY-MM-DD")] = None,
    format: Annotated[Literal["html", "pdf"], Query()] = "html",
    department: Annotated[str | None, Query(max_length=64, description="a department code")] = None,
    _: StaffPrincipal = Depends(require_staff(Role.OPERATOR)),
) -> Response:
    services = get_services(request)
    from reports.daily import build_daily_report, render_html, render_pdf  # matplotlib: load on first use

    if department is not None and department not in {d.code for d in services.config.departments}:
        raise ValidationError(f"unknown department {department!r}")
    tz = services.orders.deadlines.timezone
    day = date or services.clock().astimezone(tz).date()
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ValidationError("date must be between 2000-01-01 and 2100-12-31")
    report = build_daily_report(
        services.sessions,
        day,
        services.config,
        department=department,
        settings=services.report_settings,
        embed=services.report_embed,
        now=services.clock(),
    )
    if format == "pdf":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"daily-{day.isoformat()}.pdf"
            render_pdf(report, path)
            data = path.read_bytes()
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="daily-{day.isoformat()}.pdf"'},
        )
    return HTMLResponse(render_html(report), headers={"Content-Security-Policy": REPORT_CSP})
