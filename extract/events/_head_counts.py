"""Head counts in news text: number words, vague quantities and the people they count.

Casualty rules (:mod:`extract.events.casualties`) need to know where a number phrase is and what it
is worth: "at least six", "1,200", "dozens", "between 5 and 7", "a 16-year-old boy", "two
Ukrainian soldiers". This module holds the tables an analyst reviews (number words,
:data:`VAGUE_COUNTS`, person nouns and plurals that are not people), the regex fragments built
from them (``NUM``, ``VICTIM``, ``ITEM`` …, uncompiled so that casualty patterns can embed
them), :func:`parse_number`, which reads a phrase's value, and :func:`is_head_count`, which
tells a head count from a unit, a date or a year.
"""

from __future__ import annotations

import re

from extract.events._case_fold import CASE_TWINS

__all__ = [
    "ADJ",
    "DEFINITE",
    "FOLLOWED_BY_NUMBER",
    "HEAD",
    "ITEM",
    "LISTED",
    "NOUN_GROUP",
    "NUM",
    "ONE_PERSON",
    "QUAL",
    "SING",
    "STOP",
    "TENS_RE",
    "UNIT_RE",
    "VAGUE_COUNTS",
    "VICTIM",
    "is_head_count",
    "parse_number",
]

_F = re.IGNORECASE

# ------------------------------------------------------------------ tables an analyst reviews

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES.update({w: 10 * i for i, w in enumerate(_TENS, 2)})
_WORD_VALUES["both"] = 2  # "both were killed", "both bodies": exact, not vague

#: Values for vague quantities. ACLED codes "tens" as 10, "dozens" as 12 and "hundreds" as 100;
#: "several"/"many"/"numerous" take 3 (the smallest plural that is more than "a couple"), "a few"
#: and "a couple" 2, "scores" 20 (one score), "thousands" 1000.
VAGUE_COUNTS: dict[str, int] = {
    "half a dozen": 6,
    "a dozen": 12,
    "dozens": 12,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "tens": 10,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
    "several": 3,
    "many": 3,
    "numerous": 3,
    "a few": 2,
    "a couple": 2,
}

# Person nouns, singular; plurals are derived (-man → -men, -y → -ies, else -s/-es). They make
# "a terrorist", "one extremist" a head count of one and let a list be summed.
_PERSON_WORDS = """
man woman child boy girl baby infant toddler teenager youth minor person civilian soldier
serviceman servicewoman conscript recruit sergeant lieutenant captain colonel commander officer
policeman policewoman patrolman gendarme guard bodyguard watchman agent fighter militant
insurgent rebel guerrilla terrorist extremist subversive jihadist militiaman combatant gunman
attacker assailant bomber kidnapper suspect journalist reporter photographer cameraman resident
villager inhabitant local citizen foreigner tourist student pupil teacher worker employee
labourer laborer farmer peasant campesino herder herdsman shepherd fisherman trader merchant
shopkeeper vendor businessman businesswoman driver motorist motorcyclist cyclist passenger
pedestrian bystander passerby protester demonstrator activist member leader chief elder official
politician lawmaker deputy congressman senator mayor councillor councilor governor minister judge
prosecutor lawyer doctor nurse medic paramedic priest pastor imam cleric monk nun missionary
worshipper pilgrim refugee migrant patient prisoner inmate hostage detainee informant victim
relative pensioner husband wife son daughter father mother brother sister nephew niece cousin
uncle aunt grandson granddaughter grandfather grandmother sailor marine pilot firefighter
rescuer volunteer miner thief robber bandit criminal smuggler poacher
""".split()
# nouns that are plural as they stand
_PLURAL_ONLY = "people troops personnel staff crew police elderly others individuals".split()
# plurals that are not head counts: units, time, weapons, things, animals, places, events
_NOT_PERSONS = """
hours days weeks months years minutes seconds times km kilometres kilometers miles metres meters
sq square percent tonnes tons acres hectares dollars euros rounds shells missiles rockets drones
bombs mines grenades shots bullets weapons rifles guns vehicles cars trucks tanks buses houses
homes buildings shops schools hospitals animals cattle cows sheep goats camels livestock villages
towns cities areas districts provinces regions attacks incidents clashes strikes raids blasts
explosions operations bodies cases
""".split()

# ------------------------------------------------------------------------ number phrases

_W = r"(?![\w-])"  # end of a number word: not "three-year-old", not "fivefold"
UNIT_RE = "|".join(sorted(_UNITS[1:], key=len, reverse=True))
TENS_RE = "|".join(_TENS)
_WORDNUM = (
    rf"(?:(?:a|one|{UNIT_RE})\s+hundred(?:\s+(?:and\s+)?(?:(?:{TENS_RE})(?:[-\s](?:{UNIT_RE}))?"
    rf"|{UNIT_RE}))?|(?:{TENS_RE})(?:[-\s](?:{UNIT_RE}){_W})?|{UNIT_RE}|both){_W}"
)
_DIGITS = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\w]|[.,]\d|-(?!\d))"
_VAGUE_RE = "|".join(
    re.escape(k).replace(r"\ ", r"\s+") for k in sorted(VAGUE_COUNTS, key=len, reverse=True)
)
_CORE = rf"(?:{_DIGITS}|(?:{UNIT_RE})\s+dozen{_W}|(?:{_VAGUE_RE}){_W}(?:\s+of)?|{_WORDNUM})"
QUAL = (
    r"(?:(?:at\s+least|more\s+than|over|about|around|nearly|almost|some|up\s+to|as\s+many\s+as"
    r"|approximately|roughly|an\s+estimated|close\s+to|upwards\s+of|a\s+total\s+of|another"
    r"|an\s+additional|fewer\s+than|less\s+than|at\s+most|only|just|a\s+further)\s+)"
)


def _plural(word: str) -> str:
    """Regex for the singular and plural of a person noun."""
    if word.endswith("man"):
        return word[:-3] + "m[ae]n"
    if word == "child":
        return "child(?:ren)?"
    if word == "wife":
        return "wi(?:fe|ves)"
    if word == "passerby":
        return "passers?-?by"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "(?:y|ies)"
    return word + ("(?:es)?" if word.endswith(("s", "sh", "ch", "x")) else "s?")


_BY_LENGTH = sorted(_PERSON_WORDS, key=len, reverse=True)
SING = rf"(?:{'|'.join(_BY_LENGTH)}|police\s*officer)"
# words that may stand between a number and its noun ("six Ukrainian soldiers") but not
# function words or units ("two weeks after civilians were killed" is not two casualties)
STOP = (
    r"(?:million|billion|thousand|and|or|but|after|before|while|when|where|who|which|that|in|on"
    r"|at|by|for|with|from|of|the|a|an|to|since|ago|were|was|is|are|have|has|had|been|as|than"
    r"|said|says|including"
    r"|hours?|days?|weeks?|months?|years?|minutes?|km|kilometres?|kilometers?|miles?|metres?"
    r"|meters?|sq|square|percent|per|times|bodies|another)\b"
)
_NOT_HEAD = rf"(?:{STOP}|(?:{'|'.join(_NOT_PERSONS)})\b)"
HEAD = (
    rf"(?:(?:{'|'.join(map(_plural, _BY_LENGTH))}|{'|'.join(_PLURAL_ONLY)}"
    r"|[a-z]+(?:ians|ans|is|ese))\b"  # + "Palestinians", "Sudanese"
    rf"|(?!{_NOT_HEAD})[a-z][\w'’-]*s\b)"  # any other plural: "subversives", "Jesuits"
)
LISTED = re.compile(
    rf"(?:{'|'.join(map(_plural, _BY_LENGTH))}|{'|'.join(_PLURAL_ONLY)})\b", _F
)  # a person noun of the tables, not just any plural
ADJ = rf"(?!{STOP})[a-z][\w'’-]*|\d+-year-old|(?-i:IS)"  # "5 IS militants": not "is"
ONE_PERSON = rf"(?:a|an|one|another)\s+(?:(?:{ADJ})\s+){{0,2}}{SING}\b"  # "a 16-year-old boy"
# "his driver", "the pilot": one person, counted as such only inside a list of victims
DEFINITE = rf"(?:his|her|their|the)\s+(?:(?:{ADJ})\s+){{0,2}}{SING}\b(?!['’]s)"
NUM = (
    rf"(?:{QUAL}?(?:between\s+{_CORE}\s*(?:and|to|-|–)\s*{_CORE}|{ONE_PERSON}"
    rf"|{_CORE}(?:\s*(?:-|–|to|or)\s*{_CORE})?))"
)
NOUN_GROUP = rf"(?:\s+(?:{ADJ})){{0,3}}\s+{HEAD}"
VICTIM = rf"(?P<num>{NUM})(?:\s+more)?(?P<noun>{NOUN_GROUP})?"
# one member of a coordinated list: a noun is required
ITEM = rf"(?:{QUAL}?{ONE_PERSON}|{DEFINITE}|{NUM}{NOUN_GROUP})"

# the next word after a bare number that shows it is not a head count
_NOT_PEOPLE = re.compile(
    rf"\s*(?:{'|'.join(_NOT_PERSONS)}|million|billion|thousand|hour|day|week|month|year"
    r"|minute|km|mile|metre|meter"
    r"|%|another|round|shell|missile|rocket|drone|tonne|ton|[ap]\.?m|o['’]clock|gmt|utc|hrs"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b",
    re.IGNORECASE,
)
FOLLOWED_BY_NUMBER = re.compile(rf"\s+{QUAL}?(?:\d|(?:{UNIT_RE}|{TENS_RE}|a|an){_W})", re.I)


def parse_number(phrase: str) -> int | None:
    """The head count in a number phrase, or ``None`` if it has none.

    Parameters
    ----------
    phrase
        e.g. ``"at least six"``, ``"1,200"``, ``"dozens"``, ``"between 5 and 7"``,
        ``"a man"``, ``"two civilians"``, ``"half a dozen"``.

    Returns
    -------
    int or None
        The stated number, ignoring qualifiers ("at least six" → 6, "more than 20" → 20,
        "up to 10" → 10); the lower bound of a range ("between 5 and 7", "between 160-200",
        "5-7", "5 or 6" → the first); :data:`VAGUE_COUNTS` for vague words ("dozens" → 12,
        "several" → 3, "hundreds" → 100); 1 for a singular person ("a man", "one person").
    """
    # matching is case-insensitive, so "ſix" matched a number word: fold it before the lookup
    full = " ".join(phrase.translate(CASE_TWINS).lower().replace("–", "-").split())
    text = _QUAL_RE.sub("", full, count=1)  # "as many as 10" is 10, not "many"
    found = (_core_value(m.group(0)) for m in _CORE_RE.finditer(text))
    values = [v for v in found if v is not None]  # "Fatalities: 0" is a figure
    if values:
        return min(values) if re.search(r"\b(?:to|or|and)\b|\d\s*-\s*\d", text) else values[0]
    if re.match(ONE_PERSON, full, _F):  # "another soldier": the qualifier is its determiner
        return 1
    return None


_CORE_RE = re.compile(_CORE, _F)
_QUAL_RE = re.compile(rf"^{QUAL}", _F)


def _core_value(token: str) -> int | None:
    """Value of one :data:`_CORE` match (already lower-cased and space-normalized)."""
    token = re.sub(r"\s+of$", "", token.strip())
    if token[0].isdigit():
        return int(token.replace(",", ""))
    if token in VAGUE_COUNTS:
        return VAGUE_COUNTS[token]
    words = token.replace("-", " ").replace(" and ", " ").split()
    if words[-1] == "dozen":
        return 12 * _WORD_VALUES.get(words[0], 1)
    total = 0
    for i, word in enumerate(words):
        if word == "hundred":
            total = 100 * (_WORD_VALUES.get(words[i - 1], 1) if i else 1)
        elif word in _WORD_VALUES and not (i + 1 < len(words) and words[i + 1] == "hundred"):
            total += _WORD_VALUES[word]
    return total or None


def is_head_count(sentence: str, m: re.Match[str], group: str = "num") -> bool:
    """Whether a casualty pattern's number is a head count, not a unit, a date or a year.

    Parameters
    ----------
    sentence
        The text ``m`` matched in.
    m
        A match of a pattern with a number group (and maybe a ``noun`` group: with a victim
        noun, the number counts people).
    group
        The name of the number group.

    Returns
    -------
    bool
        False for a bare number followed by a unit or a month ("24 hours", "5 km", "3 May")
        and for a bare year (1900-2100); True otherwise.
    """
    if "noun" in m.re.groupindex and m.group("noun"):
        return True
    if _NOT_PEOPLE.match(sentence, m.end(group)):
        return False
    num = m.group(group)
    return not (num.isdigit() and len(num) == 4 and 1900 <= int(num) <= 2100)
