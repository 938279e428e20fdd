"""Staff accounts and API keys: hashing, strength, sign-out by token version."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from serving.accounts import AccountService, ApiKeyRow, Role, UserRow
from workorders.db import make_engine, make_session_factory
from workorders.errors import ValidationError

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture
def accounts(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    yield AccountService(make_session_factory(engine), hasher=FAST_HASHER)
    engine.dispose()


def test_create_and_authenticate(accounts: AccountService) -> None:
    user = accounts.create_user("Li.Na", "correct-horse-42", "operator")
    assert (user.username, user.role) == ("li.na", Role.OPERATOR)
    assert accounts.authenticate("li.na", "correct-horse-42") == user
    assert accounts.authenticate("li.na", "wrong-password-1") is None
    assert accounts.authenticate("nobody", "correct-horse-42") is None


def test_password_is_hashed_with_argon2(accounts: AccountService, db_url: str) -> None:
    accounts.create_user("wang", "correct-horse-42", Role.TRAINER)
    engine = make_engine(db_url)
    with make_session_factory(engine)() as s:
        stored = s.scalar(select(UserRow.password_hash).where(UserRow.username == "wang"))
    engine.dispose()
    assert stored is not None and stored.startswith("$argon2id$")
    assert "correct-horse-42" not in stored


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("zhao", "short", "operator", "at least"),
        ("zhao", "password", "operator", "at least"),
        ("zhao", "zhao-is-my-name", "operator", "too easy"),
        ("Zhao Si", "correct-horse-42", "operator", "user name"),
        ("zhao", "correct-horse-42", "citizen", "unknown role"),
    ],
)
def test_create_refuses_bad_input(
    accounts: AccountService, username: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        accounts.create_user(username, password, role)


def test_duplicate_user_is_refused(accounts: AccountService) -> None:
    accounts.create_user("qian", "correct-horse-42", "operator")
    with pytest.raises(ValidationError, match="already exists"):
        accounts.create_user("QIAN", "another-horse-43", "admin")


def test_password_change_and_disable_bump_token_version(accounts: AccountService) -> None:
    user = accounts.create_user("sun", "correct-horse-42", "operator")
    changed = accounts.set_password("sun", "new-horse-4242")
    assert changed.token_version == user.token_version + 1
    assert accounts.authenticate("sun", "correct-horse-42") is None
    disabled = accounts.set_active("sun", False)
    assert disabled.token_version == changed.token_version + 1
    assert accounts.authenticate("sun", "new-horse-4242") is None


def test_api_keys_store_only_a_digest(accounts: AccountService, db_url: str) -> None:
    key, info = accounts.create_api_key("partner app")
    assert accounts.check_api_key(key) == info
    assert accounts.check_api_key(key + "x") is None
    engine = make_engine(db_url)
    with make_session_factory(engine)() as s:
        row = s.scalar(select(ApiKeyRow))
    engine.dispose()
    assert row is not None and key not in (row.key_digest, row.key_prefix) and row.last_used_at is not None
    accounts.revoke_api_key(info.id)
    assert accounts.check_api_key(key) is None
