"""Migration 0003 creates exactly the tables the ORM models describe, on both backends."""

from __future__ import annotations

from sqlalchemy import inspect

from serving.accounts import ApiKeyRow, UserRow
from workorders.db import make_engine


def test_migration_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    inspector = inspect(engine)
    for model in (UserRow, ApiKeyRow):
        table = model.__table__
        columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, column.name
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table.name)}
        expected = {(c.name,) for c in table.columns if c.unique}
        assert expected <= uniques
    engine.dispose()
