"""Ingest: everything from a source file to a catalogued, indexed Document."""
