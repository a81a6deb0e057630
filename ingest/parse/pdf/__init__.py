"""Parse stage, PDF: parse (the PDF parser: pages, metadata, running lines, hyphenation), fast
(PDFium's text boxes, the fast path with its checks), layout (lines, columns and reading order)."""
