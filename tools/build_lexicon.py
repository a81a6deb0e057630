"""Build index/data/lexicon-sv.txt.gz: the Swedish word list the compound splitter uses.

    apt-get install -y hunspell-sv            # once, on the machine that rebuilds the list
    .venv/bin/python tools/build_lexicon.py [--dic /usr/share/hunspell/sv_SE.dic] [--corpus ../shared/corpus]

Sources (see index/data/README.md for licences):
* the words and their compound flags come from Debian's hunspell-sv (sv_SE.dic/.aff, Göran
  Andersson, LGPL-3): COMPOUNDBEGIN (X), COMPOUNDMIDDLE (U), COMPOUNDEND (Y), and the suffix
  flags that make a word's linking form ("avdelning" → "avdelnings", "skola" → "skol");
* each word's frequency is counted in our own corpus (../shared/corpus: bulk/regeringen, real/,
  seeds/), by lemma (simplemma), so "avdelningar" counts for "avdelning".

Output, one word a line, sorted:  word TAB frequency TAB roles TAB linking forms (comma-separated)
roles: "B" the word itself may begin or continue a compound, "E" it may end one.
Lower-case words of letters only; proper nouns, and words that neither take part in a compound
nor occur in our corpus, are left out. CI and users never run this: the built file is committed.
"""
from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BEGIN, MIDDLE, END = "X", "U", "Y"
LETTERS = re.compile(r"[a-zåäöéü]+")
WORD = re.compile(r"[^\W\d_]+")


def read_affixes(aff: Path) -> dict[str, list[tuple[str, str, str, re.Pattern]]]:
    """flag → [(strip, add, flags of the result, condition)] for the SFX rules."""
    rules: dict[str, list] = {}
    for line in aff.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0] == "SFX":
            flag, strip, add, cond = parts[1], parts[2], parts[3], parts[4]
            add, _, flags = add.partition("/")
            rules.setdefault(flag, []).append((
                "" if strip == "0" else strip, "" if add == "0" else add, flags,
                re.compile(f"(?:{cond})$"),
            ))
    return rules


def linking_forms(word: str, flags: str, rules) -> tuple[set[str], bool]:
    """(forms that begin or continue a compound other than the word itself, whether the word
    itself does)."""
    forms: set[str] = set()
    begins = BEGIN in flags or MIDDLE in flags
    for flag in flags:
        for strip, add, result_flags, cond in rules.get(flag, ()):
            if not (BEGIN in result_flags or MIDDLE in result_flags):
                continue
            if cond.search(word) and word.endswith(strip):
                form = word[: len(word) - len(strip)] + add
                if form == word:
                    begins = True
                elif LETTERS.fullmatch(form):
                    forms.add(form)
    return forms, begins


ONLY_IN_COMPOUND = "Z"


def read_dic(dic: Path, rules) -> tuple[dict[str, tuple[set[str], bool, bool]], set[str]]:
    """(word → (linking forms, begins, ends) for the lower-case words that compound, the words
    that exist only inside compounds, like "skol" of "skola")."""
    out: dict[str, tuple[set[str], bool, bool]] = {}
    bound: set[str] = set()
    lines = dic.read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        word, _, flags = line.strip().partition("/")
        if not LETTERS.fullmatch(word) or len(word) < 2:
            continue
        forms, begins = linking_forms(word, flags, rules)
        ends = END in flags
        if ONLY_IN_COMPOUND in flags:
            bound.add(word)
        old = out.get(word)
        if old:
            forms |= old[0]
            begins, ends = begins or old[1], ends or old[2]
        out[word] = (forms, begins, ends)
    return out, bound


def corpus_texts(corpus: Path):
    """Text of every document in our corpus (parsed with the project's own parsers)."""
    from ingest.model import ParseError
    from ingest.parse.registry import parse
    from ingest.pipeline.runner import collect

    for path in collect([corpus / "bulk" / "regeringen", corpus / "real", corpus / "seeds"]):
        try:
            yield parse(path.read_bytes(), path.name).text
        except (ParseError, Exception):  # a file our parsers reject simply does not count
            continue


def lemma_counts(corpus: Path) -> Counter:
    import simplemma

    surface: Counter = Counter()
    for text in corpus_texts(corpus):
        surface.update(w.lower() for w in WORD.findall(text))
    lemmas: Counter = Counter()
    for word, n in surface.items():
        lemmas[simplemma.lemmatize(word, lang="sv").lower()] += n
        if lemmas.get(word) is None:
            lemmas[word] += 0
    return lemmas


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dic", type=Path, default=Path("/usr/share/hunspell/sv_SE.dic"))
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=ROOT / "index" / "data" / "lexicon-sv.txt.gz")
    args = ap.parse_args()
    if not args.dic.is_file():
        print(f"{args.dic} not found: apt-get install -y hunspell-sv", file=sys.stderr)
        return 1
    rules = read_affixes(args.dic.with_suffix(".aff"))
    words, bound = read_dic(args.dic, rules)
    counts = lemma_counts(args.corpus)
    lines = []
    for word in sorted(words):
        forms, begins, ends = words[word]
        freq = counts.get(word, 0)
        if word in bound:  # "skol" counts as often as "skola"
            freq = max(freq, *(counts.get(word + v, 0) for v in "aeo"))
        roles = ("B" if begins else "") + ("E" if ends else "")
        if not (roles or forms or freq):
            continue  # neither compounds nor occurs in our corpus
        lines.append(f"{word}\t{freq}\t{roles}\t{','.join(sorted(forms))}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("\n".join(lines) + "\n")
    print(f"{args.out}: {len(lines)} words, {args.out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
