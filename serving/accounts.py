"""Staff accounts (operators, trainers, admins) and Open311 API keys.

Passwords are hashed with Argon2id (`argon2-cffi`), the current OWASP recommendation; API keys are
random 32-byte secrets of which only a SHA-256 digest is stored, so a database dump reveals neither.
Citizens have no account: a signed chat-session token (`serving.tokens`) identifies them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Boolean, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from workorders.db import Base
from workorders.errors import ValidationError

Clock = Callable[[], dt.datetime]

_USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{1,63}$")
#: Passwords every guesser tries first; refused for any account.
WEAK_PASSWORDS = frozenset(
    {"admin", "operator", "trainer", "password", "passw0rd", "123456", "12345678", "changeme", "secret"}
)
MIN_PASSWORD_LENGTH = 10


class Role(StrEnum):
    """Who may do what. An admin may do everything; citizens are not accounts (see `Principal`)."""

    OPERATOR = "operator"  # 话务员 / 派单员: works the queue
    TRAINER = "trainer"  # 模型训练员: imports data, trains and promotes models
    ADMIN = "admin"


class UserRow(Base):
    """A staff account. `token_version` is bumped to sign the user out everywhere."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime]
    last_login_at: Mapped[dt.datetime | None]


class ApiKeyRow(Base):
    """An Open311 client's key. Only the digest is stored; the prefix lets people tell keys apart."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key_prefix: Mapped[str] = mapped_column(String(16))
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]


@dataclass(frozen=True)
class User:
    """A staff account as the web layer sees it (never carries the hash)."""

    id: int
    username: str
    role: Role
    active: bool
    token_version: int


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    key_prefix: str
    active: bool


def _user(row: UserRow) -> User:
    return User(row.id, row.username, Role(row.role), row.active, row.token_version)


def check_password_strength(password: str, username: str = "") -> None:
    """Refuse passwords a guesser would try first; the message says what is wrong."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if password.lower() in WEAK_PASSWORDS or (username and username.lower() in password.lower()):
        raise ValidationError("the password is too easy to guess")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class AccountService:
    """Creates and checks staff accounts and API keys."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        hasher: PasswordHasher | None = None,
        clock: Clock = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._sessions = sessions
        self._hasher = hasher or PasswordHasher()
        self._clock = clock
        # Verified against when the user does not exist, so that timing does not reveal user names.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    # -- users ---------------------------------------------------------------------------------

    def create_user(self, username: str, password: str, role: Role | str) -> User:
        """Create an account; raise `ValidationError` for a taken name, bad name or weak password."""
        username = username.strip().lower()
        if not _USERNAME_RE.match(username):
            raise ValidationError(
                "a user name is 2-64 characters: lower-case letters, digits, '_', '.', '-', starting with a letter"
            )
        try:
            role = Role(role)
        except ValueError:
            raise ValidationError(f"unknown role {role!r} (one of {', '.join(Role)})") from None
        check_password_strength(password, username)
        with self._sessions.begin() as s:
            if s.scalar(select(UserRow).where(UserRow.username == username)) is not None:
                raise ValidationError(f"user {username!r} already exists")
            row = UserRow(
                username=username,
                password_hash=self._hasher.hash(password),
                role=role.value,
                active=True,
                token_version=0,
                created_at=self._clock(),
            )
            s.add(row)
            s.flush()
            return _user(row)

    def set_password(self, username: str, password: str) -> User:
        """Change a password and sign the user out of every existing session."""
        check_password_strength(password, username)
        with self._sessions.begin() as s:
            row = self._by_name(s, username)
            row.password_hash = self._hasher.hash(password)
            row.token_version += 1
            return _user(row)

    def set_active(self, username: str, active: bool) -> User:
        with self._sessions.begin() as s:
            row = self._by_name(s, username)
            row.active = active
            row.token_version += 1
            return _user(row)

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with this name and password, or None (same cost whether or not it exists)."""
        with self._sessions.begin() as s:
            row = s.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
            stored = row.password_hash if row is not None else self._dummy_hash
            try:
                self._hasher.verify(stored, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
            if row is None or not row.active:
                return None
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
            row.last_login_at = self._clock()
            return _user(row)

    def get_user(self, user_id: int) -> User | None:
        with self._sessions() as s:
            row = s.get(UserRow, user_id)
            return _user(row) if row is not None else None

    def list_users(self) -> list[User]:
        with self._sessions() as s:
            return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]

    def count_users(self) -> int:
        with self._sessions() as s:
            return int(s.scalar(select(func.count(UserRow.id))) or 0)

    @staticmethod
    def _by_name(s: Session, username: str) -> UserRow:
        row = s.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
        if row is None:
            raise ValidationError(f"no user {username!r}")
        return row

    # -- API keys --------------------------------------------------------------------------------

    def create_api_key(self, name: str) -> tuple[str, ApiKey]:
        """Create a key; the plaintext is returned once and never stored."""
        name = name.strip()
        if not name or len(name) > 100:
            raise ValidationError("an API key needs a name of 1-100 characters")
        key = "o311_" + secrets.token_urlsafe(32)
        with self._sessions.begin() as s:
            row = ApiKeyRow(
                name=name,
                key_prefix=key[:12],
                key_digest=_digest(key),
                active=True,
                created_at=self._clock(),
            )
            s.add(row)
            s.flush()
            return key, ApiKey(row.id, row.name, row.key_prefix, row.active)

    def check_api_key(self, key: str) -> ApiKey | None:
        """The active key matching `key`, or None."""
        if not key or len(key) > 200:
            return None
        digest = _digest(key)
        with self._sessions.begin() as s:
            row = s.scalar(select(ApiKeyRow).where(ApiKeyRow.key_digest == digest))
            if row is None or not row.active or not hmac.compare_digest(row.key_digest, digest):
                return None
            row.last_used_at = self._clock()
            return ApiKey(row.id, row.name, row.key_prefix, row.active)

    def revoke_api_key(self, key_id: int) -> None:
        with self._sessions.begin() as s:
            row = s.get(ApiKeyRow, key_id)
            if row is None:
                raise ValidationError(f"no API key {key_id}")
            row.active = False

    def list_api_keys(self) -> list[ApiKey]:
        with self._sessions() as s:
            rows = s.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))
            return [ApiKey(r.id, r.name, r.key_prefix, r.active) for r in rows]
