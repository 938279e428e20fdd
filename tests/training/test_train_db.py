from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from training.data import TrainingDataError, load_from_db


def test_reads_labelled_examples_of_one_head(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    table = sa.Table("labelled_examples", sa.MetaData(), autoload_with=engine)
    now = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    rows = [
        ("category", "小区停水三天", "停水", "城乡建设", "operator_confirmed"),
        ("category", "拖欠工资", "", "劳动和社会保障", "operator_override"),
        ("urgency", "着火了", "", "emergency", "operator_override"),
    ]
    with engine.begin() as conn:
        conn.execute(
            table.insert(),
            [
                {"head": h, "text": t, "title": ti, "label": lab, "source": s, "created_at": now}
                for h, t, ti, lab, s in rows
            ],
        )
    engine.dispose()
    data = load_from_db(sqlite_url, "category")
    assert data.texts == ["停水。小区停水三天", "拖欠工资"] and data.labels == ["城乡建设", "劳动和社会保障"]
    assert load_from_db(sqlite_url, "category", sources=["operator_override"]).labels == ["劳动和社会保障"]
    with pytest.raises(TrainingDataError, match="no labelled examples"):
        load_from_db(sqlite_url, "department")


def test_missing_table_is_explained(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TrainingDataError, match="labelled_examples"):
        load_from_db(f"sqlite:///{tmp_path / 'empty.db'}", "category")
