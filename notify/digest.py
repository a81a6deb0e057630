"""Notify stage, digests: one e-mail per address (plain text + HTML) with each watch's new documents,
excerpts, links and an unsubscribe link; the confirmation e-mail of a shared install."""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ingest.catalog.watches import Watch
from ingest.model import Document
from notify import links

EXCERPT = 280
_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True)
class Section:
    watch: Watch
    documents: list[dict]  # document_view() of each new document
    unsubscribe: str
    page: str  # where the watch's whole result is


def excerpt(doc: Document) -> str:
    """A protocol's first §§, else the text's beginning, in at most EXCERPT characters."""
    if doc.meta.paragraphs:
        text = "; ".join(f"§ {p.number} {p.title}" for p in doc.meta.paragraphs[:4])
    else:
        text = re.sub(r"\s+", " ", doc.text).strip()
    return text if len(text) <= EXCERPT else text[:EXCERPT].rsplit(" ", 1)[0] + " …"


def document_view(doc: Document, base_url: str) -> dict:
    meta = doc.meta
    where = ", ".join(x for x in (meta.body, meta.organization) if x)
    return {"id": doc.id, "title": meta.title, "doctype": meta.doctype, "where": where,
            "date": meta.date, "dnr": list(meta.dnr), "excerpt": excerpt(doc),
            "url": links.document(base_url, doc.id)}


def compose(to: str, sections: list[Section], manage: str, sender: str, frequency: str) -> EmailMessage:
    count = sum(len(s.documents) for s in sections)
    period = "veckans" if frequency == "weekly" else "dagens"
    message = EmailMessage()
    message["Subject"] = f"Diariet: {count} nya handlingar i {period} bevakningar"
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="diariet")
    if len(sections) == 1:
        message["List-Unsubscribe"] = f"<{sections[0].unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    values = {"sections": sections, "manage": manage, "count": count, "period": period}
    message.set_content(_env.get_template("digest.txt").render(values))
    message.add_alternative(_env.get_template("digest.html").render(values), subtype="html")
    return message


def confirmation(to: str, watch: Watch, confirm: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "Diariet: bekräfta din bevakning"
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="diariet")
    values = {"watch": watch, "confirm": confirm}
    message.set_content(_env.get_template("confirm.txt").render(values))
    message.add_alternative(_env.get_template("confirm.html").render(values), subtype="html")
    return message
