"""Notify stage, mail: messages sent through the configured SMTP server, one connection per run."""
from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

from notify.settings import NotifySettings


class MailError(RuntimeError):
    """The SMTP server could not be used; the message (Swedish) says why."""


def send(messages: Iterable[EmailMessage], settings: NotifySettings) -> int:
    """Send every message; returns how many were sent."""
    messages = list(messages)
    if not messages:
        return 0
    if not settings.smtp_host:
        raise MailError("ingen SMTP-server inställd (DIARIET_SMTP_HOST)")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            for message in messages:
                smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as e:
        raise MailError(f"kunde inte skicka e-post via {settings.smtp_host}:{settings.smtp_port}: {e}") from e
    return len(messages)
