"""Temporal activities of the survey workflows; `build_activities` wires them to their dependencies."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from activities.campaign import CampaignActivities
from activities.corrective import CorrectiveActivities
from activities.email import EmailActivities, SmtpConfig
from activities.intake import IntakeActivities
from activities.links import LinkSigner
from activities.notices import Notices
from activities.outreach import OutreachActivities
from activities.records import RecordActivities
from activities.refresh import RefreshActivities
from activities.registry_import import RegistryImportActivities
from activities.webhooks import WebhookActivities
from models.settings import Settings


def build_activities(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    search_attributes: bool = True,
    pool: Any = None,
    executor: Executor | None = None,
    sends_email: bool = True,
) -> list[Callable[..., Any]]:
    """Every activity a worker registers, built from settings and a session factory (`models.db`).

    `executor` runs their blocking work (database, parsing); the worker sizes it to its activity slots.
    `sends_email`: the worker serves the email queue too, so a campaign sends its requests itself.
    """
    smtp = SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        mail_from=settings.mail_from,
        starttls=settings.smtp_starttls,
        username=settings.smtp_user,
        password=settings.smtp_password,
    )
    links = LinkSigner(settings.upload_secret, settings.public_base_url)
    email_queue = settings.resolved_email_task_queue()
    email = EmailActivities(sessions, smtp, links, executor=executor)
    return activities_of(
        RecordActivities(sessions, executor),
        email,
        IntakeActivities(
            sessions,
            Path(settings.resolved_file_store_dir()),
            pool,
            risk_config=settings.resolved_risk_config(),
            executor=executor,
        ),
        CampaignActivities(
            sessions,
            max_upload_bytes=settings.max_upload_bytes,
            in_flight=settings.campaign_in_flight,
            search_attributes=search_attributes,
            email_queue=email_queue,
            executor=executor,
            email=email,
            email_per_second=settings.email_per_second if sends_email else 0,
        ),
        CorrectiveActivities(sessions, Path(settings.data_dir) / "actions.json", executor, email_queue),
        RefreshActivities(
            sessions,
            settings.resolved_risk_config(),
            executor,
            notices=Notices(sessions, smtp),
            base_url=settings.public_base_url,
        ),
        OutreachActivities(
            sessions,
            Notices(sessions, smtp),
            executor=executor,
            risk_config=settings.resolved_risk_config(),
            email_queue=email_queue,
        ),
        RegistryImportActivities(sessions, settings.resolved_risk_config(), executor, email_queue),
        WebhookActivities(sessions, executor),
    )


def activities_of(
    records: RecordActivities,
    email: EmailActivities,
    intake: IntakeActivities,
    campaign: CampaignActivities,
    corrective: CorrectiveActivities,
    refresh: RefreshActivities | None = None,
    outreach: OutreachActivities | None = None,
    importing: RegistryImportActivities | None = None,
    webhooks: WebhookActivities | None = None,
) -> list[Callable[..., Any]]:
    """The activity methods of already-built activity objects (a registry refresh's too, when given)."""
    notices = Notices(corrective.sessions, email.smtp)
    refreshing = refresh or RefreshActivities(corrective.sessions, notices=notices)
    engaging = outreach or OutreachActivities(corrective.sessions, notices)
    lists = importing or RegistryImportActivities(corrective.sessions)
    hooks = webhooks or WebhookActivities(corrective.sessions)
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
        refreshing.begin_refresh,
        refreshing.reassess_page,
        refreshing.finish_refresh,
        refreshing.send_digests,
        engaging.start_outreach,
        engaging.outreach_step,
        engaging.record_outreach,
        lists.import_newest,
        hooks.collect,
        hooks.deliver,
        hooks.give_up,
    ]


__all__ = [
    "CampaignActivities",
    "CorrectiveActivities",
    "EmailActivities",
    "IntakeActivities",
    "LinkSigner",
    "RecordActivities",
    "OutreachActivities",
    "RefreshActivities",
    "RegistryImportActivities",
    "SmtpConfig",
    "WebhookActivities",
    "activities_of",
    "build_activities",
]
