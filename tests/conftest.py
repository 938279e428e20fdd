"""Shared fixtures: the city config, databases (SQLite and PostgreSQL), the shared data directory.

Tests that need PostgreSQL or ../shared/data skip with a visible reason where those are absent, as on
a user's fresh machine.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN_URL = os.environ.get(
    "INTAKE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def shared_data_path() -> Path:
    """Where the real public data lives: INTAKE_SHARED_DATA or ../shared/data beside the repo."""
    return Path(os.environ.get("INTAKE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_path()
    if not (path / "cases" / "category_train.csv").is_file():
        pytest.skip(
            f"real data not found at {path} (set INTAKE_SHARED_DATA); it is never shipped with the project"
        )
    return path


@pytest.fixture(scope="session")
def city_config():  # type: ignore[no-untyped-def]
    from workorders.config import load_city_config

    return load_city_config()


class FixedClock:
    """A settable clock, so deadline and overdue tests do not depend on when they run."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FixedClock:
    # A Wednesday morning in Beijing time.
    return FixedClock(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))


def _postgres_database() -> Iterator[str]:
    """Create a throwaway database on the local server; skip when the server is unreachable."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"intake_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as err:
        admin.dispose()
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL}: {str(err).splitlines()[0]}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: once on SQLite, once on PostgreSQL."""
    from workorders.db import make_engine
    from workorders.migrate import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'intake.db'}"
        upgrade(make_engine(url))
        yield url
        return
    gen = _postgres_database()
    url = next(gen)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    engine.dispose()
    gen.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A migrated, empty PostgreSQL database only (skips when the server is unreachable)."""
    from workorders.db import make_engine
    from workorders.migrate import upgrade

    gen = _postgres_database()
    url = next(gen)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    gen.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database only, for tests that do not need to run on both backends."""
    from workorders.db import make_engine
    from workorders.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade(make_engine(url))
    return url


@pytest.fixture
def order_service(db_url: str, city_config, clock: FixedClock):  # type: ignore[no-untyped-def]
    """A `WorkOrderService` on each backend, with a fixed clock."""
    from workorders.db import make_engine, make_session_factory
    from workorders.service import WorkOrderService

    engine = make_engine(db_url)
    yield WorkOrderService(make_session_factory(engine), city_config, clock=clock)
    engine.dispose()
