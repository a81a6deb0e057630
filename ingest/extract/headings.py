"""Extract stage: the section headings of Swedish case papers and protocols that several
extractors read (the title before them, the doctype they mark, the sections of a §), each
written once here as a regex fragment the others build their patterns from.

>>> import re
>>> bool(re.match(PROPOSAL, "förslag till beslut i byggnadsnämnden"))
True
>>> bool(re.match(OFFICERS_PROPOSAL, "förvaltningens förslag till beslut"))
True
"""
from __future__ import annotations

# "Förslag till beslut": the proposal a tjänsteskrivelse or an arbetsutskott puts to a body.
PROPOSAL = r"förslag till beslut"
# "Förvaltningens förslag till beslut": the officers' proposal, which marks a tjänsteutlåtande.
OFFICERS_PROPOSAL = rf"förvaltningens {PROPOSAL}"
