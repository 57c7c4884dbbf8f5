"""Casualty counts (fatalities, injured) from one sentence of news text.

Rule-based and ACLED-flavoured: when a sentence gives several figures for the same thing
("killed at least 10, officials said, while local media reported 15 dead") the lowest one is
kept, and vague quantities get ACLED-style fixed values (:data:`VAGUE_COUNTS`).

Only numbers that sit in a casualty construction are read, so "10,000 soldiers",
"1,000 sq km", "3,000-strong units", "24 hours", "2024" or "the 5th brigade" never count:

* active: ``killed|killing|wounded|injuring … <number> [people]``, ``claimed the lives of <n>``;
* passive / headline: ``<number> [people] [were] killed|dead|died|injured|hurt|lost their lives``
  (also "left two people dead", "12 killed, 30 hurt");
* ``death toll rose to <n>``, ``the bodies of <n> men``, ``<n> bodies``;
* "killed himself" / "blew himself up" adds one fatality (ACLED counts the attacker too);
* explicit zeros: "no casualties" → (0, 0), "no one was killed" → fatalities 0,
  "no injuries" / "no one was hurt" → injured 0. "No immediate reports of casualties" is not a
  zero (nothing is known yet). A stated positive figure wins over a zero.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from extract._timex_rules import _CASE_TWINS

__all__ = ["VAGUE_COUNTS", "Casualties", "parse_casualties", "parse_number"]

logger = logging.getLogger(__name__)

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES.update({w: 10 * i for i, w in enumerate(_TENS, 2)})

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

_W = r"(?![\w-])"  # end of a number word: not "three-year-old", not "fivefold"
_UNIT_RE = "|".join(sorted(_UNITS[1:], key=len, reverse=True))
_TENS_RE = "|".join(_TENS)
_WORDNUM = (
    rf"(?:(?:a|one|{_UNIT_RE})\s+hundred(?:\s+(?:and\s+)?(?:(?:{_TENS_RE})(?:[-\s](?:{_UNIT_RE}))?"
    rf"|{_UNIT_RE}))?|(?:{_TENS_RE})(?:[-\s](?:{_UNIT_RE}){_W})?|{_UNIT_RE}){_W}"
)
_DIGITS = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\w]|[.,]\d|-(?!\d))"
_VAGUE_RE = "|".join(
    re.escape(k).replace(r"\ ", r"\s+") for k in sorted(VAGUE_COUNTS, key=len, reverse=True)
)
_CORE = rf"(?:{_DIGITS}|(?:{_UNIT_RE})\s+dozen{_W}|(?:{_VAGUE_RE}){_W}(?:\s+of)?|{_WORDNUM})"
_QUAL = (
    r"(?:(?:at\s+least|more\s+than|over|about|around|nearly|almost|some|up\s+to|as\s+many\s+as"
    r"|approximately|roughly|an\s+estimated|close\s+to|upwards\s+of|a\s+total\s+of|another"
    r"|an\s+additional|fewer\s+than|less\s+than|at\s+most|only|just|a\s+further)\s+)"
)
_SING = (
    r"(?:man|woman|child|boy|girl|baby|infant|person|civilian|soldier|serviceman|fighter"
    r"|militant|policeman|police\s*officer|officer|journalist|resident|villager|teenager"
    r"|student|worker|farmer|passenger|pedestrian|protester|demonstrator|guard|member"
    r"|doctor|medic|driver|bystander|pensioner|girl|shepherd|fisherman)"
)
_NOUN = (
    r"(?:people|persons|civilians|soldiers|troops|servicemen|service\s*members|fighters"
    r"|militants|insurgents|rebels|police\s+officers|policemen|police|officers|guards|men"
    r"|women|children|kids|boys|girls|babies|infants|villagers|residents|worshippers"
    r"|students|workers|journalists|passengers|protesters|demonstrators|members|others"
    r"|individuals|pedestrians|farmers|miners|pilgrims|refugees|migrants|patients|doctors"
    r"|medics|staff|personnel|relatives|teenagers|minors|victims|gunmen|attackers|assailants"
    r"|bystanders|shoppers|commuters|tourists|firefighters|rescuers|employees|teachers"
    r"|crew|sailors|marines|officials|volunteers|hostages|inmates|prisoners|pensioners"
    r"|family\s+members|elderly|[a-z]+(?:ians|ans|is|ese))\b"  # + "Palestinians", "Sudanese"
)
# words that may stand between a number and its noun ("six Ukrainian soldiers") but not
# function words or units ("two weeks after civilians were killed" is not two casualties)
_STOP = (
    r"(?:and|or|but|after|before|while|when|where|who|which|that|in|on|at|by|for|with|from|of"
    r"|the|a|an|to|since|ago|were|was|is|are|have|has|had|been|as|than|said|says|including"
    r"|hours?|days?|weeks?|months?|years?|minutes?|km|kilometres?|kilometers?|miles?|metres?"
    r"|meters?|sq|square|percent|per|times|bodies|another)\b"
)
_ADJ = rf"(?!{_STOP})[a-z][\w'’-]*|\d+-year-old"
_ONE_PERSON = rf"(?:a|an|one)\s+(?:(?:{_ADJ})\s+){{0,2}}{_SING}\b"  # "a 16-year-old boy"
_NUM = (
    rf"(?:{_QUAL}?(?:between\s+{_CORE}\s+and\s+{_CORE}|{_ONE_PERSON}"
    rf"|{_CORE}(?:\s*(?:-|–|to|or)\s*{_CORE})?))"
)
_VICTIM = rf"(?P<num>{_NUM})(?:\s+more)?(?P<noun>(?:\s+(?:{_ADJ})){{0,3}}\s+{_NOUN})?"

# the next word after a bare number that shows it is not a head count
_NOT_PEOPLE = re.compile(
    r"\s*(?:hours?|days?|weeks?|months?|years?|minutes?|km|kilometres?|kilometers?|miles?"
    r"|metres?|meters?|sq|square|percent|%|times|another|(?:jan|feb|mar|apr|may|jun|jul|aug"
    r"|sep|oct|nov|dec)[a-z]*|tonnes?|tons?|rounds?|shells?|missiles?|rockets?|drones?)\b",
    re.IGNORECASE,
)
_FOLLOWED_BY_NUMBER = re.compile(rf"\s+{_QUAL}?(?:\d|(?:{_UNIT_RE}|{_TENS_RE}|a|an){_W})", re.I)

_DEATH = (
    r"(?:killed|dead|died|slain|perished|shot\s+dead|stabbed\s+to\s+death|beaten\s+to\s+death"
    r"|among\s+the\s+dead|burned\s+to\s+death|burnt\s+to\s+death|hacked\s+to\s+death|lost\s+(?:their|his|her)\s+li"
    r"(?:ves|fe)|executed|murdered|massacred|confirmed\s+dead)\b"
)
_INJURY = (
    r"(?:injured|wounded|hurt|maimed|among\s+the\s+(?:injured|wounded)|hospitali[sz]ed|(?:sustained|suffered)\s+(?:\w+\s+)?"
    r"(?:injuries|wounds))\b"
)
_COPULA = (
    r"(?:\s+(?:were|was|have|has|had|been|being|are|is|got|also|reportedly|allegedly|later"
    r"|all|both|now|subsequently|since|then))*"
)
_ASIDE = (
    r"(?:,\s*(?:including|among\s+them|among\s+whom|mostly|mainly|many\s+of\s+them"
    r"|most\s+of\s+them|all\s+of\s+them)[^,;:.]{1,80},)?"
)
_PARTITIVE = r"(?:\s+of\s+(?:the|them|those|whom)(?:\s+[\w,'’-]+?){0,4})?"
_F = re.IGNORECASE

_PASSIVE = re.compile(
    rf"(?<!no )(?<!no-)(?<!of the )\b{_VICTIM}{_PARTITIVE}{_ASIDE}(?P<cop>{_COPULA})\s+"
    rf"(?:(?P<f>{_DEATH})|(?P<i>{_INJURY}))",
    _F,
)
_ACTIVE = re.compile(
    rf"\b(?:(?P<f>kill(?:ed|ing|s)?|shot\s+dead|shooting\s+dead|shot\s+and\s+killed"
    r"|massacred|massacring|(?:claim|tak)(?:ed|ing|es|e)\s+the\s+lives?\s+of|took\s+the\s+lives?"
    rf"\s+of)|(?P<i>injur(?:ed|ing|es|e)|wound(?:ed|ing|s)?|hurt(?:ing|s)?|maim(?:ed|ing)))"
    rf"\s+(?<!no )(?<!no-){_VICTIM}",
    _F,
)
_TOLL = re.compile(
    r"\b(?:death\s+)?toll\b(?:\s+[\w'’-]+){0,6}?\s+(?:to|at|of|reached|hit|is|was|surpassed"
    rf"|passed|exceeded|topped)\s+{_VICTIM}",
    _F,
)
_BODIES = re.compile(
    rf"\bbodies\s+of\s+{_VICTIM}|\b(?P<num2>{_NUM})(?:\s+(?:{_ADJ})){{0,2}}\s+bodies\b", _F
)
_SELF = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|blew|blowing|blows)\s+(?:himself|herself)(?:\s+up)?\b", _F
)
_CONTINUATION = re.compile(
    rf"(?:\s*,\s*|\s+)(?:and\s+)?(?:(?:her|his|their)\s+)?(?P<num>{_NUM})(?:\s+(?:{_ADJ})){{0,3}}\s+{_NOUN}"
    rf"(?!{_COPULA}\s+(?:{_INJURY}|{_DEATH}))",
    _F,
)
_CASUALTY_WORD = r"(?:casualties|deaths|fatalities|injuries|victims|dead|wounded|injured)"
_ZERO_NOUN = re.compile(
    rf"\b(?:no|without(?:\s+causing)?(?:\s+any)?)\s+(?:(?:reported|known|other|further)\s+)?"
    rf"(?:reports?\s+of\s+(?:any\s+)?)?(?P<w>{_CASUALTY_WORD})\b"
    r"(?!\s+(?:were\s+|have\s+been\s+|was\s+)?immediately)",
    _F,
)
_ZERO_SUBJECT = re.compile(
    r"\b(?:no\s+one|no-one|nobody|none)\s+(?:(?:was|were|has|have|had|been|is|reportedly|also)"
    r"\s+)*(?P<w>killed|died|hurt|injured|wounded|harmed)(?:\s+(?:or|and)\s+"
    r"(?P<w2>killed|hurt|injured|wounded|harmed))?\b",
    _F,
)
_KILL_OR_INJURE = re.compile(r"(?:killed|dead|killing)\s+(?:or|and)\s+$", _F)


@dataclass(frozen=True, slots=True)
class Casualties:
    """Casualty figures of one sentence.

    ``fatalities``/``injured`` are the lowest figure reported, ``None`` when not stated, and 0
    only when the text says so explicitly ("no casualties", "no one was hurt").
    ``fatalities_text``/``injured_text`` are the phrases the figures came from.
    """

    fatalities: int | None
    injured: int | None
    fatalities_text: str | None
    injured_text: str | None


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
        "up to 10" → 10); the lower bound of a range ("between 5 and 7", "5-7", "5 or 6" → 5);
        :data:`VAGUE_COUNTS` for vague words ("dozens" → 12, "several" → 3, "hundreds" → 100);
        1 for a singular person ("a man", "one person").
    """
    # matching is case-insensitive, so "ſix" matched a number word: fold it before the lookup
    text = " ".join(phrase.translate(_CASE_TWINS).lower().replace("–", "-").split())
    text = _QUAL_RE.sub("", text, count=1)  # "as many as 10" is 10, not "many"
    values = [v for v in (_core_value(m.group(0)) for m in _CORE_RE.finditer(text)) if v]
    if values:
        return min(values) if re.search(r"\b(?:to|or|and)\b|\d\s*-\s*\d", text) else values[0]
    if re.match(_ONE_PERSON, text, _F):
        return 1
    return None


_CORE_RE = re.compile(_CORE, _F)
_QUAL_RE = re.compile(rf"^{_QUAL}", _F)


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


def _is_head_count(sentence: str, m: re.Match[str]) -> bool:
    """Reject bare numbers that are units, dates or years rather than people."""
    if m.group("noun"):
        return True
    if _NOT_PEOPLE.match(sentence, m.end("num")):
        return False
    num = m.group("num")
    return not (num.isdigit() and len(num) == 4 and 1900 <= int(num) <= 2100)


def _finds(sentence: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """All (value, phrase) figures for fatalities and for injuries."""
    fat: list[tuple[int, str]] = []
    inj: list[tuple[int, str]] = []
    for m in _PASSIVE.finditer(sentence):
        if not _is_head_count(sentence, m):
            continue
        # "Two soldiers killed three civilians" is active, not a headline "12 killed"
        if not m.group("cop").strip() and _FOLLOWED_BY_NUMBER.match(sentence, m.end()):
            continue
        value = parse_number(m.group("num"))
        if value is not None:
            (fat if m.group("f") else inj).append((value, m.group(0).strip()))
    for m in _ACTIVE.finditer(sentence):
        if not _is_head_count(sentence, m) or _KILL_OR_INJURE.search(sentence[: m.start()]):
            continue
        value = parse_number(m.group("num"))
        if value is None:
            continue
        end = m.end()
        while cont := _CONTINUATION.match(sentence, end):  # "killed two soldiers and 3 civilians"
            extra = parse_number(cont.group("num"))
            if extra is None:
                break
            value, end = value + extra, cont.end()
        (fat if m.group("f") else inj).append((value, sentence[m.start() : end].strip()))
    for m in _TOLL.finditer(sentence):
        if _is_head_count(sentence, m) and (value := parse_number(m.group("num"))) is not None:
            fat.append((value, m.group(0).strip()))
    for m in _BODIES.finditer(sentence):
        group = "num" if m.group("num") else "num2"
        if (value := parse_number(m.group(group))) is not None:
            fat.append((value, m.group(0).strip()))
    return fat, inj


_NONE = Casualties(None, None, None, None)
# a cheap first look: most sentences name no casualties at all
_ANY_CASUALTY = re.compile(
    r"kill|dead|die|death|injur|wound|hurt|casualt|bod(?:y|ies)|li(?:fe|ves)|toll|slain|murder"
    r"|shot|lost|perish|fatal|victim|harm|hospital",
    re.IGNORECASE,
)


def parse_casualties(sentence: str) -> Casualties:
    """Fatalities and injured reported in ``sentence``.

    Parameters
    ----------
    sentence
        One sentence (or headline / clause); matching is case-insensitive.

    Returns
    -------
    Casualties
        The lowest figure of each kind with the phrase it came from; ``None`` when the
        sentence states none.

    Examples
    --------
    >>> c = parse_casualties("killed at least six people and injured 24 others")
    >>> (c.fatalities, c.injured, c.fatalities_text)
    (6, 24, 'killed at least six people')
    """
    if not _ANY_CASUALTY.search(sentence):
        return _NONE
    fat, inj = _finds(sentence)
    fatalities = _lowest(fat)
    injured = _lowest(inj)
    self_kill = _SELF.search(sentence)
    if self_kill:
        if fatalities is None:
            fatalities = (1, self_kill.group(0))
        else:
            fatalities = (fatalities[0] + 1, f"{fatalities[1]}; {self_kill.group(0)}")
    if fatalities is None or injured is None:
        zero_f, zero_i = _zeros(sentence)
        fatalities = fatalities or zero_f
        injured = injured or zero_i
    result = Casualties(
        fatalities=fatalities[0] if fatalities else None,
        injured=injured[0] if injured else None,
        fatalities_text=fatalities[1] if fatalities else None,
        injured_text=injured[1] if injured else None,
    )
    logger.debug("casualties %r -> %s", sentence[:80], result)
    return result


def _lowest(found: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The lowest figure (ACLED's most conservative report), first phrase on ties."""
    return min(found, key=lambda vt: vt[0]) if found else None


def _zeros(sentence: str) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """Explicit "no casualties" / "no one was killed" / "no injuries" statements."""
    zero_f: tuple[int, str] | None = None
    zero_i: tuple[int, str] | None = None
    for m in _ZERO_NOUN.finditer(sentence):
        word = m.group("w").translate(_CASE_TWINS).lower()  # "caſualties" matched too
        if word in ("casualties", "victims"):
            zero_f = zero_f or (0, m.group(0))
            zero_i = zero_i or (0, m.group(0))
        elif word in ("deaths", "fatalities", "dead"):
            zero_f = zero_f or (0, m.group(0))
        else:
            zero_i = zero_i or (0, m.group(0))
    for m in _ZERO_SUBJECT.finditer(sentence):
        for word in filter(None, (m.group("w"), m.group("w2"))):
            if word.translate(_CASE_TWINS).lower() in ("killed", "died"):
                zero_f = zero_f or (0, m.group(0))
            else:
                zero_i = zero_i or (0, m.group(0))
    return zero_f, zero_i
