"""Purchases, commodity map, campaign plans and customer requests (issue 16)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    # A release-0.1.0 database adopted at this release got these tables from today's models already.
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "purchase_imports" not in present:
        op.create_table(
            "purchase_imports",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("file_name", sa.String(length=300), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("rows", sa.Integer(), nullable=False),
            sa.Column("actor", sa.String(length=320), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            _pk("purchase_imports"),
        )
    if "purchases" not in present:
        op.create_table(
            "purchases",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("import_id", sa.Integer(), nullable=False),
            sa.Column("supplier_key", sa.String(length=64), nullable=False),
            sa.Column("part_number", sa.String(length=100), nullable=False),
            sa.Column("description", sa.String(length=500), nullable=False),
            sa.Column("commodity", sa.String(length=200), nullable=False),
            sa.Column("quantity", sa.Double(), nullable=True),
            sa.Column("spend", sa.Double(), nullable=True),
            sa.Column("purchased_on", sa.Date(), nullable=True),
            sa.Column("fiscal_year", sa.Integer(), nullable=False),
            _fk("purchases", "import_id", "purchase_imports"),
            _pk("purchases"),
        )
        op.create_index("ix_purchases_year_supplier", "purchases", ["fiscal_year", "supplier_key"])
    if "commodity_minerals" not in present:
        op.create_table(
            "commodity_minerals",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("commodity", sa.String(length=200), nullable=False),
            sa.Column("minerals", sa.JSON(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            _pk("commodity_minerals"),
            sa.UniqueConstraint("commodity", name=op.f("uq_commodity_minerals_commodity")),
        )
    if "scope_plans" not in present:
        op.create_table(
            "scope_plans",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("fiscal_year", sa.Integer(), nullable=False),
            sa.Column("template", sa.String(length=8), nullable=False),
            sa.Column("minerals", sa.JSON(), nullable=False),
            sa.Column("coverage", sa.JSON(), nullable=False),
            sa.Column("campaign_id", sa.Integer(), nullable=True),
            sa.Column("actor", sa.String(length=320), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            _fk("scope_plans", "campaign_id", "campaigns"),
            _pk("scope_plans"),
            sa.UniqueConstraint("campaign_id", name=op.f("uq_scope_plans_campaign_id")),
        )
    if "planned_suppliers" not in present:
        op.create_table(
            "planned_suppliers",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("plan_id", sa.Integer(), nullable=False),
            sa.Column("supplier_key", sa.String(length=64), nullable=False),
            sa.Column("minerals", sa.JSON(), nullable=False),
            sa.Column("parts", sa.JSON(), nullable=False),
            sa.Column("spend", sa.Double(), nullable=False),
            _fk("planned_suppliers", "plan_id", "scope_plans"),
            _pk("planned_suppliers"),
        )
        op.create_index(op.f("ix_planned_suppliers_plan_id"), "planned_suppliers", ["plan_id"])
    if "customer_requests" not in present:
        op.create_table(
            "customer_requests",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer", sa.String(length=300), nullable=False),
            sa.Column("contact_name", sa.String(length=200), nullable=False),
            sa.Column("contact_email", sa.String(length=320), nullable=False),
            sa.Column("template", sa.String(length=8), nullable=False),
            sa.Column("version", sa.String(length=16), nullable=False),
            sa.Column("products", sa.JSON(), nullable=False),
            sa.Column("due_date", sa.Date(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("note", sa.String(length=1000), nullable=False),
            sa.Column("answer_file_id", sa.Integer(), nullable=True),
            sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("created_by", sa.String(length=320), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            _fk("customer_requests", "answer_file_id", "stored_files"),
            _pk("customer_requests"),
        )
        op.create_index(op.f("ix_customer_requests_due_date"), "customer_requests", ["due_date"])
        op.create_index(op.f("ix_customer_requests_status"), "customer_requests", ["status"])


def downgrade() -> None:
    for table in (
        "customer_requests",
        "planned_suppliers",
        "scope_plans",
        "commodity_minerals",
        "purchases",
        "purchase_imports",
    ):
        op.drop_table(table)
