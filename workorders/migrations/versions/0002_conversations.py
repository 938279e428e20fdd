"""conversations: chat session state and conversation events (owned by the `assistant` package)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 13:30:00

Hand-written. The tables mirror `assistant.store.ConversationRow` and
`assistant.store.ConversationEventRow`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_index("ix_conversations_updated_at", "conversations", ["updated_at"], unique=False)
    op.create_table(
        "conversation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_conversation_events_session_id", "conversation_events", ["session_id"], unique=False)
    op.create_index(
        "ix_conversation_events_kind_created", "conversation_events", ["kind", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_conversation_events_kind_created", table_name="conversation_events")
    op.drop_index("ix_conversation_events_session_id", table_name="conversation_events")
    op.drop_table("conversation_events")
    op.drop_index("ix_conversations_updated_at", table_name="conversations")
    op.drop_table("conversations")
