"""Relational storage of work orders: SQLAlchemy 2 models and the engine factory.

SQLite (one file) is the embedded default and PostgreSQL the production database; the same models
and migrations serve both. The schema itself is owned by Alembic (`workorders.migrate`); these classes
describe it for the ORM.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes stored as UTC on every backend.

    SQLite has no time-zone type and hands back naive values; normalising on the way in and out
    means the domain only ever sees aware UTC datetimes, whatever the database.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base shared by every package that stores rows (orders, conversations, users)."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class WorkOrderRow(Base):
    """A work order (工单) as stored. Workflow state is `status`; who holds it is in the departments."""

    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32), index=True)

    citizen_name: Mapped[str | None] = mapped_column(String(100))
    citizen_phone: Mapped[str | None] = mapped_column(String(32), index=True)
    citizen_id_number: Mapped[str | None] = mapped_column(String(18))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    citizen_token: Mapped[str | None] = mapped_column(String(64), index=True)

    title: Mapped[str] = mapped_column(String(200), default="")
    request: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str | None] = mapped_column(String(300))
    district: Mapped[str | None] = mapped_column(String(100), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    incident_time: Mapped[dt.datetime | None]
    incident_time_text: Mapped[str | None] = mapped_column(String(100))

    category: Mapped[str | None] = mapped_column(String(50), index=True)
    topic: Mapped[str | None] = mapped_column(String(100))
    lead_department: Mapped[str | None] = mapped_column(String(64), index=True)
    assisting_departments: Mapped[list[Any]] = mapped_column(default=list)
    urgency: Mapped[str] = mapped_column(String(16))
    matter_type: Mapped[str] = mapped_column(String(32))

    deadline_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    deadline_fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    extended_amount: Mapped[int] = mapped_column(Integer, default=0)

    redirect_kind: Mapped[str | None] = mapped_column(String(64))
    redirect_note: Mapped[str | None] = mapped_column(Text)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    repeat_count: Mapped[int] = mapped_column(Integer, default=0)

    chase_count: Mapped[int] = mapped_column(Integer, default=0)
    unsatisfied_count: Mapped[int] = mapped_column(Integer, default=0)
    return_count: Mapped[int] = mapped_column(Integer, default=0)
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    rating: Mapped[int | None] = mapped_column(Integer)
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]

    triage: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)

    created_at: Mapped[dt.datetime] = mapped_column(index=True)
    updated_at: Mapped[dt.datetime]

    events: Mapped[list[WorkOrderEventRow]] = relationship(
        back_populates="order", order_by="WorkOrderEventRow.id", cascade="all, delete-orphan"
    )


class WorkOrderEventRow(Base):
    """One entry of an order's append-only log: who did what, when and why."""

    __tablename__ = "work_order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime]

    order: Mapped[WorkOrderRow] = relationship(back_populates="events")

    __table_args__ = (Index("ix_work_order_events_kind_created", "kind", "created_at"),)


class OrderNumberSequenceRow(Base):
    """Per-day counter behind order numbers; one atomic upsert per filing keeps numbers unique."""

    __tablename__ = "order_number_sequences"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class LabelledExampleRow(Base):
    """A labelled example from an operator's decision; overrides become training data."""

    __tablename__ = "labelled_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    head: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(200), default="")
    label: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    created_at: Mapped[dt.datetime]


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine with the per-backend settings that make concurrent writes safe.

    SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` for transactions that write, so that
    concurrent writers queue for the lock instead of failing with "database is locked" when a read
    upgrades to a write. Read-only sessions (`read_session`) begin ``DEFERRED`` and never wait for
    the write lock: in WAL mode they read a consistent snapshot beside a writer.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # durable across crashes of the process in WAL mode
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            mode = "DEFERRED" if conn.get_execution_options().get(READ_ONLY) else "IMMEDIATE"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)


#: Connection execution option marking a transaction that only reads.
READ_ONLY = "intake_read_only"


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions that keep loaded attributes after commit, so results can leave the transaction."""
    return sessionmaker(engine, expire_on_commit=False)


def read_session(sessions: sessionmaker) -> Session:
    """A session for reads only: on SQLite it does not take the write lock (see `make_engine`)."""
    session = sessions()
    session.connection(execution_options={READ_ONLY: True})
    return session
