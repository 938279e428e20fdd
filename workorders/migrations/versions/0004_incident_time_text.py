"""work_orders.incident_time_text: when it happened, in the citizen's words

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-27 20:10:00

Hand-written. Mirrors `workorders.db.WorkOrderRow.incident_time_text`: a recurring problem (每天晚上)
has no datetime, and a day-precise time (昨天) stored as a datetime would read as midnight.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("work_orders", sa.Column("incident_time_text", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("work_orders", "incident_time_text")
