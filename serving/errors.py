"""Every error the service returns, mapped to HTTP in ONE place.

Domain errors (`workorders.errors`) become their status code with ``{"detail", "code"}``; malformed
input becomes 422 with a sentence that says what is wrong and where; Open311 routes answer in the
GeoReport v2 error format (a list of ``{code, description}``); pages answer in HTML or redirect to the
sign-in page. Unexpected exceptions are logged (masked) and answered with a 500 that reveals nothing.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pydantic
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from workorders.errors import (
    ConfigError,
    DomainError,
    ExtensionLimitError,
    InvalidTransitionError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

log = logging.getLogger("intake.errors")

#: The single mapping from domain errors to HTTP status codes (most specific class first).
STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (NotFoundError, 404),
    (InvalidTransitionError, 409),
    (ValidationError, 422),
    (ExtensionLimitError, 422),
    (PermissionDeniedError, 403),
    (ConfigError, 500),
)


class AuthenticationRequired(DomainError):
    """No valid session or token; API callers get 401, page visitors the sign-in page."""

    code = "authentication_required"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many requests: retry in {max(1, round(retry_after))} s")
        self.retry_after = max(1, round(retry_after))


class ServiceUnavailable(DomainError):
    """A component (triage models, knowledge base, model registry) is not available right now."""

    code = "service_unavailable"


def status_for(err: DomainError) -> int:
    if isinstance(err, AuthenticationRequired):
        return 401
    if isinstance(err, RateLimited):
        return 429
    if isinstance(err, ServiceUnavailable):
        return 503
    for cls, status in STATUS_BY_ERROR:
        if isinstance(err, cls):
            return status
    return 400


def is_open311(request: Request) -> bool:
    return request.url.path.startswith("/open311/")


def wants_html(request: Request) -> bool:
    """Page routes (not the JSON API, Open311 or the chat webhook) answer errors with HTML."""
    path = request.url.path
    if path.startswith(("/api/", "/open311/", "/webhooks/", "/metrics", "/healthz", "/openapi")):
        return False
    return "text/html" in request.headers.get("accept", "")


def _open311(status: int, description: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse([{"code": status, "description": description}], status_code=status, headers=headers)


def _html_error(request: Request, status: int, message: str) -> Response:
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def error_response(request: Request, status: int, message: str, code: str, **extra: Any) -> Response:
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra.pop("retry_after"))
    if is_open311(request):
        # GeoReport v2 reports invalid input as 400 (it has no 422)
        return _open311(400 if status == 422 else status, message, headers)
    if wants_html(request):
        response = _html_error(request, status, message)
        response.headers.update(headers)
        return response
    return JSONResponse({"detail": message, "code": code, **extra}, status_code=status, headers=headers)


def describe_validation_errors(errors: list[dict[str, Any]] | Any) -> str:
    """One readable sentence for a list of pydantic/FastAPI errors."""
    parts = []
    for e in list(errors)[:5]:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "header", "form")]
        if e.get("type") == "json_invalid":
            ctx = e.get("ctx") or {}
            where = f" at position {loc[-1]}" if loc and loc[-1].isdigit() else ""
            parts.append(f"the request body is not valid JSON{where}: {ctx.get('error', 'decode error')}")
            continue
        msg = str(e.get("msg", "invalid value")).removeprefix("Value error, ")
        parts.append(f"{'.'.join(loc)}: {msg}" if loc else msg)
    return "; ".join(parts) or "invalid request"


def _jsonable_errors(errors: Any) -> list[dict[str, Any]]:
    clean = []
    for e in list(errors)[:20]:
        item = {k: e.get(k) for k in ("type", "loc", "msg")}
        clean.append(json.loads(json.dumps(item, default=str, ensure_ascii=False)))
    return clean


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers; called by the app factory."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, err: DomainError) -> Response:
        status = status_for(err)
        if status >= 500:
            log.error("server-side domain error on %s: %s", request.url.path, err)
        extra = {"retry_after": err.retry_after} if isinstance(err, RateLimited) else {}
        return error_response(request, status, str(err), err.code, **extra)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, err: RequestValidationError) -> Response:
        message = describe_validation_errors(err.errors())
        if is_open311(request):
            return _open311(400, message)
        if wants_html(request):
            return _html_error(request, 422, message)
        return JSONResponse(
            {"detail": message, "code": "validation_error", "errors": _jsonable_errors(err.errors())},
            status_code=422,
        )

    @app.exception_handler(pydantic.ValidationError)
    async def _model_validation(request: Request, err: pydantic.ValidationError) -> Response:
        message = describe_validation_errors(err.errors())
        return error_response(request, 400 if is_open311(request) else 422, message, "validation_error")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> Response:
        message = str(err.detail) if err.detail else "error"
        response = error_response(request, err.status_code, message, "http_error")
        if err.headers:
            response.headers.update(err.headers)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if wants_html(request):
            return HTMLResponse("<h1>500</h1><p>服务器内部错误，请稍后再试。</p>", status_code=500)
        return error_response(request, 500, "internal server error", "internal_error")
