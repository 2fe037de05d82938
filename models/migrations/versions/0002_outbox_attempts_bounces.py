"""Outbox: the time of each email's latest attempt and of a permanent refusal (bounce)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A release-0.1.0 database adopted without this table got it from today's models, columns included.
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("email_messages")}
    with op.batch_alter_table("email_messages") as batch:
        for name in ("attempted_at", "bounced_at"):
            if name not in present:
                batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    # Earlier releases kept the error of a failed attempt on emails sent later; it is stale.
    op.execute("UPDATE email_messages SET last_error = NULL WHERE sent_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("email_messages") as batch:
        batch.drop_column("bounced_at")
        batch.drop_column("attempted_at")
