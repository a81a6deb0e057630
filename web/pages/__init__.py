"""The web's page families, one Flask blueprint each: archive (search, documents, cases,
organizations, bodies, parties), decisions (Beslut: §§ as precedent), watches (Bevakningar),
exports (CSV, XLSX) and feeds (Atom and its readable page)."""
