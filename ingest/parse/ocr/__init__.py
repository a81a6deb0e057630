"""Parse stage, OCR of pages without a usable text layer: read (the step), decide (which pages),
images (render, bound, deskew), engine (Tesseract, one process per page), options (the CLI's --ocr)."""
