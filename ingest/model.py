"""The Document model shared by every stage: parse → extract → catalog → index → web."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


class ParseError(Exception):
    """A file that cannot be turned into text; the message is shown to the user as is.

    `reason` is a short machine-readable kind: corrupt, encrypted, empty, unsupported.
    """

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Page:
    """One page of text (a PDF page or an image frame; the whole text for HTML, DOCX and plain text)."""

    number: int  # 1-based
    text: str
    has_text_layer: bool = True  # False for a page whose file holds no usable text (a scan, an image)
    ocr: bool = False  # the text was read from the page's image (ingest/parse/ocr/read.py)
    confidence: float | None = None  # with ocr: the OCR's mean word confidence, 0-1


@dataclass(frozen=True)
class ParsedDocument:
    """What a parser returns: text by page plus what the format itself says."""

    media_type: str
    pages: tuple[Page, ...]
    title: str | None = None  # from the format's metadata (<title>, PDF Info, DOCX core props)
    date: str | None = None  # YYYY-MM-DD when the format's metadata gives one
    headings: tuple[str, ...] = ()  # headings found in the content, in order
    warnings: tuple[str, ...] = ()  # non-fatal problems worth telling the user

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


@dataclass(frozen=True)
class DnrRef:
    """A diarienummer as found: canonical form plus the loose key used for lookup."""

    canonical: str
    key: str


@dataclass(frozen=True)
class Statement:
    """A reservation, särskilt uttalande, ersättaryttrande or protokollsanteckning."""

    kind: str
    parties: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    text: str = ""
    paragraph: str | None = None


@dataclass(frozen=True)
class Motion:
    """A yrkande in a §: who moved what (position: bifall, avslag, återremiss, bordläggning, ändring, tillägg)."""

    person: str | None
    party: str | None
    position: str
    text: str = ""
    withdrawn: bool = False


@dataclass(frozen=True)
class MemberVote:
    """One member's vote in a voteringslista: yes, no, abstain or absent."""

    name: str
    party: str | None
    vote: str


@dataclass(frozen=True)
class Vote:
    """An omröstning: totals, by party when the protocol names who voted how, member by member."""

    yes: int
    no: int
    abstain: int = 0
    absent: int | None = None
    by_party: dict[str, dict[str, int]] = field(default_factory=dict)  # party -> {"yes", "no", "abstain"}
    by_member: tuple[MemberVote, ...] = ()
    question: str = ""  # what a yes meant, as the voteringsproposition says

    @classmethod
    def from_dict(cls, d: dict) -> Vote:
        return cls(**{**d, "by_member": tuple(MemberVote(**m) for m in d.get("by_member", ()))})


# What a § decided (Paragraph.outcome).
OUTCOMES = ("bifall", "avslag", "besvarad", "återremiss", "bordlagd", "val", "anmäld", "förslag", "annat")


@dataclass(frozen=True)
class Paragraph:
    """One § of a protocol: citable as "<body> <date> § <number>", with its decision record."""

    number: str  # "16", "31"
    title: str
    page: int  # page where the § starts
    dnr: tuple[str, ...] = ()
    decision: str = ""  # the Beslut text
    proposal: str = ""  # förslag till beslut
    proposed_by: str | None = None  # förvaltning, utskott or styrelse whose proposal it is
    motions: tuple[Motion, ...] = ()
    procedure: str = ""  # beslutsgång / propositionsordning as written
    vote: Vote | None = None  # the vote on the main question
    votes: tuple[Vote, ...] = ()  # earlier votes (on bordläggning, återremiss, amendments)
    outcome: str = "annat"
    as_proposed: bool | None = None
    changes: tuple[str, ...] = ()  # att-satser of the decision not in the proposal
    conflicts: tuple[str, ...] = ()  # who declared jäv
    # Where its heading starts in the pages' text as ingest.extract.paragraphs.join joins them
    # (the web cuts the pages there); None in catalog rows extracted before it was kept.
    start: int | None = None

    @classmethod
    def from_dict(cls, d: dict) -> Paragraph:
        """The inverse of dataclasses.asdict (older catalog rows lack the decision fields)."""
        d = dict(d)
        d["dnr"] = tuple(d.get("dnr", ()))
        d["motions"] = tuple(Motion(**m) for m in d.get("motions", ()))
        d["vote"] = Vote.from_dict(d["vote"]) if d.get("vote") else None
        d["votes"] = tuple(Vote.from_dict(v) for v in d.get("votes", ()))
        d["changes"] = tuple(d.get("changes", ()))
        d["conflicts"] = tuple(d.get("conflicts", ()))
        return cls(**d)


@dataclass(frozen=True)
class Part:
    """One paper of a meeting packet (a kallelse with the handlingar of its ärenden, one file):
    its pages and what extraction finds in them alone (ingest/extract/packets.py)."""

    number: int  # 1-based, in the packet's order; 1 is the kallelse itself
    first_page: int
    last_page: int
    doctype: str
    title: str
    date: str | None = None
    body: str | None = None
    unit: str | None = None
    dnr: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict) -> Part:
        return cls(**{**d, "dnr": tuple(d.get("dnr", ()))})


@dataclass(frozen=True)
class Metadata:
    """What extraction finds in a parsed document (pure function of text + hints)."""

    title: str
    language: str = "sv"
    date: str | None = None  # YYYY-MM-DD
    date_kind: str | None = None  # which date it is: "sammanträde", "datum", "antagen", "publicerad", "filnamn" ...
    date_missing: str | None = None  # for an undated document: why it has no date
    doctype: str = "annat"
    organization: str | None = None
    body: str | None = None  # the political body: nämnd, styrelse, fullmäktige, utskott, direktion
    unit: str | None = None  # the office that wrote it: förvaltning, kontor, avdelning, enhet
    dnr: tuple[str, ...] = ()  # the document's own diarienummer, canonical forms
    dnr_mentioned: tuple[str, ...] = ()  # other diarienummer in the text
    parties: tuple[str, ...] = ()
    persons: tuple[tuple[str, str], ...] = ()  # (role, name)
    statements: tuple[Statement, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    # Other typed references (ingest/extract/references.py): (kind, canonical), e.g. ("prop", "Prop. 2022/23:126").
    references: tuple[tuple[str, str], ...] = ()
    # A protocol's justering and anslag (ingest/extract/decisions/appeal.py) and the last day to appeal.
    justified_on: str | None = None
    posted_on: str | None = None
    appeal_deadline: str | None = None
    appeal_note: str | None = None  # how the deadline was counted, or why there is none
    # A meeting packet's papers, in order (ingest/extract/packets.py); () for a file that is one paper.
    parts: tuple[Part, ...] = ()

    @property
    def register_holder(self) -> str | None:
        """Whose register a bare number of the document is in: its body's, else (an office's own
        paper, no body named) its unit's."""
        return self.body or self.unit


@dataclass
class Document:
    """A catalogued document: identity, provenance, text and metadata."""

    id: str  # stable: derived from the source, unchanged when the bytes change
    source: str  # the path or URL it was ingested from
    sha256: str
    media_type: str
    size: int
    pages: list[Page]
    meta: Metadata
    ingested_at: str = ""  # ISO timestamp, set by the catalog
    version: int = 1
    warnings: list[str] = field(default_factory=list)
    # What the parser said besides the pages (title, date, headings): kept per sha256 in the
    # catalog so identical bytes are never parsed twice.
    parsed_meta: dict = field(default_factory=dict)
    # What its source said about it (a crawler's listing, `--organization`), extraction's hints:
    # kept so a re-extraction (ingest/pipeline/reextract.py) has them too.
    hints: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def to_dict(self, with_pages: bool = True) -> dict:
        """The JSON shape of the API (`/api/documents/<id>`)."""
        meta = asdict(self.meta)
        out = {
            "id": self.id,
            "title": meta["title"],
            "doctype": meta["doctype"],
            "organization": meta["organization"],
            "body": meta["body"],
            "unit": meta["unit"],
            "date": meta["date"],
            "date_kind": meta["date_kind"],
            "date_missing": meta["date_missing"],
            "language": meta["language"],
            "dnr": list(meta["dnr"]),
            "dnr_mentioned": list(meta["dnr_mentioned"]),
            "parties": list(meta["parties"]),
            "persons": [{"role": r, "name": n} for r, n in self.meta.persons],
            "statements": [
                {**asdict(s), "parties": list(s.parties), "persons": list(s.persons)}
                for s in self.meta.statements
            ],
            "references": [{"kind": k, "reference": r} for k, r in self.meta.references],
            "paragraphs": [paragraph_dict(p, self.meta.statements) for p in self.meta.paragraphs],
            "justified_on": self.meta.justified_on,
            "posted_on": self.meta.posted_on,
            "appeal_deadline": self.meta.appeal_deadline,
            "appeal_note": self.meta.appeal_note,
            "parts": [{**asdict(p), "dnr": list(p.dnr)} for p in self.meta.parts],
            "source": self.source,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "size": self.size,
            "page_count": self.page_count,
            "version": self.version,
            "ingested_at": self.ingested_at,
            "warnings": list(self.warnings),
        }
        if with_pages:
            out["pages"] = [
                {"number": p.number, "text": p.text, "has_text_layer": p.has_text_layer,
                 "ocr": p.ocr, "confidence": p.confidence}
                for p in self.pages
            ]
        return out


def paragraph_dict(p: Paragraph, statements: tuple[Statement, ...] = ()) -> dict:
    """The JSON shape of one § (in `paragraphs` of /api/documents/<id>), its statements included."""
    out = asdict(p)
    out["dnr"] = list(p.dnr)
    out["changes"] = list(p.changes)
    out["conflicts"] = list(p.conflicts)
    out["votes"] = [asdict(v) for v in p.votes]
    for vote in [out["vote"], *out["votes"]]:
        if vote:
            vote["by_member"] = list(vote["by_member"])
    out["statements"] = [
        {"kind": s.kind, "parties": list(s.parties), "persons": list(s.persons), "text": s.text}
        for s in statements if s.paragraph == p.number
    ]
    return out
