"""Temporal activities of the survey workflows; `build_activities` wires them to their dependencies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from activities.campaign import CampaignActivities
from activities.corrective import CorrectiveActivities
from activities.email import EmailActivities, SmtpConfig
from activities.intake import IntakeActivities
from activities.links import LinkSigner
from activities.records import RecordActivities
from models.settings import Settings


def build_activities(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    search_attributes: bool = True,
    pool: Any = None,
) -> list[Callable[..., Any]]:
    """Every activity a worker registers, built from settings and a session factory (`models.db`)."""
    smtp = SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        mail_from=settings.mail_from,
        starttls=settings.smtp_starttls,
        username=settings.smtp_user,
        password=settings.smtp_password,
    )
    links = LinkSigner(settings.upload_secret, settings.public_base_url)
    return activities_of(
        RecordActivities(sessions),
        EmailActivities(sessions, smtp, links),
        IntakeActivities(
            sessions,
            Path(settings.resolved_file_store_dir()),
            pool,
            risk_config=settings.resolved_risk_config(),
        ),
        CampaignActivities(
            sessions,
            max_upload_bytes=settings.max_upload_bytes,
            search_attributes=search_attributes,
            email_queue=settings.resolved_email_task_queue(),
        ),
        CorrectiveActivities(sessions, Path(settings.data_dir) / "actions.json"),
    )


def activities_of(
    records: RecordActivities,
    email: EmailActivities,
    intake: IntakeActivities,
    campaign: CampaignActivities,
    corrective: CorrectiveActivities,
) -> list[Callable[..., Any]]:
    """The activity methods of already-built activity objects."""
    return [
        records.record_transition,
        records.record_campaign,
        email.send_email,
        intake.verify_upload,
        intake.check_upload,
        intake.assess_upload,
        campaign.start_survey_page,
        corrective.plan_actions,
        corrective.record_action,
    ]


__all__ = [
    "CampaignActivities",
    "CorrectiveActivities",
    "EmailActivities",
    "IntakeActivities",
    "LinkSigner",
    "RecordActivities",
    "SmtpConfig",
    "activities_of",
    "build_activities",
]
