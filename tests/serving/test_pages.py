"""The server-rendered pages: citizen chat, operator console, trainer console."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

from serving.services import Services

HTML = {"accept": "text/html"}


def _sign_in(client: TestClient, role: str, password: str) -> None:
    client.cookies.clear()
    response = client.post("/login", data={"username": role, "password": password}, follow_redirects=False)
    assert response.status_code == 303


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


def test_citizen_page_issues_a_session_and_offers_the_form(client: TestClient) -> None:
    page = client.get("/", headers=HTML)
    assert page.status_code == 200 and "在线诉求" in page.text
    assert 'id="order-form"' in page.text and "110" in page.text
    first = page.cookies["intake_citizen"]
    again = client.get("/", headers=HTML)
    assert "intake_citizen" not in again.cookies  # the session is kept, not replaced
    cid = re.search(r'data-citizen-id="([0-9a-f]{32})"', again.text)
    assert cid and cid.group(1) in first


def test_console_lists_queue_with_overdue_rows(client: TestClient, clock, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    number = file_order(new_citizen(), "电梯困人，很危险")["number"]
    _sign_in(client, "operator", "op-pass-7f3k2m")
    html = client.get("/console", headers=HTML).text
    assert number in html and "overdue" not in re.search(
        rf'<tr class="([^"]*)" data-number="{number}"', html
    ).group(1)
    clock.advance(hours=3)
    html = client.get("/console", headers=HTML).text
    assert "overdue" in re.search(rf'<tr class="([^"]*)" data-number="{number}"', html).group(1)
    assert "已超期" in html


def test_order_page_shows_suggestions_and_override_changes_routing(  # type: ignore[no-untyped-def]
    client: TestClient, services: Services, new_citizen, file_order
) -> None:
    number = file_order(new_citizen(), "小区路灯坏了，晚上很黑")["number"]
    _sign_in(client, "operator", "op-pass-7f3k2m")
    html = client.get(f"/console/orders/{number}", headers=HTML).text
    for expected in (
        "建议分类",
        "城乡建设",
        "100.0%",
        "市城市管理局",
        "路灯线路老化",
        "《示范市市容管理办法》第八条",
        "接受建议",
    ):
        assert expected in html, expected
    csrf = _csrf(html)
    response = client.post(
        f"/console/orders/{number}/action",
        data={
            "csrf_token": csrf,
            "action": "reclassify",
            "category": "交通运输",
            "lead_department": "transport",
        },
    )
    assert response.status_code == 200 and "已完成" in response.text
    order = services.orders.get(number)
    assert (order.category, order.lead_department) == ("交通运输", "transport")
    failed = client.post(f"/console/orders/{number}/action", data={"csrf_token": csrf, "action": "close"})
    assert "操作未完成" in failed.text and "不能办结" in failed.text and "cannot" not in failed.text


def test_daily_report_html_and_pdf(client: TestClient, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("reports.daily", reason="the reports package is not installed")
    file_order(new_citizen(), "小区路灯坏了")
    _sign_in(client, "operator", "op-pass-7f3k2m")
    console = client.get("/console", headers=HTML).text
    assert 'href="/reports/daily?date=2026-11-25"' in console
    page = client.get("/reports/daily?date=2026-11-25")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "示范市" in page.text and "script-src" not in page.headers["content-security-policy"]
    pdf = client.get("/reports/daily?date=2026-11-25&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/reports/daily?date=not-a-date").status_code == 422
    assert client.get("/reports/daily?department=mars").status_code == 422


def test_trainer_console_imports_trains_and_promotes(client: TestClient, services: Services) -> None:
    _sign_in(client, "trainer", "tr-pass-9x2q4w")
    page = client.get("/trainer", headers=HTML).text
    csrf = _csrf(page)
    assert "导入标注数据" in page and "开始训练" in page
    upload = client.post(
        "/trainer/import",
        data={"head": "category", "csrf_token": csrf},
        files={
            "file": ("d.csv", io.BytesIO("text,label\n路灯,城乡建设\n噪音,环境保护\n".encode()), "text/csv")
        },
    )
    assert "已导入 2 条「分类」标注样本" in upload.text
    again = client.post(
        "/trainer/import",
        data={"head": "category", "csrf_token": csrf},
        files={"file": ("d.csv", io.BytesIO("text,label\n路灯,城乡建设\n".encode()), "text/csv")},
    )
    assert "已导入 0 条「分类」标注样本，跳过已有的重复样本 1 条" in again.text
    assert "回滚到上一版本" not in again.text, "nothing to roll back to before a second version"
    job = services.training.start("category", "trainer")
    services.training.shutdown()  # waits for the job
    assert services.training.get(job.id).state.value == "succeeded"
    page = client.get("/trainer", headers=HTML).text
    assert 'data-version="v1"' in page and "confusion.png" in page and "accuracy" in page
    assert "只在 2 条样本上评估" in page, "a toy evaluation is flagged before anyone enables it"
    promoted = client.post("/trainer/promote", data={"head": "category", "version": "v1", "csrf_token": csrf})
    assert "已启用版本 v1" in promoted.text and "使用中" in promoted.text


def test_operator_pages_refuse_trainers_and_vice_versa(client: TestClient) -> None:
    _sign_in(client, "trainer", "tr-pass-9x2q4w")
    assert client.get("/console", headers=HTML).status_code == 403
    _sign_in(client, "operator", "op-pass-7f3k2m")
    assert client.get("/trainer", headers=HTML).status_code == 403


def test_docs_are_served_offline(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs/static/swagger-ui-bundle.js" in docs.text
    assert client.get("/docs/static/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/open311/v2/requests.json" in spec["paths"] and "/api/queue" in spec["paths"]
