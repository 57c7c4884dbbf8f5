"""English word statistics that the gazetteer index carries for the recognizer.

A place name that is also a common English word ("Police", "Mill") or a given name
("Michael", "Jordan") needs more evidence before it is read as a place. These lists are
computed once, when an index is built (:func:`geodata.gazetteer.index.build_index`, and for added
dumps :mod:`geodata.gazetteer.added_sources`), from the wordfreq, english-words and gender-guesser
packages, and stored with the index so that loading it needs none of them.
"""

from __future__ import annotations

import logging

__all__ = ["build_word_stats", "english_given_names", "english_word_frequencies"]

logger = logging.getLogger(__name__)


def build_word_stats(keys) -> tuple[dict[str, float], list[str]]:
    """English word frequencies of one-word place keys, and a list of given names.

    Both are computed once at build time from ``wordfreq`` and ``gender-guesser`` so that the
    recognizer can tell "Police said" from Police (Poland) and "Michael Jordan" from Jordan.
    """
    common: dict[str, float] = {}
    try:
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - listed in requirements
        logger.warning("wordfreq/english-words missing: common-word filtering disabled")
    else:
        # words a dictionary writes in lower case: "police", "march", not "cambridge"
        lower = {
            w
            for w in get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
            if w.islower()
        }
        for key in keys.keys():
            if " " in key or not key.isalpha():
                continue
            if key not in lower and not any(
                key.endswith(suf) and key[: -len(suf)] + add in lower
                for suf, add in (
                    ("s", ""),
                    ("es", ""),
                    ("ies", "y"),
                    ("ed", ""),
                    ("ed", "e"),
                    ("ing", ""),
                    ("ing", "e"),
                    ("ers", ""),
                    ("er", ""),
                )
            ):
                continue
            z = zipf_frequency(key, "en")
            if z >= 3.0:
                common[key] = round(z, 2)
    given: list[str] = []
    try:
        import gender_guesser.detector as gd

        given = sorted({n for n in gd.Detector(case_sensitive=False).names if n.isalpha()})
    except ImportError:  # pragma: no cover
        logger.warning("gender-guesser missing: person-name filtering weakened")
    return common, given


def english_given_names() -> list[str]:
    """Given names in use in Britain, Ireland or the United States ("Keith", "Kyle", "Levi").

    gender-guesser keeps, for each name, a frequency per country whose first three columns are
    Great Britain, Ireland and the USA. An English text's "Levi" is a person before it is a
    Canadian city's alternate spelling, while "Singa" or "Rashid" may well be the town.
    """
    try:
        import gender_guesser.detector as gd
    except ImportError:  # pragma: no cover - listed in requirements
        return []
    found: set[str] = set()
    for name, by_gender in gd.Detector(case_sensitive=False).names.items():
        if name.isalpha() and any(freq[:3].strip() for freq in by_gender.values()):
            found.add(name)
    return sorted(found)


def english_word_frequencies() -> dict[str, float]:
    """Zipf frequencies of the English words a dictionary writes in lower case ("instead",
    "navy"), 3.0 and up: a capitalized one in a place frame ("Instead county …", "the Navy")
    is a sentence's first word or an institution, not a village the index lacks."""
    try:
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - listed in requirements
        return {}
    found: dict[str, float] = {}
    # sorted: the package gives a set, and the index's bytes should not depend on hash order
    for word in sorted(get_english_words_set(["web2", "gcide"], lower=False, alpha=True)):
        if word.islower() and (z := zipf_frequency(word, "en")) >= 3.0:
            found[word] = round(z, 2)
    return found
