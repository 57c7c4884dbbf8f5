"""Case folding that keeps regex matches and word-table lookups in step.

The extractors match text case-insensitively and then look matched words up in tables keyed
by lower-case ASCII. Two tables make those agree: :data:`ASCII_LOWER` lower-cases ASCII letters
only, one character for one, so offsets in the folded text are offsets in the original; and
:data:`CASE_TWINS` folds the few non-ASCII letters that ``re.IGNORECASE`` treats as ASCII ones.
Used by :mod:`extract.events.timex`, :mod:`extract.events.casualties` and
:mod:`extract.events.actors`.
"""

from __future__ import annotations

__all__ = ["ASCII_LOWER", "CASE_TWINS"]

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# The only non-ASCII letters that re.IGNORECASE matches to ASCII ones: "ſunday" matches the
# weekday pattern but lower-cases to "ſunday", which misses the vocabulary tables (KeyError).
# Matching on text with these folded (one character for one, so offsets hold) makes the match
# and the table lookups agree.
CASE_TWINS = str.maketrans({"\u0130": "I", "\u0131": "i", "\u017f": "s", "\u212a": "K"})
