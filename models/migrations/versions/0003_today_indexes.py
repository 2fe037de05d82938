"""Indexes of Today and the dashboard: unsent and bounced emails (partial), actions by due date, evidence

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UNSENT = sa.text("sent_at IS NULL")


def upgrade() -> None:
    # A release-0.1.0 database adopted at this release got them from today's models already.
    op.create_index(
        "ix_email_messages_unsent",
        "email_messages",
        ["bounced_at", "survey_id", "created_at"],
        sqlite_where=UNSENT,
        postgresql_where=UNSENT,
        if_not_exists=True,
    )
    op.create_index(
        "ix_corrective_actions_due", "corrective_actions", ["due_at", "status"], if_not_exists=True
    )
    op.create_index(
        "ix_action_evidence_review", "action_evidence", ["review", "created_at"], if_not_exists=True
    )


def downgrade() -> None:
    op.drop_index("ix_action_evidence_review", table_name="action_evidence")
    op.drop_index("ix_corrective_actions_due", table_name="corrective_actions")
    op.drop_index("ix_email_messages_unsent", table_name="email_messages")
