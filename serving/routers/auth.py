"""Sign-in for staff (page form and API token) and chat sessions for citizens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from serving.accounts import Role
from serving.errors import AuthenticationRequired
from serving.schemas import CitizenSessionResponse, LoginRequest, TokenResponse
from serving.security import (
    STAFF_COOKIE,
    StaffPrincipal,
    check_login_rate,
    get_services,
    home_for,
    issue_citizen_session,
    rate_limit,
    require_staff,
    safe_next,
    set_cookie,
)

router = APIRouter(tags=["auth"])


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "login.html", {"next": safe_next(next, ""), "error": None}
    )


@router.post("/login", include_in_schema=False)
def login_form(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    services = get_services(request)
    check_login_rate(request, username)
    user = services.accounts.authenticate(username, password)
    if user is None:
        return request.app.state.templates.TemplateResponse(
            request,
            "login.html",
            {"next": safe_next(next, ""), "error": "用户名或密码错误"},
            status_code=401,
        )
    ttl = services.settings.staff_session_minutes * 60
    response = RedirectResponse(safe_next(next, home_for(user.role)), status_code=303)
    set_cookie(
        response, request, STAFF_COOKIE, services.signer.staff_token(user.id, user.token_version, ttl), ttl
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(STAFF_COOKIE, path="/")
    return response


@router.post(
    "/api/auth/token", response_model=TokenResponse, summary="Sign in and get a bearer token (staff)"
)
def token(body: LoginRequest, request: Request) -> TokenResponse:
    services = get_services(request)
    check_login_rate(request, body.username)
    user = services.accounts.authenticate(body.username, body.password)
    if user is None:
        raise AuthenticationRequired("wrong user name or password")
    ttl = services.settings.staff_session_minutes * 60
    return TokenResponse(
        access_token=services.signer.staff_token(user.id, user.token_version, ttl),
        expires_in=ttl,
        role=user.role.value,
    )


@router.get("/api/auth/me", summary="Who the bearer of this session is")
def me(principal: StaffPrincipal = Depends(require_staff(Role.OPERATOR, Role.TRAINER))) -> dict[str, Any]:
    return {"username": principal.name, "role": principal.role.value}


@router.post(
    "/api/citizen/session",
    response_model=CitizenSessionResponse,
    dependencies=[Depends(rate_limit("public"))],
    summary="Start an anonymous chat session; the token gives access to this citizen's conversation and orders only",
)
def citizen_session(request: Request, response: Response) -> CitizenSessionResponse:
    services = get_services(request)
    principal = issue_citizen_session(request, response)
    return CitizenSessionResponse(
        token=principal.token,
        citizen_id=principal.citizen_id,
        expires_in=services.settings.citizen_session_days * 86400,
    )
