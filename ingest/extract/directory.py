"""Extract stage: the directory of organizations (kommuner, regioner, national ones), read from data/.

The data files (ingest/extract/data/*.tsv) say where their contents come from. This module only
reads them and answers: which organization does a written form name ("Göteborgs stad", "Alingsås
kommuns", "REGION HALLAND"), which one owns a web host, which one a folder or file name names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Organization:
    """One organization of the directory."""

    name: str  # the official name: "Alingsås kommun", "Göteborgs Stad", "Region Halland"
    kind: str  # "kommun", "region" or "national"
    code: str = ""  # SCB kommunkod (4 digits) or länskod (2 digits)
    domain: str = ""  # "alingsas.se"
    forms: tuple[str, ...] = ()  # other ways documents write it ("Göteborgs stad")
    short: str = ""  # the place: "Alingsås", "Halland"
    county: str = ""  # the län of a region: "Hallands län"


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a data file: '#' lines are its header comment, the first other line names the columns."""
    lines = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    columns = lines[0].split("\t")
    return [dict(zip(columns, [*line.split("\t"), *[""] * len(columns)])) for line in lines[1:]]


def _forms(cell: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in cell.split("|") if f.strip())


@cache
def kommuner() -> tuple[Organization, ...]:
    """The 290 kommuner (kommuner.tsv)."""
    return tuple(Organization(r["organization"], "kommun", r["code"], r["domain"], _forms(r["forms"]), r["name"])
                 for r in read_tsv("kommuner.tsv"))


@cache
def regioner() -> tuple[Organization, ...]:
    """The 21 regioner (regioner.tsv)."""
    return tuple(Organization(r["organization"], "region", r["code"], r["domain"], _forms(r["forms"]),
                              r["organization"].removeprefix("Region "), r["county"])
                 for r in read_tsv("regioner.tsv"))


def _fold(form: str) -> str:
    """The lookup key of a written form: case and spacing do not matter ("KUNGSBACKA  KOMMUN")."""
    return " ".join(form.split()).casefold()


@cache
def _by_form() -> dict[str, str]:
    """Every written form of a kommun or region, and its genitive, -> the official name."""
    table: dict[str, str] = {}
    for org in (*kommuner(), *regioner()):
        forms = [org.name, *org.forms]
        if org.kind == "region" and org.name.endswith(" län"):
            forms.append(org.name.removesuffix(" län").removesuffix("s"))  # "Region Jönköping"
        for form in forms:
            table.setdefault(_fold(form), org.name)
            if not form.endswith(("s", "x", "z")):
                table.setdefault(_fold(form + "s"), org.name)  # "Alingsås kommuns", "Region Hallands"
    return table


def official_name(form: str) -> str | None:
    """The official name of the kommun or region a written form names, None if it names none.

    >>> official_name("Göteborg stad"), official_name("ALINGSÅS KOMMUNS"), official_name("Region Hallands")
    ('Göteborgs Stad', 'Alingsås kommun', 'Region Halland')
    >>> official_name("Varje kommun") is None
    True
    """
    return _by_form().get(_fold(form))


@cache
def _by_domain() -> dict[str, str]:
    table = {org.domain: org.name for org in (*kommuner(), *regioner()) if org.domain}
    table.update({r["domain"]: r["name"] for r in (*national(), *local()) if r["domain"]})
    return table


def organization_of_host(host: str) -> str | None:
    """The organization whose web domain a host belongs to ("www.alingsas.se", "alingsas.se:443").

    >>> organization_of_host("https://www.vgregion.se/x"), organization_of_host("example.org")
    ('Västra Götalandsregionen', None)
    """
    host = re.sub(r"^[a-z]+://", "", host.strip().lower()).split("/")[0].split(":")[0]
    parts = host.split(".")
    for i in range(len(parts) - 1):  # "www.alingsas.se", then "alingsas.se"
        name = _by_domain().get(".".join(parts[i:]))
        if name:
            return name
    return None


def slug(text: str) -> str:
    """A name as folders and URLs write it: "Göteborgs Stad" -> "goteborgs-stad"."""
    text = text.casefold().translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@cache
def _by_slug() -> dict[str, str]:
    """Slugs of each kommun's and region's place name and official name -> the official name.
    A place that is a kommun and names a region too ("Gotland") names the kommun first."""
    table: dict[str, str] = {}
    for org in (*kommuner(), *regioner()):
        for form in (org.name, org.short, *org.forms):
            table.setdefault(slug(form), org.name)
    return table


def organization_of_path(path: str) -> str | None:
    """The kommun or region a folder or file name names: "municipal/alingsas-knarrbyn/x.pdf",
    "region-dalarna/", "Goteborgs_Stad_rapport.pdf". The folder's first word counts ("alingsas-
    knarrbyn" is Alingsås), and a name in full anywhere ("region-dalarna", "goteborgs-stad").

    >>> organization_of_path("municipal/alingsas-knarrbyn/x.pdf"), organization_of_path("region-dalarna/a.pdf")
    ('Alingsås kommun', 'Region Dalarna')
    >>> organization_of_path("seeds/protokoll.pdf") is None
    True
    """
    parts = [p for p in re.split(r"[\\/]", path) if p]
    table = _by_slug()
    for part in reversed(parts):  # the nearest folder first
        words = slug(re.sub(r"%20", " ", part)).split("-")
        for n in (3, 2):  # a full name: "region-dalarna", "goteborgs-stad", "upplands-vasby"
            for i in range(len(words) - n + 1):
                name = table.get("-".join(words[i:i + n]))
                if name:
                    return name
        if part is not parts[-1] and words and words[0] in table:  # a folder's first word: "alingsas-knarrbyn"
            return table[words[0]]
    return None


@cache
def national() -> tuple[dict[str, str], ...]:
    """The national organizations (national.tsv), in the order they are tried."""
    return tuple(read_tsv("national.tsv"))


@cache
def local() -> tuple[dict[str, str], ...]:
    """Kommunalförbund and municipal companies known by name (local.tsv), columns as national()'s."""
    return tuple(read_tsv("local.tsv"))


def county_boards() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each län's länsstyrelse: its name ("Länsstyrelsen Västra Götalands län") and the other
    forms documents write ("Länsstyrelsen i Västra Götalands län", "Länsstyrelsen Västra Götaland"),
    from the län of regioner.tsv.

    >>> county_boards()[0]
    ('Länsstyrelsen Stockholms län', ('Länsstyrelsen i Stockholms län', 'Länsstyrelsen Stockholm'))
    """
    return tuple((f"Länsstyrelsen {r.county}",
                  (f"Länsstyrelsen i {r.county}", "Länsstyrelsen " + r.county.removesuffix(" län").removesuffix("s")))
                 for r in regioner() if r.county)


@cache
def ministers() -> dict[str, tuple[str, str]]:
    """A minister's title -> (ministry, ministry from 2023, blank where the title kept its ministry)
    (ministries.tsv)."""
    return {r["title"]: (r["ministry"], r["from_2023"]) for r in read_tsv("ministries.tsv")}
