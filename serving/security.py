"""Who is calling: citizen chat sessions, staff sign-ins, roles, CSRF and rate limits, as dependencies.

Every route declares what it needs (`require_citizen`, `require_staff(Role.OPERATOR)`, ...); nothing
is reachable by default. Tokens travel as ``Authorization: Bearer`` (API clients) or as HttpOnly,
SameSite=Strict cookies (the pages). Unsafe requests authenticated by a cookie must also echo the
page's CSRF token, so another site cannot make a signed-in browser act.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request, Response, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from serving.accounts import Role, User
from serving.errors import AuthenticationRequired, RateLimited
from serving.services import Services
from workorders.errors import PermissionDeniedError

STAFF_COOKIE = "intake_session"
CITIZEN_COOKIE = "intake_citizen"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Declares bearer authentication in the OpenAPI document (the docs' "Authorize" button); the
#: token itself is read and checked below, so a missing header is not an error at this level.
bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A staff token (POST /api/auth/token) or a citizen token (POST /api/citizen/session).",
)


@dataclass(frozen=True)
class StaffPrincipal:
    user: User
    token: str
    via_cookie: bool

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def name(self) -> str:
        return self.user.username


@dataclass(frozen=True)
class CitizenPrincipal:
    citizen_id: str
    token: str
    via_cookie: bool


def get_services(request: Request) -> Services:
    return request.app.state.services


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _check_csrf(request: Request, services: Services, session_token: str) -> None:
    if request.method in _SAFE_METHODS:
        return
    candidate = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if candidate is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        candidate = value if isinstance(value, str) else None
    if not services.signer.check_csrf(session_token, candidate):
        raise PermissionDeniedError("missing or invalid CSRF token: reload the page and try again")


def staff_from_request(request: Request, services: Services) -> tuple[StaffPrincipal | None, bool]:
    """The signed-in staff member, if any; the flag says whether a citizen token was presented."""
    bearer = _bearer(request)
    cookie = request.cookies.get(STAFF_COOKIE)
    # An explicit bearer token wins; a bad one is not rescued by a cookie.
    candidates = [(bearer, False)] if bearer else [(cookie, True)] if cookie else []
    # Only a caller who presents nothing but a citizen token is told "citizens cannot"; a staff member
    # whose sign-in expired (and who also visited the chat page) is sent to sign in again.
    citizen_seen = bool(bearer and bearer.startswith("c.")) or (
        not bearer and not cookie and bool(request.cookies.get(CITIZEN_COOKIE))
    )
    for token, via_cookie in candidates:
        claims = services.signer.staff_claims(token)
        if claims is None:
            continue
        user = services.accounts.get_user(claims.user_id)
        if user is None or not user.active or user.token_version != claims.token_version:
            continue
        return StaffPrincipal(user, token, via_cookie), citizen_seen
    return None, citizen_seen


def require_staff(*roles: Role) -> Callable[[Request], Awaitable[StaffPrincipal]]:
    """A dependency admitting signed-in staff with one of `roles` (admins always)."""
    allowed = frozenset(roles) | {Role.ADMIN}

    async def dependency(
        request: Request, _: HTTPAuthorizationCredentials | None = Security(bearer_scheme)
    ) -> StaffPrincipal:
        services = get_services(request)
        principal, citizen_seen = staff_from_request(request, services)
        if principal is None:
            if citizen_seen:
                raise PermissionDeniedError("this is a staff route: citizens cannot use it")
            raise AuthenticationRequired("sign in first")
        if principal.role not in allowed:
            raise PermissionDeniedError(
                f"this route needs the role {' or '.join(sorted(r.value for r in allowed))}; you are {principal.role.value}"
            )
        if principal.via_cookie:
            await _check_csrf(request, services, principal.token)
        return principal

    dependency.__name__ = f"require_staff_{'_'.join(sorted(r.value for r in allowed))}"
    return dependency


def citizen_from_request(request: Request, services: Services) -> CitizenPrincipal | None:
    bearer = _bearer(request)
    if bearer:  # an explicit token wins; a bad one is not rescued by a cookie
        cid = services.signer.citizen_id(bearer)
        return CitizenPrincipal(cid, bearer, False) if cid else None
    cookie = request.cookies.get(CITIZEN_COOKIE)
    cid = services.signer.citizen_id(cookie)
    if cookie and cid:
        return CitizenPrincipal(cid, cookie, True)
    return None


async def require_citizen(
    request: Request, _: HTTPAuthorizationCredentials | None = Security(bearer_scheme)
) -> CitizenPrincipal:
    """A dependency admitting the holder of a citizen session token."""
    services = get_services(request)
    principal = citizen_from_request(request, services)
    if principal is None:
        raise AuthenticationRequired("start a chat session first (POST /api/citizen/session)")
    if principal.via_cookie:
        await _check_csrf(request, services, principal.token)
    return principal


def rate_limit(bucket: str) -> Callable[[Request], None]:
    """A dependency that spends one token of the client's `bucket` (429 when empty)."""

    def dependency(request: Request) -> None:
        limiter = request.app.state.rate_limiters[bucket]
        wait = limiter.hit(_client_key(request))
        if wait > 0:
            get_services(request).metrics.rate_limited.labels(bucket).inc()
            raise RateLimited(wait)

    dependency.__name__ = f"rate_limit_{bucket}"
    return dependency


def check_login_rate(request: Request, username: str) -> None:
    limiter = request.app.state.rate_limiters["login"]
    wait = max(limiter.hit(f"{_client_key(request)}|{username.lower()[:64]}"), 0.0)
    if wait > 0:
        get_services(request).metrics.rate_limited.labels("login").inc()
        raise RateLimited(wait)


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    services = get_services(request)
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=services.settings.environment == "production",
        path="/",
    )


def new_citizen_session(services: Services) -> CitizenPrincipal:
    """A fresh citizen id with its signed token (not yet sent anywhere)."""
    from serving.tokens import new_citizen_id

    citizen_id = new_citizen_id()
    token = services.signer.citizen_token(citizen_id, services.settings.citizen_session_days * 86400)
    return CitizenPrincipal(citizen_id, token, True)


def set_citizen_cookie(response: Response, request: Request, principal: CitizenPrincipal) -> None:
    ttl = get_services(request).settings.citizen_session_days * 86400
    set_cookie(response, request, CITIZEN_COOKIE, principal.token, ttl)


def issue_citizen_session(request: Request, response: Response) -> CitizenPrincipal:
    """A new citizen id and token, set as the citizen cookie."""
    principal = new_citizen_session(get_services(request))
    set_citizen_cookie(response, request, principal)
    return principal


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths may be redirected to after sign-in (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def home_for(role: Role) -> str:
    return "/trainer" if role is Role.TRAINER else "/console"
