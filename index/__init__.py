"""Index: Swedish analysis, the Whoosh index, and search over it. All whoosh imports live here."""
