"""Web stage, page viewer: a document's pages as images with the search words marked, beside their text.

Works without JavaScript: each page image is rendered on the server (web/pageimage.py) with
the query's matches drawn on it, and "Träff 3 av 12", the page links, the § list and the view
toggle are plain links and GET forms.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from index.search import snippets
from ingest.model import Document, Page
from ingest.parse import mediatype
from ingest.parse.ocr.engine import OcrFailure, word_boxes
from ingest.parse.ocr.read import OcrSettings
from web import pageimage, render
from web.app import catalog, files, searcher
from web.requests import _int, query_text

bp = Blueprint("viewer", __name__)

VIEWS = {"bada": "Bild och text", "bild": "Bara bilden", "text": "Bara texten"}
OCR_TIMEOUT = 60.0  # seconds Tesseract may take to find a scanned page's words


@dataclass(frozen=True)
class Hit:
    page: int
    index: int  # 1-based on its page


def page_images() -> pageimage.PageImages:
    return current_app.extensions["diariet.page_images"]


def _document(document_id: str) -> Document:
    doc = catalog().get(document_id)
    if doc is None:
        abort(404, description=f"Inget dokument med id {document_id!r}.")
    return doc


def _page(doc: Document, number: int) -> Page:
    if not 1 <= number <= len(doc.pages):
        abort(404, description=f"Dokumentet har {len(doc.pages)} sidor; sidan {number} finns inte.")
    return doc.pages[number - 1]


class _Original:
    """A PDF's bytes, read from the file store once per request and only when needed."""

    def __init__(self, doc: Document):
        self.doc = doc

    @functools.cached_property
    def data(self) -> bytes:
        store = files()
        if not store.has(self.doc.sha256):
            abort(404, description="Originalfilen saknas i arkivet.")
        return store.get(self.doc.sha256)

    def __call__(self) -> bytes:
        return self.data


def has_images(doc: Document) -> bool:
    return doc.media_type == mediatype.PDF and bool(doc.pages)


def _words(doc: Document, page: Page, original: _Original) -> pageimage.PageWords | None:
    """Where the page's words are on its image: its text layer, or Tesseract for a page read by OCR."""
    if _text_layer(page):
        return page_images().words(doc.sha256, [page.number], original)[page.number]
    if page.ocr:
        settings = current_app.config.get("OCR", OcrSettings())
        read = functools.partial(word_boxes, languages=settings.languages, dpi=round(72 * pageimage.SCALE),
                                 timeout=OCR_TIMEOUT)
        try:
            return page_images().ocr_words(doc.sha256, page.number, original, read)
        except OcrFailure:  # Tesseract missing or failing: the image without marks
            return None
    return None


def _text_layer(page: Page) -> bool:
    return page.has_text_layer and not page.ocr


def _terms(q: str) -> tuple[set[str], set[str]]:
    return searcher().highlighting(q, catalog()) if q.strip() else (set(), set())


def _image_matches(doc: Document, page: Page, original: _Original, terms, prefixes,
                   words: pageimage.PageWords | None = None) -> list[tuple[pageimage.Box, ...]]:
    if not (terms or prefixes):
        return []
    words = words or _words(doc, page, original)
    if words is None:
        return []
    return words.boxes(snippets.page_matches(words.text, doc.meta.language, terms, prefixes))


def _hits(doc: Document, original: _Original | None, terms, prefixes) -> list[Hit]:
    """Every match of the query in the document, page by page, in the order the pages are marked.

    A PDF page with a text layer counts the matches on its image; other pages (OCR'd, or no
    images at all) count those in their text, so no page needs Tesseract before it is shown."""
    if not (terms or prefixes):
        return []
    out: list[Hit] = []
    words = page_images().words(doc.sha256, [p.number for p in doc.pages if _text_layer(p)], original) if original else {}
    for page in doc.pages:
        if page.number in words and original is not None:
            count = len(_image_matches(doc, page, original, terms, prefixes, words[page.number]))
        else:
            count = len(snippets.page_matches(page.text, doc.meta.language, terms, prefixes))
        out.extend(Hit(page.number, i) for i in range(1, count + 1))
    return out


@bp.get("/documents/<document_id>/pages/<int:number>.png")
def page_image(document_id: str, number: int):
    """Page `number` as a PNG; `?q=` marks the query's words, `markera=k` the k-th of them on the page."""
    doc = _document(document_id)
    page = _page(doc, number)
    if not has_images(doc):
        abort(404, description="Dokumentet är ingen PDF och har inga sidbilder.")
    original = _Original(doc)
    q = query_text(request.args)
    matches = _image_matches(doc, page, original, *_terms(q)) if q.strip() else []
    if matches:
        current = _int(request.args, "markera", 0, 0, len(matches)) - 1
        image = pageimage.draw(page_images().image(doc.sha256, number, original), matches,
                               current if current >= 0 else None)
        body = pageimage.png(image, compress_level=1)  # made per request: fast over small
    else:
        _int(request.args, "markera", 0, 0, 10_000)  # a malformed one is still a 400
        body = page_images().png(doc.sha256, number, original)
    response = Response(body, content_type="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/documents/<document_id>/sidor")
def viewer_start(document_id: str):
    """Where the viewer opens: the page asked for, the page of a §, the first hit, or page 1."""
    doc = _document(document_id)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("q", "visa") and v}
    paragraph = request.args.get("paragraf", "").strip()
    if paragraph:
        found = [p for p in doc.meta.paragraphs if p.number == paragraph]
        if not found:
            abort(404, description=f"Dokumentet har ingen § {paragraph[:20]}.")
        return redirect(url_for("viewer.viewer_page", document_id=doc.id, number=found[0].page, **args)
                        + f"#p{found[0].number}")
    if request.args.get("sida", "").strip():
        number = _int(request.args, "sida", 1, 1, max(len(doc.pages), 1))
        return redirect(url_for("viewer.viewer_page", document_id=doc.id, number=number, **args))
    hits = _hits(doc, _Original(doc) if has_images(doc) else None, *_terms(query_text(request.args)))
    if hits:
        return redirect(url_for("viewer.viewer_page", document_id=doc.id, number=hits[0].page, traff=1, **args)
                        + "#traff")
    return redirect(url_for("viewer.viewer_page", document_id=doc.id, number=1, **args))


@bp.get("/documents/<document_id>/sidor/<int:number>")
def viewer_page(document_id: str, number: int):
    doc = _document(document_id)
    page = _page(doc, number)
    q = query_text(request.args)
    view = request.args.get("visa", "bada")
    if view not in VIEWS:
        view = "bada"
    images = has_images(doc)
    if not images:
        view = "text"
    original = _Original(doc) if images else None
    terms, prefixes = _terms(q)
    hits = _hits(doc, original, terms, prefixes)
    on_page = [i for i, h in enumerate(hits) if h.page == number]
    current = _int(request.args, "traff", 0, 0, len(hits)) - 1 if hits else -1
    if current < 0 or hits[current].page != number:  # no hit asked for, or one on another page
        current = on_page[0] if on_page else -1
    base: dict[str, Any] = {k: v for k, v in (("q", q), ("visa", request.args.get("visa", ""))) if v}

    def at(index: int) -> str:
        hit = hits[index]
        return url_for("viewer.viewer_page", document_id=doc.id, number=hit.page, traff=index + 1, **base) + "#traff"

    def page_link(n: int) -> str:
        return url_for("viewer.viewer_page", document_id=doc.id, number=n, **base)

    def view_link(v: str) -> str:
        values: dict[str, Any] = {"q": q or None, "traff": current + 1 if current >= 0 else None,
                                  "visa": v if v != "bada" else None}
        return url_for("viewer.viewer_page", document_id=doc.id, number=number, **values)

    image_url = None
    if images:
        image_args: dict[str, Any] = dict(q=q) if q.strip() else {}
        if current >= 0:
            image_args["markera"] = str(hits[current].index)
        image_url = url_for("viewer.page_image", document_id=doc.id, number=number, **image_args)
    words = _words(doc, page, original) if original is not None else None
    size = (words.width, words.height) if words else None
    return render_template(
        "viewer.html", doc=doc, data=doc.to_dict(), page=page, number=number, q=q, view=view, views=VIEWS,
        image_url=image_url, size=size, hits=hits, current=current, at=at, page_link=page_link,
        text=render.highlighter(doc.meta.language, terms, prefixes)(page.text),
        paragraphs=[p for p in doc.meta.paragraphs if p.page == number], all_paragraphs=doc.meta.paragraphs,
        view_link=view_link,
        ocr_note=render.ocr_note([page]) if page.ocr else None,
    )
