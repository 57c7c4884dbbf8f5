"""Sentences and clauses of an article, the units incidents are read from.

A sentence is split into clauses at conjoined main clauses, dashes, semicolons and
subordinators (:func:`split_clauses`); each clause is a :class:`Clause` with its offset in the
article and, once parsed, its casualty figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extract.events.casualties import parse_casualties
from extract.geoparse._tokens import sentence_bounds

__all__ = ["Clause", "combined_casualties", "sentences", "split_clauses"]

# clause boundaries: conjoined main clauses, dashes, semicolons, subordinators. A leading
# ``\s+`` only starts at the first space of a run, (?<!\s): otherwise a long run of spaces is
# rescanned from each of its positions (quadratic; 10,000 spaces took seconds). The leftmost
# match is the same, since a match inside a run also matches from the run's start.
_CLAUSE_SPLIT = re.compile(
    r";\s+|(?<!\s)\s+[–—]\s+|(?<!\s)\s+--\s+|,\s+(?:and|but|while|whereas|which|who)\s+"
    r"|(?<!\s)\s+(?:while|whereas)\s+"
    r"|,?(?<!such)(?<!well)(?<!known)(?<!same)(?<!\bso)(?<!\s)\s+as\s+(?!well\b|part\b"
    r"|a result\b|long\b|much\b|many\b|soon\b|far\b|if\b|though\b|of\b|such\b|usual\b"
    r"|before\b|ever\b|a\s+\w+\s+(?:of|for|to)\b)"
    r"|,?(?<!\s)\s+(?:after|following)\s+(?=(?:the|a|an|[A-Z]|\w+s\b))|,?(?<!\s)\s+when\s+"
)


@dataclass(slots=True)
class Clause:
    """One clause of a sentence."""

    text: str
    start: int  # offset in the article
    sentence_start: int
    sentence_end: int
    sentence_no: int
    cas: Any = None  # its Casualties, parsed once


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-empty sentence, without surrounding spaces."""
    starts = sentence_bounds(text)
    bounds = []
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        seg = text[a:b]
        stripped = seg.rstrip()
        lead = len(seg) - len(seg.lstrip())
        if stripped.strip():
            bounds.append((a + lead, a + len(stripped)))
    return bounds


def combined_casualties(clauses: list[Clause]) -> Any:
    """The sentence's figures: the first clause that states any."""
    for c in clauses:
        if c.cas is not None and (c.cas.fatalities is not None or c.cas.injured is not None):
            return c.cas
    return clauses[0].cas if clauses else parse_casualties("")


def split_clauses(text: str, s_start: int, s_end: int, no: int) -> list[Clause]:
    """The clauses of sentence ``no`` (``text[s_start:s_end]``), in order."""
    sentence = text[s_start:s_end]
    out = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        if m.start() > pos:
            out.append(Clause(sentence[pos : m.start()], s_start + pos, s_start, s_end, no))
        pos = m.end()
    if pos < len(sentence):
        out.append(Clause(sentence[pos:], s_start + pos, s_start, s_end, no))
    return out
