"""Casualty counts (fatalities, injured) from one sentence of news text.

Rule-based and ACLED-flavoured: of several figures for the same thing ("killed at least 10,
officials said, while local media reported 15 dead") the lowest is kept; vague quantities get
ACLED's fixed values (:data:`VAGUE_COUNTS`). Only numbers in a casualty construction count, never
"10,000 soldiers", "1,000 sq km", "24 hours", "2024", "the 5th brigade", "Resolution 2254":

* active: "killed|murdered|wounded … [the] <n> [people]", "claimed the lives of <n>";
* passive / headline: "<n> [people] [were] killed|dead|died|injured|lost their lives" ("12
  killed, 30 hurt", "one dead terrorist"); the victim noun may be any plural ("three subversives
  were killed"), but "two gunmen killed <object>" is active, not a headline;
* nominal: "the murder|killing|death(s) of <n> …", "<n> deaths|fatalities|injuries", coder
  labels "Fatalities: 3"; "death toll rose to <n>", "the bodies of <n> men", "<n> bodies";
* lists are summed: "killed two soldiers and 3 civilians", "3 militants and 1 soldier were
  killed" → 4; "killed himself" / "blew himself up" adds the attacker (ACLED counts him too);
* explicit zeros: "no casualties" → (0, 0); "no one was killed", "no loss of life" → fatalities
  0; "no one was hurt", "neither … nor … was injured" → injured 0; "caused only material damage"
  → (0, 0). "No immediate reports of casualties" is no zero (nothing is known yet), and a stated
  figure wins over a zero;
* one unnumbered victim, used only when there is no figure and no zero of that kind: "<someone>
  was killed|assassinated|wounded", "he died of his wounds", "the body of <someone> was found",
  "the murder of the judge" → 1. A plural without a number ("civilians were killed") gives none.

A joint figure ("killed or injured 30", "killed and wounded scores of people", "dozens killed or
injured") sets neither field: it says how many were hit, not how many died, and ACLED's fatality
figure counts deaths only (the most conservative split, 0 dead, would read as an explicit zero).

``Casualties.total`` is True when the figures are a national or cumulative total
(:data:`TOTAL_CUES`: "across the country", "nationwide", "since the start of the war", "so far
this year", "in total", "the overall death toll", "cumulative", "since 1980"): the figures are
still returned, and the incident code should not copy them onto each place named beside them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from extract.events._case_fold import CASE_TWINS
from extract.events._head_counts import (
    ADJ,
    DEFINITE,
    FOLLOWED_BY_NUMBER,
    HEAD,
    ITEM,
    LISTED,
    NOUN_GROUP,
    NUM,
    ONE_PERSON,
    QUAL,
    SING,
    STOP,
    TENS_RE,
    UNIT_RE,
    VAGUE_COUNTS,
    VICTIM,
    is_head_count,
    parse_number,
)

# VAGUE_COUNTS and parse_number are made in _head_counts with the number grammar they belong to;
# this module is their public home, as its rules are what they are documented for.
__all__ = ["TOTAL_CUES", "VAGUE_COUNTS", "Casualties", "parse_casualties", "parse_number"]

logger = logging.getLogger(__name__)
_F = re.IGNORECASE
_Found = list[tuple[int, str]]  # (figure, the phrase it came from)

# ------------------------------------------------------------------ tables an analyst reviews

# titles before a name: "Inspector <name> died", "the murder of Monsignor <name>"
_TITLES = (
    r"(?:mr|mrs|ms|dr|inspector|monsignor|msgr|bishop|archbishop|father|reverend|rev|sheikh"
    r"|professor|prof|magistrate|general|gen|col|capt|major|maj|lt|sgt|president|director)\.?"
)
# a singular subject of "was killed" that is not a person ("the bill was killed in committee")
_NOT_A_VICTIM = frozenset(
    "one no-one nobody none else anyone anybody whoever it bill deal plan project proposal motion "
    "measure idea story engine power light signal process talks".split()
)

#: National or cumulative totals: the sentence's figures are not one incident's toll.
#: Regex fragments, matched case-insensitively anywhere in the sentence.
TOTAL_CUES: tuple[str, ...] = (
    r"across the (?:country|nation)",
    r"(?:throughout|all over|around) the country",
    r"nation-?wide",
    r"country-?wide",
    r"since the (?:start|beginning|outbreak|onset) of",
    r"since the (?:full-scale )?invasion",
    r"since the (?:war|conflict|fighting|uprising|insurgency|crisis|revolution) (?:began|started"
    r"|erupted|broke out)",
    r"since (?:19|20)\d\d\b",
    r"since (?:records began|january|february|march|april|june|july|august|september|october"
    r"|november|december)\b",
    r"so far (?:this|in) (?:year|(?:19|20)\d\d)",
    r"(?:this year|in (?:19|20)\d\d) alone",
    r"(?<!up )(?<!up-)to date",
    r"in total",
    r"(?:overall|total|cumulative) (?:death )?toll",
    r"cumulative(?:ly)?",
    r"(?:in|during|over) (?:the )?(?:past |last )?\w+ years of",
    r"over the (?:past|last) (?:\w+ )?(?:years?|months)",
)

# ------------------------------------------------------------------------ number phrases


# ---------------------------------------------------------------------- casualty patterns

_DEATH = (
    r"(?:killed|dead|died|slain|perished|shot\s+dead|(?:stabbed|shot|beaten|hacked|burn[te]d?)"
    r"\s+to\s+death|among\s+the\s+dead|lost\s+(?:their|his|her)"
    r"\s+li(?:ves|fe)|executed|murdered|assassinated|massacred|confirmed\s+dead)\b"
)
_INJURY = (
    r"(?:injured|wounded|hurt|maimed|among\s+the\s+(?:injured|wounded)|hospitali[sz]ed"
    r"|(?:sustained|suffered)\s+(?:\w+\s+)?(?:injuries|wounds))\b"
)
# verbs that take no object, so "<n> died" needs no headline check ("dead" does: "150 dead fish")
_INTRANSITIVE = re.compile(r"died|perished|lost|among|confirmed|sustained|suffered", re.I)
_COPULA = (
    r"(?:\s+(?:were|was|have|has|had|been|being|are|is|got|also|reportedly|allegedly|later"
    r"|all|both|now|subsequently|since|then))*"
)
_ASIDE = (
    r"(?:,\s*(?:including|among\s+them|among\s+whom|mostly|mainly|many\s+of\s+them"
    r"|most\s+of\s+them|all\s+of\s+them)[^,;:.]{1,80},)?"
)
_PARTITIVE = r"(?:\s+of\s+(?:the|them|those|whom|his|her|their)(?:\s+[\w,'’-]+?){0,4})?"

_PASSIVE = re.compile(
    rf"(?<!no )(?<!no-)(?<!of the )\b{VICTIM}{_PARTITIVE}{_ASIDE}(?P<cop>{_COPULA})\s+"
    rf"(?:(?P<f>{_DEATH})|(?P<i>{_INJURY}))",
    _F,
)
_ITEM_RE = re.compile(ITEM, _F)
# a coordinated subject before a passive figure, looked for only when "and" precedes it (a
# leading optional list in _PASSIVE made every sentence five times slower)
_AND_BEFORE = re.compile(r"\band\s+$", _F)
_LIST_BEFORE = re.compile(rf"(?:{ITEM}\s*,\s*)*{ITEM},?\s+and\s+$", _F)
# after a headline verb without "were": the end of a phrase, not its object
# ("Two gunmen killed the mayor" is active; "6 killed in strike", "12 killed, 30 hurt" are not)
_HEADLINE_NEXT = re.compile(
    r"\s*(?:$|[,.;:!?)\"”'’(\[–—-]|(?:in|at|on|by|during|after|as|when|while|near|and|or|but"
    r"|since|following|overnight|yesterday|today|tonight|last|this|across|around|inside|outside"
    r"|within|from|over|amid|before|with|without|including|among|because|due|for|to|into|under"
    r"|between|along|so|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\w+ly)\b)",
    _F,
)
_ADJECTIVAL_NEXT = re.compile(rf"(?:\s+(?:{ADJ})){{0,2}}\s+{HEAD}", _F)  # "one dead rebel"
_JOINT_NEXT = re.compile(
    r"\s+(?:and/or|or|and)\s+(?:(?:were|was|been|seriously|critically)\s+)*"
    r"(?:injured|wounded|hurt|killed|dead|died)\b",
    _F,
)
_OBJECT_VERB_BEFORE = re.compile(r"(?:kill|injur|wound|hurt|murder|massacr)\w*\s+$", _F)
_ACTIVE = re.compile(
    rf"\b(?:(?P<f>kill(?:ed|ing|s)?|shot\s+dead|shoots?\s+dead|shooting\s+dead|shot\s+and\s+killed"
    r"|gunn(?:ed|ing)\s+down|massacr(?:ed|ing)|murder(?:ed|ing)|assassinat(?:ed|ing)"
    r"|lynch(?:ed|ing)|behead(?:ed|ing)"
    r"|(?:claim|tak)(?:ed|ing|es|e)\s+the\s+lives?\s+of|took\s+the\s+lives?\s+of)"
    r"|(?P<i>injur(?:ed|ing|es|e)|wound(?:ed|ing|s)?|hurt(?:ing|s)?|maim(?:ed|ing)))"
    rf"\s+(?:the\s+)?(?<!no )(?<!no-){VICTIM}",
    _F,
)
# "beat a suspected thief to death"
_TO_DEATH = re.compile(
    rf"\b(?:beat|beating|stabbed|stabbing|hacked|hacking|burned|burnt|burning|stoned|stoning)"
    rf"\s+(?:the\s+)?{VICTIM}\s+to\s+death\b",
    _F,
)
# "a mob stoned to death a man accused of theft"
_TO_DEATH_FIRST = re.compile(
    rf"\b(?:beat|beaten|stabbed|hacked|burned|burnt|stoned)\s+to\s+death\s+(?:the\s+)?{VICTIM}",
    _F,
)
_NOMINAL = re.compile(
    r"\b(?:murders?|killings?|assassinations?|massacres?|executions?|deaths?)\s+of\s+"
    rf"(?:(?:the|his|her|their|these|those)\s+)?{VICTIM}",
    _F,
)
_COUNT_NOUN = re.compile(
    rf"\b(?P<num>{NUM})\s+(?:(?!(?:animal|cattle|livestock|bird|fish)\b)(?:{ADJ})\s+){{0,2}}"
    r"(?:(?P<f>deaths?|fatalit(?:y|ies))|(?P<i>injur(?:y|ies)))\b"
    r"(?!\s+(?:squads?|threats?|sentences?|penalt|row|toll|certificates?|marches|camps?|rates?))",
    _F,
)
_LABEL = re.compile(
    r"\b(?:(?P<f>fatalities|deaths|killed|dead)|(?P<i>injured|injuries|wounded))\s*[:=]\s*"
    rf"(?P<num>{NUM})",
    _F,
)
_TOLL = re.compile(
    r"\b(?:death\s+)?toll\b(?:\s+[\w'’-]+){0,6}?\s+(?:to|at|of|reached|hit|is|was|surpassed"
    rf"|passed|exceeded|topped)\s+{VICTIM}",
    _F,
)
_BODIES = re.compile(
    rf"\bbodies\s+of\s+{VICTIM}|\b(?P<num2>{NUM})(?:\s+(?:{ADJ})){{0,2}}\s+bodies\b", _F
)
_SELF = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|blew|blowing|blows)\s+(?:himself|herself)(?:\s+up)?\b", _F
)
# "killed the mayor and two peasants", "the driver and his son were shot dead": a named list is a
# count (a lone "killed the mayor" is left to the one-victim forms below)
_ACTIVE_DEFINITE = re.compile(
    rf"\b(?:(?P<f>kill(?:ed|ing)|murder(?:ed|ing)|assassinat(?:ed|ing)|massacr(?:ed|ing))"
    rf"|(?P<i>injur(?:ed|ing)|wound(?:ed|ing)))\s+{DEFINITE}",
    _F,
)
_PASSIVE_DEFINITE = re.compile(
    rf"(?<=\sand\s){DEFINITE}\s+were(?P<cop>{_COPULA})\s+(?:(?P<f>{_DEATH})|(?P<i>{_INJURY}))",
    _F,
)
_CONTINUATION = re.compile(
    rf"(?:\s*,\s*|\s+)(?:and\s+)?(?:(?:her|his|their)\s+)?"
    rf"(?P<num>{QUAL}?{ONE_PERSON}|{NUM}{NOUN_GROUP})"
    rf"(?!{_COPULA}\s+(?:{_INJURY}|{_DEATH}))",
    _F,
)

# one unnumbered victim ("the attacker was killed", "he died of his wounds")
_ADV = r"(?:(?:also|later|then|(?!(?:nearly|narrowly|almost)\b)\w+ly)\s+)"
_ONE_VERB_F = (
    r"(?:killed|murdered|assassinated|slain|executed|shot\s+dead|(?:stabbed|beaten|hacked"
    r"|burn[te]d?|shot)\s+to\s+death|found\s+dead|gunned\s+down|lynched|beheaded|pronounced\s+dead)"
)
_NAME_WORD = rf"(?!(?:{STOP}|said|says|told|whose|people|many|all|both|several)\b)[\w'’.-]+"
# One unnumbered victim, each form with an example. Used only when the sentence has no figure.
_ONE_VICTIM_FORMS: tuple[str, ...] = (
    # "the attacker was killed", "<name>, 65, was murdered", "he had been shot dead"
    rf"\b(?P<subj>[\w'’-]+),?\s+(?:was|has\s+been|had\s+been)\s+{_ADV}{{0,2}}{_ONE_VERB_F}\b",
    # "he died", "the driver later died", "Inspector <name> died", "<name>, the union leader, died"
    rf"\b(?:he|she|(?:the|this|that|his|her)\s+(?:(?:{ADJ})\s+){{0,2}}{SING}"
    rf"|(?:{_TITLES}|{SING})(?:\s+{_NAME_WORD}){{0,3}}?,?)\s+{_ADV}{{0,2}}"
    r"(?:(?:has|had)\s+)?(?:died|succumbed|perished)\b",
    # "died of his wounds"
    r"\b(?:died|succumbed)\s+(?:of|from|to)\s+(?:his|her)\s+(?:wounds|injuries)",
    # "the murder of the judge", "the death of a former mayor", "the killing of Monsignor <name>"
    r"\b(?:murder|assassination|killing|death)\s+of\s+(?:(?:the|a|an|former|another)\s+)?"
    rf"(?:(?:{ADJ})\s+){{0,2}}(?:{_TITLES}|{SING})\b(?!['’]s)",
    # "the murder of Jane Doe" (a capitalised name, where the text has case)
    r"\b(?:murder|assassination|killing)\s+of\s+(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)",
    # "the assassination of <name>": an assassination has one target unless a number says more
    r"\bassassination\s+of\s+(?!(?:the|these|those|all|both|several|many|some|dozens|hundreds"
    rf"|scores|{UNIT_RE}|{TENS_RE}|\d+)\b)[a-z]",
    # "<name>'s murder" (not "the city's murder rate")
    r"['’]s\s+(?:murder|assassination|killing)\b"
    r"(?!\s+(?:tally|rates?|counts?|toll|figures?|statistics|numbers?|squads?|capital))",
    # "killed the mayor", "assassinating his bodyguard"
    rf"\b(?:kill|murder|assassinat)(?:ed|ing)\s+(?:the|his|her|their)\s+(?:(?:{ADJ})\s+){{0,2}}"
    rf"{SING}\b(?!['’]s)",
    # "left him dead", "her body was found", "the body of <someone> was found"
    rf"\b(?:left|leaving)\s+(?:him|her)\s+{_ADV}?dead\b",
    # "…, killing him", "shot and killed her"
    r"\bkill(?:ed|ing)\s+(?:him|her)\b",
    r"\b(?:his|her)\s+(?:dead\s+)?body\s+(?:was|has\s+been)\s+(?:found|discovered|recovered)",
    r"\bbody\s+of\s+[^.;]{1,60}?\s+(?:was|has\s+been)\s+(?:found|discovered|recovered|dumped)",
)
_WEAK_F = re.compile("|".join(_ONE_VICTIM_FORMS), _F)
_WEAK_I = re.compile(
    rf"\b(?P<subj>[\w'’-]+),?\s+(?:was|is|has\s+been|had\s+been)\s+{_ADV}{{0,2}}"
    r"(?:injured|wounded|hurt|hospitali[sz]ed)\b"
    rf"|\b(?:left|leaving)\s+(?:him|her)\s+{_ADV}?(?:wounded|injured|paraly[sz]ed)\b",
    _F,
)

_CASUALTY_WORD = r"(?:casualties|deaths|fatalities|injuries|victims|dead|wounded|injured)"
_ZERO_NOUN = re.compile(
    r"\b(?:no|without(?:\s+causing)?(?:\s+any)?|(?:did|does|has|have)\s*n[o']t\s+(?:cause|result"
    r"\s+in|leave|lead\s+to)(?:\s+any)?)\s+(?:(?:reported|known|other|further)\s+)?"
    rf"(?:reports?\s+of\s+(?:any\s+)?)?(?P<w>{_CASUALTY_WORD})\b"
    rf"(?:\s+(?:or|and|nor)\s+(?P<w2>{_CASUALTY_WORD})\b)?"
    r"(?!\s+(?:were\s+|have\s+been\s+|was\s+)?immediately)",
    _F,
)
_ZERO_SUBJECT = re.compile(
    r"\b(?:no\s+one|no-one|nobody|none)\s+(?:(?:else|was|were|has|have|had|been|is|reportedly"
    r"|also)\s+)*(?P<w>killed|died|dead|hurt|injured|wounded|harmed)(?:\s+(?:or|and)\s+"
    r"(?P<w2>killed|hurt|injured|wounded|harmed))?\b"
    r"|\bneither\b[^.;]{1,80}?\bnor\b[^.;]{1,80}?\b(?:was|were)\s+(?:\w+\s+)?"
    r"(?P<w3>killed|injured|hurt|wounded|harmed)\b"
    r"|\bno\s+loss\s+of\s+(?P<w4>li(?:fe|ves))\b"
    r"|\b(?:only|just|merely)\s+(?P<w5>(?:material|property|structural|minor))\s+damage\b",
    _F,
)
_KILL_OR_INJURE = re.compile(r"(?:killed|dead|killing)\s+(?:or|and)\s+$", _F)
_TOTAL = re.compile(rf"\b(?:{'|'.join(TOTAL_CUES)})\b", _F)


@dataclass(frozen=True, slots=True)
class Casualties:
    """Casualty figures of one sentence.

    ``fatalities``/``injured`` are the lowest figure reported, ``None`` when not stated, and 0
    only when the text says so explicitly ("no casualties", "no one was hurt").
    ``fatalities_text``/``injured_text`` are the phrases the figures came from. ``total`` is
    True when the figures are a national or cumulative total (:data:`TOTAL_CUES`), not the
    toll of one incident.
    """

    fatalities: int | None
    injured: int | None
    fatalities_text: str | None
    injured_text: str | None
    total: bool = False


def _with_list(sentence: str, m: re.Match[str], value: int, end: int) -> tuple[int, int]:
    """Add the figures of "and two civilians" after an object or a nominal's victim."""
    while cont := _CONTINUATION.match(sentence, end):  # "killed two soldiers and 3 civilians"
        extra = parse_number(cont.group("num"))
        if extra is None:
            break
        value, end = value + extra, cont.end()
    return value, end


def _passive(sentence: str, low: str, fat: _Found, inj: _Found) -> None:
    """Add the passive and headline figures ("3 were killed", "12 killed, 30 hurt")."""
    for m in _PASSIVE.finditer(sentence):
        if not is_head_count(sentence, m):
            continue
        verb = m.group("f") or m.group("i")
        if not m.group("cop").strip():
            # "Two soldiers killed three civilians" is active, not a headline "12 killed"
            if FOLLOWED_BY_NUMBER.match(sentence, m.end()):
                continue
            adjectival = re.match(r"dead|wounded|injured", verb, _F) and _ADJECTIVAL_NEXT.match(
                sentence, m.end()
            )
            if not (adjectival or _HEADLINE_NEXT.match(sentence, m.end())):
                if not _INTRANSITIVE.match(verb):
                    continue
        if _JOINT_NEXT.match(sentence, m.end()):  # "dozens were killed or injured"
            continue
        value = parse_number(m.group("num"))
        if value is None:
            continue
        start = m.start()
        if _AND_BEFORE.search(sentence, 0, start):
            window = max(0, start - 160)
            pre = _LIST_BEFORE.search(sentence, window, start)
            # "3 militants and 1 soldier were killed" (not "killed 5 and 3 were injured")
            if pre and not _OBJECT_VERB_BEFORE.search(sentence, 0, pre.start()):
                value += sum(parse_number(i.group(0)) or 1 for i in _ITEM_RE.finditer(pre[0]))
                start = pre.start()
        (fat if m.group("f") else inj).append((value, sentence[start : m.end()].strip()))
    for m in _PASSIVE_DEFINITE.finditer(sentence) if " were " in low else ():
        pre = _LIST_BEFORE.search(sentence, max(0, m.start() - 160), m.start())
        if pre and not _OBJECT_VERB_BEFORE.search(sentence, 0, pre.start()):
            value = 1 + sum(parse_number(i.group(0)) or 1 for i in _ITEM_RE.finditer(pre[0]))
            (fat if m.group("f") else inj).append((value, sentence[pre.start() : m.end()].strip()))


def _finds(sentence: str, low: str) -> tuple[_Found, _Found]:
    """All (value, phrase) figures for fatalities and for injuries (``low``: lower-cased)."""
    fat: _Found = []
    inj: _Found = []
    _passive(sentence, low, fat, inj)
    for m in _ACTIVE.finditer(sentence):
        if not is_head_count(sentence, m) or _KILL_OR_INJURE.search(sentence[: m.start()]):
            continue
        if m.group("i") and m.group("i")[0] in "hH" and not LISTED.search(m.group("noun") or ""):
            continue  # "hurting both economies": "hurt" is often figurative
        value = parse_number(m.group("num"))
        if value is None:
            continue
        value, end = _with_list(sentence, m, value, m.end())
        (fat if m.group("f") else inj).append((value, sentence[m.start() : end].strip()))
    for pattern in (_TO_DEATH, _TO_DEATH_FIRST) if "to death" in low else ():
        for m in pattern.finditer(sentence):
            if (value := parse_number(m.group("num"))) is not None:
                fat.append((value, m.group(0).strip()))
    for m in _ACTIVE_DEFINITE.finditer(sentence) if " and " in low else ():
        value, end = _with_list(sentence, m, 1, m.end())
        if value > 1:
            (fat if m.group("f") else inj).append((value, sentence[m.start() : end].strip()))
    # each rarer pattern runs only when its key word is there (substring tests are cheap)
    for m in _NOMINAL.finditer(sentence) if " of " in low else ():
        if is_head_count(sentence, m) and (value := parse_number(m.group("num"))) is not None:
            value, end = _with_list(sentence, m, value, m.end())
            fat.append((value, sentence[m.start() : end].strip()))
    for pattern, key in ((_COUNT_NOUN, _COUNT_KEY), (_LABEL, _LABEL_KEY)):
        for m in pattern.finditer(sentence) if key.search(low) else ():
            if is_head_count(sentence, m) and (value := parse_number(m.group("num"))) is not None:
                (fat if m.group("f") else inj).append((value, m.group(0).strip()))
    for m in _TOLL.finditer(sentence) if "toll" in low else ():
        if is_head_count(sentence, m) and (value := parse_number(m.group("num"))) is not None:
            fat.append((value, m.group(0).strip()))
    for m in _BODIES.finditer(sentence) if "bodies" in low else ():
        group = "num" if m.group("num") else "num2"
        if (value := parse_number(m.group(group))) is not None:
            value, end = _with_list(sentence, m, value, m.end())  # "bodies of a man and a woman"
            fat.append((value, sentence[m.start() : end].strip()))
    return fat, inj


_NONE = Casualties(None, None, None, None)
# a cheap first look: most sentences name no casualties at all
_COUNT_KEY = re.compile(r"death|fatalit|injur")
_LABEL_KEY = re.compile(r"[:=]")
# case-sensitive on the lower-cased text: IGNORECASE made this "cheap" look cost more than the
# patterns it saves
_ANY_CASUALTY = re.compile(
    r"kill|dead|die|death|injur|wound|hurt|casualt|bod(?:y|ies)|li(?:fe|ves)|toll|slain|murder"
    r"|shot|lost|perish|fatal|victim|harm|hospital|assassin|massacr|execut|succumb|gunned"
    r"|lynch|behead|damage"
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
        sentence states none; ``total`` set when they are a national or cumulative total.

    Examples
    --------
    >>> c = parse_casualties("killed at least six people and injured 24 others")
    >>> (c.fatalities, c.injured, c.fatalities_text)
    (6, 24, 'killed at least six people')
    """
    low = sentence.translate(CASE_TWINS).lower()  # "ſ" is "s" to the patterns, too
    if not _ANY_CASUALTY.search(low):
        return _NONE
    fat, inj = _finds(sentence, low)
    fatalities = _lowest(fat)
    injured = _lowest(inj)
    self_kill = _SELF.search(sentence) if "self" in low else None
    if self_kill:
        if fatalities is None:
            fatalities = (1, self_kill.group(0))
        else:
            fatalities = (fatalities[0] + 1, f"{fatalities[1]}; {self_kill.group(0)}")
    if fatalities is None or injured is None:
        zero_f, zero_i = _zeros(sentence)
        fatalities = fatalities or zero_f or _one_victim(_WEAK_F, sentence)
        injured = injured or zero_i or _one_victim(_WEAK_I, sentence)
    if fatalities is None and injured is None:
        return _NONE
    result = Casualties(
        fatalities=fatalities[0] if fatalities else None,
        injured=injured[0] if injured else None,
        fatalities_text=fatalities[1] if fatalities else None,
        injured_text=injured[1] if injured else None,
        total=_TOTAL.search(sentence) is not None,
    )
    logger.debug("casualties %r -> %s", sentence[:80], result)
    return result


def _lowest(found: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The lowest figure (ACLED's most conservative report), first phrase on ties."""
    return min(found, key=lambda vt: vt[0]) if found else None


def _one_victim(pattern: re.Pattern[str], sentence: str) -> tuple[int, str] | None:
    """One unnumbered victim ("the attacker was killed"), unless the subject is no person."""
    for m in pattern.finditer(sentence):
        subj = m.group("subj")
        if subj and subj.translate(CASE_TWINS).lower() in _NOT_A_VICTIM:
            continue
        return 1, m.group(0)
    return None


def _zeros(sentence: str) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """Explicit "no casualties" / "no one was killed" / "no injuries" statements."""
    zero_f: tuple[int, str] | None = None
    zero_i: tuple[int, str] | None = None
    for m in (*_ZERO_NOUN.finditer(sentence), *_ZERO_SUBJECT.finditer(sentence)):
        for word in filter(None, m.groups()):
            # "caſualties" matched too: fold before the lookup
            word = word.translate(CASE_TWINS).lower()
            if word in ("casualties", "victims", "material", "property", "structural", "minor"):
                zero_f = zero_f or (0, m.group(0))
                zero_i = zero_i or (0, m.group(0))
            elif word in ("deaths", "fatalities", "dead", "killed", "died", "life", "lives"):
                zero_f = zero_f or (0, m.group(0))
            else:
                zero_i = zero_i or (0, m.group(0))
    return zero_f, zero_i
