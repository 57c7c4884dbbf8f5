"""Actors of an incident, ACLED-style: who did it (actor1) and to whom (actor2).

:func:`find_actors` finds normalized actor mentions (case-insensitive); :func:`pair_actors`
picks actor1 (subject side of the main verb, or the "by X" agent) and actor2 (the target).

* ``<demonym> troops|soldiers|army|missile|drone|air attack…`` and ``<country|capital>'s
  army…`` → ``"<Demonym> forces"`` (``"North Korean troops"`` for KP; "IDF" → ``"Israeli
  forces"``), bare ``troops|army|security forces`` → ``"Military forces"``: kind ``state_forces``;
* ``[<demonym>] police`` → ``"Police forces [of <Country>]"``; a country that arrests
  ("Poland and Lithuania arrested…") is its police, one that attacks is its forces;
* protesters → ``"Protesters"``, rioters/mob → ``"Rioters"``; civilians/villagers/residents →
  ``"Civilians"`` (people/men/women/children only in a victim context; "civilian
  infrastructure" is no actor); gunmen/militants → ``"Unidentified armed group"`` (kind
  ``political``: ACLED's political militia);
* Hamas, Hezbollah, Houthis, Taliban, al-Shabaab, Boko Haram, Islamic State, RSF keep their name
  (kind ``rebels``); Wagner Group is kind ``unknown`` (ACLED's "external/other forces").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from extract.events._case_fold import CASE_TWINS
from extract.events.casualties import parse_casualties

__all__ = ["Actor", "COUNTRIES", "find_actors", "pair_actors", "sides"]

logger = logging.getLogger(__name__)

#: ISO alpha-2 → (country name, demonym, capitals and other names, "|"-separated)
COUNTRIES: dict[str, tuple[str, str, str]] = {
    row[:2]: tuple(row[3:].split(":"))  # type: ignore[misc]
    for row in (
        "RU:Russia:Russian:Moscow|the Kremlin|Kremlin; UA:Ukraine:Ukrainian:Kyiv|Kiev; "
        "KP:North Korea:North Korean:Pyongyang; KR:South Korea:South Korean:Seoul; "
        "IL:Israel:Israeli:; PS:Palestine:Palestinian:; SY:Syria:Syrian:Damascus; "
        "IR:Iran:Iranian:Tehran; IQ:Iraq:Iraqi:Baghdad; LB:Lebanon:Lebanese:Beirut; "
        "YE:Yemen:Yemeni:Sanaa; US:United States:US:Washington|America|the United States|USA"
        "|U.S.|US; GB:United Kingdom:British:London|Britain|the UK|UK; CN:China:Chinese:Beijing; "
        "TR:Turkey:Turkish:Ankara|Türkiye|Turkiye; SS:South Sudan:South Sudanese:Juba; "
        "SD:Sudan:Sudanese:Khartoum; PL:Poland:Polish:Warsaw; LT:Lithuania:Lithuanian:Vilnius; "
        "LV:Latvia:Latvian:Riga; EE:Estonia:Estonian:Tallinn; BY:Belarus:Belarusian:Minsk; "
        "MD:Moldova:Moldovan:Chisinau; GE:Georgia:Georgian:Tbilisi; AM:Armenia:Armenian:Yerevan; "
        "AZ:Azerbaijan:Azerbaijani:Baku; DE:Germany:German:Berlin; FR:France:French:Paris; "
        "IN:India:Indian:New Delhi; PK:Pakistan:Pakistani:Islamabad; AF:Afghanistan:Afghan:Kabul; "
        "EG:Egypt:Egyptian:Cairo; LY:Libya:Libyan:Tripoli; ET:Ethiopia:Ethiopian:Addis Ababa; "
        "SO:Somalia:Somali:Mogadishu; KE:Kenya:Kenyan:Nairobi; NG:Nigeria:Nigerian:Abuja; "
        "NE:Niger:Nigerien:Niamey; ML:Mali:Malian:Bamako; BF:Burkina Faso:Burkinabe:Ouagadougou; "
        "CD:DR Congo:Congolese:Kinshasa; MM:Myanmar:Myanmar:Naypyidaw|Burma; "
        "SA:Saudi Arabia:Saudi:Riyadh; JP:Japan:Japanese:Tokyo; TW:Taiwan:Taiwanese:Taipei; "
        "VE:Venezuela:Venezuelan:Caracas; CO:Colombia:Colombian:Bogota; "
        "MX:Mexico:Mexican:Mexico City; HT:Haiti:Haitian:Port-au-Prince"
    ).split("; ")
}
#: extra spellings of demonyms → ISO code
_DEMONYM_ALIASES = {"American": "US", "U.S.": "US"}
_SPECIAL_FORCE_NAMES = {"KP": "North Korean troops"}

_MIL = (
    r"(?:troops|soldiers|forces|military|army|armed\s+forces|navy|naval\s+forces|air\s+force"
    r"|servicemen|service\s+members|units?|brigades?|battalions?|marines|paratroopers"
    r"|missiles?|rockets?|drones?|air(?:\s*strikes?|\s+attacks?|\s+raids?)?|strikes?|attacks?"
    r"|artillery|shelling|shells|bombardment|warplanes|jets|aircraft|tanks?|offensive|fire"
    r"|gunfire|occupiers|invaders|defen[cs]e\s+forces|positions|bases?|convoys?|patrols?|warships?"
    r"|vessels?|outposts?|checkpoints?|garrisons?|lines|trenches)"
)
_MOD = r"(?:security|armed|special|regular|elite|occupying|invading|border|ground|military)"
_POLICE = r"(?:riot\s+police|police\s+officers|police\s+forces|policemen|police|law\s+enforcement)"
_PROTEST = r"(?:protesters|protestors|demonstrators|marchers|protester|demonstrator)"
_RIOT = r"(?:rioters|looters|mobs?)"
_CIV_STRONG = (
    r"(?:civilians|villagers|residents|passengers|pedestrians|worshippers|bystanders|shoppers"
    r"|commuters|farmers|herders|journalists|aid\s+workers|civilian(?!\s+(?:infrastructure"
    r"|targets?|sites?|buildings?|objects?|facilit\w+|homes?|houses?|vehicles?|cars?|areas?"
    r"|airports?|ships?|aircraft|planes?|government|authorities|administration|courts?"
    r"|clothes|nuclear|energy|power)\b))"
)
_CIV_WEAK = (
    r"(?:people|persons|men|women|children|boys|girls|babies|teenagers|students|pupils"
    r"|families|family|patients|a\s+(?:man|woman|child|boy|girl|baby|teenager|student))"
)
_VICTIM_CONTEXT = re.compile(
    r"\b(?:kill\w*|dead|died|deaths?|injur\w*|wound\w*|hurt|abduct\w*|kidnap\w*|shot|rap(?:ed|e)"
    r"|massacr\w*|lives|casualt\w*|attack\w*|target\w*|hostage\w*|execut\w*|tortur\w*)\b",
    re.IGNORECASE,
)
_ARMED_UNKNOWN = (
    r"(?:(?:unidentified|unknown|suspected)\s+(?:armed\s+)?(?:gunmen|attackers|assailants|men"
    r"|militants|group)|armed\s+(?:men|group|assailants|attackers)|gunmen|militants|attackers"
    r"|assailants|(?:suicide\s+)?bombers?)"
)
_REBELS = (
    r"(?:rebels?|insurgents?|guerrillas?|guerillas?|separatists?|jihadists?|terrorists?"
    r"|extremists?|subversives?|mujahideen|mujahidin|militias?|militiam[ae]n|fighters"
    r"|bandits?|gangs?|gang\s+members|gangsters|armed\s+groups?|non-state\s+armed\s+groups?"
    r"|snipers?|kidnappers|abductors|raiders|pirates|cultists)"
)
_BARE_STATE = (
    r"(?:(?:security|armed|government|government-led|pro-government|federal|state|coalition"
    r"|allied|regime|junta|military|special|defen[cs]e)\s+forces|troops|soldiers|army|military"
    r"|servicem[ae]n|service\s+members|security\s+personnel|paramilitar(?:y|ies)"
    r"|gendarmes?|gendarmerie|national\s+guard|coast\s+guard|border\s+guards?"
    r"|commandos|peacekeepers|air\s+force|navy|marines|sappers|air\s+defen[cs]es?)"
)
_GROUPS: tuple[tuple[str, str, str, str | None], ...] = (
    # (pattern, name, kind, country)
    (r"hamas", "Hamas", "rebels", "PS"),
    (r"hezbollah|hizbollah|hizballah|hizbullah", "Hezbollah", "rebels", "LB"),
    (r"houthis?|ansar\s+allah", "Houthis", "rebels", "YE"),
    (r"taliban", "Taliban", "rebels", "AF"),
    (r"al[-\s]shabaa?b|shabaa?b", "al-Shabaab", "rebels", "SO"),
    (r"boko\s+haram", "Boko Haram", "rebels", "NG"),
    (r"islamic\s+state|isis|isil|daesh", "Islamic State", "rebels", None),
    (r"wagner(?:\s+group)?", "Wagner Group", "unknown", "RU"),
    (r"rapid\s+support\s+forces|(?-i:RSF)", "Rapid Support Forces", "rebels", "SD"),
    (r"israel\s+defen[cs]e\s+forces|(?-i:IDF)", "Israeli forces", "state_forces", "IL"),
    # armed groups known by their acronyms in conflict reporting (ACLED's actor names)
    (r"(?-i:ISWAP|ISSP|ISKP|ISGS|ISCAP)", "Islamic State", "rebels", None),
    (r"(?-i:JNIM)|jama['’]?at\s+nusrat\s+al-islam\w*", "JNIM", "rebels", None),
    (r"al[-\s]qa['’]?ida|al[-\s]qaeda|(?-i:AQAP|AQIM)", "al-Qaeda", "rebels", None),
    (r"(?-i:FARC)(?:\s+dissidents)?|(?-i:EMC)", "FARC dissidents", "rebels", "CO"),
    (r"(?-i:ELN)", "ELN", "rebels", "CO"),
    (r"(?-i:M23)", "M23", "rebels", "CD"),
    (r"(?-i:ADF)", "ADF", "rebels", "CD"),
    (r"(?-i:CODECO)", "CODECO", "political", "CD"),
    (r"mai[-\s]mai(?:\s+\w+)?", "Mai-Mai militia", "political", "CD"),
    (r"(?-i:TTP)|tehr[ei]e?k-?e-?taliban\s+pakistan", "TTP", "rebels", "PK"),
    (r"(?-i:HTS)|hay['’]at\s+tahrir\s+al-sham", "HTS", "rebels", "SY"),
    (r"(?-i:SDF)|syrian\s+democratic\s+forces", "SDF", "rebels", "SY"),
    (r"(?-i:YPG)", "YPG", "rebels", "SY"),
    (r"(?-i:PKK)", "PKK", "rebels", "TR"),
    (r"(?-i:SPLA-IO|SPLM-IO)", "SPLA-IO", "rebels", "SS"),
    (r"(?-i:PDF)|people['’]s\s+defen[cs]e\s+forces?", "People's Defence Force", "rebels", "MM"),
    (r"(?-i:KIA)|kachin\s+independence\s+army", "KIA", "rebels", "MM"),
    (r"(?-i:OLA)|oromo\s+liberation\s+army", "OLA", "rebels", "ET"),
    (r"fano", "Fano militia", "political", "ET"),
    (r"(?-i:NPA)|new\s+people['’]s\s+army", "NPA", "rebels", "PH"),
    (r"abu\s+sayyaf", "Abu Sayyaf", "rebels", "PH"),
    (r"(?-i:LRA)|lord['’]s\s+resistance\s+army", "LRA", "rebels", None),
    (r"(?-i:FARDC)", "Military forces of DR Congo", "state_forces", "CD"),
    (r"(?-i:FAMa)", "Military forces of Mali", "state_forces", "ML"),
    (r"(?-i:SNA)", "Military forces of Somalia", "state_forces", "SO"),
    (r"(?-i:SSPDF)", "Military forces of South Sudan", "state_forces", "SS"),
    (r"(?-i:SAF)", "Military forces of Sudan", "state_forces", "SD"),
    (r"(?-i:ANDSF|ANA)", "Military forces of Afghanistan", "state_forces", "AF"),
    (r"tatmadaw", "Military forces of Myanmar", "state_forces", "MM"),
    (r"(?-i:UPDF)", "Military forces of Uganda", "state_forces", "UG"),
    (r"(?-i:KDF)", "Military forces of Kenya", "state_forces", "KE"),
    (r"(?-i:CRPF|BSF)", "Police forces of India", "police", "IN"),
    (r"(?-i:VDP)", "VDP militia", "political", "BF"),
    (r"(?-i:ATMIS|AMISOM|MINUSMA|MONUSCO|UNIFIL)", "Peacekeepers", "unknown", None),
)
_GROUP_TAIL = r"(?:\s+(?:rebels|militants|fighters|movement|militia|group|forces|mercenaries))?"
_ARREST = r"(?:arrest\w*|detain\w*|apprehend\w*|charged|raided|searched|deported|expelled)"
_ATTACK = (
    r"(?:attack\w*|launch\w*|fire[ds]|shell\w*|bomb\w*|struck|strikes|hits?|invade[ds]|kill\w*)"
)
_VERBS = re.compile(
    r"\b(?:attack(?:ed|s|ing)?|kill(?:ed|s|ing)?|struck|strikes|hit|hits|shell(?:ed|s)"
    r"|bomb(?:ed|s)|fired|fires|shot|clashed|clash|fought|fight|battled|ambushed|raided|stormed"
    r"|targeted|arrested|detained|captured|seized|dispersed|wounded|injured|abducted|kidnapped"
    r"|launched|opened\s+fire|used|beat|assaulted|exchanged\s+fire|repelled|engaged|pushed"
    r"|advanced|destroyed|died|were|was|marched|protested|rallied|rioted|looted|torched"
    r"|set\s+fire|stoned|threw|lynched|besieged|overran|retook|shot\s+down|downed|pounded"
    r"|recaptured|regained|liberated|took|hurled|beat|massacred|executed|murdered|gunned"
    r"|abducted|raped|burned|demolished|withdrew|defused|intercepted|dropped|blew|detonated"
    r"|planted|overtook|entered|freed|drove|pushed|surrendered|signed|agreed|deployed|sent"
    r"|established|recruited|defected|patrolled|killing|injuring|wounding|attacking)\b",
    re.IGNORECASE,
)
_RECIPROCAL = re.compile(r"\b(?:clash\w*|fought|fight\w*|battl\w*|exchanged\s+fire)\b", re.I)
_CONJ = re.compile(r"\s*(?:,|and|or|,\s*and|as\s+well\s+as|along\s+with|together\s+with)\s*", re.I)
# "Somali troops and allied clan militia", "soldiers backed by local militias"
_CONJ_MODIFIED = re.compile(
    r"\s*(?:,|and|,\s*and|along\s+with|together\s+with|backed\s+by|supported\s+by)\s+"
    r"(?:[\w-]+\s+){1,2}",
    re.I,
)
_PASSIVE = re.compile(
    r"(?:(?:were|was|have\s+been|has\s+been|had\s+been|got)\s+(?:\w+ly\s+)?"
    r"(?:\w+ed|shot|hit|struck|beaten|taken|slain|bombarded)\b|died\b)",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(
    r"\b(?:in|of|on|at|to|from|into|across|near|with|by|against|over|for|inside|outside"
    r"|throughout|within|around|toward|towards|between)\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
# "by X" is the agent; "from X" only after an attack noun ("fire from militants"), since a
# town "recaptured from rebels" was taken from them
_BY = re.compile(
    r"\b(?:by|(?:attacks?|fire|shelling|strikes?|shots|gunfire)\s+from)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)
_ARMED_KINDS = ("state_forces", "rebels", "political", "police", "unknown")


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor mention: normalized name, kind, ISO country, span in the sentence."""

    name: str
    kind: str
    country: str | None
    start: int
    end: int


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=32)
def _tables(extra: tuple[tuple[str, str], ...]) -> tuple[dict[str, tuple[str, str]], re.Pattern]:
    """demonym/name (lower) → (display demonym, ISO), and the regex of all of them."""
    demonyms: dict[str, tuple[str, str]] = {}
    names: dict[str, tuple[str, str]] = {}
    for iso, (name, demonym, others) in COUNTRIES.items():
        demonyms[demonym.lower()] = (demonym, iso)
        for n in [name, *filter(None, others.split("|"))]:
            names[n.lower()] = (demonym, iso)
    for alias, iso in _DEMONYM_ALIASES.items():
        if iso in COUNTRIES:
            demonyms[alias.lower()] = (COUNTRIES[iso][1], iso)
    for demonym, iso in extra:
        demonyms[demonym.lower()] = (demonym, iso.upper())
    dem_re = _alternation([re.escape(d) for d in demonyms if d != "us"] + ["(?-i:US)"])
    name_re = _alternation(
        [re.escape(n) for n in names if n not in ("us", "uk", "usa")] + ["(?-i:US|UK|USA)"]
    )
    group_re = "|".join(f"(?P<g{i}>(?:{p}){_GROUP_TAIL})" for i, (p, *_) in enumerate(_GROUPS))
    # lists are bounded ({0,9}): with "*", a long run of names not followed by a verb ("Kyiv,
    # Kyiv, Kyiv, …") was re-read to its end from every name (quadratic; 3,000 names took 36 s)
    dems = (
        rf"(?P<dems>(?:{dem_re})"
        rf"(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+or\s+)(?:{dem_re})){{0,9}})"
    )
    pattern = (
        rf"(?<![\w-])(?:{group_re}"
        rf"|{dems}(?:\s+{_MOD})*\s+(?:(?P<mil>{_MIL}(?:\s+{_MIL})*)|(?P<pol>{_POLICE})"
        rf"|(?P<pro>{_PROTEST})|(?P<rio>{_RIOT})|(?P<civ>{_CIV_STRONG}|{_CIV_WEAK}))"
        rf"|(?P<poss>{name_re})(?:'s|’s|’|')\s+(?:{_MOD}\s+)*(?P<pmil>{_MIL}(?:\s+{_MIL})*"
        rf"|{_POLICE})"
        rf"|(?P<names>(?:{name_re})(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)(?:{name_re})){{0,9}})"
        rf"(?=\s+(?:(?:has|have|had|also|reportedly|then|later)\s+)*(?:(?P<arrest>{_ARREST})"
        rf"|{_ATTACK})\b)"
        rf"|(?P<police>{_POLICE})|(?P<protest>{_PROTEST})|(?P<riot>{_RIOT})"
        rf"|(?P<armed>{_ARMED_UNKNOWN})|(?P<rebel>{_REBELS})|(?P<bare>{_BARE_STATE})"
        rf"|(?P<strong>{_CIV_STRONG})|(?P<weak>{_CIV_WEAK}))(?![\w-])"
    )
    all_names = {**names, **demonyms}
    return all_names, re.compile(pattern, re.IGNORECASE)


def _split(
    text: str, start: int, lookup: dict[str, tuple[str, str]]
) -> list[tuple[str, str, int, str]]:
    """A conjoined list of demonyms / names → [(display demonym, ISO, start, the name)]."""
    out = []
    for m in re.finditer(r"[^,]+?(?=\s*,|\s+and\s+|\s+or\s+|$)", text):
        part = re.sub(r"^(?:\s*,)?\s*(?:and\s+|or\s+)?", "", m.group(0)).strip()
        if part.lower() in lookup:
            demonym, iso = lookup[part.lower()]
            out.append((demonym, iso, start + m.start() + m.group(0).find(part), part))
    return out


def find_actors(
    sentence: str, *, demonym_countries: Mapping[str, str] | None = None
) -> list[Actor]:
    """Actor mentions in ``sentence``, normalized, in text order.

    Parameters
    ----------
    sentence
        One sentence; matching is case-insensitive (except "US", "UK", "IDF", "RSF").
    demonym_countries
        Extra demonyms → ISO alpha-2 (e.g. ``{"Malian": "ML"}``), added to the built-in map.

    Returns
    -------
    list of Actor
        Non-overlapping mentions; a conjoined "Ukrainian and North Korean troops" gives one actor
        per demonym, each spanning from its demonym to the shared noun.
    """
    return list(_find(sentence, tuple(sorted((demonym_countries or {}).items()))))


@lru_cache(maxsize=1024)
def _find(sentence: str, extra: tuple[tuple[str, str], ...]) -> tuple[Actor, ...]:
    """:func:`find_actors`, cached: a clause is read for its type, its actors and its
    places' names."""
    lookup, pattern = _tables(extra)
    # the pattern is case-insensitive, so "Ruſſia's" matches but its lower case misses the
    # lookup table (KeyError): fold those letters first (one for one, offsets hold)
    sentence = sentence.translate(CASE_TWINS)
    victims = bool(_VICTIM_CONTEXT.search(sentence))
    out: list[Actor] = []
    for m in pattern.finditer(sentence):
        end = m.end()
        for i, (_, name, kind, iso) in enumerate(_GROUPS):
            if m.group(f"g{i}"):
                out.append(Actor(name, kind, iso, m.start(), end))
                break
        else:
            out.extend(_classify(m, lookup, victims))
    logger.debug("actors in %r: %s", sentence[:80], out)
    return tuple(out)


_GENERIC = {  # group of the big pattern → (name, kind) when no country is attached
    "police": ("Police forces", "police"),
    "protest": ("Protesters", "protesters"),
    "riot": ("Rioters", "rioters"),
    "armed": ("Unidentified armed group", "political"),
    "rebel": ("Unidentified armed group", "rebels"),
    "bare": ("Military forces", "state_forces"),
    "strong": ("Civilians", "civilians"),
    "weak": ("Civilians", "civilians"),
}
_NOUN_KINDS = {"mil": "state_forces", "pol": "police", "pro": "protesters", "rio": "rioters"}


def _national(kind: str, demonym: str, iso: str) -> str:
    """Name of a national actor: "Russian forces", "Police forces of Poland", "Protesters"."""
    if kind == "state_forces":
        return _SPECIAL_FORCE_NAMES.get(iso, f"{demonym} forces")
    if kind == "police":
        return f"Police forces of {COUNTRIES[iso][0] if iso in COUNTRIES else demonym}"
    return kind.capitalize()


def _classify(m: re.Match[str], lookup: dict[str, tuple[str, str]], victims: bool) -> list[Actor]:
    """The actors of one non-group match of the big pattern."""
    start, end = m.start(), m.end()
    if m.group("dems"):
        kind = next((k for g, k in _NOUN_KINDS.items() if m.group(g)), "civilians")
        if kind == "civilians" and not (victims or re.match(_CIV_STRONG, m.group("civ"), re.I)):
            return []
        parts = _split(m.group("dems"), m.start("dems"), lookup)
        return [Actor(_national(kind, d, iso), kind, iso, s, end) for d, iso, s, _ in parts]
    if m.group("poss"):
        demonym, iso = lookup[m.group("poss").lower()]
        kind = "police" if re.fullmatch(_POLICE, m.group("pmil"), re.I) else "state_forces"
        return [Actor(_national(kind, demonym, iso), kind, iso, start, end)]
    if m.group("names"):
        if _LOCATIVE.search(m.string, 0, start):  # "an attack in southeastern Ukraine killed"
            return []
        kind = "police" if m.group("arrest") else "state_forces"
        parts = _split(m.group("names"), m.start("names"), lookup)
        return [Actor(_national(kind, d, iso), kind, iso, s, s + len(k)) for d, iso, s, k in parts]
    group = next(g for g in _GENERIC if m.group(g))
    if group == "weak" and not victims:
        return []
    name, kind = _GENERIC[group]
    if group == "rebel":
        name = _rebel_name(m.group("rebel"))
    elif group == "bare" and (named := _named_army(m.string, start, end, lookup)) is not None:
        return [named]
    return [Actor(name, kind, None, start, end)]


_NAME_RUN = re.compile(r"(?:(?-i:[A-Z])[\w'’-]*\s+){1,5}$")


def _named_army(
    sentence: str, start: int, end: int, lookup: dict[str, tuple[str, str]]
) -> Actor | None:
    """ "Arakan Army", "Kachin Independence Army": a capitalised "Army" after a name that holds
    no country or demonym is an armed group's name (ACLED: rebels), not a state's military."""
    word = sentence[start:end]
    if word != "Army" or sentence.isupper():
        return None
    run = _NAME_RUN.search(sentence, 0, start)
    if run is None:
        return None
    words = [w.lower() for w in run.group(0).split()]
    if any(w in lookup or w in ("the", "national", "royal", "people's") for w in words[-1:]):
        return None
    if any(w in lookup for w in words):
        return None
    return Actor(" ".join([*run.group(0).split(), word]), "rebels", None, run.start(), end)


def _rebel_name(word: str) -> str:
    """ "insurgents" → "Rebels", "militiamen" → "Militia", "bandits" → unidentified."""
    w = word.lower()
    if w.startswith(("rebel", "insurgent", "guerr", "gueri", "separatist")):
        return "Rebels"
    if w.startswith("militia"):
        return "Militia"
    return "Unidentified armed group"


def _display(actor: Actor, *, as_kind: str | None = None) -> str:
    """ACLED-style display name: "Protesters (Kenya)" for protesters/rioters with a country."""
    kind = as_kind or actor.kind
    if kind in ("protesters", "rioters"):
        base = "Protesters" if kind == "protesters" else "Rioters"
        if actor.country:
            return f"{base} ({COUNTRIES.get(actor.country, (actor.country,))[0]})"
        return base
    return actor.name


def _subject(sentence: str, before: list[Actor]) -> list[Actor]:
    """The actor nearest before the verb plus the actors conjoined to it ("X and Y attacked")."""
    group = [before[-1]]
    for a in reversed(before[:-1]):
        gap = sentence[a.end : group[0].start]
        if a.end > group[0].start or _CONJ.fullmatch(gap) or _CONJ_MODIFIED.fullmatch(gap):
            group.insert(0, a)
        else:
            break
    return group


def sides(sentence: str, actors: list[Actor]) -> tuple[list[Actor], list[Actor], bool]:
    """(initiators, targets, reciprocal): split at the main verb or by the agent of "by X".

    The subject of the first event verb is the initiator, its object the target; in the
    passive ("two soldiers were killed in a Russian strike", "died") the sides swap.
    """
    by_agent = [a for a in actors if _BY.search(sentence[: a.start])]
    if by_agent:
        return by_agent, [a for a in actors if a not in by_agent], False
    spans = [(a.start, a.end) for a in actors]
    for v in _VERBS.finditer(sentence):
        if any(s <= v.start() < e for s, e in spans):
            continue
        before = [a for a in actors if a.end <= v.start()]
        if not before:
            if _PASSIVE.match(sentence, v.start()):
                continue  # "were killed by …": the agent comes later
            # "A roadside bomb struck a police vehicle, killing three officers": an unnamed
            # subject acts on the named actors
            return [], [a for a in actors if a.start >= v.end()], False
        after = [a for a in actors if a.start >= v.end()]
        subject = _subject(sentence, before)
        if _PASSIVE.match(sentence, v.start()):
            return after, subject, False
        return subject, after, bool(_RECIPROCAL.match(v.group(0)))
    return actors, [], True


def pair_actors(
    sentence: str, actors: list[Actor], *, event_type: str
) -> tuple[str | None, str | None]:
    """(actor1, actor2) ACLED-style: actor1 the initiator, actor2 the target.

    Parameters
    ----------
    sentence
        The sentence the actors were found in.
    actors
        :func:`find_actors` output for ``sentence``.
    event_type
        One of ACLED's event types ("Battles", "Explosions/Remote violence", "Violence against
        civilians", "Protests", "Riots", "Strategic developments"); case-insensitive.

    Returns
    -------
    tuple
        Display names or ``None``:

        * Violence against civilians: (perpetrator, ``"Civilians"``);
        * Protests / Riots: (``"Protesters (<Country>)"`` / ``"Rioters (<Country>)"``, or without
          the country when unknown — the crowd is always actor1 —, the police/forces or target);
        * Battles: the two armed sides (co-subjects of "clashed"/"fought" oppose each other);
        * Explosions/Remote violence: (attacker, armed target, else ``"Civilians"`` when
          civilians are named or anyone was killed/injured, else ``None``);
        * other types: (subject-side actor, object-side actor or ``None``).
    """
    etype = event_type.strip().lower()
    first, targets, reciprocal = sides(sentence, actors)
    armed = [a for a in actors if a.kind in _ARMED_KINDS]

    def pick(pool: list[Actor], *, kinds=_ARMED_KINDS, not_name: str | None = None) -> str | None:
        for a in pool:
            if a.kind in kinds and _display(a) != not_name:
                return _display(a)
        return None

    if etype in ("protests", "riots"):
        kind = {"protests": "protesters", "riots": "rioters"}[etype]
        crowd = next((a for a in actors if a.kind in ("protesters", "rioters")), None)
        others = [a for a in (*targets, *first) if a.kind not in ("protesters", "rioters")]
        if crowd is not None and crowd.country is None:  # police act at home
            police = next((a for a in others if a.kind == "police" and a.country), None)
            crowd = replace(crowd, country=police.country) if police else crowd
        a1 = _display(crowd, as_kind=kind) if crowd else kind.capitalize()
        kinds = ("police", "state_forces") if etype == "protests" else (*_ARMED_KINDS, "civilians")
        return a1, pick(others, kinds=kinds)
    # the side acted upon never stands in for the one that acted ("a roadside bomb struck a
    # police vehicle": the police are actor2, the bomber unknown)
    a1 = pick(first) or pick([a for a in armed if a not in targets])
    if etype == "violence against civilians":
        return a1, "Civilians"
    if etype == "battles":
        a2 = pick(targets, not_name=a1)
        if a2 is None and reciprocal:
            a2 = pick(first, not_name=a1)
        return a1, a2 or pick(armed, not_name=a1)
    if etype == "explosions/remote violence":
        a2 = pick(targets, not_name=a1)
        if a2 is None:
            cas = parse_casualties(sentence)
            if any(a.kind == "civilians" for a in actors) or (cas.fatalities or cas.injured):
                a2 = "Civilians"
        return a1, a2
    if a1 is None:
        a1 = pick(first, kinds=("civilians", "protesters", "rioters"))
    return a1, pick(
        targets, kinds=(*_ARMED_KINDS, "civilians", "protesters", "rioters"), not_name=a1
    )
