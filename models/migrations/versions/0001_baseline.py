"""Baseline: the schema of release 0.1.0, every table, index and audit trigger

Revision ID: 0001
Revises:
Create Date: 2026-11-26 10:24:22.103495
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The audit trail's append-only triggers: the one definition, shared with release 0.1.0's create_all path.
from models.audit_chain import create_triggers, drop_triggers

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def last_file_fk() -> sa.ForeignKeyConstraint:
    """surveys.last_file_id -> stored_files.id, which closes the cycle surveys <-> stored_files."""
    return sa.ForeignKeyConstraint(
        ["last_file_id"], ["stored_files.id"], name=op.f("fk_surveys_last_file_id_stored_files")
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=300), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_audit_events_idempotency_key")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_events_seq")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index(op.f("ix_audit_events_subject"), "audit_events", ["subject"], unique=False)
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("template", sa.String(length=8), nullable=False),
        sa.Column("minerals", sa.JSON(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("reminder_every", sa.String(length=16), nullable=False),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("escalation_after", sa.String(length=16), nullable=False),
        sa.Column("page_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("surveys_started", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("name", name=op.f("uq_campaigns_name")),
    )
    op.create_table(
        "registry_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("facilities_added", sa.Integer(), nullable=False),
        sa.Column("aliases_added", sa.Integer(), nullable=False),
        sa.Column("statuses_added", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_import")),
    )
    op.create_index(op.f("ix_registry_import_sha256"), "registry_import", ["sha256"], unique=False)
    op.create_table(
        "smelter_outreach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("smelter_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_smelter_outreach")),
    )
    op.create_index(op.f("ix_smelter_outreach_smelter_id"), "smelter_outreach", ["smelter_id"], unique=False)
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("owner_email", sa.String(length=320), nullable=False),
        sa.Column("minerals", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("supplier_id", name=op.f("uq_suppliers_supplier_id")),
    )
    op.create_index("ix_suppliers_name", "suppliers", ["name"], unique=False)
    op.create_index("ix_suppliers_owner_email", "suppliers", ["owner_email"], unique=False)
    op.create_index("ix_suppliers_name_lower", "suppliers", [sa.text("lower(name)")], unique=False)
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "registry_facility",
        sa.Column("smelter_id", sa.String(length=20), nullable=False),
        sa.Column("metal", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("street", sa.String(length=300), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=120), nullable=True),
        sa.Column("first_import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_import_id"],
            ["registry_import.id"],
            name=op.f("fk_registry_facility_first_import_id_registry_import"),
        ),
        sa.PrimaryKeyConstraint("smelter_id", name=op.f("pk_registry_facility")),
    )
    op.create_index(op.f("ix_registry_facility_metal"), "registry_facility", ["metal"], unique=False)
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("workflow_id", sa.String(length=200), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("fix_rounds", sa.Integer(), nullable=False),
        sa.Column("risk", sa.String(length=20), nullable=True),
        sa.Column("exempt_reason", sa.Text(), nullable=True),
        sa.Column("last_file_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_surveys_campaign_id_campaigns")
        ),
        # SQLite takes the cycle inline (it checks references only on use); PostgreSQL adds it below.
        *([last_file_fk()] if sqlite else []),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_surveys_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
        sa.UniqueConstraint("campaign_id", "supplier_id", name=op.f("uq_surveys_campaign_id")),
        sa.UniqueConstraint("workflow_id", name=op.f("uq_surveys_workflow_id")),
    )
    op.create_index("ix_surveys_campaign_due", "surveys", ["campaign_id", "due_at"], unique=False)
    op.create_index(op.f("ix_surveys_campaign_id"), "surveys", ["campaign_id"], unique=False)
    op.create_index("ix_surveys_due_at", "surveys", ["due_at"], unique=False)
    op.create_index(
        "ix_surveys_progress",
        "surveys",
        ["campaign_id", "stage", "requested_at", "responded_at"],
        unique=False,
    )
    op.create_index("ix_surveys_risk", "surveys", ["risk"], unique=False)
    op.create_index(op.f("ix_surveys_stage"), "surveys", ["stage"], unique=False)
    op.create_index(op.f("ix_surveys_supplier_id"), "surveys", ["supplier_id"], unique=False)
    op.create_index(
        "ix_surveys_supplier_stage_risk", "surveys", ["supplier_id", "stage", "risk"], unique=False
    )
    op.create_index("ix_surveys_updated_at", "surveys", ["updated_at"], unique=False)
    op.create_table(
        "email_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("to", sa.JSON(), nullable=False),
        sa.Column("cc", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_email_messages_survey_id_surveys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_messages")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_email_messages_idempotency_key")),
    )
    op.create_index(op.f("ix_email_messages_survey_id"), "email_messages", ["survey_id"], unique=False)
    op.create_table(
        "registry_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("smelter_id", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["registry_import.id"], name=op.f("fk_registry_alias_import_id_registry_import")
        ),
        sa.ForeignKeyConstraint(
            ["smelter_id"],
            ["registry_facility.smelter_id"],
            name=op.f("fk_registry_alias_smelter_id_registry_facility"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_alias")),
        sa.UniqueConstraint("smelter_id", "kind", "alias", name="uq_registry_alias_key"),
    )
    op.create_index(op.f("ix_registry_alias_smelter_id"), "registry_alias", ["smelter_id"], unique=False)
    op.create_table(
        "registry_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("smelter_id", sa.String(length=20), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("raw_status", sa.String(length=120), nullable=True),
        sa.Column("last_audit", sa.Date(), nullable=True),
        sa.Column("cycle_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["registry_import.id"], name=op.f("fk_registry_status_import_id_registry_import")
        ),
        sa.ForeignKeyConstraint(
            ["smelter_id"],
            ["registry_facility.smelter_id"],
            name=op.f("fk_registry_status_smelter_id_registry_facility"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_status")),
    )
    op.create_index(op.f("ix_registry_status_import_id"), "registry_status", ["import_id"], unique=False)
    op.create_index("ix_registry_status_lookup", "registry_status", ["smelter_id", "as_of"], unique=False)
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("uploaded_by", sa.String(length=320), nullable=False),
        sa.Column("check_status", sa.String(length=16), nullable=False),
        sa.Column("issue_count", sa.Integer(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("family", sa.String(length=8), nullable=True),
        sa.Column("version", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_stored_files_survey_id_surveys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
    )
    op.create_index(op.f("ix_stored_files_sha256"), "stored_files", ["sha256"], unique=False)
    op.create_index(op.f("ix_stored_files_survey_id"), "stored_files", ["survey_id"], unique=False)
    if not sqlite:
        op.create_foreign_key(
            op.f("fk_surveys_last_file_id_stored_files"), "surveys", "stored_files", ["last_file_id"], ["id"]
        )
    op.create_table(
        "corrective_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("workflow_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("group_key", sa.String(length=120), nullable=False),
        sa.Column("metal", sa.String(length=40), nullable=True),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("required_outcome", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.Column("opened_file_id", sa.Integer(), nullable=False),
        sa.Column("resolved_file_id", sa.Integer(), nullable=True),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["opened_file_id"],
            ["stored_files.id"],
            name=op.f("fk_corrective_actions_opened_file_id_stored_files"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_file_id"],
            ["stored_files.id"],
            name=op.f("fk_corrective_actions_resolved_file_id_stored_files"),
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_corrective_actions_survey_id_surveys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrective_actions")),
        sa.UniqueConstraint("survey_id", "n", name=op.f("uq_corrective_actions_survey_id")),
        sa.UniqueConstraint("workflow_id", name=op.f("uq_corrective_actions_workflow_id")),
    )
    op.create_index(op.f("ix_corrective_actions_owner"), "corrective_actions", ["owner"], unique=False)
    op.create_index(op.f("ix_corrective_actions_severity"), "corrective_actions", ["severity"], unique=False)
    op.create_index(op.f("ix_corrective_actions_status"), "corrective_actions", ["status"], unique=False)
    op.create_index(
        op.f("ix_corrective_actions_survey_id"), "corrective_actions", ["survey_id"], unique=False
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("metal", sa.String(length=40), nullable=True),
        sa.Column("smelter_id", sa.String(length=40), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_findings_file_id_stored_files")
        ),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], name=op.f("fk_findings_survey_id_surveys")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index("ix_findings_metal", "findings", ["metal"], unique=False)
    op.create_index("ix_findings_smelter_id", "findings", ["smelter_id"], unique=False)
    op.create_index(op.f("ix_findings_survey_id"), "findings", ["survey_id"], unique=False)
    op.create_table(
        "report_declarations",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("family", sa.String(length=8), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("minerals", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("smelters", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_report_declarations_file_id_stored_files")
        ),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_report_declarations")),
    )
    op.create_table(
        "action_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["corrective_actions.id"],
            name=op.f("fk_action_events_action_id_corrective_actions"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_action_events_file_id_stored_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_events")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_action_events_idempotency_key")),
    )
    op.create_index(op.f("ix_action_events_action_id"), "action_events", ["action_id"], unique=False)
    op.create_table(
        "action_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("submitted_by", sa.String(length=320), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("review", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["corrective_actions.id"],
            name=op.f("fk_action_evidence_action_id_corrective_actions"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_action_evidence_file_id_stored_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_evidence")),
    )
    op.create_index(op.f("ix_action_evidence_action_id"), "action_evidence", ["action_id"], unique=False)

    create_triggers(op.get_bind())


def downgrade() -> None:
    drop_triggers(op.get_bind())
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_surveys_last_file_id_stored_files"), "surveys", type_="foreignkey")
    op.drop_index(op.f("ix_action_evidence_action_id"), table_name="action_evidence")
    op.drop_table("action_evidence")
    op.drop_index(op.f("ix_action_events_action_id"), table_name="action_events")
    op.drop_table("action_events")
    op.drop_table("report_declarations")
    op.drop_index(op.f("ix_findings_survey_id"), table_name="findings")
    op.drop_index("ix_findings_smelter_id", table_name="findings")
    op.drop_index("ix_findings_metal", table_name="findings")
    op.drop_table("findings")
    op.drop_index(op.f("ix_corrective_actions_survey_id"), table_name="corrective_actions")
    op.drop_index(op.f("ix_corrective_actions_status"), table_name="corrective_actions")
    op.drop_index(op.f("ix_corrective_actions_severity"), table_name="corrective_actions")
    op.drop_index(op.f("ix_corrective_actions_owner"), table_name="corrective_actions")
    op.drop_table("corrective_actions")
    op.drop_index(op.f("ix_stored_files_survey_id"), table_name="stored_files")
    op.drop_index(op.f("ix_stored_files_sha256"), table_name="stored_files")
    op.drop_table("stored_files")
    op.drop_index("ix_registry_status_lookup", table_name="registry_status")
    op.drop_index(op.f("ix_registry_status_import_id"), table_name="registry_status")
    op.drop_table("registry_status")
    op.drop_index(op.f("ix_registry_alias_smelter_id"), table_name="registry_alias")
    op.drop_table("registry_alias")
    op.drop_index(op.f("ix_email_messages_survey_id"), table_name="email_messages")
    op.drop_table("email_messages")
    op.drop_index("ix_surveys_updated_at", table_name="surveys")
    op.drop_index("ix_surveys_supplier_stage_risk", table_name="surveys")
    op.drop_index(op.f("ix_surveys_supplier_id"), table_name="surveys")
    op.drop_index(op.f("ix_surveys_stage"), table_name="surveys")
    op.drop_index("ix_surveys_risk", table_name="surveys")
    op.drop_index("ix_surveys_progress", table_name="surveys")
    op.drop_index("ix_surveys_due_at", table_name="surveys")
    op.drop_index(op.f("ix_surveys_campaign_id"), table_name="surveys")
    op.drop_index("ix_surveys_campaign_due", table_name="surveys")
    op.drop_table("surveys")
    op.drop_index(op.f("ix_registry_facility_metal"), table_name="registry_facility")
    op.drop_table("registry_facility")
    op.drop_table("users")
    op.drop_index("ix_suppliers_name_lower", table_name="suppliers")
    op.drop_index("ix_suppliers_owner_email", table_name="suppliers")
    op.drop_index("ix_suppliers_name", table_name="suppliers")
    op.drop_table("suppliers")
    op.drop_index(op.f("ix_smelter_outreach_smelter_id"), table_name="smelter_outreach")
    op.drop_table("smelter_outreach")
    op.drop_index(op.f("ix_registry_import_sha256"), table_name="registry_import")
    op.drop_table("registry_import")
    op.drop_table("campaigns")
    op.drop_index(op.f("ix_audit_events_subject"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_table("audit_chain_head")
