"""The fixed query mix, and fresh queries of the same kinds (other words each round)."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from index.analysis.chain import analyze
from index.query.parser import SearchRequest


@dataclass(frozen=True)
class BenchQuery:
    """One query of the mix, as our engine takes it and as a peer expresses it.

    `peer`: ("all", words) every word | ("any", words) | ("phrase", words) | ("prefix", start) |
    ("not", word, word) | ("dnr", surface form) | ("browse",) no words (filters, newest first)."""

    kind: str
    q: str
    peer: tuple
    filters: dict = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @property
    def label(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.filters.items())
        extra += " sort=date" if self.sort == "date" else ""
        extra += f" page={self.page}" if self.page > 1 else ""
        return f"{self.q or '(tom)'} {extra}".strip()


QUERIES = [
    BenchQuery("word", "skogsprogrammet", ("all", "skogsprogrammet")),
    BenchQuery("word", "kommuner", ("all", "kommuner")),
    BenchQuery("word", "regeringen", ("all", "regeringen")),
    BenchQuery("typo", "skogsprogramet", ("all", "skogsprogramet")),
    BenchQuery("and", "medicinsk kompetens", ("all", "medicinsk kompetens")),
    BenchQuery("and", "kommunal hälso- och sjukvård", ("all", "kommunal hälso- och sjukvård")),
    BenchQuery("or", "skola OR förskola", ("any", "skola förskola")),
    BenchQuery("phrase", '"nationella skogsprogrammet"', ("phrase", "nationella skogsprogrammet")),
    BenchQuery("phrase", '"särskild utredare"', ("phrase", "särskild utredare")),
    BenchQuery("prefix", "utbetalnings*", ("prefix", "utbetalnings")),
    BenchQuery("not", "budget NOT försvar", ("not", "budget", "försvar")),
    BenchQuery("facet", "klimat", ("all", "klimat"), {"doctype": "pressmeddelande"}),
    BenchQuery("facet", "", ("browse",), {"year": "2023"}),
    BenchQuery("dnr", "N2018/03142/SK", ("dnr", "N2018/03142/SK")),
    BenchQuery("dnr", "n2018 03142 sk", ("dnr", "n2018 03142 sk")),
    BenchQuery("browse", "", ("browse",)),
    BenchQuery("sorted", "energi", ("all", "energi"), sort="date"),
    # Issue 15's query paths: accents folded, å/ä/ö respelled by inflection family, vocabulary
    # expansion (a party name), a misspelling corrected (the typo above is searched corrected).
    BenchQuery("accent", "Sami", ("all", "Sami")),
    BenchQuery("respell", "aldreomsorgen", ("all", "aldreomsorgen")),
    BenchQuery("expand", "sverigedemokraterna", ("all", "sverigedemokraterna")),
    # Two words no document holds together: searched relaxed (index/query/relax.py: near
    # spellings from the vocabulary, all words but one), the peers' AND finds nothing.
    BenchQuery("relax", "skogsprogrammet vandalisering", ("all", "skogsprogrammet vandalisering")),
]


# Fresh queries: the same kinds, other words in every round, so that nothing a searcher
# remembers of an earlier query (counts, facets) answers them.
FRESH_WORDS = [
    "vård", "miljö", "forskning", "utbildning", "hälsa", "barn", "äldre", "infrastruktur",
    "energi", "klimat", "brottslighet", "arbetsmarknaden", "jämställdhet", "näringslivet",
    "försvaret", "skola", "bostäder", "polisen", "integration", "skatt", "kultur", "digitalisering",
    "vaccin", "elektrifiering", "export", "trafik", "idrott", "migration", "landsbygden", "kommuner",
    "sjukvård", "tandvård", "psykiatri", "narkotika", "vapen", "fängelse", "asyl", "pension",
    "bistånd", "demokrati",
]
FRESH_PHRASES = [
    "särskild utredare", "psykisk hälsa", "europeiska unionen", "sveriges kommuner",
    "högre utbildning", "statens energimyndighet", "svenska myndigheter", "fossilfria transporter",
    "nationella skogsprogrammet", "regeringen beslutade", "ökad tillgänglighet", "hållbar utveckling",
]
FRESH_DNR = [
    "N2015/04489/FJR", "n2019 03241 jl", "U2012/4420/GV", "S2016/01612/FS", "n2017 07504 jm",
    "I2019/01967/D", "A2020/00949/IAS", "s2010 9220 fs", "N2018/03939/TS", "U2017/02404/F",
]


def fresh_round(r: int) -> list[BenchQuery]:
    """Round r of the fresh queries: each kind of the mix once, with words of its own."""
    def w(i: int) -> str:
        return FRESH_WORDS[(4 * r + i) % len(FRESH_WORDS)]  # 4 words of its own a round

    phrase = FRESH_PHRASES[r % len(FRESH_PHRASES)]
    dnr = FRESH_DNR[r % len(FRESH_DNR)]
    return [
        BenchQuery("word", w(0), ("all", w(0))),
        BenchQuery("and", f"{w(1)} {w(2)}", ("all", f"{w(1)} {w(2)}")),
        BenchQuery("or", f"{w(0)} OR {w(2)}", ("any", f"{w(0)} {w(2)}")),
        BenchQuery("phrase", f'"{phrase}"', ("phrase", phrase)),
        BenchQuery("prefix", f"{w(1)[:5]}*", ("prefix", w(1)[:5])),
        BenchQuery("not", f"{w(0)} NOT {w(1)}", ("not", w(0), w(1))),
        BenchQuery("facet", w(2), ("all", w(2)), {"doctype": "pressmeddelande"}),
        BenchQuery("facet", "", ("browse",), {"year": str(2023 - r % 15)}),
        BenchQuery("dnr", dnr, ("dnr", dnr)),
        BenchQuery("browse", "", ("browse",), page=2 + r),
        BenchQuery("sorted", w(3), ("all", w(3)), sort="date"),
    ]


def request_of(bq: BenchQuery) -> SearchRequest:
    return SearchRequest(q=bq.q, filters=dict(bq.filters), sort=bq.sort, page=bq.page)


def api_path(bq: BenchQuery) -> str:
    args = {"q": bq.q, **bq.filters}
    if bq.sort != "relevance":
        args["sort"] = bq.sort
    if bq.page > 1:
        args["page"] = bq.page
    return "/api/search?" + urlencode(args)


def query_terms(text: str) -> list[str]:
    """A query's words as the index holds them (our analyzer, Swedish)."""
    return [t.text for t in analyze(text, "sv")]
