"""Schema migrations (Alembic), driven from code so that no alembic.ini has to sit beside the data.

Several packages own tables (orders here, conversations in `assistant`, accounts in `serving`); their
revisions may branch from the initial one, so upgrades go to ``heads``.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at this package's migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("workorders") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the database to the latest schema (idempotent)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def pending(engine: Engine) -> set[str]:
    """Revisions the database still lacks; empty when it is up to date."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return heads - current
