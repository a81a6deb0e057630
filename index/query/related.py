"""Query stage, related words (index/related/): each plain word of a query also searches the
archive's words learned to stand near it, with a low weight, `(word OR neighbour^boost ...)`;
the searcher ranks the documents holding the words as typed first (parser.BuiltQuery.tiers).

>>> near = {"vinterkräksjuka": ["calicivirus", "noro"], "äldreboende": ["äldreboenden", "demens"]}
>>> widen('vinterkräksjuka äldreboende "på boendet"', lambda w: near.get(w, []), 0.2)
('(vinterkräksjuka OR calicivirus^0.2 OR noro^0.2) (äldreboende OR demens^0.2) "på boendet"', ('calicivirus', 'noro', 'demens'))
"""
from __future__ import annotations

import re
from collections.abc import Callable

from index.analysis.chain import normalize

# A plain word: not a field name or value, not a prefix, not boosted, not inside a phrase.
_PLAIN_WORD = re.compile(r"(?<![\w:*^.\\/\"-])([^\W\d_]+)(?![\w:*^\"-])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "REQUIRE"}


def widen(text: str, neighbours: Callable[[str], list[str]], boost: float) -> tuple[str, tuple[str, ...]]:
    """The query with each plain word widened by its neighbours (none that is an inflection of
    a word of the query), and the neighbours added, in order."""
    quoted = [m.span() for m in re.finditer(r'"[^"]*"?', text)]
    found = [m for m in _PLAIN_WORD.finditer(text)
             if m.group(1) not in _OPERATORS and not any(a <= m.start() < b for a, b in quoted)]
    typed = {normalize(m.group(1).lower(), "sv") for m in found}
    out, added, cursor = [], [], 0
    for m in found:
        extra = [w for w in neighbours(m.group(1).lower())
                 if normalize(w, "sv") not in typed and w not in added]
        if not extra:
            continue
        added.extend(extra)
        out.append(text[cursor:m.start(1)])
        out.append(f"({m.group(1)} OR " + " OR ".join(f"{w}^{boost}" for w in extra) + ")")
        cursor = m.end(1)
    out.append(text[cursor:])
    return "".join(out), tuple(added)
