"""Index stage, analysis for Whoosh: wraps index.analysis so Whoosh indexes our own tokens."""
from __future__ import annotations

from whoosh.analysis import Analyzer, Token

from index.analysis import analyze


class DiarietAnalyzer(Analyzer):
    """A Whoosh analyzer over `index.analysis.analyze` for one language.

    Module-level and holding only plain values, so Whoosh can pickle it into the schema."""

    def __init__(self, language: str = "sv", stemming: bool = True):
        self.language = language
        self.stemming = stemming

    def __eq__(self, other):
        return (
            isinstance(other, DiarietAnalyzer)
            and other.language == self.language
            and other.stemming == self.stemming
        )

    def __hash__(self):
        return hash((self.language, self.stemming))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for t in analyze(value, self.language, stopwords=removestops, stemming=self.stemming):
            token.text = t.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[t.start:t.end]
            if positions:
                token.pos = start_pos + t.pos
            if chars:
                token.startchar = start_char + t.start
                token.endchar = start_char + t.end
            yield token


class DnrKeyAnalyzer(Analyzer):
    """Comma-separated diarienummer → their loose keys (ingest.dnr.key), so that
    `dnr:"ks 2020 1234"` and an indexed `KS-2020-1234` meet on the same term."""

    def __eq__(self, other):
        return isinstance(other, DnrKeyAnalyzer)

    def __hash__(self):
        return hash("DnrKeyAnalyzer")

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        from ingest.dnr import key

        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        offset = 0
        for pos, part in enumerate(value.split(",")):
            text = key(part)
            if text:
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = part
                if positions:
                    token.pos = start_pos + pos
                if chars:
                    token.startchar = start_char + offset
                    token.endchar = start_char + offset + len(part)
                yield token
            offset += len(part) + 1
