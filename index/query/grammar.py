"""Search stage, the query language's grammar: a query string → IR (index/query/ir.py).

The language is the one Whoosh's query parser read when this project used it (a
MultifieldParser with the plus/minus, field alias, >/< and prefix plugins), written out here so
that no engine's parser decides what a query means. It works as that parser did, in two steps:

1. tagging: at each position the first pattern of TAGGERS that matches makes a node (an
   operator, a field name, a phrase, a range, a parenthesis, a boost, + or -, a prefix word,
   whitespace); text between matches is a word;
2. passes over the nodes, in this order: parentheses into groups, boosts that cannot attach
   become words, field aliases, `field:>value` into ranges, field names onto the next node,
   unfielded words into an Or over the default fields (with their boosts), whitespace out,
   boosts onto the node before, + and - at the top level (required, optional, excluded), and
   the operators: NOT, then AND, then OR, then ANDNOT, ANDMAYBE, REQUIRE, each binding the
   nodes beside it; what is left side by side is an And.

Words are analysed for each field as the field description says (index.fields.tokens); a word
that gives several terms is an And of them. A query this grammar cannot make sense of raises
QuerySyntaxError.

>>> parse("titel:budget", ("text",), {}, {"titel": "title"})
Term(field='title', text='budget', boost=1.0)
>>> parse("skola OR förskola", ("text",), {}, {})
Or(children=(Term(field='text', text='skol', boost=1.0), Term(field='text', text='förskol', boost=1.0)), boost=1.0)
"""
from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from index.fields import FIELDS, tokens
from index.query import ir


class QuerySyntaxError(ValueError):
    """A query string the grammar cannot turn into a query."""


# -- syntax nodes ----------------------------------------------------------------------------


@dataclass
class _Node:
    start: int = 0
    end: int = 0
    has_fieldname = False
    has_boost = False
    has_text = False

    def set_fieldname(self, name: str, override: bool = False) -> None:
        if self.has_fieldname and (self.fieldname is None or override):  # type: ignore[has-type]
            self.fieldname = name

    def set_boost(self, boost: float) -> None:
        if self.has_boost:
            self.boost = boost

    def to_ir(self, p: _Parser) -> ir.Node | None:
        raise QuerySyntaxError(f"{type(self).__name__} kan inte stå här")


@dataclass
class _Marker(_Node):
    kind: str = ""  # ws, open, close, plus, minus


@dataclass
class _FieldName(_Node):
    fieldname: str = ""
    original: str = ""
    has_fieldname = True


@dataclass
class _Op(_Node):
    kind: str = ""  # not, and, or, andnot, andmaybe, require
    text: str = ""


@dataclass
class _BoostMark(_Node):
    original: str = ""
    value: float = 1.0


@dataclass
class _GtLt(_Node):
    rel: str = ""


@dataclass
class _Text(_Node):
    text: str = ""
    fieldname: str | None = None
    boost: float = 1.0
    has_fieldname = True
    has_boost = True
    has_text = True


@dataclass
class _Word(_Text):
    tokenize = True
    removestops = True

    def to_ir(self, p: _Parser) -> ir.Node | None:
        return p.term(self.fieldname, self.text, ir.Term, self.boost, self.tokenize, self.removestops)


@dataclass
class _PrefixWord(_Word):
    tokenize = False
    removestops = False

    def to_ir(self, p: _Parser) -> ir.Node | None:
        return p.term(self.fieldname, self.text, ir.Prefix, self.boost, False, False)


@dataclass
class _PhraseText(_Text):
    slop: int = 1
    text_start: int = 0

    def to_ir(self, p: _Parser) -> ir.Node | None:
        return p.phrase(self.fieldname, self.text, self.slop, self.boost)


@dataclass
class _RangeText(_Node):
    low: str | None = None
    high: str | None = None
    low_excl: bool = False
    high_excl: bool = False
    fieldname: str | None = None
    boost: float = 1.0
    has_fieldname = True
    has_boost = True

    def to_ir(self, p: _Parser) -> ir.Node | None:
        low, high = self.low, self.high
        spec = FIELDS.get(self.fieldname or "")
        if spec is not None:
            if low:
                low = _first(spec, low)
            if high:
                high = _first(spec, high)
        return ir.Range(self.fieldname or "", low, high, self.low_excl, self.high_excl, boost=self.boost)


@dataclass
class _EveryMark(_Node):
    def to_ir(self, p: _Parser) -> ir.Node | None:
        return ir.Every()


@dataclass
class _Group(_Node):
    kind: str = "and"  # and, or, andnot, andmaybe, not, require
    nodes: list = field(default_factory=list)
    boost: float = 1.0

    @property
    def has_boost(self) -> bool:  # type: ignore[override]
        return self.kind not in _BINARY

    @property
    def merging(self) -> bool:
        return self.kind in ("and", "or")

    def empty_copy(self) -> _Group:
        return _Group(kind=self.kind, boost=self.boost)

    def set_fieldname(self, name: str, override: bool = False) -> None:
        for node in self.nodes:
            node.set_fieldname(name, override)

    def to_ir(self, p: _Parser) -> ir.Node | None:
        if self.kind in _BINARY:
            a, b = self.nodes[0].to_ir(p), self.nodes[1].to_ir(p)
            if a is None and b is None:
                return ir.Null()
            if a is None or b is None:
                return a or b
            if self.kind == "andnot":
                return ir.AndNot(a, b)
            if self.kind == "andmaybe":
                return ir.AndMaybe(a, b)
            return ir.Require(a, b)
        if self.kind == "not":
            if not self.nodes:
                return None
            q = self.nodes[0].to_ir(p)
            return ir.Not(q) if q is not None else None
        subs = tuple(q for q in (n.to_ir(p) for n in self.nodes) if q is not None)
        return (ir.And if self.kind == "and" else ir.Or)(subs, boost=self.boost)


_BINARY = ("andnot", "andmaybe", "require")


def _word_of(node: _Node, original: str) -> _Word:
    return _Word(start=node.start, end=node.end, text=original)


def _first(spec, text: str) -> str | None:
    found = tokens(spec, text, stopwords=False, tokenize=False)
    return found[0].text if found else None


# -- tagging ---------------------------------------------------------------------------------

_RANGE = re.compile(r"""
    (?P<open>\{|\[)
    (?P<start>('[^']*?'\s+)|([^\]}]+?(?=\b[Tt][Oo]\b)))?
    \b[Tt][Oo]\b
    (?P<end>(\s+'[^']*?')|([^\]}]+?))?
    (?P<close>}|])
    """, re.VERBOSE)


def _range(m: re.Match) -> _Node:
    start, end = m.group("start"), m.group("end")
    if start:
        start = start.rstrip()
        if start.startswith("'") and start.endswith("'"):
            start = start[1:-1]
    if end:
        end = end.lstrip()
        if end.startswith("'") and end.endswith("'"):
            end = end[1:-1]
    return _RangeText(low=start, high=end, low_excl=m.group("open") == "{", high_excl=m.group("close") == "}")


def _boost(m: re.Match) -> _Node:
    try:
        return _BoostMark(original=m.group(0), value=float(m.group("boost")))
    except ValueError:
        return _Word(text=m.group(0))


def _phrase(m: re.Match) -> _Node:
    slop = m.group("slop")
    return _PhraseText(text=m.group("text"), text_start=m.start("text"), slop=int(slop) if slop else 1)


# (pattern, node maker), tried in this order at each position.
TAGGERS: list[tuple[str | re.Pattern[str], Callable[[re.Match[str]], _Node]]] = [
    (r"(?<=\s)ANDNOT(?=\s)", lambda m: _Op(kind="andnot", text=m.group(0))),
    (r"(?<=\s)ANDMAYBE(?=\s)", lambda m: _Op(kind="andmaybe", text=m.group(0))),
    (r"[*]:[*]", lambda m: _EveryMark()),
    (r"(^|(?<=\W))'(?P<text>.*?)'(?=\s|\]|[)}]|$)", lambda m: _Word(text=m.group("text"))),
    (r"(?P<text>\w+|[*]):", lambda m: _FieldName(fieldname=m.group("text"), original=m.group(0))),
    (r'"(?P<text>.*?)"(~(?P<slop>[1-9][0-9]*))?', _phrase),
    (r"[(]", lambda m: _Marker(kind="open")),
    (r"[)]", lambda m: _Marker(kind="close")),
    (r"(^|(?<=(\s|[()])))NOT(?=\s)", lambda m: _Op(kind="not", text=m.group(0))),
    (r"(?<=\s)AND(?=\s)", lambda m: _Op(kind="and", text=m.group(0))),
    (r"(?<=\s)OR(?=\s)", lambda m: _Op(kind="or", text=m.group(0))),
    (r"(^|(?<=\s))REQUIRE(?=\s)", lambda m: _Op(kind="require", text=m.group(0))),
    (r"\^(?P<boost>[0-9]*(\.[0-9]+)?)($|(?=[ \t\r\n)]))", _boost),
    # + and - are operators only at the start of a word: "budget -investering", never the
    # hyphen of "e-post" or of a suspended compound ("hälso- och sjukvård").
    (r"(?<![^\s(])\+(?=[^\s+])", lambda m: _Marker(kind="plus")),
    (r"(?<![^\s(])-(?=[^\s-])", lambda m: _Marker(kind="minus")),
    (r"(?P<rel>(<=|>=|<|>|=<|=>))", lambda m: _GtLt(rel=m.group("rel"))),
    (r"(?P<text>[^ \t\r\n*]+)[*](?= |$|\))", lambda m: _PrefixWord(text=m.group("text"))),
    (_RANGE, _range),
    (r"\s+", lambda m: _Marker(kind="ws")),
]
_TAGGERS = [(re.compile(p) if isinstance(p, str) else p, make) for p, make in TAGGERS]


def _tag(text: str) -> list[_Node]:
    out: list[_Node] = []
    pos = prev = 0
    while pos < len(text):
        for pattern, make in _TAGGERS:
            m = pattern.match(text, pos)
            if m is None:
                continue
            node = make(m)
            node.start, node.end = m.start(), m.end()
            if prev < pos:
                out.append(_Word(start=prev, end=pos, text=text[prev:pos]))
            out.append(node)
            prev = pos = m.end()
            break
        else:
            pos += 1
    if prev < len(text):
        out.append(_Word(start=prev, end=len(text), text=text[prev:]))
    return out


# -- passes ----------------------------------------------------------------------------------


def _groups(nodes: list[_Node]) -> _Group:
    stack = [_Group()]
    for node in nodes:
        if isinstance(node, _Marker) and node.kind == "open":
            stack.append(_Group())
        elif isinstance(node, _Marker) and node.kind == "close":
            if len(stack) > 1:
                last = stack.pop()
                stack[-1].nodes.append(last)
        else:
            stack[-1].nodes.append(node)
    top = stack[0]
    for rest in stack[1:]:
        top.nodes.extend(rest.nodes)
    if len(top.nodes) == 1 and isinstance(top.nodes[0], _Group):
        boost = top.boost
        top = top.nodes[0]
        top.boost = boost
    return top


def _clean_boosts(group: _Group) -> None:
    for i, node in enumerate(group.nodes):
        if isinstance(node, _BoostMark) and (not i or not group.nodes[i - 1].has_boost):
            group.nodes[i] = _word_of(node, node.original)


def _aliases(group: _Group, aliases: dict[str, str]) -> None:
    for node in group.nodes:
        if isinstance(node, _Group):
            _aliases(node, aliases)
        elif node.has_fieldname and node.fieldname is not None and node.fieldname in aliases:
            node.fieldname = aliases[node.fieldname]


def _gtlt(group: _Group) -> _Group:
    out = group.empty_copy()
    i, last = 0, len(group.nodes) - 1
    while i < len(group.nodes):
        node = group.nodes[i]
        if isinstance(node, _GtLt):
            if i < last:
                before, after = out.nodes[-1], group.nodes[i + 1]  # IndexError as Whoosh's
                if isinstance(before, _FieldName) and after.has_text:
                    out.nodes.append(_make_range(after, node.rel))
                    i += 1
        elif isinstance(node, _Group):
            out.nodes.append(_gtlt(node))
        else:
            out.nodes.append(node)
        i += 1
    return out


def _make_range(node, rel: str) -> _RangeText:
    text = node.text
    low, high, low_excl, high_excl = {
        "<": (None, text, False, True), ">": (text, None, True, False),
        "<=": (None, text, False, False), "=<": (None, text, False, False),
        ">=": (text, None, False, False), "=>": (text, None, False, False),
    }[rel]
    return _RangeText(start=node.start, end=node.end, low=low, high=high, low_excl=low_excl, high_excl=high_excl)


def _fieldnames(group: _Group) -> _Group:
    out = group.empty_copy()
    unknown: list[_FieldName] = []
    for node in group.nodes:
        if isinstance(node, _FieldName) and node.fieldname not in FIELDS:
            unknown.append(node)
            continue
        if unknown:
            original = "".join(fn.original for fn in unknown)
            if node.has_text:
                node.text = original + node.text
                node.start = unknown[0].start
            else:
                out.nodes.append(_merged(unknown))
            unknown = []
        out.nodes.append(node)
    if unknown:
        out.nodes.append(_merged(unknown))
    group = out
    out = group.empty_copy()
    i = len(group.nodes)
    while i > 0:
        i -= 1
        node = group.nodes[i]
        if isinstance(node, _FieldName):
            node = _word_of(node, node.original)
        elif isinstance(node, _Group):
            node = _fieldnames(node)
        before = group.nodes[i - 1] if i > 0 else None
        if isinstance(before, _FieldName) and not (isinstance(node, _Marker) and node.kind == "ws"):
            node.set_fieldname(before.fieldname)
            i -= 1
        out.nodes.append(node)
    out.nodes.reverse()
    return out


def _merged(nodes: list[_FieldName]) -> _Word:
    word = _word_of(nodes[0], nodes[0].original)
    if len(nodes) > 1:
        word.text = "".join(fn.original for fn in nodes)
        word.end = nodes[-1].end
    return word


def _multifield(group: _Group, fieldnames: tuple[str, ...], boosts: dict[str, float]) -> None:
    for i, node in enumerate(group.nodes):
        if isinstance(node, _Group):
            _multifield(node, fieldnames, boosts)
        elif node.has_fieldname and node.fieldname is None:
            copies = []
            for name in fieldnames:
                c = copy.copy(node)
                c.set_fieldname(name)
                c.set_boost(boosts.get(name, 1.0))
                copies.append(c)
            group.nodes[i] = _Group(kind="or", nodes=copies)


def _without_whitespace(group: _Group) -> _Group:
    out = group.empty_copy()
    for node in group.nodes:
        if isinstance(node, _Group):
            out.nodes.append(_without_whitespace(node))
        elif not (isinstance(node, _Marker) and node.kind == "ws"):
            out.nodes.append(node)
    return out


def _boosts(group: _Group) -> _Group:
    out = group.empty_copy()
    for node in group.nodes:
        if isinstance(node, _Group):
            node = _boosts(node)
        elif isinstance(node, _BoostMark):
            if out.nodes and out.nodes[-1].has_boost:
                out.nodes[-1].set_boost(node.value)
                continue
            node = _word_of(node, node.original)
        out.nodes.append(node)
    return out


def _plus_minus(group: _Group) -> _Group:
    required, optional, banned = _Group(kind="and"), _Group(kind="or"), _Group(kind="or")
    if group.kind == "and":
        optional = _Group(kind="and")
    target = optional
    for node in group.nodes:
        if isinstance(node, _Marker) and node.kind == "plus":
            target = required
        elif isinstance(node, _Marker) and node.kind == "minus":
            target = banned
        else:
            target.nodes.append(node)
            target = optional
    out = optional
    if required.nodes:
        out = _Group(kind="andmaybe", nodes=[required, out])
    if banned.nodes:
        out = _Group(kind="andnot", nodes=[out, banned])
    return out


_OPERATOR_ORDER = ("not", "and", "or", "andnot", "andmaybe", "require")


def _operators(group: _Group) -> _Group:
    nodes = group.nodes
    for kind in _OPERATOR_ORDER:
        i = 0
        while i < len(nodes):
            t = nodes[i]
            if isinstance(t, _Op) and t.kind == kind:
                i = _replace_operator(t, nodes, i)
            else:
                i += 1
    for i, t in enumerate(nodes):
        if isinstance(t, _Group):
            nodes[i] = _operators(t)
    return group


def _replace_operator(op: _Op, nodes: list, i: int) -> int:
    if op.kind == "not":  # a prefix operator
        length = len(nodes)
        del nodes[i]
        if i < length - 1:
            nodes[i] = _Group(kind="not", nodes=[nodes[i]])
        return i
    if 0 < i < len(nodes) - 1:
        left, right = nodes[i - 1], nodes[i + 1]
        merging = op.kind in ("and", "or")
        if merging and isinstance(left, _Group) and left.kind == op.kind:
            left.nodes.append(right)
            del nodes[i:i + 2]
        else:
            nodes[i - 1:i + 2] = [_Group(kind=op.kind, nodes=[left, right])]
    else:
        del nodes[i]
    return i


# -- to IR -----------------------------------------------------------------------------------


@dataclass
class _Parser:
    fieldnames: tuple[str, ...]

    def term(self, fieldname, text, cls, boost, tokenize, removestops) -> ir.Node | None:
        spec = FIELDS.get(fieldname or "")
        if spec is None:
            return cls(fieldname, text, boost=boost)
        texts = [t.text for t in tokens(spec, text, stopwords=removestops, tokenize=tokenize)]
        if len(texts) > 1:
            return ir.And(tuple(cls(fieldname, t, boost=boost) for t in texts))
        if not texts:
            return None
        return cls(fieldname, texts[0], boost=boost)

    def phrase(self, fieldname, text, slop, boost) -> ir.Node:
        """A phrase; stop words keep their position in the index but are not among a
        phrase's words, so two words may stand as many words apart as the query has stop
        words between them."""
        spec = FIELDS.get(fieldname or "")
        if spec is None:
            found = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        else:
            found = [(t.text, t.start, t.end) for t in tokens(spec, text)]
        gaps = [_words_between(text[end:start]) for (_, _, end), (_, start, _) in zip(found, found[1:])]
        if len(found) > 1:
            slop = max(slop, 1 + max(gaps))
        return ir.Phrase(fieldname or "", tuple(w for w, _, _ in found), slop=slop, boost=boost)


def _words_between(text: str) -> int:
    from index.analysis.chain import words

    return sum(1 for _ in words(text))


def parse(text: str, fieldnames: tuple[str, ...], boosts: dict[str, float],
          aliases: dict[str, str]) -> ir.Node:
    """The IR of a query string, normalized; unfielded words search `fieldnames` (with
    `boosts`), `aliases` maps other field names a user may type to ours."""
    try:
        group = _groups(_tag(text))
        _clean_boosts(group)
        _aliases(group, aliases)
        group = _gtlt(group)
        group = _fieldnames(group)
        _multifield(group, fieldnames, boosts)
        group = _without_whitespace(group)
        group = _boosts(group)
        group = _plus_minus(group)
        group = _operators(group)
        q = group.to_ir(_Parser(fieldnames))
        if q is None or (isinstance(q, (ir.And, ir.Or)) and not q.children):
            return ir.Null()
        return ir.normalize(q)
    except IndexError as e:
        raise QuerySyntaxError(str(e)) from e
    except RecursionError:  # parentheses nested a thousand deep: each pass recurses per level
        raise QuerySyntaxError("frågan är för djupt nästlad") from None
