"""The fault corpus: every kind of file an unattended archive meets, generated into a folder
(nothing large is committed), each with the outcome the ingest must give it.

    python -m tests.faults.corpus DIR      # writes the corpus into DIR and prints the expectations

Good files are real documents from samples/ (some under hostile names, some in mislabelled
encodings); bad ones are made here: empty files of every extension, truncated, encrypted,
JavaScript and page-tree-loop PDFs, compression bombs in a PDF stream and in a DOCX, a DOCX that
is no zip and one holding an XML bomb, a DOCX of two million paragraphs, HTML with 100,000 nested
tags, binary junk with a document's extension, symlinks out of the folder and in loops, a FIFO,
a sparse multi-GB file.
"""
from __future__ import annotations

import io
import os
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
GOOD_PDF = SAMPLES / "real/gotland-figotland/vegetabilisk_kost_som_grund_i_skolbespisningen.pdf"
GOOD_DOCX = SAMPLES / "real/simrishamn-lundgren9/Sammanstallning_granskningsyttranden_Borrby.docx"
GOOD_HTML = next(SAMPLES.rglob("bill_2022_23_126.html"))
SEEDS = sorted((SAMPLES / "seeds").glob("*.txt"))
EXTENSIONS = (".pdf", ".html", ".htm", ".xhtml", ".docx", ".txt", ".text", ".md", ".markdown")
# Reasons a limit or a crash of the parse may give (ingest/pipeline/workers.py, parse limits).
LIMITED = {"memory-limit", "time-limit", "too-large", "too-large-unpacked", "crashed", "too-many-pages",
           "too-deep", "corrupt", "empty"}


@dataclass(frozen=True)
class Expected:
    statuses: frozenset[str]  # new, failed: any of these
    reasons: frozenset[str] = frozenset()  # for failures: any of these

    def accepts(self, status: str, reason: str | None) -> bool:
        return status in self.statuses and (status != "failed" or reason in self.reasons)

    def __str__(self) -> str:
        return " or ".join(sorted(self.statuses)) + (f" ({', '.join(sorted(self.reasons))})" if self.reasons else "")


NEW = Expected(frozenset({"new"}))


def failed(*reasons: str) -> Expected:
    return Expected(frozenset({"failed"}), frozenset(reasons))


def new_or_failed(*reasons: str) -> Expected:
    """Archived, or failed with one of `reasons` (what a parser makes of it may change)."""
    return Expected(frozenset({"new", "failed"}), frozenset(reasons))


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file from numbered object bodies (object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _text_page(content: bytes, extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R %s >>" % extra,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def _deflated_zeros(size: int, fill: bytes = b" ") -> bytes:
    """`size` bytes of `fill`, deflated (about 1,000:1), made in pieces."""
    z, out, piece = zlib.compressobj(9), [], fill * (1 << 20)
    for _ in range(size >> 20):
        out.append(z.compress(piece))
    out.append(z.flush())
    return b"".join(out)


def pdf_bomb() -> bytes:
    """A content stream of about 600 kB that inflates to 600 MB."""
    stream = _deflated_zeros(600 << 20)
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ])


def pdf_page_tree_loop() -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1000000 >>",
    ])


def pdf_javascript() -> bytes:
    """A readable page whose catalog runs JavaScript when opened (never run here)."""
    return _pdf([*_text_page(b"BT /F1 24 Tf 72 700 Td (Protokoll fran kommunstyrelsen) Tj ET",
                             b"/OpenAction << /S /JavaScript /JS (app.alert\\('hej'\\)) >>")])


def docx_with(parts: dict[str, bytes], compress: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(GOOD_DOCX) as z:
        return {name: z.read(name) for name in z.namelist()}


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_xml_bomb() -> bytes:
    lol = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    body = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "ha">' + lol + b"]>"
            b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>")
    return docx_with(_docx_parts() | {"word/document.xml": body})


def docx_zip_bomb() -> bytes:
    """document.xml deflated from 1 GB of spaces inside a real document's parts."""
    parts = _docx_parts()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            piece = b" " * (1 << 20)
            for _ in range(1024):
                member.write(piece)
    return out.getvalue()


def docx_many_paragraphs(count: int = 2_000_000) -> bytes:
    body = b"<w:document " + _W + b"><w:body>" + b"<w:p/>" * count + b"</w:body></w:document>"
    return docx_with(_docx_parts() | {"word/document.xml": body})


def deep_html(depth: int = 100_000) -> bytes:
    return (b"<!DOCTYPE html><html><head><title>Djup</title></head><body>" + b"<div>" * depth
            + b"Protokoll" + b"</div>" * depth + b"</body></html>")


def build(folder: Path, sparse_gb: int = 3) -> dict[str, Expected]:
    """Write the corpus into `folder`; {name relative to folder: expected outcome}."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expected] = {}

    def put(name: str, data: bytes, outcome: Expected) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[name] = outcome

    seed = SEEDS[0].read_bytes()
    text = seed.decode("utf-8")
    # Good files, some under names no file should have.
    put("bra/protokoll.pdf", GOOD_PDF.read_bytes(), NEW)
    put("bra/yttranden.docx", GOOD_DOCX.read_bytes(), NEW)
    put("bra/proposition.html", GOOD_HTML.read_bytes(), NEW)
    for i, path in enumerate(SEEDS[1:]):
        put(f"bra/seed-{i}.txt", path.read_bytes(), NEW)
    hostile = ["rad\nbrytning.txt", 'citat "x" \'y\'.txt', "skal $(rm -rf ~) `id` & | ; > <.txt",
               "=SUMMA(A1);+1;-1;@x.csv.txt", "\ttabb\r.txt", "Protokoll – KS 2024 😀.txt",
               "a\u030angström.txt", "x" * 240 + ".txt", "-rf.txt", "a..b.txt"]
    for i, name in enumerate(hostile):
        put(f"namn/{name}", seed + f"\nRad {i}.\n".encode(), NEW)
    # Mislabelled encodings: still read right.
    put("kodning/utf16-utan-bom.txt", text.encode("utf-16-le"), NEW)
    put("kodning/cp1252-som-utf8.html",
        ('<html><head><meta charset="utf-8"><title>Nämnden</title></head><body><p>'
         + text.replace("\n", "</p><p>") + "</p></body></html>").encode("cp1252", "replace"), NEW)
    put("kodning/latin1.txt", text.encode("latin-1", "replace"), NEW)
    # Empty files of every extension.
    for ext in EXTENSIONS:
        put(f"tomma/tom{ext}", b"", failed("empty"))
    # Broken, locked and hostile PDFs.
    good_pdf = GOOD_PDF.read_bytes()
    put("pdf/avkortad.pdf", good_pdf[: len(good_pdf) // 3], failed("corrupt"))
    from tests.ingest.parse.pdf.test_parse import _encrypted_pdf, _image_pdf

    put("pdf/krypterad.pdf", _encrypted_pdf(b"hemligt"), failed("encrypted"))
    put("pdf/javascript.pdf", pdf_javascript(), NEW)
    put("pdf/sidslinga.pdf", pdf_page_tree_loop(), failed("corrupt", "empty", "too-many-pages"))
    put("pdf/bomb.pdf", pdf_bomb(), failed(*LIMITED))
    put("pdf/skannad.pdf", _image_pdf(2), NEW)  # archived, its pages marked as without text
    # DOCX that are no DOCX, or bombs.
    put("docx/ingen-zip.docx", b"PK\x03\x04 detta ar ingen zip " * 40, failed("corrupt"))
    put("docx/xml-bomb.docx", docx_xml_bomb(), failed("corrupt", "empty"))
    put("docx/zip-bomb.docx", docx_zip_bomb(), failed(*LIMITED))
    put("docx/tva-miljoner-stycken.docx", docx_many_paragraphs(), failed(*LIMITED))
    # HTML nested 100,000 deep.
    put("html/djup.html", deep_html(), new_or_failed(*LIMITED))
    # Binary junk under a document's extension.
    junk = bytes((i * 7919 + 13) % 256 for i in range(64 * 1024))
    for ext in (".pdf", ".docx", ".html", ".txt"):
        put(f"skrap/skrap{ext}", junk, failed("corrupt", "unsupported", "empty", "binary"))
    # Entries that are no file to read.
    outside = folder.parent / f"{folder.name}-utanfor.txt"
    outside.write_bytes(seed)
    (folder / "lankar").mkdir(exist_ok=True)
    _link(folder / "lankar/ut.txt", outside)
    expected["lankar/ut.txt"] = failed("outside")
    _link(folder / "lankar/passwd.txt", Path("/etc/passwd"))
    expected["lankar/passwd.txt"] = failed("outside")
    _link(folder / "lankar/noll.txt", Path("/dev/zero"))
    expected["lankar/noll.txt"] = failed("outside")
    _link(folder / "lankar/a.txt", folder / "lankar/b.txt")
    _link(folder / "lankar/b.txt", folder / "lankar/a.txt")
    expected["lankar/a.txt"] = expected["lankar/b.txt"] = failed("symlink-loop")
    _link(folder / "lankar/upp", folder)
    expected["lankar/upp"] = failed("symlink-loop")
    _link(folder / "lankar/inne.txt", folder / "bra/seed-0.txt")  # inside: the same document, once
    fifo = folder / "lankar/ror.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    expected["lankar/ror.txt"] = failed("not-a-file")
    with open(folder / "gles.txt", "wb") as f:  # sparse: GBs on paper, nothing on disk
        f.truncate(sparse_gb << 30)
    expected["gles.txt"] = failed("too-large")
    return expected


def _link(path: Path, target: Path) -> None:
    if not path.is_symlink():
        path.symlink_to(target)


if __name__ == "__main__":
    for name, outcome in sorted(build(Path(sys.argv[1])).items()):
        print(f"{name!r}: {outcome}")
