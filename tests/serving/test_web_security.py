"""Roles on every route, escaping, body limits, malformed input, sign-in, rate limits, headers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from serving.app import create_app
from serving.settings import Settings

STAFF_ROUTES = [
    ("GET", "/api/queue", "operator"),
    ("GET", "/api/orders", "operator"),
    ("GET", "/api/orders/1", "operator"),
    ("POST", "/api/orders/1/actions", "operator"),
    ("GET", "/api/knowledge/search?q=x", "staff"),  # operators and trainers
    ("GET", "/reports/daily", "operator"),
    ("GET", "/console", "operator"),
    ("GET", "/api/models", "trainer"),
    ("POST", "/api/training/jobs", "trainer"),
    ("POST", "/api/models/category/rollback", "trainer"),
    ("GET", "/trainer", "trainer"),
]


@pytest.mark.parametrize(("method", "path", "role"), STAFF_ROUTES)
def test_citizens_cannot_reach_staff_routes(
    client: TestClient, new_citizen, method: str, path: str, role: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.request(
        method, path, headers=new_citizen(), json={"action": "dispatch", "head": "category"}
    )
    assert response.status_code == 403, response.text


@pytest.mark.parametrize(("method", "path", "role"), STAFF_ROUTES)
def test_anonymous_callers_must_sign_in(client: TestClient, method: str, path: str, role: str) -> None:
    response = client.request(method, path, json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "role"), STAFF_ROUTES)
def test_each_staff_role_reaches_only_its_routes(
    client: TestClient, login, method: str, path: str, role: str
) -> None:  # type: ignore[no-untyped-def]
    if role != "staff":
        other = "trainer" if role == "operator" else "operator"
        refused = client.request(method, path, headers=login(other), json={})
        assert refused.status_code == 403
    for allowed in [role, "admin"] if role != "staff" else ["operator", "trainer", "admin"]:
        response = client.request(method, path, headers=login(allowed), json={})
        assert response.status_code not in (401, 403), (allowed, response.text)


def test_staff_tokens_do_not_open_citizen_routes(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/citizen/orders", headers=login("admin")).status_code == 401


def test_script_in_a_complaint_shows_as_text_in_the_console(
    client: TestClient, login, new_citizen, file_order
) -> None:  # type: ignore[no-untyped-def]
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    number = file_order(new_citizen(), f"路灯不亮 {payload}", title=payload)["number"]
    op = login("operator")
    for path in ("/console", f"/console/orders/{number}"):
        html = client.get(path, headers={**op, "accept": "text/html"}).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html
    csp = client.get("/console", headers=op).headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_oversized_bodies_get_413(client: TestClient, new_citizen, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    big = "路" * settings.max_body_bytes
    response = client.post(
        "/api/citizen/orders", json={"text": big, "anonymous": True}, headers=new_citizen()
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]

    def chunks():  # no Content-Length: the limit is enforced while the body streams in
        for _ in range(settings.max_body_bytes // 1000 + 2):
            yield b" " * 1000

    streamed = client.post(
        "/api/citizen/orders", content=chunks(), headers={**new_citizen(), "content-type": "application/json"}
    )
    assert streamed.status_code == 413
    o311 = client.post("/open311/v2/requests.json", content=b"a" * (settings.max_body_bytes + 1))
    assert o311.status_code == 413 and o311.json()[0]["code"] == 413


def test_malformed_json_gets_422_with_a_clear_message(client: TestClient, new_citizen) -> None:  # type: ignore[no-untyped-def]
    headers = {**new_citizen(), "content-type": "application/json"}
    response = client.post("/api/citizen/orders", content='{"text": "路灯", '.encode(), headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("the request body is not valid JSON")
    wrong_type = client.post(
        "/api/citizen/orders", json={"text": 5, "anonymous": "maybe"}, headers=new_citizen()
    )
    assert wrong_type.status_code == 422
    assert "text" in wrong_type.json()["detail"] and "anonymous" in wrong_type.json()["detail"]
    nul = client.post(
        "/api/citizen/orders", json={"text": "a\u0000b", "anonymous": True}, headers=new_citizen()
    )
    assert nul.status_code == 422 and "NUL" in nul.json()["detail"]
    extra = client.post(
        "/api/citizen/orders", json={"text": "a", "anonymous": True, "admin": True}, headers=new_citizen()
    )
    assert extra.status_code == 422


def test_login_page_flow_and_no_open_redirect(client: TestClient) -> None:
    redirect = client.get("/console", headers={"accept": "text/html"}, follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"].startswith("/login?next=/console")
    wrong = client.post("/login", data={"username": "operator", "password": "nope"}, follow_redirects=False)
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    ok = client.post(
        "/login",
        data={"username": "operator", "password": "op-pass-7f3k2m", "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/console"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/console", headers={"accept": "text/html"}).status_code == 200


def test_cookie_signed_in_forms_need_the_csrf_token(client: TestClient, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    number = file_order(new_citizen(), "路灯不亮")["number"]
    client.cookies.clear()
    client.post("/login", data={"username": "operator", "password": "op-pass-7f3k2m"})
    forged = client.post(
        f"/console/orders/{number}/action", data={"action": "dispatch"}, follow_redirects=False
    )
    assert forged.status_code == 403
    page = client.get(f"/console/orders/{number}", headers={"accept": "text/html"}).text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    done = client.post(
        f"/console/orders/{number}/action",
        data={"action": "dispatch", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=dispatch")


def test_login_and_public_endpoints_are_rate_limited(settings: Settings, services) -> None:  # type: ignore[no-untyped-def]
    limited = settings.model_copy(update={"public_rate_limit": 3, "login_rate_limit": 2})
    with TestClient(create_app(limited, services)) as c:
        codes = [c.post("/api/citizen/session").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        attempts = [
            c.post("/api/auth/token", json={"username": "operator", "password": "guess"}).status_code
            for _ in range(3)
        ]
        assert attempts == [401, 401, 429]
        blocked = c.post("/api/citizen/session")
        assert int(blocked.headers["retry-after"]) >= 1


def test_security_headers_and_request_id(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert len(response.headers["x-request-id"]) == 16
    assert "content-security-policy" not in client.get("/docs").headers
