"""Name normalization shared by the gazetteer index and the recognizer.

Two keys per name: :func:`name_key` (case, accents, punctuation folded) for exact lookups and
:func:`skeleton_key` (transliteration variants folded as well) for a looser second lookup, so
"Zaporizhzhia", "Zaporizhzhya" and "Zaporizhia" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["is_latin", "name_key", "skeleton_key"]

_APOSTROPHES = str.maketrans("", "", "'’‘`ʼʹ.")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/]+")
_NON_ALNUM = re.compile(r"[^a-z0-9 &]")
# Romanization variants of Cyrillic and other scripts, applied in order.
_SKELETON_RULES = [
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"zh"), "z"),
    (re.compile(r"sch|shch"), "s"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"ch|tch|tsch"), "c"),
    (re.compile(r"ts|tz"), "c"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"ie|ii|ia"), lambda m: m.group(0)[-1]),
    (re.compile(r"(.)\1+"), r"\1"),
]


def _fold_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    if folded.isascii():
        return folded
    try:  # lazily: anyascii is only needed for a few names
        from anyascii import anyascii
    except ImportError:  # pragma: no cover - listed in requirements
        return folded
    return anyascii(folded)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key of a name ("St. John's" → "st johns")."""
    text = _fold_accents(name).translate(_APOSTROPHES).lower()
    text = _SEPARATORS.sub(" ", text)
    text = _NON_ALNUM.sub("", text)
    return " ".join(text.split())


def skeleton_key(name: str) -> str:
    """A looser key that also folds transliteration variants ("Zaporizhzhya" → "zaporizia")."""
    key = name_key(name).replace(" ", "")
    for pattern, repl in _SKELETON_RULES:
        key = pattern.sub(repl, key)
    return key


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin script (so it can appear in English text)."""
    for ch in name:
        if (
            ch.isalpha()
            and unicodedata.category(ch) != "Lm"
            and "LATIN" not in unicodedata.name(ch, "")
        ):
            return False
    return any(ch.isalpha() for ch in name)
