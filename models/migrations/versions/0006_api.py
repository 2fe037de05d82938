"""JSON API tokens and webhooks (issue 19)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A release-0.1.0 database adopted at this release got these tables from today's models already.
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "api_tokens" not in present:
        op.create_table(
            "api_tokens",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("role", sa.String(length=16), nullable=False),
            sa.Column("secret_sha256", sa.String(length=64), nullable=False),
            sa.Column("prefix", sa.String(length=16), nullable=False),
            sa.Column("created_by", sa.String(length=320), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
            sa.UniqueConstraint("name", name=op.f("uq_api_tokens_name")),
            sa.UniqueConstraint("secret_sha256", name=op.f("uq_api_tokens_secret_sha256")),
        )
    if "webhooks" not in present:
        op.create_table(
            "webhooks",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("url", sa.String(length=2000), nullable=False),
            sa.Column("events", sa.JSON(), nullable=False),
            sa.Column("secret", sa.String(length=100), nullable=False),
            sa.Column("after_seq", sa.Integer(), nullable=False),
            sa.Column("active", sa.Boolean(), nullable=False),
            sa.Column("created_by", sa.String(length=320), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
        )
    if "webhook_deliveries" not in present:
        op.create_table(
            "webhook_deliveries",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("webhook_id", sa.Integer(), nullable=False),
            sa.Column("event_id", sa.String(length=64), nullable=False),
            sa.Column("event", sa.String(length=64), nullable=False),
            sa.Column("payload", sa.JSON(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("last_status_code", sa.Integer(), nullable=True),
            sa.Column("last_error", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(
                ["webhook_id"], ["webhooks.id"], name=op.f("fk_webhook_deliveries_webhook_id_webhooks")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
            sa.UniqueConstraint("webhook_id", "event_id", name=op.f("uq_webhook_deliveries_webhook_id")),
        )
        op.create_index(op.f("ix_webhook_deliveries_webhook_id"), "webhook_deliveries", ["webhook_id"])


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("webhooks")
    op.drop_table("api_tokens")
