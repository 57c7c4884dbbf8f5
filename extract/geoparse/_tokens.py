"""Tokens for recognition: words with offsets and capitalization evidence, sentences, and the
mentions recognition finds in them.

Case is evidence only where it carries information: not at a sentence start, and not on an
all-caps or Title Case line (a headline, wire copy), whose tokens are ``caseless_line``; a text
with no capital letter at all is read as caps copy is, every word a possible name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geodata.normalize import name_key

__all__ = ["Mention", "Token", "joinable", "sentence_bounds", "tokenize"]

# abbreviations first ("U.S.", "W.Va.", "B.C."), then words with inner apostrophes
_TOKEN = re.compile(
    r"(?:[A-Z][a-z]{0,2}\.[ ]?){1,3}[A-Z][a-z]{0,2}\.(?![A-Za-z])"
    r"|[^\W\d_](?:[\w&]|[’'](?![sS]\b)(?=\w))*"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\S)")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str
    upper: bool  # begins with an uppercase letter
    cased: bool  # capitalized where case carries information (not sentence-initial, not caps)
    caseless_line: bool = False  # on an all-caps or Title Case line


# words a full stop follows without ending the sentence ("Gen. Smith", "Mt. Kenya", "Aug. 5")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr st mt ft gen col lt sgt capt maj cmdr adm gov sen rep rev prof jr sr no nos
    vs jan feb mar apr jun jul aug sep sept oct nov dec est approx dept univ corp inc co ltd
    u.s u.n u.k e.u""".split()
)
_WORD_BEFORE = re.compile(r"(?:^|[\s(\"“])([\w.]+)\.[\"”’)\]]*\s*$")


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of sentences (a fast heuristic splitter).

    A full stop after an abbreviation ("Gen.", "Mt.", "Aug.", "U.N.") or an initial ("J.")
    ends no sentence, and a line break inside hard-wrapped all-caps wire copy (a long line that
    ends without punctuation, followed by another caps line) joins the lines."""
    return list(_sentence_bounds(text))


@lru_cache(maxsize=4)  # tokenizing, recognizing and reading incidents ask for the same text
def _sentence_bounds(text: str) -> tuple[int, ...]:
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        before = text[max(0, m.start() - 12) : m.start() + 1]
        if "\n" not in m.group(0):
            w = _WORD_BEFORE.search(before)
            if w is not None:
                word = w.group(1).lower()
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
        elif _wrapped(text, m.start(), m.end()):
            continue
        starts.append(m.end())
    return tuple(starts)


def _wrapped(text: str, brk: int, nxt: int) -> bool:
    """A line break inside a sentence of hard-wrapped all-caps copy."""
    if text[brk:nxt].count("\n") != 1:
        return False  # a blank line ends a paragraph
    line_start = text.rfind("\n", 0, brk) + 1
    line = text[line_start:brk].rstrip()
    nxt_line = text[nxt : text.find("\n", nxt) if "\n" in text[nxt:] else len(text)]
    if len(line) < 50 or line[-1:] in ".!?:;\"”'’]|" or not nxt_line:
        return False
    return line.upper() == line and nxt_line.upper() == nxt_line


_LOWER = re.compile(r"[a-z]+")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_ENDS = (".", "!", "?", '."', ".”", "!”", "?”")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_INITIAL_GAP = re.compile(r"[.!?:;\"“”‘\n•|]\s*[\"“‘(]*$")


def _line_modes(text: str) -> list[tuple[int, bool]]:
    """(line start, caseless) for each line: all-caps or Title Case lines carry no case cue."""
    modes = []
    pos = 0
    for line in text.split("\n"):
        n_letters = sum(map(str.isalpha, line))
        caseless = False
        # letters other than a–z (capitals, and accented ones): counted by difference, for
        # speed
        if n_letters >= 8 and (n_letters - sum(map(len, _LOWER.findall(line)))) / n_letters > 0.6:
            caseless = True
        else:
            words = _LONG_WORD.findall(line)
            capitalized = sum(w[0].isupper() for w in words)
            if len(words) >= 3 and capitalized / len(words) > 0.75:
                # a headline; but a sentence that ends in a full stop with two lower-case
                # words ("Deputies … searched Lakeland and Bartow.") is running text
                caseless = not (
                    len(words) - capitalized >= 2 and line.rstrip().endswith(_SENTENCE_ENDS)
                )
        modes.append((pos, caseless))
        pos += len(line) + 1
    return modes


def tokenize(text: str) -> list[Token]:
    """Word tokens with offsets and capitalization evidence."""
    modes = _line_modes(text)
    # a text with no capital letter at all (a chat message, a search) carries no case cue:
    # read it as caps copy is read, every word a possible name
    lower = not any(c.isupper() for c in text) and len(_LETTER.findall(text)) >= 8
    if lower:
        modes = [(pos, True) for pos, _ in modes]
    sentence_starts = set(sentence_bounds(text))
    tokens: list[Token] = []
    prev_end = 0
    line, n_lines = 0, len(modes)  # tokens come in order: walk the lines along with them
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        word = m.group()
        upper = word[0].isupper() or (lower and word[0].isalpha())
        while line + 1 < n_lines and modes[line + 1][0] <= s:
            line += 1
        caseless = modes[line][1]
        gap = text[prev_end:s]
        initial = (
            not tokens or s in sentence_starts or (gap != " " and bool(_INITIAL_GAP.search(gap)))
        )
        tokens.append(
            Token(s, e, word, _key(word), upper, upper and not caseless and not initial, caseless)
        )
        prev_end = e
    return tokens


@lru_cache(maxsize=1 << 16)
def _key(word: str) -> str:
    """:func:`name_key` of one word; news repeats its words, so they are folded once."""
    return name_key(word)


def joinable(text: str, left: Token, right: Token) -> bool:
    gap = text[left.end : right.start]
    if gap in (" ", "-", "-", " - ", "&", " & "):
        return True
    if left.key in ("st", "ft", "mt") and gap in (". ", "."):
        return True
    if gap == "\n" and left.caseless_line and right.caseless_line:
        return True  # a name wrapped over two lines of all-caps wire copy ("SANTA\nCRUZ")
    if (
        gap == "\n"
        and left.upper
        and right.upper
        and not (left.caseless_line or right.caseless_line)
    ):
        return True  # a hard-wrapped line inside a name ("San\nFrancisco"); not a headline's end
    return gap.strip() == "" and "\n" not in gap and len(gap) <= 2


@dataclass(slots=True)
class Mention:
    """A recognized place-name span and its gazetteer candidates (entry indices)."""

    start: int
    end: int
    text: str
    candidates: list[int] = field(default_factory=list)
    demonym: int | None = None
    cue: str | None = None
    cased: bool = True
    qualifier: bool = False
    sentence: int = 0
    first_token: int = 0
    last_token: int = 0
