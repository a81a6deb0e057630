"""Notify stage, settings: the SMTP server, the sender, the site's address and webhook retries, read once at an entry point."""
from __future__ import annotations

import os
from dataclasses import dataclass

PREFIX = "DIARIET_"


class SettingsError(ValueError):
    """A setting that cannot be used; the message (Swedish) says which."""


@dataclass(frozen=True)
class NotifySettings:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    sender: str = "diariet@localhost"
    base_url: str = "http://127.0.0.1:8000"  # where the links in e-mails and webhooks point
    shared: bool = False  # a shared install: an address must be confirmed by a link first
    webhook_attempts: int = 4
    webhook_backoff: float = 2.0  # seconds before the second attempt, doubled for each next
    webhook_timeout: float = 10.0

    @classmethod
    def from_environ(cls, environ=os.environ) -> NotifySettings:
        """DIARIET_SMTP_HOST, _SMTP_PORT, _SMTP_USER, _SMTP_PASSWORD, _SMTP_STARTTLS, _MAIL_FROM,
        _BASE_URL, _SHARED (1 = confirm addresses by a link)."""
        def get(name, default=None):
            return environ.get(PREFIX + name, default)

        def flag(name):
            return get(name, "").strip().lower() in ("1", "ja", "yes", "true", "on")

        port = get("SMTP_PORT", "25")
        if not port.isdigit():
            raise SettingsError(f"DIARIET_SMTP_PORT måste vara ett heltal, inte {port!r}")
        return cls(
            smtp_host=get("SMTP_HOST") or None, smtp_port=int(port), smtp_user=get("SMTP_USER") or None,
            smtp_password=get("SMTP_PASSWORD") or None, smtp_starttls=flag("SMTP_STARTTLS"),
            sender=get("MAIL_FROM", cls.sender), base_url=get("BASE_URL", cls.base_url).rstrip("/"),
            shared=flag("SHARED"),
        )
