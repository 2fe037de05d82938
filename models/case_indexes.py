"""Indexes the console's case list, Today and dashboard need to stay fast at 100,000 cases (see
bench/bench_case_list.py)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Index, func
from sqlalchemy.schema import CreateIndex

from models.corrective import ActionEvidence, CorrectiveAction
from models.outbox import EmailMessage
from models.supplier import Supplier
from models.survey import Finding, Survey

# SQLite and PostgreSQL append the row id to each index, so (column, id) keyset pages are index walks.
CASE_LIST_INDEXES = [
    Index("ix_surveys_due_at", Survey.due_at),
    Index("ix_surveys_updated_at", Survey.updated_at),
    Index("ix_surveys_risk", Survey.risk),
    Index("ix_surveys_campaign_due", Survey.campaign_id, Survey.due_at),
    # Owner and search filters reach cases by supplier; stage and risk are then read from the index alone.
    Index("ix_surveys_supplier_stage_risk", Survey.supplier_id, Survey.stage, Survey.risk),
    # Covers the dashboard's per-campaign counts: an index-only scan, never the wide case rows.
    Index("ix_surveys_progress", Survey.campaign_id, Survey.stage, Survey.requested_at, Survey.responded_at),
    Index("ix_suppliers_name", Supplier.name),
    Index("ix_suppliers_name_lower", func.lower(Supplier.name)),  # case-insensitive prefix search
    Index("ix_suppliers_owner_email", Supplier.owner_email),
    Index("ix_findings_metal", Finding.metal),
    Index("ix_findings_smelter_id", Finding.smelter_id),
]
# Today and the dashboard's email faults: unsent and bounced emails are few, so a partial index holds only
# them (bounced emails are never sent); actions are read by due date, waiting evidence by age (migration 3).
TODAY_INDEXES = [
    Index(
        "ix_email_messages_unsent",
        EmailMessage.bounced_at,  # first: the newest bounces are read in order, the unsent are a range
        EmailMessage.survey_id,
        EmailMessage.created_at,
        sqlite_where=EmailMessage.sent_at.is_(None),
        postgresql_where=EmailMessage.sent_at.is_(None),
    ),
    Index("ix_corrective_actions_due", CorrectiveAction.due_at, CorrectiveAction.status),
    Index("ix_action_evidence_review", ActionEvidence.review, ActionEvidence.created_at),
]


def create_missing_indexes(conn: Connection) -> None:
    """Create the indexes a release-0.1.0 database may lack (its console added them on first start)."""
    for index in CASE_LIST_INDEXES:  # IF NOT EXISTS: reflection cannot see expression indexes
        conn.execute(CreateIndex(index, if_not_exists=True))


def gather_statistics(engine: Engine) -> None:
    """On SQLite, gather the planner statistics once (PostgreSQL's autovacuum does that by itself)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        # Without statistics SQLite may walk the wrong index (x4 on the owner filter at 100,000 cases).
        analyzed = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        conn.exec_driver_sql("PRAGMA optimize" if analyzed else "ANALYZE")
