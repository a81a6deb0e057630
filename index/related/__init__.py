"""Index stage, related words learned from the archive itself (issue 15): which content words
stand near which in the catalog's own texts, so a query word also finds documents that say the
same thing in other words ("vinterkräksjuka" and "calicivirus"). No downloaded model: the
neighbours are counted from the archive (index/related/learn.py) by `python -m index.related
--data DIR` and kept in the data directory (index/related/table.py); the query stage adds a
word's strongest neighbours with a low weight (index/query/related.py), below the words as typed.
"""
