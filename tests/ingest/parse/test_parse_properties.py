"""Property-based test of the parse registry (ingest/parse/registry.py) on mutated real files:
bit flips, truncations and inserted bytes of PDFs, DOCX (the zip, and its document.xml repacked)
and HTML from samples/. Whatever the bytes, parse() gives a document or a ParseError with one of
the parsers' own reasons, never another exception (nor the registry's catch-all for a parser's
unexpected exception)."""
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.model import Page, ParsedDocument, ParseError
from ingest.parse.limits import ParseLimits
from ingest.parse.registry import parse

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "real"
FILES = [
    SAMPLES / "gotland-figotland" / "vegetabilisk_kost_som_grund_i_skolbespisningen.pdf",
    SAMPLES / "riksdagen-gco" / "bill_text_prop_202223__105.pdf",
    SAMPLES / "ferenda" / "dv" / "downloaded" / "ADO" / "2013-63.docx",
    SAMPLES / "simrishamn-lundgren9" / "Sammanstallning_granskningsyttranden_Borrby.docx",
    SAMPLES / "ferenda" / "dirregeringen" / "downloaded" / "2016" / "15" / "index.html",
]
# Every reason a parser gives (ParseError("...") in ingest/parse/).
REASONS = {"binary", "corrupt", "empty", "encrypted", "too-deep", "too-large-unpacked", "too-many-pages",
           "unsupported"}
CATCH_ALL = "Kunde inte läsa filen: "  # the registry's message for an exception a parser let through
EXAMPLES = 50  # per file and kind of mutation: the suite runs on two shared cores
LIMITS = ParseLimits()


def fuzz(**kwargs):
    return settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck), **kwargs)


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` with a few bits flipped, cut short, or with bytes inserted (or all three)."""
    out = bytearray(data)
    kinds = draw(st.sets(st.sampled_from(["flip", "truncate", "insert"]), min_size=1))
    if "flip" in kinds:
        for position, bit in draw(st.lists(st.tuples(st.integers(0, len(out) - 1), st.integers(0, 7)),
                                           min_size=1, max_size=32)):
            out[position] ^= 1 << bit
    if "insert" in kinds:
        position = draw(st.integers(0, len(out)))
        out[position:position] = draw(st.binary(min_size=1, max_size=256))
    if "truncate" in kinds:
        del out[draw(st.integers(0, len(out) - 1)):]
    return bytes(out)


def check(data: bytes, name: str) -> None:
    try:
        parsed = parse(data, name, limits=LIMITS)
    except ParseError as e:
        assert e.reason in REASONS, e.reason
        assert e.message and not e.message.startswith(CATCH_ALL), e.message
        return
    assert isinstance(parsed, ParsedDocument)
    assert all(isinstance(p, Page) and isinstance(p.text, str) for p in parsed.pages)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_mutated_files_parse_or_fail_with_a_parse_error(path):
    original = path.read_bytes()

    @given(data=mutated(original))
    @fuzz()
    def run(data):
        check(data, path.name)

    run()


def repacked(docx: bytes, member: str, content: bytes) -> bytes:
    """The DOCX with one member's bytes replaced, the rest as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == member else source.read(info))
    return out.getvalue()


@pytest.mark.parametrize("path", [p for p in FILES if p.suffix == ".docx"], ids=lambda p: p.name)
def test_docx_with_a_mutated_document_xml_parses_or_fails_with_a_parse_error(path):
    """Past the zip's checksums: the XML parser meets the damage."""
    original = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as z:
        xml = z.read("word/document.xml")

    @given(content=mutated(xml))
    @fuzz()
    def run(content):
        check(repacked(original, "word/document.xml", content), path.name)

    run()
