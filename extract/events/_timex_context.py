"""The clause around a date in :mod:`extract.events.timex`: its tense and its reporting cues.

A date that could point either way ("on Wednesday", "in December") is read as past unless its
clause holds a future marker nearer to it than any past-tense one (:class:`Ctx`,
``Ctx.future``). The other patterns here look at the words right around a date: a reporting
verb ("…, officials said"), "since", and a determiner or event noun that makes the date
attributive ("the 2022 invasion"). See :mod:`extract.events.timex` for how they are used.
"""

from __future__ import annotations

import re
from datetime import date

from extract.events._timex_patterns import EVENT_NOUN_AFTER

__all__ = [
    "ATTR_DET_BEFORE",
    "ATTR_NOUN_AFTER",
    "POSSESSIVE_AFTER",
    "REPORT_AFTER",
    "REPORT_BEFORE",
    "SINCE_BEFORE",
    "Ctx",
]

_F = re.IGNORECASE

_FUTURE_MARK = (
    r"will|won['’]t|shall|['’]ll|(?-i:may)|might|should|would(?!\s+(?:not\s+)?have\b)"
    r"|going\s+to|(?:is|are|am)\s+(?:not\s+)?(?:(?:due|set|scheduled|expected|slated|poised|"
    r"about|planning|preparing|going)\s+)?to|plans?\s+to|planning\s+to|planned|"
    r"intends?\s+to|aims?\s+to|hopes?\s+to|seeks?\s+to|wants?\s+to|vow(?:s|ed)?\s+to|"
    r"pledge[sd]?\s+to|promise[sd]?\s+to|threaten(?:s|ed)?\s+to|agree[sd]?\s+to|expected|"
    r"scheduled|slated|upcoming|to\s+be\s+held|to\s+take\s+place"
)
_PAST_WORDS = (
    r"said|says|say|told|tells|was|were|had|did|went|came|took|left|met|held|began|fought|"
    r"struck|shot|fell|broke|saw|made|gave|spoke|won|lost|fled|led|sent|brought|caught|found|"
    r"rose|ran|hit|wrote|threw|drove|flew|blew|tore|beat|spent|sought|swept|stood|overran|"
    r"became|got|kept|lay|laid|paid|hid|felt|heard|knew|sank|sold|stole|stuck|swore|thought|"
    r"woke|ago|yesterday"
)
_NOT_VERBS = r"hundred|united|red|bed|sacred|naked|wicked|beloved|ahmed|mohammed|mohamed|hamed"
_TENSE = re.compile(
    rf"(?P<fut>\b(?:{_FUTURE_MARK})\b)"
    rf"|(?P<past>\b(?<!\bbe\s)(?<!\bbeen\s)(?<!\bbeing\s)"
    rf"(?:(?:{_PAST_WORDS})\b|(?!(?:{_NOT_VERBS})\b)\w+[^\We]ed\b))",
    _F,
)
_LAST_BREAK = re.compile(r".*(?:[;!?\n\"“”,]|[.:](?=\s+[A-Z]))", re.S)
_NEXT_BREAK = re.compile(r"[;!?\n\"“”,]|[.:](?=\s+[A-Z])|[.:]\s*$")
_WINDOW = 120

REPORT_BEFORE = re.compile(
    r"\b(?:said|says|say|told\s+(?:[\w.'’-]+\s+){1,3}?|added|stated|announced|confirmed|"
    r"reported|wrote|tweeted|posted|warned|claimed|insisted|noted|acknowledged|denied|"
    r"statement|briefing|interview|conference)\s*,?\s*$",
    _F,
)
REPORT_AFTER = re.compile(r"\s*,\s*(?:[\w.'’-]+\s+){0,4}?(?:said|says|told)\b", _F)
SINCE_BEFORE = re.compile(r"\bsince\s+$", _F)
# A determiner right before a date that modifies a noun: "the 2022 invasion", "Russia's 2014
# annexation", "a March 2023 raid".
ATTR_DET_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|this|that|these|those)|\w['’]s)\s+$", _F
)
ATTR_NOUN_AFTER = re.compile(EVENT_NOUN_AFTER, _F)
POSSESSIVE_AFTER = re.compile(r"['’]s\b|(?<=s)['’](?!\w)")


def _tense(text: str, start: int, end: int) -> bool | None:
    """``True`` for a future clause, ``False`` for a past one, ``None`` when unmarked."""
    lo = max(0, start - _WINDOW)
    window = text[lo:start]
    brk = _LAST_BREAK.match(window)
    clause = window[brk.end() :] if brk else window
    last = None
    for mark in _TENSE.finditer(clause):
        last = mark
    if last is not None:
        return last.lastgroup == "fut"
    after = text[end : end + _WINDOW].lstrip(" \t,")
    brk2 = _NEXT_BREAK.search(after)
    if brk2:
        after = after[: brk2.start()]
    first = _TENSE.search(after)
    if first is not None:
        return first.lastgroup == "fut"
    return None


class Ctx:
    """The text being scanned and its publication date."""

    __slots__ = ("text", "pub")

    def __init__(self, text: str, pub: date | None) -> None:
        self.text = text
        self.pub = pub

    def future(self, m: re.Match[str]) -> bool:
        return _tense(self.text, m.start(), m.end()) is True
