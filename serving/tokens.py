"""Signed, expiring tokens for staff sessions, citizen chat sessions and CSRF protection.

Tokens are ``<kind>.<fields>.<expiry>.<signature>`` with an HMAC-SHA256 signature under the
deployment's secret key. They are stateless (nothing to store per chat visitor) yet unforgeable; a
staff token also carries the account's `token_version`, so changing a password or disabling the
account invalidates every token issued before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

_ALLOWED_FIELD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


@dataclass(frozen=True)
class StaffClaims:
    user_id: int
    token_version: int


class TokenSigner:
    """Issues and verifies tokens; `now` is injectable so that expiry can be tested."""

    def __init__(self, secret: str, *, now: Callable[[], float] = time.time) -> None:
        self._key = hashlib.sha256(("civic-intake|" + secret).encode("utf-8")).digest()
        self._now = now

    def _sign(self, payload: str) -> str:
        mac = hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")

    def issue(self, kind: str, fields: list[str], ttl_seconds: int) -> str:
        for f in [kind, *fields]:
            if not f or not set(f) <= _ALLOWED_FIELD_CHARS:
                raise ValueError(f"token field {f!r} must be non-empty [A-Za-z0-9_-]")
        payload = ".".join([kind, *fields, str(int(self._now()) + ttl_seconds)])
        return f"{payload}.{self._sign(payload)}"

    def verify(self, kind: str, token: str | None, n_fields: int) -> list[str] | None:
        """The token's fields when it is of `kind`, correctly signed and unexpired; else None."""
        if not token or len(token) > 512:
            return None
        parts = token.split(".")
        if len(parts) != n_fields + 3 or parts[0] != kind:
            return None
        payload, signature = ".".join(parts[:-1]), parts[-1]
        try:
            payload.encode("ascii")
        except UnicodeEncodeError:
            return None
        if not hmac.compare_digest(self._sign(payload), signature):
            return None
        try:
            expires = int(parts[-2])
        except ValueError:
            return None
        if expires < self._now():
            return None
        return parts[1:-2]

    # -- the token kinds used by the app -------------------------------------------------------

    def staff_token(self, user_id: int, token_version: int, ttl_seconds: int) -> str:
        return self.issue("s", [str(user_id), str(token_version)], ttl_seconds)

    def staff_claims(self, token: str | None) -> StaffClaims | None:
        fields = self.verify("s", token, 2)
        if fields is None or not all(f.isdigit() for f in fields):
            return None
        return StaffClaims(int(fields[0]), int(fields[1]))

    def citizen_token(self, citizen_id: str, ttl_seconds: int) -> str:
        return self.issue("c", [citizen_id], ttl_seconds)

    def citizen_id(self, token: str | None) -> str | None:
        fields = self.verify("c", token, 1)
        return fields[0] if fields else None

    def csrf_token(self, session_token: str) -> str:
        """A token bound to one session: pages embed it, unsafe cookie-authenticated requests echo it."""
        return self._sign("csrf|" + hashlib.sha256(session_token.encode("utf-8")).hexdigest())

    def check_csrf(self, session_token: str, candidate: str | None) -> bool:
        return bool(candidate) and hmac.compare_digest(self.csrf_token(session_token), candidate or "")


def new_citizen_id() -> str:
    """A random, unguessable citizen id (32 hex characters), stored as the orders' `citizen_token`."""
    return secrets.token_hex(16)
