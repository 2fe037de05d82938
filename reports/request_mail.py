"""Send our declaration to the customer who asked for it: one email with the workbook attached."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import aiosmtplib

from models.customer_request import CustomerRequest
from models.settings import Settings

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def answer_message(settings: Settings, request: CustomerRequest, attachment: Path, name: str) -> EmailMessage:
    """The email: who asked, what is attached, and the scope it covers."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = request.contact_email
    message["Subject"] = f"Our {request.template} for {request.customer}"
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rsplit("@", 1)[-1].strip(">") or "localhost")
    message["X-Minerals-Kind"] = "customer-answer"
    greeting = f"Dear {request.contact_name}," if request.contact_name else "Hello,"
    scope = (
        f"the products you listed ({', '.join(request.products)})"
        if request.products
        else "our company as a whole"
    )
    message.set_content(
        f"{greeting}\n\nas you asked, our {request.template} is attached ({name}). It covers {scope}.\n"
        "\nWith kind regards,\nResponsible minerals team\n"
    )
    message.add_attachment(attachment.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return message


async def send_answer(settings: Settings, message: EmailMessage) -> None:
    """Hand the email to the configured relay (raises on refusal or when the relay cannot be reached)."""
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        start_tls=settings.smtp_starttls,
        username=settings.smtp_user or None,
        password=settings.smtp_password or None,
        timeout=30,
    )
