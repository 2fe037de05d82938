"""Registry refresh and smelter outreach (issue 14): stored matches, refreshes, outreach, smelter contacts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A release-0.1.0 database adopted at this release got these tables from today's models already.
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "smelter_contacts" not in present:
        op.create_table(
            "smelter_contacts",
            sa.Column("smelter_id", sa.String(length=20), nullable=False),
            sa.Column("name", sa.String(length=200), nullable=False),
            sa.Column("email", sa.String(length=320), nullable=False),
            sa.Column("language", sa.String(length=8), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("smelter_id", name=op.f("pk_smelter_contacts")),
        )
    if "smelter_outreach_cases" not in present:
        op.create_table(
            "smelter_outreach_cases",
            sa.Column("smelter_id", sa.String(length=20), nullable=False),
            sa.Column("workflow_id", sa.String(length=200), nullable=False),
            sa.Column("state", sa.String(length=20), nullable=False),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("letters", sa.Integer(), nullable=False),
            sa.Column("outcome", sa.String(length=40), nullable=True),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("smelter_id", name=op.f("pk_smelter_outreach_cases")),
        )
        op.create_index(
            op.f("ix_smelter_outreach_cases_state"), "smelter_outreach_cases", ["state"], unique=False
        )
    if "registry_refreshes" not in present:
        op.create_table(
            "registry_refreshes",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("import_id", sa.Integer(), nullable=False),
            sa.Column("workflow_id", sa.String(length=200), nullable=False),
            sa.Column("as_of", sa.Date(), nullable=False),
            sa.Column("facilities", sa.JSON(), nullable=False),
            sa.Column("cases_examined", sa.Integer(), nullable=False),
            sa.Column("cases_changed", sa.Integer(), nullable=False),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(
                ["import_id"],
                ["registry_import.id"],
                name=op.f("fk_registry_refreshes_import_id_registry_import"),
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_refreshes")),
            sa.UniqueConstraint("import_id", name=op.f("uq_registry_refreshes_import_id")),
        )
    if "assessments" not in present:
        op.create_table(
            "assessments",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("survey_id", sa.Integer(), nullable=False),
            sa.Column("file_id", sa.Integer(), nullable=False),
            sa.Column("source", sa.String(length=80), nullable=False),
            sa.Column("as_of", sa.Date(), nullable=False),
            sa.Column("statuses_as_of", sa.Date(), nullable=True),
            sa.Column("registry_source", sa.String(length=20), nullable=False),
            sa.Column("risk", sa.String(length=16), nullable=False),
            sa.Column("current", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["file_id"], ["stored_files.id"], name=op.f("fk_assessments_file_id_stored_files")
            ),
            sa.ForeignKeyConstraint(
                ["survey_id"], ["surveys.id"], name=op.f("fk_assessments_survey_id_surveys")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        )
        op.create_index(op.f("ix_assessments_file_id"), "assessments", ["file_id"], unique=False)
        op.create_index(
            "ix_assessments_survey_current", "assessments", ["survey_id", "current"], unique=False
        )
    if "assessed_rows" not in present:
        op.create_table(
            "assessed_rows",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("assessment_id", sa.Integer(), nullable=False),
            sa.Column("row", sa.Integer(), nullable=False),
            sa.Column("metal", sa.String(length=40), nullable=True),
            sa.Column("declared_name", sa.String(length=300), nullable=True),
            sa.Column("lookup", sa.String(length=300), nullable=True),
            sa.Column("declared_id", sa.String(length=40), nullable=True),
            sa.Column("country", sa.String(length=100), nullable=True),
            sa.Column("matched_id", sa.String(length=20), nullable=True),
            sa.Column("standard_name", sa.String(length=300), nullable=True),
            sa.Column("facility_country", sa.String(length=100), nullable=True),
            sa.Column("method", sa.String(length=10), nullable=False),
            sa.Column("score", sa.Double(), nullable=False),
            sa.Column("review", sa.Boolean(), nullable=False),
            sa.Column("gap", sa.Boolean(), nullable=False),
            sa.Column("note", sa.Text(), nullable=True),
            sa.Column("status", sa.String(length=40), nullable=True),
            sa.Column("status_as_of", sa.Date(), nullable=True),
            sa.Column("last_audit", sa.Date(), nullable=True),
            sa.Column("audit_ends", sa.Date(), nullable=True),
            sa.Column("in_registry", sa.Boolean(), nullable=False),
            sa.Column("codes", sa.JSON(), nullable=False),
            sa.Column("evidence", sa.JSON(), nullable=False),
            sa.ForeignKeyConstraint(
                ["assessment_id"], ["assessments.id"], name=op.f("fk_assessed_rows_assessment_id_assessments")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_assessed_rows")),
        )
        op.create_index(
            op.f("ix_assessed_rows_assessment_id"), "assessed_rows", ["assessment_id"], unique=False
        )
        op.create_index(op.f("ix_assessed_rows_matched_id"), "assessed_rows", ["matched_id"], unique=False)
    if "refresh_cases" not in present:
        op.create_table(
            "refresh_cases",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("refresh_id", sa.Integer(), nullable=False),
            sa.Column("survey_id", sa.Integer(), nullable=False),
            sa.Column("assessment_id", sa.Integer(), nullable=False),
            sa.Column("risk_before", sa.String(length=16), nullable=True),
            sa.Column("risk_after", sa.String(length=16), nullable=False),
            sa.Column("added", sa.JSON(), nullable=False),
            sa.Column("removed", sa.JSON(), nullable=False),
            sa.Column("told", sa.String(length=20), nullable=False),
            sa.ForeignKeyConstraint(
                ["assessment_id"], ["assessments.id"], name=op.f("fk_refresh_cases_assessment_id_assessments")
            ),
            sa.ForeignKeyConstraint(
                ["refresh_id"],
                ["registry_refreshes.id"],
                name=op.f("fk_refresh_cases_refresh_id_registry_refreshes"),
            ),
            sa.ForeignKeyConstraint(
                ["survey_id"], ["surveys.id"], name=op.f("fk_refresh_cases_survey_id_surveys")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_cases")),
            sa.UniqueConstraint("refresh_id", "survey_id", name=op.f("uq_refresh_cases_refresh_id")),
        )
        op.create_index(op.f("ix_refresh_cases_refresh_id"), "refresh_cases", ["refresh_id"], unique=False)
        op.create_index(op.f("ix_refresh_cases_survey_id"), "refresh_cases", ["survey_id"], unique=False)
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("corrective_actions")}
    if "opened_assessment_id" not in columns:
        with op.batch_alter_table("corrective_actions") as batch:
            batch.add_column(sa.Column("opened_assessment_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                "fk_corrective_actions_opened_assessment_id_assessments",
                "assessments",
                ["opened_assessment_id"],
                ["id"],
            )


def downgrade() -> None:
    with op.batch_alter_table("corrective_actions") as batch:
        batch.drop_constraint("fk_corrective_actions_opened_assessment_id_assessments", type_="foreignkey")
        batch.drop_column("opened_assessment_id")
    op.drop_index(op.f("ix_refresh_cases_survey_id"), table_name="refresh_cases")
    op.drop_index(op.f("ix_refresh_cases_refresh_id"), table_name="refresh_cases")
    op.drop_table("refresh_cases")
    op.drop_index(op.f("ix_assessed_rows_matched_id"), table_name="assessed_rows")
    op.drop_index(op.f("ix_assessed_rows_assessment_id"), table_name="assessed_rows")
    op.drop_table("assessed_rows")
    op.drop_index("ix_assessments_survey_current", table_name="assessments")
    op.drop_index(op.f("ix_assessments_file_id"), table_name="assessments")
    op.drop_table("assessments")
    op.drop_table("registry_refreshes")
    op.drop_index(op.f("ix_smelter_outreach_cases_state"), table_name="smelter_outreach_cases")
    op.drop_table("smelter_outreach_cases")
    op.drop_table("smelter_contacts")
