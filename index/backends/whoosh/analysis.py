"""Index stage, analysis for Whoosh: wraps index.analysis.chain so Whoosh indexes our own tokens."""
from __future__ import annotations

from whoosh.analysis import Analyzer, Token

from index.analysis.chain import analyze

# Changed whenever an analyzer's terms change: an index whose analyzers carry another version
# was built by another release and is rebuilt from the catalog (store.Store.is_healthy).
# 3: the parts field also holds words without accents other than å, ä, ö (chain.part_terms).
# 4: the vocabulary counted again without the words of links and file names (chain.plain_words).
ANALYSIS_VERSION = 4


class Analyzed(str):
    """A field value analysed ahead of time (in a worker process): Whoosh passes it to the
    analyzer like any string, and DiarietAnalyzer replays its (term, position) pairs."""

    __slots__ = ("tokens",)
    tokens: tuple[tuple[str, int], ...]

    def __new__(cls, tokens: tuple[tuple[str, int], ...]):
        value = super().__new__(cls, "")
        value.tokens = tokens
        return value

    def __reduce__(self):
        return (Analyzed, (self.tokens,))


class DiarietAnalyzer(Analyzer):
    """A Whoosh analyzer over `index.analysis.chain.analyze` for one language.

    `parts=True` is the analyzer of the compound-parts field: at index time it yields only the
    parts of compound words (at their whole word's position); a query is analysed as usual,
    never split. Module-level and holding only plain values, so Whoosh can pickle it."""

    def __init__(self, language: str = "sv", stemming: bool = True, parts: bool = False):
        self.language = language
        self.stemming = stemming
        self.parts = parts
        self.version = ANALYSIS_VERSION

    def _key(self):
        return (self.language, self.stemming, getattr(self, "parts", False), getattr(self, "version", 0))

    def __eq__(self, other):
        return isinstance(other, DiarietAnalyzer) and other._key() == self._key()

    def __hash__(self):
        return hash(self._key())

    def preanalyze(self, value: str) -> Analyzed:
        """The index-time tokens of `value`, to be replayed by this analyzer later."""
        return Analyzed(tuple((t.text, t.pos) for t in self(value, positions=True, mode="index")))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if isinstance(value, Analyzed) and mode != "query":
            for text, pos in value.tokens:
                token.text, token.pos, token.boost, token.stopped = text, start_pos + pos, 1.0, False
                yield token
            return
        only_parts = getattr(self, "parts", False) and mode != "query"
        for t in analyze(value, self.language, stopwords=removestops, stemming=self.stemming,
                         parts=only_parts):
            if only_parts and not t.part:
                continue
            token.text = t.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[t.start:t.end]  # type: ignore[attr-defined]  # Whoosh sets attributes as asked
            if positions:
                token.pos = start_pos + t.pos
            if chars:
                token.startchar = start_char + t.start
                token.endchar = start_char + t.end
            yield token


class DnrKeyAnalyzer(Analyzer):
    """Comma-separated diarienummer → their keys (ingest.extract.dnr.key), so that
    `dnr:"ks 2020 1234"` and an indexed `KS-2020-1234` meet on the same term; at index time
    also their loose keys (dnr.loose_keys: no leading zeros, no register), so "ks 2020 1234"
    finds `KS-2020-01234` and "2020/1234" finds it too, below the exact number."""

    def __init__(self):
        self.version = ANALYSIS_VERSION

    def __eq__(self, other):
        return isinstance(other, DnrKeyAnalyzer) and getattr(other, "version", 0) == self.version

    def __hash__(self):
        return hash(("DnrKeyAnalyzer", self.version))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        from ingest.extract.dnr import key, loose_keys

        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        offset, seen = 0, set()
        for pos, part in enumerate(value.split(",")):
            texts = [key(part)] if key(part) else []
            if texts and mode != "query":
                texts.extend(loose_keys(part))
            for text in texts:
                if text in seen:
                    continue
                seen.add(text)
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = part  # type: ignore[attr-defined]
                if positions:
                    token.pos = start_pos + pos
                if chars:
                    token.startchar = start_char + offset
                    token.endchar = start_char + offset + len(part)
                yield token
            offset += len(part) + 1
