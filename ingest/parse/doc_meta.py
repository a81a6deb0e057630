"""Parse stage, format metadata: whether a stored title names the document; dates as YYYY-MM-DD."""
from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_FILE_NAME = re.compile(r"(?i)\.(docx?|dotx?|pdf|pages|indd|odt|rtf|txt|xlsx?|pptx?|html?|md)$")
_PRODUCER_PREFIX = re.compile(r"(?i)^(microsoft (word|excel|powerpoint)|powerpoint-presentation)\b")
_PLACEHOLDERS = {
    "untitled", "namnlös", "namnlöst", "dokument1", "document1", "dokument", "document",
    "title", "titel", "rubrik", "mall", "template", "normal",
}


def meaningful_title(raw: object) -> str | None:
    """The title stored in a file's metadata, or None if it is a file name or a placeholder.

    >>> meaningful_title("Microsoft Word - Proposition 200506_74 KY uppdrag.doc") is None
    True
    >>> meaningful_title("NFS 2007-10k2.indd.indd") is None
    True
    >>> meaningful_title("ReferatLagrummet") is None  # a template name, one CamelCase word
    True
    >>> meaningful_title(" Kemiska  arbetsmiljörisker ")
    'Kemiska arbetsmiljörisker'
    """
    if not isinstance(raw, str):
        return None
    title = re.sub(r"\s+", " ", raw.replace("\x00", "")).strip()
    if len(title) < 3 or not re.search(r"[^\W\d_]", title):
        return None
    if _PRODUCER_PREFIX.match(title) or _FILE_NAME.search(title) or title.lower() in _PLACEHOLDERS:
        return None
    if re.fullmatch(r"[A-ZÅÄÖ][a-zåäö]+(?:[A-ZÅÄÖ][a-zåäö]+)+", title):
        return None
    return title


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD from a datetime, an ISO date, a PDF date (D:20240502...) or an RFC 2822 date.

    >>> iso_date("D:20240502000000Z"), iso_date("2017-02-21 12:26:00 Z"), iso_date("21 feb")
    ('2024-05-02', '2017-02-21', None)
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat() if 1900 <= value.year <= 2100 else None
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*['\"]?(?:D:)?(\d{4})(?:-(\d{2})-(\d{2})|(\d{2})(\d{2}))", value)
    if m:
        try:
            return iso_date(date(*(int(g) for g in m.groups() if g)))
        except ValueError:
            return None
    try:
        return iso_date(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        return None
