"""The outbox: every email, stored before it is sent, unique per workflow step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, ColumnElement, ForeignKey, String, Text, case, func, select
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from models.base import Base, utcnow
from models.survey import Survey


class EmailMessage(Base):
    """One email; `idempotency_key` (workflow id + step) makes a retried send a no-op."""

    __tablename__ = "email_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8), default="en")
    to: Mapped[list[str]] = mapped_column(JSON)
    cc: Mapped[list[str]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(500))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)  # SMTP attempts, each counted before it is made
    attempted_at: Mapped[dt.datetime | None]  # start of the latest attempt
    bounced_at: Mapped[dt.datetime | None]  # the relay refused a recipient for good; not retried
    last_error: Mapped[str | None] = mapped_column(Text)  # of an unsent or bounced email; cleared when sent


@dataclass(frozen=True)
class OutboxHealth:
    """What is wrong with a set of emails: unsent ones and how long the oldest waited, bounces not yet
    resolved by a resend, and the last error of those."""

    unsent: int
    oldest_unsent_at: dt.datetime | None
    bounced: int
    last_error: str | None
    last_error_at: dt.datetime | None
    now: dt.datetime

    @property
    def oldest_unsent_age(self) -> dt.timedelta | None:
        """How long the oldest unsent email has waited."""
        return self.now - _aware(self.oldest_unsent_at) if self.oldest_unsent_at else None

    @property
    def healthy(self) -> bool:
        """Nothing waits and nothing bounced."""
        return not self.unsent and not self.bounced

    def summary(self) -> str:
        """One line for people: 'all sent', or what waits, since when, what bounced and the last error."""
        if self.healthy and not self.last_error:
            return "all emails sent"
        parts = []
        if self.unsent:
            age = self.oldest_unsent_age
            parts.append(
                f"{self.unsent} unsent (oldest waiting {age_text(age)})" if age else f"{self.unsent} unsent"
            )
        if self.bounced:
            parts.append(f"{self.bounced} bounced")
        line = ", ".join(parts) or "all emails sent"
        return f"{line}; last error: {self.last_error}" if self.last_error else line

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, times in ISO form, the age in whole seconds."""
        age = self.oldest_unsent_age
        return {
            "unsent": self.unsent,
            "oldest_unsent_at": _iso(self.oldest_unsent_at),
            "oldest_unsent_age_s": int(age.total_seconds()) if age is not None else None,
            "bounced": self.bounced,
            "last_error": self.last_error,
            "last_error_at": _iso(self.last_error_at),
            "summary": self.summary(),
        }


def unresolved_bounce() -> ColumnElement[bool]:
    """A bounced email whose case has not since had an email of its kind sent (to a corrected address)."""
    later = aliased(EmailMessage)
    resent = select(later.id).where(
        later.survey_id == EmailMessage.survey_id,
        later.kind == EmailMessage.kind,
        later.id > EmailMessage.id,
        later.sent_at.is_not(None),
    )
    # sent_at IS NULL always holds for a bounce; saying it lets the unsent emails' partial index answer.
    return EmailMessage.sent_at.is_(None) & EmailMessage.bounced_at.is_not(None) & ~resent.exists()


def outbox_health(
    session: Session, *, campaign_id: int | None = None, survey_id: int | None = None
) -> OutboxHealth:
    """The outbox's faults: all emails, or those of one campaign or one case."""
    where: list[ColumnElement[bool]] = []
    if survey_id is not None:
        where.append(EmailMessage.survey_id == survey_id)
    if campaign_id is not None:
        of_campaign = select(Survey.id).where(Survey.campaign_id == campaign_id)
        where.append(EmailMessage.survey_id.in_(of_campaign))
    unsent = (EmailMessage.sent_at.is_(None), EmailMessage.bounced_at.is_(None))
    count, oldest = session.execute(
        select(func.count(), func.min(EmailMessage.created_at)).where(*where, *unsent)
    ).one()
    bounced = session.scalar(select(func.count()).where(*where, unresolved_bounce()))
    failing = (
        select(EmailMessage.last_error, func.coalesce(EmailMessage.bounced_at, EmailMessage.attempted_at))
        .where(*where, EmailMessage.sent_at.is_(None), EmailMessage.last_error.is_not(None))
        .where(EmailMessage.bounced_at.is_(None) | unresolved_bounce())
        .order_by(
            func.coalesce(EmailMessage.bounced_at, EmailMessage.attempted_at).desc().nulls_last(),
            EmailMessage.id.desc(),
        )
        .limit(1)
    )
    error, error_at = session.execute(failing).first() or (None, None)
    return OutboxHealth(int(count), oldest, int(bounced or 0), error, error_at, utcnow())


def faults_by_campaign(session: Session) -> dict[int, tuple[int, int]]:
    """(unsent, bounced) emails of each campaign that has any."""
    unsent = (EmailMessage.sent_at.is_(None)) & (EmailMessage.bounced_at.is_(None))
    query = (
        select(
            Survey.campaign_id,
            func.sum(case((unsent, 1), else_=0)),
            func.sum(case((unresolved_bounce(), 1), else_=0)),
        )
        .join(Survey, Survey.id == EmailMessage.survey_id)
        .where(EmailMessage.sent_at.is_(None))
        .group_by(Survey.campaign_id)
    )
    return {cid: (int(u or 0), int(b or 0)) for cid, u, b in session.execute(query)}


def age_text(age: dt.timedelta) -> str:
    """A wait as people say it: 45s, 12m, 3h 05m, 2d 4h."""
    seconds = max(0, int(age.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m" if minutes else f"{secs}s"


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC


def _iso(value: dt.datetime | None) -> str | None:
    return _aware(value).isoformat() if value is not None else None
