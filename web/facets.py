"""Web stage, facets: the search page's sidebar and its row of active filters, built from a result.

Each facet shows its SHOWN most frequent values ("Visa fler" shows them all: `?fler=<facet>`),
years newest first instead of by count; each value links to the search narrowed to it and to the
search without it ("Uteslut": `not_<facet>=<value>`, index/query/parser.py). Active filters, kept
or left out, are listed above the results, each with a link removing it alone. No JavaScript.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from index.fields import FACETS
from index.query.parser import EXCLUDE, EXCLUDED_SEPARATOR, excluded

SHOWN = 12
_NAMES = {
    "doctype": "Dokumenttyp",
    "organization": "Organisation",
    "body": "Organ",
    "unit": "Förvaltning/enhet",
    "year": "År",
    "party": "Parti",
    "statement": "Reservationer och uttalanden",
    "language": "Språk",
}
LABELS = {name: _NAMES[name] for name in FACETS}  # the index's facets, in its order
LANGUAGE_LABELS = {"sv": "svenska", "en": "engelska"}
MORE = "fler"  # the argument naming the facet shown in full
# The other filters of the search page, as the active-filter row names them.
OTHER_FILTERS = {"date_from": "Från", "date_to": "Till", "dnr": "Diarienummer"}

Link = Callable[..., str]  # web.paging.changed for the search page: link(args, **changes)


@dataclass(frozen=True)
class Value:
    value: str
    label: str
    count: int
    link: str  # the search narrowed to this value
    exclude: str  # the search without it


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[Value]  # those shown
    hidden: int  # values not shown ("Visa fler" when > 0)
    more: str | None  # link showing all values
    fewer: str | None  # link back to the SHOWN most frequent
    selected: str | None  # the value filtered on (then no values are listed)
    excluded: list[Active]  # the values left out, each with the link taking it back
    remove_selected: str | None = None
    selected_label: str | None = None  # what the page calls the selected value ("svenska" for sv)


@dataclass(frozen=True)
class Active:
    label: str  # "Parti: V", "Inte parti: SD", "Från: 2024-01-01"
    remove: str


def value_label(name: str, value: str) -> str:
    return LANGUAGE_LABELS.get(value, value) if name == "language" else value


ValueLabel = Callable[[str, str], str]  # (facet, value) → what the page calls the value


def thousands(n: int) -> str:
    """A count as Swedish writes it: digit groups separated by a narrow no-break space.

    >>> thousands(1234567), thousands(999)
    ('1\\u202f234\\u202f567', '999')
    """
    return f"{n:,}".replace(",", "\u202f")


def sidebar(counts: dict[str, dict[str, int]], args: dict, link: Link, shown: int = SHOWN,
            labels: dict[str, str] = LABELS, named: ValueLabel = value_label) -> list[Facet]:
    """The facets to show for a result's counts and the request's arguments (`shown` values
    of each unless "Visa fler"); `labels`: the facets, in order, and their names (the Beslut
    page has its own)."""
    out = []
    for name in labels:
        found = counts.get(name, {})
        selected, left_out = args.get(name) or None, excluded(args, name)
        if not (found or selected or left_out):
            continue
        items = sorted(found.items(), reverse=True) if name == "year" else list(found.items())
        full = args.get(MORE) == name
        listed = items if full else items[:shown]
        values = [Value(v, named(name, v), n, link(args, **{name: v, MORE: None}),
                        link(args, **{EXCLUDE + name: _joined([*left_out, v]), MORE: None}))
                  for v, n in listed if v not in left_out]
        out.append(Facet(
            name, labels[name], [] if selected else values, 0 if selected else len(items) - len(listed),
            more=link(args, **{MORE: name}) if len(items) > shown and not full and not selected else None,
            fewer=link(args, **{MORE: None}) if full and len(items) > shown else None,
            selected=selected, excluded=_taken_back(name, left_out, args, link, named),
            remove_selected=link(args, **{name: None}) if selected else None,
            selected_label=named(name, selected) if selected else None,
        ))
    return out


def _joined(values: list[str]) -> str | None:
    return EXCLUDED_SEPARATOR.join(values) or None


def _taken_back(name: str, left_out: list[str], args: dict, link: Link, named: ValueLabel) -> list[Active]:
    """Each left-out value, and the search with only that one taken back."""
    return [Active(named(name, v), link(args, **{EXCLUDE + name: _joined([o for o in left_out if o != v])}))
            for v in left_out]


def active(args: dict, link: Link, labels: dict[str, str] = LABELS, named: ValueLabel = value_label) -> list[Active]:
    """Every filter the request applies, each with the link to the search without it."""
    out = []
    for name in labels:
        if args.get(name):
            out.append(Active(f"{labels[name]}: {named(name, args[name])}", link(args, **{name: None})))
        out.extend(Active(f"Inte {labels[name].lower()}: {a.label}", a.remove)
                   for a in _taken_back(name, excluded(args, name), args, link, named))
    for name, label in OTHER_FILTERS.items():
        if args.get(name):
            out.append(Active(f"{label}: {args[name]}", link(args, **{name: None})))
    return out
