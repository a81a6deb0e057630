"""Parse stage, text decoding: bytes of unknown encoding → NFC text with \\n newlines."""
from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers (WHATWG) decode as windows-1252; so do we.
_AS_CP1252 = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "ascii", "us-ascii", "l1"}

# Non-ASCII characters that are normal in Swedish text: å, ä and ö count most, other
# accents and typography a little. Anything else non-ASCII costs a point and control
# characters more: a wrong code page shows up as ð, ĺ, è, „ or C1 controls.
_SWEDISH = set("åäöÅÄÖ")
_PLAUSIBLE = set("éÉüÜáóíøØæÆ–—’‘”“•…€§°½«»×´\u00a0")
_SAMPLE = 100_000


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; returns (text, the Python codec name that was used).

    Order: a byte-order mark, then the declared charset (HTTP header or <meta>) if the bytes
    decode with it (valid UTF-8 wins over a declared single-byte code page), then UTF-8, then charset-normalizer checked against windows-1252
    for plausible Swedish, with windows-1252 (or latin-1) as the last resort.
    >>> decode_text("Åtgärd för älg".encode("cp1252"))
    ('Åtgärd för älg', 'cp1252')
    """
    text, encoding = _decode(data, declared)
    return normalize_text(text), encoding


_BINARY_SAMPLE = 64 * 1024  # characters looked at
_BINARY_SHARE = 0.05  # of them controls, unassigned or private-use: not text
# Characters that are never odd: tab, newline, form feed, printable ASCII and the Latin blocks up
# to U+024F (all assigned), and the typographic marks of Swedish text (dashes, quotes, bullet,
# ellipsis). Removing them in C first leaves the per-character test a handful of characters.
_PLAIN_TEXT = re.compile("[\t\n\f\x20-\x7e\xa0-\u024f\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]+")


def looks_binary(text: str) -> bool:
    r"""Decoded "text" that is really binary junk (an image or an archive named .txt): many C0/C1
    controls (but tab, newline, form feed), replacement, unassigned or private-use characters.

    >>> looks_binary("Nämnden beslutar\tatt\f godkänna"), looks_binary("PK\x03\x04\x00\x00\ufffd\x1b" * 10)
    (False, True)
    """
    sample = text[:_BINARY_SAMPLE]
    if not sample:
        return False
    rest = _PLAIN_TEXT.sub("", sample)  # only the characters that may be odd are looked at one by one
    odd = sum(1 for c in rest if (c < " " and c not in "\t\n\f") or "\x7f" <= c <= "\x9f" or c == "\ufffd"
              or unicodedata.category(c) in ("Cn", "Co", "Cs"))
    return odd > _BINARY_SHARE * len(sample)


def normalize_text(text: str) -> str:
    """Newlines to \\n, Unicode to NFC, no leading BOM."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.lstrip("\ufeff"))


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    utf8 = _utf8(data)
    codec = _codec_name(declared)
    if codec and not (utf8 and _single_byte(codec) and not utf8.isascii()):
        try:  # (valid UTF-8 with non-ASCII text beats a declared single-byte code page)
            return _decode_with(data, codec), codec
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; fall through to detection
    if utf8 is not None:
        return utf8, "utf-8"
    codec = _detect(data)
    return _decode_with(data, codec), codec


def _utf8(data: bytes) -> str | None:
    """The text if the bytes are UTF-8: strictly, cut off mid-character, or with a stray byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # truncated in the middle of a multi-byte character, after some valid ones
        text = codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        if not text.isascii():
            return text
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ch >= "\x80") - bad
    return text if good >= 10 * bad else None


def _single_byte(codec: str) -> bool:
    return not codec.startswith(("utf", "gb", "big5", "shift", "euc", "iso2022", "cp9"))


def _decode_with(data: bytes, codec: str) -> str:
    """Strict decoding, except that cp1252's five unassigned bytes pass through (as browsers do)."""
    if codec != "cp1252":
        return data.decode(codec)
    text = data.decode("cp1252", errors="surrogateescape")
    return re.sub("[\udc80-\udcff]", lambda m: chr(ord(m.group()) - 0xDC00), text)


def _codec_name(label: str | None) -> str | None:
    """The Python codec for a charset label, or None if the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("'\"").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _detect(data: bytes) -> str:
    """Best code page for non-UTF-8 bytes: charset-normalizer's guess unless cp1252 reads better."""
    sample = data[:_SAMPLE]
    candidates = ["cp1252", "cp850", "mac-roman"]  # Windows, old DOS and old Mac Swedish
    best = charset_normalizer.from_bytes(sample).best()
    if best is not None:
        guessed = _codec_name(best.encoding)
        if guessed and guessed not in candidates:
            candidates.append(guessed)
    scored = []
    for i, codec in enumerate(candidates):
        try:
            scored.append((plausibility(_decode_with(sample, codec)), -i, codec))
        except UnicodeDecodeError:
            continue
    return max(scored)[2]


def plausibility(text: str) -> int:
    """How Swedish-looking the non-ASCII part of a decoding is (higher is better)."""
    score = 0
    for ch in text:
        if ch < "\x80":
            if ch < " " and ch not in "\t\n\r\f":
                score -= 5
        elif ch in _SWEDISH:
            score += 3
        elif ch in _PLAUSIBLE:
            score += 1
        elif unicodedata.category(ch) == "Cc":
            score -= 5
        else:
            score -= 1
    return score
