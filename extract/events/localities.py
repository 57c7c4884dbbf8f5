"""Place names the gazetteer lacks, found in the frames news uses for an event's location.

Villages, neighbourhoods, camps and hills are often missing from an offline gazetteer, yet a
report names them in unmistakable frames: "the village of X", "X village", "X (district,
province)", "in X, <province>", "shelled X", "stormed X", "X came under fire", lists opened by
a plural place noun ("the towns of A, B and C"). A framed name that holds a word the gazetteer
matched ("the village of Dutsin Kura", resolved as "Kura") is still the place.
:func:`find_localities` finds such names in a clause; :func:`anchor_place` places one at the
area the text states for it (the town that owns it, the qualifier after it, a coarser place in
the same clause, else the article's one country) so an incident there is mapped at that area
with an honest geo precision (2 for a town or district, 3 for a province or country), never at
a guessed city.

The frames are conservative: a name must be capitalised (in all-caps copy only the explicit
"village/town of X" and "X village/department" frames count), must not be a common English
word, a month or weekday, a person's title or given name, a demonym, or an organisation word,
and must not overlap a place the gazetteer already resolved unless it holds that place as a
word of its own name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.events.actors import find_actors
from extract.geoparse._cue_words import DISEASE_HEADS, DISEASE_MODIFIERS
from geodata.records import Place

__all__ = ["Locality", "anchor_place", "find_localities"]

# place nouns that introduce a name ("the village of X") or follow it ("X village")
_BEFORE_NOUNS = (
    r"village|villages|town|city|hamlet|settlement|locality|area|district|neighbou?rhood"
    r"|suburb|quarter|camp|municipality|commune|county|sub-?district|tehsil|upazila|township"
    r"|ward|region|province|governorate|oblast|raion|department|outskirts|vicinity|hill|hills"
    r"|mountain|valley|island|port|border town|frontline town|front-line village|slopes?"
    r"|perimeter|edge|flanks?|gates?|entrance|heart|centre|center|environs|countryside"
    r"|hilltops?|mountaintops?|place|spot|community|farms|colony|capital|axis|front|frontline"
    # the fighting named after its place: "the battle of X", "the siege of X"
    r"|battle|siege|liberation"
    # plurals open a list: "the towns of A, B and C" (see _LIST_ITEM)
    r"|towns|cities|districts|neighbou?rhoods|areas|hamlets|settlements|suburbs|quarters|camps"
    r"|communities|localities|municipalities"
)
# the plural nouns whose "of" frame names several places
_PLURAL_OPENER = re.compile(
    r"(?i:villages|towns|cities|districts|neighbou?rhoods|areas|hamlets|settlements|suburbs"
    r"|quarters|camps|communities|localities|municipalities|hilltops|mountaintops)"
    r"(?:\s+of\s+|:\s*)$"
)
_AFTER_NOUNS = (
    r"villages?|towns?|city|areas?|districts?|neighbou?rhoods?|quarters?|suburbs?|camp"
    r"|refugee camp|IDP camp|township|upazila|border (?:community|town|village)"
    r"|tehsil|raion|rayon|locality|hromada|municipality|sub-?district|commune|LGA"
    r"|local government area|local council|development area|settlement|checkpoint|crossing"
    r"|junction|market|bridge|hill"
    r"|valley|region|province|governorate|oblast|department|county|sector|axis|community"
    r"|islet|island|housing complex|housing project|complex|gas fields?|oil fields?|plains?"
    r"|mountains?|heights|plateau|airbase|air base|military airport|airport|base|colony|farms"
    r"|gorge"
)
_NAME = (
    # a name starts a word ("central Somali" holds no "al Somali")
    r"(?<![\w’'ʿ‘-])(?:(?:[Aa][dnrstz]|[Aa]sh)-|(?:[Aa]l|[Ee]l|[Dd]e|[Ll]a|[Ll]e|[Ll]os|[Ll]as|[Bb]ani"
    r"|[Bb]eni|[Bb]ir|[Kk]afr|[Tt]al|[Tt]ell|[Dd]eir|[Aa]in|[Kk]hirbet)[-\s‑])?"
    r"[‘’ʿ']?[A-Z][\w’'ʿ‘.-]*(?:[\s-](?:[‘’ʿ']?[A-Z][\w’'ʿ‘-]*|al|el|ad|de|la|du|des|bin|e|i)){0,3}"
)
_VERBS = (
    r"attack(?:ed|ing)|shell(?:ed|ing)|storm(?:ed|ing)|captur(?:ed|ing)|recaptur(?:ed|ing)"
    r"|seiz(?:ed|ing)|enter(?:ed|ing)|struck|strik(?:e|ing)|hit(?:ting)?|raid(?:ed|ing)"
    r"|bomb(?:ed|ing)|target(?:ed|ing)|overran|liberat(?:ed|ing)|besieg(?:ed|ing)|retook"
    r"|encircl(?:ed|ing)|surround(?:ed|ing)|pound(?:ed|ing)|invad(?:ed|ing)|reached|took"
    r"|controlled|rock(?:ed|ing)"
)
# what is done to a place, never to a person ("X was captured" is often a person)
_PASSIVE = (
    r"shelled|bombed|stormed|overrun|besieged|liberated|recaptured|retaken|pounded|bombarded"
    r"|encircled|looted|torched"
)
_PREPS = (
    r"(?i:in|at|on|against|near|outside|around|into|toward|towards|inside|on the outskirts of"
    r"|close to|(?:residents|people|inhabitants|villagers|population) of)(?:\s+both)?"
)
# "in southern Deir Ezzor", "in suburban Port-au-Prince", "in downtown X"
_SIDE = (
    r"(?:(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central"
    r"|suburban|rural|downtown|greater|upper|lower|eastern|western|strategic|key|besieged"
    r"|important|main|nearby|[a-z]+-(?:held|controlled|occupied|run|besieged))\s+){0,2}"
)
_FRAMES = re.compile(
    rf"\b(?:the\s+)?(?:(?i:{_BEFORE_NOUNS}))(?:\s+(?:of|called|named|known\s+as)\s+|:\s*)"
    rf"(?P<a>{_NAME})"
    rf"|(?P<b>{_NAME})\s+(?:(?i:{_AFTER_NOUNS}))\b"
    rf"|\b(?:{_VERBS})\s+(?:the\s+)?{_SIDE}(?P<c>{_NAME})"
    rf"|\b(?:{_PREPS})\s+(?:the\s+)?{_SIDE}(?P<d>{_NAME})"
    # the place as the subject of a passive or "came under": "X came under artillery fire",
    # "X was shelled overnight" (terse reports name the village first)
    rf"|(?P<e>{_NAME})\s+(?:(?:came|comes|come)\s+under\b|(?:was|were|is|are|has\s+been"
    rf"|have\s+been|had\s+been|is\s+being|are\s+being)\s+(?:again\s+|also\s+)?(?:{_PASSIVE})\b)"
)
# the first word of many Arabic place names ("Kafr Nabl", "Deir Hafer", "Wadi Barada"): such a
# name after "in" is a place whatever follows it
_PLACE_PREFIX = re.compile(
    r"(?:Kafr|Kfar|Deir|Dayr|Tal|Tall|Tell|Beit|Bayt|Ain|Ayn|Bir|Khirbet|Khirbat|Jabal|Jebel"
    r"|Wadi|Ras|Qasr|Mazra[’']?at|Nahr|Hayy|Souq|Suq)[-\s‑][A-Z‘’ʿ']"
)
# a name that ends in a place noun: "Deir Ezzor Military Airport" is "Deir Ezzor" + the noun
_NOUN_TAIL = re.compile(rf"(\S.*?)\s+(?i:{_AFTER_NOUNS})$")
# the next item of a list opened by a plural noun: "the villages of A, B, and C"
_LIST_ITEM = re.compile(rf"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?(?P<a>{_NAME})")
_CAPS_STOP = (
    r"(?:IN|ON|AT|AND|OR|BY|FROM|TO|NEAR|AFTER|BEFORE|DURING|WHEN|WHERE|WHICH|THAT|THE|A|AN"
    r"|WAS|WERE|IS|ARE|HAS|HAVE|HAD|YESTERDAY|TODAY|TONIGHT|THIS|LAST|OF|FOR|WITH|WHO|ABOUT"
    r"|SOME|KM|KILOMETERS|DEPARTMENT|PROVINCE|MUNICIPALITY|JURISDICTION|VILLAGE|TOWN|CITY)\b"
)
_CAPS_WORD = rf"(?!{_CAPS_STOP})[A-Z][A-Z’'-]*"
# in all-caps copy only the explicit place-noun frames
_CAPS_FRAMES = re.compile(
    rf"\b(?:THE\s+)?(?:{_BEFORE_NOUNS.upper()})\s+OF\s+(?P<a>{_CAPS_WORD}(?:\s{_CAPS_WORD}){{0,4}})"
    rf"|(?P<b>{_CAPS_WORD})\s+(?:VILLAGE|DEPARTMENT|MUNICIPALITY|JURISDICTION|HAMLET|CANTON)\b"
)
# words that open a sentence's subject but never a place's name
_SUBJECT_WORDS = frozenset(
    """he she it they we you i many most some several both others all none nobody everyone
    everybody someone somebody hundreds thousands dozens scores two three four five six seven
    eight nine ten eleven twelve one another each neither either there here""".split()
)
_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY = re.compile(_WEEKDAYS)
# words that are never the head of a place name here
_NOT_PLACES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december the a an this that these those his
    her their its our president minister general colonel major captain lieutenant commander
    mr mrs ms dr sheikh mullah maulana ayatollah haji hajji prince king queen pope governor
    mayor senator chief police army navy prime day
    ministry council university college school hospital court party front movement committee
    agency company bank church mosque parliament congress government state forces brigade
    battalion division regiment command unit units corps guard guards force group
    organisation
    organization union
    federation association commission office department service news reuters afp ap tv radio
    facebook twitter telegram youtube islamic christian muslim jewish catholic orthodox
    north south east west northern southern eastern western central upper lower greater new
    old al el de la le saint st lake river sea gulf street road avenue
    palace house building centre center stadium prison highway
    conference summit parade review festival exchange games championship tournament ceremony
    covid god allah christmas easter ramadan eid
    jan feb mar apr jun jul aug sep sept oct nov dec
    shiite shiites shia shias shi'i shi’i shi'ite shi’ite shi'ites shi’ites sunni sunnis islamist
    islamists jihadist jihadists
    kurd kurds alawite alawites druze christians muslims coptic copts hindu hindus sikh sikhs
    buddhist buddhists catholics protestants jews arabs
    """.split()
)
# words that end a site's name but never open a place's ("Deir Ezzor Military Airport")
_NEVER_FIRST = frozenset(
    "military international national republican presidential development industrial".split()
)
_HELD_BY = re.compile(r"-(?:held|controlled|occupied|run|backed|led|besieged|allied)$", re.I)
# the head words of an armed group's or an organisation's name ("Jaysh Al-Fateh")
_ORG_HEADS = frozenset(
    """jabhat harakat hay'at hay’at hayat liwa liwaa jaysh jaish ahrar kataib kataeb ansar
    faylaq saraya ajnad tahrir""".split()
)
# the named building or site where an event happened ("the Al-Noor Grammar School"): a place
# for the record only where the text also names its town (see Locality.facility)
_FACILITIES = frozenset(
    """school hospital hotel mosque church market stadium prison palace college university
    academy complex station embassy consulate compound camp base airport airbase factory
    refinery terminal""".split()
)
# actor words that may sit inside a place name ("Kuweires Military Airport")
_GENERIC_ACTORS = frozenset({"Military forces", "Police forces", "Civilians"})
# a compass word or an epithet may open a name ("East Ghouta", "Upper Nile", "New Halfa")
_MAY_OPEN = frozenset("north south east west upper lower greater new old central".split())
# a title that opens many Arabic and Christian place names ("the town of Sheikh Miskeen",
# "Sheikh Maqsoud district", "St. Martin parish"): a place where a place noun frames it
_TITLE_OPENERS = frozenset("sheikh saint st st. sidi imam sultan king prince".split())
_POSSESSOR = re.compile(r"[^\s’']+(?:\s[^\s’']+){0,2}['’]s\s+")
_ARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "de", "la", "le"})
# what may follow a place name after "in": punctuation, a preposition, a place noun, or the
# next part of the sentence ("killed in X when …", "in X on Monday", "in X Monday")
_LOCATIVE_TAIL = re.compile(
    rf"\s*(?:[,(;.]|\s(?:in|of|near|on|at|outside|about|some|just|and|or|(?:north|south|east|west)\w*"
    rf"|when|where|while|after|before|during|since|until|as|by|with|last|this|early|late"
    rf"|overnight|yesterday|today|tonight|killing|wounding|injuring|leaving|between"
    rf"|was|were|is|are|has|have|had"
    rf"|{_WEEKDAYS}|\d|(?i:{_AFTER_NOUNS}))\b|$)"
)


@dataclass(frozen=True, slots=True)
class Locality:
    """A place name the gazetteer lacks: its span and the frame it was found in."""

    start: int
    end: int
    text: str
    frame: str  # "of" ("village of X"), "noun" ("X village"), "verb" ("shelled X"), "prep"
    facility: bool = False  # a building or site ("X Grammar School"), not a settlement


def find_localities(
    text: str,
    start: int,
    end: int,
    places: list[Place],
    *,
    common_words: dict[str, float] | None = None,
    english_words: dict[str, float] | None = None,
    given_names: frozenset[str] | set[str] = frozenset(),
) -> list[Locality]:
    """Unknown place names in ``text[start:end]`` (a clause), in text order.

    Parameters
    ----------
    text
        The article.
    start, end
        The clause's offsets.
    places
        The article's resolved places: a name overlapping one of them is not reported.
    common_words
        Word → Zipf frequency (``Gazetteer.common_words``): frequent words are no names.
    english_words
        Every English dictionary word → Zipf frequency (``Gazetteer.english_words``): after
        a verb or a preposition, a frequent word is no name ("took Instead", "in the Navy");
        a place noun's frame ("Logo Local Government Area") needs only ``common_words``.
    given_names
        Lower-case given names (``Gazetteer.given_names``): "in Ahmed" is no place.
    """
    clause = text[start:end]
    caps = clause.isupper()
    pattern = _CAPS_FRAMES if caps else _FRAMES
    # resolved places are known; an unresolved span may still be placed at its stated area
    taken = [
        (p.start, p.end) for p in places if p.end > start and p.start < end and p.lat is not None
    ]
    resolved = list(taken)
    out: list[Locality] = []
    pos = 0
    while (m := pattern.search(clause, pos)) is not None:
        pos = m.start() + 1  # a rejected frame must not hide one that starts inside it
        group = next(g for g in ("a", "b", "c", "d", "e") if m.groupdict().get(g))
        a, b = m.span(group)
        owner = _POSSESSOR.match(clause, a, b)
        if owner is not None:
            a = owner.end()  # "Mogadishu's Wadajir district": the district, not the city
        name = _trim(clause[a:b])
        b = a + len(name)
        if not name:
            continue
        s, e = start + a, start + b
        if any(s < te and ts < e for ts, te in taken) and not (
            group in ("a", "b") and _holds_fragments(name, s, e, resolved)
        ):
            continue
        if (
            group == "d"
            and not _LOCATIVE_TAIL.match(clause, b)
            and not _PLACE_PREFIX.match(name)
            and not _NOUN_TAIL.match(name)
        ):
            # "in Parliament's vote": only "in X," / "in X (…)" / "in X district", or a name
            # that says it is a place ("in Kafr Nabl …", "in Ngosa LGA …")
            continue
        frame = {"a": "of", "b": "noun", "c": "verb", "d": "prep", "e": "verb"}[group]
        if group == "e" and name.split()[0].lower() in _SUBJECT_WORDS:
            continue  # "They were attacked", "Dozens were seized": no place
        # a given name is a person after "in" or a verb, but "the village of Reyhan",
        # "Al-Reyhan" and "in Murphy, North Carolina" are places
        qualified = any(
            0 < p.start - e <= 3 and text[e : p.start].strip() in (",", "(") for p in places
        )
        names = given_names if frame in ("verb", "prep") and not qualified else frozenset()
        # after a verb or "in", a dictionary word is no name, unless a place noun ends it
        loose = frame in ("verb", "prep") and not _NOUN_TAIL.match(name)
        words = english_words if loose and english_words else common_words
        if not _plausible(name, words or {}, names, caps=caps, frame=frame):
            continue
        if group in ("c", "d") and (head := _NOUN_TAIL.match(name)) is not None:
            # "on the Deir Ezzor Military Airport today": the name, framed by its noun
            name, frame = head.group(1), "noun"
            e = s + len(name)
        if _DISEASE_AFTER.match(text, e):
            continue  # "Rift Valley fever killed cattle": a disease, not a place
        if _AGENCY_AFTER.match(text, e) or _AGENCY_BEFORE.search(text, max(0, s - 16), s):
            continue  # "the Interior Department", "Department of Civil Aviation": an agency
        if frame == "verb" and text.startswith(("'s", "’s"), e):
            continue  # "took Smith's advice": whose, not where
        out.append(_locality(s, name, frame))
        taken.append((s, e))
        pos = b
        if frame == "of" and not caps and _PLURAL_OPENER.search(clause[max(0, a - 30) : a]):
            pos = _list_items(clause, b, start, taken, out, common_words or {})
    return sorted(out, key=lambda loc: loc.start)


# a capitalized "Department" after or before a name makes it a government agency
_AGENCY_AFTER = re.compile(r"\s+Department\b")
_AGENCY_BEFORE = re.compile(r"\bDepartment of\s+$")
# what follows a name that opens a disease's name: "Valley fever", " hemorrhagic fever", " virus"
_DISEASE_AFTER = re.compile(
    r"(?:[\s-]+(?:[A-Z][\w'-]*|"
    + "|".join(sorted(DISEASE_MODIFIERS))
    + r"))*[\s-]+(?i:"
    + "|".join(sorted(DISEASE_HEADS))
    + r")\b"
)


def _holds_fragments(name: str, s: int, e: int, resolved: list[tuple[int, int]]) -> bool:
    """Whether a name a place noun frames ("the village of Dutsin Kura", "Tal Safir hill") is
    longer than every resolved span it overlaps, each inside it: the gazetteer matched a word
    of the name ("Kura"), not the place. A name ending in a place noun is no such name."""
    inside = [(ts, te) for ts, te in resolved if s < te and ts < e]
    if not inside or len(name.split()) < 2 or _NOUN_TAIL.match(name) is not None:
        return False
    if not all(s <= ts and te <= e and te - ts < e - s for ts, te in inside):
        return False
    # the rest of the name must be a name too: "Hama Military", "Greater Damascus" are a
    # known place and a generic word
    rest = [w.lower() for w in re.split(r"[\s-]+", name) if w]
    return not any(w in _NOT_PLACES or w in _NEVER_FIRST for w in rest[1:] + rest[:1])


def _locality(start: int, name: str, frame: str) -> Locality:
    last = name.split()[-1].lower() if name.split() else ""
    return Locality(start, start + len(name), name, frame, facility=last in _FACILITIES)


def _list_items(
    clause: str,
    pos: int,
    offset: int,
    taken: list[tuple[int, int]],
    out: list[Locality],
    common: dict[str, float],
) -> int:
    """The further items of a list a plural place noun opened ("the villages of A, B and C"):
    each one a locality unless the gazetteer resolved it. Returns where the list ends."""
    while (m := _LIST_ITEM.match(clause, pos)) is not None:
        a = m.start("a")
        name = _trim(m.group("a"))
        if not name:
            break
        s, e = offset + a, offset + a + len(name)
        pos = a + len(name)
        if any(s < te and ts < e for ts, te in taken):
            continue  # a listed town the gazetteer knows: the list goes on
        if not _plausible(name, common, frozenset(), caps=False, frame="of"):
            break
        out.append(_locality(s, name, "of"))
        taken.append((s, e))
    return pos


def _trim(name: str) -> str:
    """Drop a trailing possessive, full stop, dangling connector or weekday ("in X Monday")."""
    name = re.sub(r"(?:['’]s?|\.)$", "", name.strip())
    words = name.split()
    while words and (
        words[-1].lower() in ("al", "el", "ad", "de", "la", "du", "des", "e", "i")
        or _WEEKDAY.fullmatch(words[-1])
    ):
        words.pop()
    return " ".join(words)


def _plausible(
    name: str,
    common: dict[str, float],
    given: frozenset[str] | set[str],
    *,
    caps: bool,
    frame: str = "prep",
) -> bool:
    words = [w.strip("‘’ʿ'").lower() for w in re.split(r"[\s-]+", name) if w.strip("‘’ʿ'")]
    article = False
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)  # "Al-Sukhanah", "El Fasher": judge the name, not the article
        given = frozenset()
        article = True
    if not words or len(name) < 3:
        return False
    if words[-1] in _NOT_PLACES and not (len(words) > 1 and words[-1] in _FACILITIES):
        return False
    # "the town of Sheikh Miskeen" is a place; "in Sheikh Ahmed's house" a person
    titled = (
        len(words) > 1
        and words[0] in _TITLE_OPENERS
        and (frame in ("of", "noun") or words[1] not in given)
    )
    if words[0] in _NOT_PLACES and words[0] not in _MAY_OPEN and not titled:
        return False
    if words[0] in _NEVER_FIRST:
        return False  # "the Hama Military Airport": the rest of a known town's site
    if any(w in _ORG_HEADS for w in words):
        return False
    if _HELD_BY.search(name):
        return False  # "the ISIS-held town of X": who holds it, not its name
    if any(a.name not in _GENERIC_ACTORS for a in find_actors(name)):
        return False  # "attacked Hamas", "near Taliban": a group, not a place
    if len(words) == 1:
        w = words[0]
        # "the city of al-Tall", "el-Ain refugee camp": an article and a place noun make even
        # a common word a name
        named = article and frame in ("of", "noun")
        if (common.get(w, 0.0) >= 3.5 and not named) or (not caps and w in given):
            return False
    return not (len(words) > 1 and all(common.get(w, 0.0) >= 4.0 for w in words))


def anchor_place(
    text: str,
    locality: Locality,
    candidates: list[int],
    places: list[Place],
    *,
    focus: Place | None = None,
) -> tuple[Place, int | None]:
    """The stated area of an unknown locality, as a :class:`Place` at its span, with the
    incident's geo precision (2: a town or district is given; 3: a province or country).

    ``candidates`` are indices of resolved literal places of the clause; the town that owns the
    name ("Durban's X township") is preferred, then the qualifier right after the name ("X, Y
    province", "X (Y district, Z)", "X in Y"), then the most specific of them, then ``focus``
    (the article's one country); no point when nothing states an area: then the place has no
    point and the precision is ``None``.
    """
    anchor: Place | None = None
    # a word of the name the gazetteer matched ("Kura" in "Dutsin Kura") is not its area
    candidates = [
        i for i in candidates if places[i].end <= locality.start or places[i].start >= locality.end
    ]
    after = [i for i in candidates if 0 <= places[i].start - locality.end <= 40]
    owner = [
        i
        for i in candidates
        if places[i].kind in _TOWNS
        and _OWNER_GAP.fullmatch(text, places[i].end, locality.start) is not None
    ]
    if owner:  # "Durban's Umlazi township": in the town, whatever province follows
        anchor = places[owner[0]]
    elif after:
        anchor = places[min(after, key=lambda i: places[i].start)]
    elif candidates:
        anchor = places[max(candidates, key=lambda i: _RANK.get(places[i].kind, 0))]
    elif focus is not None:
        anchor = focus
    if anchor is None or anchor.lat is None:
        anchor = None
    precision = None if anchor is None else 2 if anchor.kind in _TOWNS else 3
    place = Place(
        start=locality.start,
        end=locality.end,
        text=locality.text,
        name=locality.text,
        geonameid=None,
        lat=anchor.lat if anchor else None,
        lon=anchor.lon if anchor else None,
        kind="locality",
        country=anchor.country if anchor else None,
        admin1=anchor.admin1 if anchor else None,
        role="literal",
        score=0.3,
        entry_id=None,
        precision="area",
    )
    return place, precision


_TOWNS = ("city", "district", "adm2", "locality")
# the possessive that makes a town the owner of the next name: "Durban's Umlazi township"
_OWNER_GAP = re.compile(r"['’]s\s+(?:[a-z][\w-]*\s+){0,2}")
_RANK = {"district": 5, "city": 4, "adm2": 3, "adm1": 2, "region": 1, "country": 1}
