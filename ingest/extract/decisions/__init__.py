"""Extract stage, decisions: a protocol's §§ as decision records.

record (proposal, motions, procedure, decision, outcome of each §), votes (omröstning by party and
member), statements (reservationer, särskilda yttranden, protokollsanteckningar), appeal (justering,
anslag and the laglighetsprövning deadline) over holidays (Swedish public holidays, lagstadgad tid),
and topics (a § by subject, for the party page).
"""
