"""The temporal vocabulary and the compiled date patterns of :mod:`extract.events.timex`.

Weekday and month names (months case-sensitive: "May" is a month, "may" a verb), number words,
event nouns that a date can modify ("the 2022 invasion"), and one compiled pattern per kind of
temporal expression (``P_ISO`` "2024-11-05", ``P_MDY`` "Nov. 5, 2024", ``P_AGO`` "two days
ago" …). The patterns only find and take apart expressions; turning a match into dates is
:mod:`extract.events._timex_rules`' task. Every pattern is compiled once at import.
"""

from __future__ import annotations

import re

__all__ = [
    "EVENT_NOUN_AFTER",
    "NUM_WORDS",
    "P_AGO",
    "P_DAY_OF_MONTH",
    "P_DEICTIC",
    "P_DMY",
    "P_FUTURE_RANGE",
    "P_IN_N",
    "P_ISO",
    "P_MDY",
    "P_MONTH",
    "P_MONTH_YEAR",
    "P_NUMERIC",
    "P_PAST_RANGE",
    "P_RECENT",
    "P_REL_PERIOD",
    "P_WEEKDAY",
    "P_WEEKEND",
    "P_YEAR",
    "P_YEAR_ATTR",
    "WD_INDEX",
    "month_num",
]

_WD_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WD_INDEX = {name: i for i, name in enumerate(_WD_NAMES)}
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUM = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_MONTH_NUM.update(
    {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    }
)


def _month_alt(names: list[str]) -> str:
    """Regex alternatives for each name capitalised and in capitals ("May|MAY")."""
    return "|".join(v for w in names for v in (w.capitalize(), w.upper()))


# Case-sensitive: "May"/"MAY" are months, "may" is a modal verb. Only abbreviations take a dot.
_MONTH = (
    f"(?-i:(?:{_month_alt(list(_MONTH_NAMES))})\\b"
    f"|(?:{_month_alt(sorted(set(_MONTH_NUM) - set(_MONTH_NAMES), key=len, reverse=True))})"
    "\\b\\.?)"
)


def month_num(s: str) -> int:
    """The number (1-12) of a month name or abbreviation as matched ("Sept.", "MAY")."""
    return _MONTH_NUM[s.rstrip(".").lower()]


NUM_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "twenty-four": 24,
    "forty-eight": 48,
    "seventy-two": 72,
}
_FUZZY = r"a\s+few|a\s+couple(?:\s+of)?|couple\s+of|several|few|some"
_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,5}|"
    + _FUZZY
    + "|"
    + "|".join(
        w.replace("-", r"[-\s]") for w in sorted(NUM_WORDS, key=len, reverse=True) if len(w) > 2
    )
    + r"|an?)"
)
_UNIT = r"(?P<unit>hour|day|week|fortnight|month|year)(?P<pl>s)?"
_MOD = r"early|mid|late|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|close)\s+of"
_MODSEP = r"(?:\s*-\s*|\s+)"
_DAY_PREP = r"(?:\b(?P<prep>on|since|by|until|from)\s+)?"
_YEAR_TAIL = r"(?:,?\s+(?P<y>\d{4})(?![\d,.]\d)|,?\s+(?:of\s+)?(?P<ry>last|this|next)\s+year\b)"
# Two-digit years (see ``expand_year``). "Nov. 5, '24" is always a year. A bare "90" is one only
# straight after a day and a month ("3 JAN 90") and before punctuation or a line end: "on 3 January
# 90 people died" and "on Nov. 5, 24 people died" are counts.
_YY_APOS = r",?\s+['’](?P<yy>\d\d)(?![\d'’])"
_YY_DMY = (
    r"(?:,?\s+['’]|[ \t]+(?=\d\d[ \t]*(?:[;!?()\[\]\n]|[,.:](?!\d)|[-–—](?!\w)|$)))"
    r"(?P<yy>\d\d)(?![\d'’])"
)
_NOUNS = (
    r"people|persons|men|women|children|homes|houses|buildings|cases|troops|soldiers|"
    r"civilians|families|residents|refugees|dollars|euros|pounds|km|kilometres|kilometers|"
    r"miles|metres|meters|feet|tonnes|tons|votes|rounds|shells|rockets|drones|missiles"
)

# Nouns of events that a date can modify in passing: "the 2022 invasion", "the October 7
# attacks", "the March 2023 floods". A date right before one of them (after a determiner) names
# that event, usually a past one, rather than dating the sentence's news (``attributive``).
# Plurals in "s"/"es" are matched too.
_EVENT_NOUNS = (
    "agreement",
    "accord",
    "annexation",
    "assault",
    "attack",
    "blast",
    "bombing",
    "ceasefire",
    "clash",
    "conflict",
    "coup",
    "crackdown",
    "crises",
    "crisis",
    "deal",
    "disaster",
    "earthquake",
    "election",
    "explosion",
    "fighting",
    "flood",
    "genocide",
    "hostage-taking",
    "incursion",
    "insurgency",
    "invasion",
    "killing",
    "kidnapping",
    "massacre",
    "occupation",
    "offensive",
    "operation",
    "protest",
    "raid",
    "rebellion",
    "referendum",
    "revolution",
    "riot",
    "shooting",
    "siege",
    "strike",
    "takeover",
    "truce",
    "unrest",
    "uprising",
    "violence",
    "vote",
    "war",
)
_EVENT_NOUN = "(?:" + "|".join(sorted(_EVENT_NOUNS, key=len, reverse=True)) + ")(?:e?s)?"
# Up to two modifiers between the date and the noun ("the 2022 full-scale Russian invasion").
EVENT_NOUN_AFTER = rf"\s+(?:[\w-]{{1,20}}\s+){{0,2}}?{_EVENT_NOUN}\b"

_F = re.IGNORECASE


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F)


# --------------------------------------------------------------------------- patterns

P_ISO = _c(_DAY_PREP + r"(?<![\w-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)(?!-\d)")
P_NUMERIC = _c(
    _DAY_PREP + r"(?<![\w/.,])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"(?![\w/])(?!\.\d)"
)
P_MDY = _c(
    _DAY_PREP
    + rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<mon>{_MONTH})\s*"
    + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?![:.,]\d)"
    + f"(?:{_YEAR_TAIL}|{_YY_APOS})?"
)
P_DMY = _c(
    _DAY_PREP
    + rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?<![\d.,])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
    + rf"\s+(?:of\s+)?(?P<mon>{_MONTH})"
    + f"(?:{_YEAR_TAIL}|{_YY_DMY})?"
)
# "on the 20th" unless a noun follows ("on the 6th floor", caps "ON THE 6TH FLOOR"): a following
# word other than a function word is a noun when lower-case or, in caps copy, all caps.
P_DAY_OF_MONTH = _c(
    r"\b(?P<prep>on|since|by|until)\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b(?!-)"
    r"(?!\s+(?!(?:of|and|or|at|in|when|as|after|before|but|while|with|amid|following|near|to|"
    r"from|for|that|the|this|last)\b)(?-i:[a-z]|[A-Z]{2,}\b))"
)
P_MONTH = _c(
    rf"\b(?:(?P<prep>in|since|during|throughout|until|by|from)\s+(?:(?P<mod1>{_MOD}){_MODSEP})?"
    rf"|(?P<rel>last|next|this\s+past|this\s+coming|this)\s+|(?P<mod2>{_MOD}){_MODSEP})"
    rf"(?P<mon>{_MONTH})(?!\s*\d{{1,2}}\b)"
    r"(?:,?\s+(?:of\s+)?(?:(?P<y>\d{4})(?!\d)|(?P<ry>last|this|next)\s+year\b)"
    r"|,?\s+['’](?P<yy>\d\d)(?![\d'’]))?"
)
P_MONTH_YEAR = _c(
    rf"\b(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?:(?P<y>\d{{4}})(?![\d,.]\d)|['’](?P<yy>\d\d)(?![\d'’]))"
)
P_YEAR = _c(
    rf"\b(?:(?P<prep>in|since|during|throughout|until|by|from)\s+(?:(?P<mod1>{_MOD}){_MODSEP})?"
    rf"|(?P<mod2>{_MOD}){_MODSEP})"
    rf"(?P<y>(?:1[89]|20)\d\d)\b(?!\s*[-–/]\s*\d)(?![,.]\d)(?!\s+(?:{_NOUNS})\b)"
)
P_WEEKDAY = _c(
    r"\b(?:(?P<prep>on|since|by|until|from|through|over|during)\s+)?"
    r"(?:(?P<rel>last|next|this\s+past|this\s+coming|this|(?:the\s+)?coming)\s+)?"
    r"(?:(?P<pod1>late|early|overnight|(?:in\s+)?the\s+early\s+hours\s+of|"
    r"(?:on\s+)?the\s+(?:night|morning|evening)\s+of)\s+(?:on\s+)?)?"
    rf"(?P<wd>{_WEEKDAY})\b(?:\s+(?P<pod2>morning|afternoon|evening|night|overnight)\b)?"
)
# A year that modifies a noun: "2019's riots", "the 2022 invasion" (the determiner is checked
# by the resolver). Such a year names a past event in passing.
P_YEAR_ATTR = _c(
    r"(?<![\w$€£.,/-])(?P<y>(?:1[89]|20)\d\d)\b(?![.,]\d)"
    rf"(?=(?P<poss>['’]s\b)|{EVENT_NOUN_AFTER})"
)
P_DEICTIC = _c(
    r"\b(?:(?P<pre>earlier|later|early|late)\s+)?"
    r"(?:(?P<a>today|tonight)|this\s+(?P<pod>morning|afternoon|evening)"
    r"|(?P<b>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|tomorrow"
    r"|last\s+night|overnight)(?:\s+(?P<pod2>morning|afternoon|evening|night)\b)?)\b"
)
P_REL_PERIOD = _c(
    rf"\b(?:(?P<mod>{_MOD}){_MODSEP})?"
    r"(?P<rel>earlier\s+this|later\s+this|this\s+past|this\s+coming|last|next|this|the)\s+"
    r"(?P<unit>week|month|year)\b(?!\s+of\b)"
)
P_WEEKEND = _c(
    r"\b(?:(?P<rel>last|this\s+past|past|this\s+coming|this|next|coming)\s+weekend"
    r"|(?P<prep>over|at|on|during|throughout|through|since|across|for)\s+the\s+"
    r"(?:(?P<rel2>past|last|coming|next)\s+)?weekend)\b"
)
P_AGO = _c(
    r"\b(?:(?:more\s+than|over|about|around|nearly|almost|roughly|approximately|less\s+than|"
    r"under|just\s+over|just\s+under|only|just|barely)\s+)?"
    rf"(?:(?P<n>{_NUM})\s+)?{_UNIT}\s+ago\b"
)
P_PAST_RANGE = _c(
    r"\b(?:(?P<prep>in|over|during|for|throughout|within|across)\s+)?the\s+(?P<rel>past|last)\s+"
    rf"(?:(?P<n>{_NUM})\s+)?{_UNIT}\b(?!\s+of\b)(?!['’])"
)
P_FUTURE_RANGE = _c(
    r"\b(?:(?P<prep>in|over|during|for|within|throughout)\s+)?the\s+(?P<rel>coming|next)\s+"
    rf"(?:(?P<n>{_NUM})\s+)?{_UNIT}\b(?!\s+of\b)"
)
P_IN_N = _c(
    rf"\b(?:in|within)\s+(?P<n>{_NUM})\s+{_UNIT}(?P<time>['’]?\s+time\b)?"
    r"(?!\s+(?:of|ago|before|after|earlier|later|since|old)\b)(?!['’]\s*\w)"
)
P_RECENT = _c(
    r"\b(?:(?:in|over|during)\s+recent\s+(?P<unit>days|weeks|months|years|times)"
    r"|(?:(?:most|more|very|only|just|until)\s+)?(?:recently|lately)|of\s+late)\b"
)
