"""Extract stage: the topic of a § (what a decision is about), from its title, else its decision text.

One table, in priority order: the first topic whose word stems occur at the start of a word of the
title decides ("Bygglovstaxa 2026" is a taxa before it is a bygglov). The topics follow the main
areas of municipal activity in SCB's verksamhetsindelning of the räkenskapssammandrag (politisk
verksamhet, infrastruktur och skydd, fritid och kultur, pedagogisk verksamhet, vård och omsorg,
individ- och familjeomsorg, affärsverksamhet), split where a politician's question is narrower
(plan och bygg apart from trafik, taxor apart from ekonomi) and with the meeting's own business
(val, formalia) apart. The stems were chosen from the §§ titles of benchmarks/decisions_expected.json.
"""
from __future__ import annotations

import re

OTHER = "Övrigt"

# (topic, stems): a stem matches at the start of a word, or inside a compound when written "-stem".
_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Val och uppdrag", ("val ", "val av", "kompletteringsval", "fyllnadsval", "avsägelse", "nominering", "förrättning",
                         "-ersättare", "entledigande")),
    ("Taxor och avgifter", ("-taxa", "taxor", "-avgift", "felparkeringsavgift")),
    ("Ekonomi och budget", ("budget", "årsredovisning", "delårs", "bokslut", "ekonomi", "månadsrapport", "månadsuppföljning",
                            "genomlysning", "investering", "finansiering", "ägardirektiv", "förlikning", "skadestånd",
                            "upphandling")),
    ("Revision och granskning", ("revision", "granskning av", "grundläggande granskning", "tillsyn", "inspektionen")),
    ("Skola och förskola", ("-skola", "-skolan", "förskol", "gymnas", "utbildningsplan", "elev", "rektor", "läsår",
                            "skolverket", "skolfs", "kvalitetsarbete", "yrkesgymnasi", "barnkonsekvens")),
    ("Vård och omsorg", ("omsorg", "äldre", "lss", "hälso- och sjukvård", "sjukvård", "habilitering", "assistans",
                         "funktionshinder", "vaccin", "dygnsvila")),
    ("Socialtjänst", ("socialtjänst", "socialpsykiatri", "individ- och familj", "försörjningsstöd", "bistånd", "missbruk",
                      "gode män", "god man", "förvaltare", "överförmyndar", "peer support", "hemlös")),
    ("Säkerhet och beredskap", ("brand", "räddningstjänst", "extraordinära", "krisberedskap", "krisledning", "beredskap", "säkerhet", "larm")),
    ("Plan, bygg och mark", ("detaljplan", "-plan för", "planbesked", "bygglov", "strandskydd", "markanvisning", "mark ",
                             "köpa mark", "tomtindelning", "fastighet", "lokalförsörjning", "ombyggnation", "bostäder",
                             "förprojektering")),
    ("Trafik och infrastruktur", ("trafik", "parkering", "-parkering", "cykel", "cyklist", "väg", "vägar", "gata", "gator",
                                  "kollektivtrafik", "laddstation", "torg")),
    ("Vatten, avfall och miljö", ("va-", "va ", "vatten", "avlopp", "överföringsledning", "avfall", "renhållning", "miljö",
                                  "klimat", "hållbarhet", "energi", "natur")),
    ("Kultur och fritid", ("kultur", "bibliotek", "idrott", "fritid", "friluftsliv", "förening", "-badet", "bad ", "scen",
                           "sommarkort")),
    ("Arbete och näringsliv", ("jobb", "ferie", "arbetsmarknad", "näringsliv", "yrkesmässa", "ungdomsanställning",
                               "aktivitetsansvar", "arbetsförhållanden")),
    ("Demokrati och styrning", ("delegationsordning", "delegeringsordning", "reglemente", "policy", "riktlinje", "arvode",
                                "demokrati", "debatt", "medborgarförslag", "organisation",
                                "hbtq", "politikerkontakt", "ukrain", "samverkan", "partnerskap", "strategi")),
    ("Formalia och information", ("föredragningslista", "justering", "upprop", "parentation", "meddelanden", "anmäl",
                                  "delegationsbeslut", "delegeringsbeslut", "delegerade beslut", "information",
                                  "informationsärenden", "rapporter", "kurser", "konferenser", "årsplanering", "övrigt",
                                  "sekretess")),
)


def _pattern(stem: str) -> str:
    if stem.startswith("-"):
        return re.escape(stem[1:])  # anywhere in a word: the head of a compound
    return r"(?<![\wåäö])" + re.escape(stem)


_COMPILED = tuple((topic, re.compile("|".join(_pattern(s) for s in stems), re.I)) for topic, stems in _TOPICS)
TOPICS: tuple[str, ...] = (*(t for t, _ in _TOPICS), OTHER)


def _first(text: str) -> str | None:
    text = " ".join(text.split()) + " "
    for topic, pattern in _COMPILED:
        if pattern.search(text):
            return topic
    return None


def topic(title: str, decision: str = "") -> str:
    """The topic of a § by its title, else by the first words of its decision.

    >>> topic("Bygglovstaxa 2026"), topic("Detaljplan för Erska 1:55"), topic("Val av justeringsperson")
    ('Taxor och avgifter', 'Plan, bygg och mark', 'Val och uppdrag')
    >>> topic("Svar på motion gällande kommunala ungdomsanställningar"), topic("Parentation"), topic("Babet")
    ('Arbete och näringsliv', 'Formalia och information', 'Övrigt')
    """
    return _first(title or "") or _first((decision or "")[:400]) or OTHER
