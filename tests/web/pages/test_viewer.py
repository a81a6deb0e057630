"""The page viewer (web/pages/viewer.py, web/pageimage.py) on real documents of the web archive."""
import io
import re
from html import unescape
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageChops

from tests.web.conftest import SAMPLES, ocr_document_of
from web import pageimage

MOTION = SAMPLES / "real" / "gotland-figotland" / "vegetabilisk_kost_som_grund_i_skolbespisningen.pdf"
SPN = SAMPLES / "real" / "simrishamn-lundgren9" / "Protokoll  SPn april 2024_Bortredigerad.pdf"


def document_id(client, word: str, path: Path) -> str:
    hits = client.get("/api/search", query_string={"q": word, "per_page": 50}).get_json()["hits"]
    ids = [h["id"] for h in hits if h["source"].endswith(path.name)]
    assert len(ids) == 1, [h["source"] for h in hits]
    return ids[0]


def follow(client, url: str):
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    return response.headers["Location"], client.get(response.headers["Location"])


def words_under_marks(path: Path, number: int, q: str, app) -> list[str]:
    """The words pdfplumber (not PDFium) reads under the first box of each match the viewer marks for `q`."""
    from index.search.snippets import page_matches
    from web.app import catalog, searcher

    with app.app_context():
        terms, prefixes = searcher().highlighting(q, catalog())
    words = pageimage.text_words(path.read_bytes(), [number])[number]
    out = []
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[number - 1]
        for boxes in words.boxes(page_matches(words.text, "sv", terms, prefixes)):
            x0, y0, x1, y1 = boxes[0]
            crop = page.crop((x0 * page.width - 1, y0 * page.height - 1, x1 * page.width + 1, y1 * page.height + 1))
            out.append(" ".join(w["text"] for w in crop.extract_words()))
    return out


def test_the_marks_on_the_image_cover_the_query_word(client):
    doc_id = document_id(client, "skolbespisningen", MOTION)
    under = words_under_marks(MOTION, 1, "skolbespisningen", client.application)
    assert under and all("skolbespisning" in w.lower() for w in under), under
    plain = Image.open(io.BytesIO(client.get(f"/documents/{doc_id}/pages/1.png").data)).convert("RGB")
    marked = Image.open(io.BytesIO(
        client.get(f"/documents/{doc_id}/pages/1.png?q=skolbespisningen&markera=1").data)).convert("RGB")
    assert plain.size == marked.size and plain.width > 1000
    words = pageimage.text_words(MOTION.read_bytes(), [1])[1]
    start = words.text.lower().index("skolbespisningen")
    (x0, y0, x1, y1), = next(b for s, e, b in words.words if s <= start < e)
    inside = (round((x0 + x1) / 2 * plain.width), round((y0 + y1) / 2 * plain.height))
    far = (5, 5)  # the page's corner: nothing written, nothing marked
    assert marked.getpixel(inside) != plain.getpixel(inside)
    assert marked.getpixel(far) == plain.getpixel(far)
    r, g, b = marked.getpixel((round(x0 * plain.width) + 1, round(y0 * plain.height) + 1))
    assert r > 200 and g < 200 and b < 125  # the current hit: orange over white (yellow is lighter)


def test_hit_navigation_walks_every_match_across_pages(client):
    doc_id = document_id(client, "budget", SPN)
    location, page = follow(client, f"/documents/{doc_id}/sidor?q=budget")
    html = page.get_data(as_text=True)
    total = int(re.search(r"Träff 1 av (\d+)", html).group(1))
    # pdfplumber's own words: at least as many "budget…" words as the viewer counts hits is not
    # guaranteed (compounds), but every whole word "budget" is a hit.
    with pdfplumber.open(SPN) as pdf:
        plain = sum(1 for p in pdf.pages for w in p.extract_words() if w["text"].lower().strip(".,:;()") == "budget")
    assert total >= plain >= 2
    seen, pages = 1, [int(re.search(r"/sidor/(\d+)", location).group(1))]
    while (nxt := re.search(r'<a href="([^"]+)">Nästa träff', html)):
        url = unescape(nxt.group(1))
        html = client.get(url).get_data(as_text=True)
        seen += 1
        assert f"Träff {seen} av {total}" in html
        pages.append(int(re.search(r"/sidor/(\d+)", url).group(1)))
        image = re.search(r'<img src="([^"]+)"', html).group(1)
        assert "markera=" in image and client.get(unescape(image)).status_code == 200
    assert seen == total and pages == sorted(pages) and len(set(pages)) > 1
    assert "Föregående träff" in html


def test_jump_to_a_paragraph_and_to_a_page(client):
    doc_id = document_id(client, "budget", SPN)
    paragraphs = client.get(f"/api/documents/{doc_id}").get_json()["paragraphs"]
    chosen = paragraphs[len(paragraphs) // 2]
    response = client.get(f"/documents/{doc_id}/sidor?paragraf={chosen['number']}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sidor/{chosen['page']}#p{chosen['number']}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="p{chosen["number"]}"' in html and f'<option value="{chosen["number"]}"' in html
    assert client.get(f"/documents/{doc_id}/sidor?paragraf=9999").status_code == 404
    response = client.get(f"/documents/{doc_id}/sidor?sida=7&visa=bild")
    assert response.headers["Location"].endswith("/sidor/7?visa=bild")


def test_views_image_text_or_both(client):
    doc_id = document_id(client, "skolbespisningen", MOTION)
    both = client.get(f"/documents/{doc_id}/sidor/1?q=skolbespisningen").get_data(as_text=True)
    assert "<img" in both and '<div class="pagetext">' in both and "<mark>skolbespisningen</mark>" in both
    image = client.get(f"/documents/{doc_id}/sidor/1?visa=bild").get_data(as_text=True)
    assert "<img" in image and '<div class="pagetext">' not in image
    text = client.get(f"/documents/{doc_id}/sidor/1?visa=text").get_data(as_text=True)
    assert "<img" not in text and '<div class="pagetext">' in text
    assert "<script" not in both  # no JavaScript needed


def test_a_document_without_images_is_read_as_text(client):
    hits = client.get("/api/search", query_string={"q": "vego"}).get_json()["hits"]
    doc_id = next(h["id"] for h in hits if h["source"].endswith(".markdown"))
    location, page = follow(client, f"/documents/{doc_id}/sidor?q=vego")
    html = page.get_data(as_text=True)
    assert "<img" not in html and "<mark>" in html and "Träff 1 av" in html
    assert client.get(f"/documents/{doc_id}/pages/1.png").status_code == 404


def test_document_page_marks_the_query_and_links_the_viewer(client):
    doc_id = document_id(client, "skolbespisningen", MOTION)
    html = client.get(f"/documents/{doc_id}?q=skolbespisningen").get_data(as_text=True)
    assert "<mark>skolbespisningen</mark>" in html
    assert f"/documents/{doc_id}/sidor?q=skolbespisningen" in html
    assert f"/documents/{doc_id}/sidor/1" in html
    search = client.get("/?q=skolbespisningen").get_data(as_text=True)
    assert f"/documents/{doc_id}/sidor?q=skolbespisningen" in search


@pytest.mark.parametrize("path, status", [
    ("/documents/{id}/pages/0.png", 404),
    ("/documents/{id}/pages/3.png", 404),  # the motion has two pages
    ("/documents/{id}/pages/99999999999999999999999999.png", 404),
    ("/documents/{id}/pages/-1.png", 404),
    ("/documents/{id}/pages/1.png?q=kost&markera=x", 400),
    ("/documents/{id}/sidor/3", 404),
    ("/documents/{id}/sidor?sida=abc", 400),
    ("/documents/..%2F..%2Fcatalog.sqlite/pages/1.png", 404),
    ("/documents/0000000000000000/sidor/1", 404),
])
def test_bad_ids_and_page_numbers_answer_400_or_404(client, path, status):
    doc_id = document_id(client, "skolbespisningen", MOTION)
    assert client.get(path.format(id=doc_id)).status_code == status


def test_the_query_is_escaped(client):
    doc_id = document_id(client, "skolbespisningen", MOTION)
    html = client.get(f"/documents/{doc_id}/sidor/1", query_string={"q": '<script>x</script>"kost'}).get_data(as_text=True)
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_rendered_pages_and_words_are_cached_in_the_data_directory(client, archive_dir):
    doc_id = document_id(client, "skolbespisningen", MOTION)
    first = client.get(f"/documents/{doc_id}/pages/2.png").data
    sha = client.get(f"/api/documents/{doc_id}").get_json()["sha256"]
    folder = Path(archive_dir) / "pages" / pageimage.RENDERING / sha[:2] / sha
    assert (folder / "2.png").read_bytes() == first
    client.get(f"/documents/{doc_id}/sidor/2?q=kost")
    assert (folder / "2.words.json").is_file()
    assert client.get(f"/documents/{doc_id}/pages/2.png").data == first


def test_a_page_read_by_ocr_is_marked_from_tesseracts_words(ocr_client):
    doc = ocr_document_of(ocr_client, "Förbundsordningen", "ss620.pdf")
    location, page = follow(ocr_client, f"/documents/{doc['id']}/sidor?q=Förbundsordningen")
    html = page.get_data(as_text=True)
    assert "Träff 1 av" in html and "maskinläst (OCR)" in html
    image = unescape(re.search(r'<img src="([^"]+)"', html).group(1))
    marked = Image.open(io.BytesIO(ocr_client.get(image).data)).convert("RGB")
    plain = Image.open(io.BytesIO(ocr_client.get(image.split("?")[0]).data)).convert("RGB")
    changed = ImageChops.difference(marked, plain).convert("L").point(lambda v: 255 if v else 0).histogram()[255]
    assert 0 < changed < 0.05 * plain.width * plain.height  # some words marked, not the page


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_marks_follow_a_page_turned_by_rotate(rotation):
    """The motion's first page turned by /Rotate (as scanners and some exports save pages): the
    word's mark is one box over its ink, running down the image when the page is turned sideways."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(MOTION.read_bytes())
    pdf[0].set_rotation(rotation)
    out = io.BytesIO()
    pdf.save(out)
    data = out.getvalue()
    words = pageimage.text_words(data, [1])[1]
    image = pageimage.render(data, 1).convert("L")
    assert (words.width, words.height) == image.size
    start = words.text.lower().index("skolbespisningen")
    (box,) = next(b for s, e, b in words.words if s <= start < e)
    x0, y0, x1, y1 = box
    crop = image.crop((round(x0 * image.width), round(y0 * image.height), round(x1 * image.width), round(y1 * image.height)))
    ink = crop.point(lambda v: 255 if v < 128 else 0).histogram()[255] / (crop.width * crop.height)
    assert 0.1 < ink < 0.6  # the word's letters, not white paper nor a black block
    sideways = rotation in (90, 270)
    assert (crop.height > 5 * crop.width) if sideways else (crop.width > 5 * crop.height)
