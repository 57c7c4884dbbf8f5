"""Resolution: choose the gazetteer entry for each mention using the whole document.

Each candidate gets a prior (population, kind, capital status, type cues such as "Kursk
region" or "city of X") and then document evidence: the countries and admin-1 areas that the
other mentions point to, nearness to the other confidently resolved places, and "City, State"
qualifiers. Mentions also get a role: ``literal``, ``associative`` ("Kyiv said") or ``demonym``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from extract.article import Place
from extract.recognize import Mention, Token
from geodata.normalize import name_key

__all__ = ["SPEECH_VERBS", "resolve"]

_KIND_BONUS = {
    "country": 3.0,
    "continent": 3.0,
    "region": 5.0,
    "adm1": 0.5,
    "adm2": -0.5,
    "city": 0.0,
    "district": 0.0,
}
# weights of the score terms (log10 population, same-admin-1 support per supporting mention,
# share of the document's country evidence, nearness to other resolved places)
_POP_WEIGHT = 1.3
# candidates kept after the prior: document evidence is worth at most ~8 points, so a place
# ranked lower than this has never been seen to win
_MAX_CANDIDATES = 12
_ADMIN_W = 1.5
_CTX_W = 3.0
_DIST_W = 2.0
_SPEECH = frozenset(
    "said says say suspects suspected suspect announced announces announce accused accuses "
    "accuse warned warns warn claimed claims claim denied denies deny insists insisted insist "
    "hailed hail hails wants want wanted believes believe believed urged urges urge demanded "
    "demands condemned condemns rejected rejects agreed agrees signed signs threatened "
    "threatens vowed vows pledged pledges responded responds confirmed confirms decided "
    "decline declined declines argued argues argue insisted stressed stresses noted notes "
    "told tells expects expected expect recognized recognised recalled recalls imposed "
    "imposes sanctioned sanctions approved approves refused refuses demanded asked asks "
    "called calls summoned summons expelled expels negotiated negotiates criticized "
    "criticised criticizes criticises supports supported opposes opposed thinks thought "
    "considers considered fears feared hopes hoped plans planned seeks sought".split()
)
# what a government does, said of its capital ("Pyongyang fires", "Moscow sent")
_STATE_ACTIONS = frozenset(
    "fires fired launches launched tests tested sends sent deploys deployed supplies supplied "
    "delivers delivered provides provided backs backed orders ordered invades invaded "
    "annexed annexes recalls recalled expels expelled".split()
)
# nouns after a capital's "X's" that make X its government ("Moscow's support")
_STANCES = frozenset(
    "support decision decisions invasion war plan plans policy policies offer response position "
    "demand demands claim claims stance refusal threat threats role ties relationship backing "
    "aggression efforts effort approach request proposal involvement ambitions intentions "
    "strategy interests objections reaction move moves attempt attempts insistence".split()
)
# nouns after "X's" that keep X a location ("Moscow's outskirts")
_PLACE_PARTS = frozenset(
    "outskirts suburbs suburb centre center downtown streets street districts district "
    "airport airports port harbour harbor metro subway residents mayor skyline outskirt "
    "neighbourhoods neighborhoods main old historic".split()
)
_ADVERBS = frozenset(
    "often also now still jointly repeatedly reportedly both again regularly frequently "
    "openly publicly recently quickly".split()
)
#: Verbs that make a preceding place name its government speaking ("Kyiv said").
SPEECH_VERBS = _SPEECH
_AUX = frozenset("has had have will would is was are were also has not did does may might".split())
_GOV = frozenset(
    "government governments president presidents prime foreign defence defense military forces "
    "army navy ministry minister ministers officials official leader leaders leadership "
    "ambassador embassy regime authorities administration intelligence dictatorship "
    "parliament congress lawmakers diplomats diplomat spokesman spokeswoman spokesperson "
    "invasion war troops soldiers envoy delegation negotiators cabinet junta kremlin".split()
)
_ORG_TAILS = frozenset(
    "University College School Institute Hospital Police Department Ministry Council Times Post "
    "Herald Tribune Journal News Press Daily Gazette Party Club FC United Rockets Airlines "
    "Airways Bank Corporation Company Group Records Museum Stadium Airport Station".split()
)


@dataclass(slots=True)
class _Choice:
    mention: Mention
    priors: list[tuple[float, int]]  # (prior, entry index), best first
    ranked: list[tuple[float, int]]  # (score with document evidence, entry index)
    key: str = ""  # normalized name
    index: int = 0  # position among the document's mentions


def _prior(m: Mention, idx: int, gaz, key: str, same_name_city: dict[str, int]) -> float:
    kind = gaz.kind(idx)
    pop = gaz.population(idx)
    score = _POP_WEIGHT * math.log10(pop + 100) + _KIND_BONUS.get(kind, 0.0)
    if gaz.is_capital(idx):
        score += 2.0
    if name_key(gaz._names[idx]) == key:
        score += 1.0  # "Salisbury" is the English town before it is Harare's old name
    if m.cue == "adm1":
        score += 6.0 if kind in ("adm1", "region") else 0.0
    elif m.cue == "adm2":
        score += 5.0 if kind == "adm2" else (2.0 if kind == "adm1" else 0.0)
    elif m.cue == "city":
        score += 3.0 if kind == "city" else -3.0
    elif m.cue == "district":
        score += 2.0 if kind == "city" else -2.0
    elif kind == "adm1" and (
        same_name_city.get(gaz.country_code(idx), 0) >= 100_000
        or same_name_city.get(f"{gaz.country_code(idx)}/{gaz.admin1(idx)}", 0) >= 10_000
    ):
        # an oblast named after its centre city: the name alone means the city
        # "New York", "Kursk", "Zaporizhzhia": the big city, unless "region" says otherwise
        score -= 2.5
    return score


def resolve(
    text: str,
    mentions: list[Mention],
    gazetteer,
    *,
    tokens: list[Token],
    keep_unresolved: bool = False,
) -> list[Place]:
    """Pick one entry per mention and build :class:`~extract.article.Place` records.

    Parameters
    ----------
    keep_unresolved
        Also return mentions with no gazetteer candidate (given spans in resolution-only mode):
        they are placed at the document's focus — its most mentioned place — with kind
        ``"unknown"`` and precision ``"approximate"``, or without coordinates if there is none.
    """
    gaz = gazetteer
    choices: list[_Choice] = []
    for m in mentions:
        if m.demonym is not None:
            choices.append(
                _Choice(m, [(10.0, m.demonym)], [(10.0, m.demonym)], name_key(m.text), len(choices))
            )
            continue
        key = name_key(m.text)
        if m.cue and " " in m.text and m.last_token > m.first_token:
            key = name_key(m.text.rsplit(" ", 1)[0])
        same_name_city: dict[str, int] = {}
        for idx in m.candidates:
            if gaz.kind(idx) == "city":
                cc = gaz.country_code(idx)
                pop = gaz.population(idx)
                same_name_city[cc] = max(same_name_city.get(cc, 0), pop)
                inner = f"{cc}/{gaz.admin1(idx)}"
                same_name_city[inner] = max(same_name_city.get(inner, 0), pop)
        ranked = sorted(
            ((_prior(m, idx, gaz, key, same_name_city), idx) for idx in m.candidates),
            reverse=True,
        )[:_MAX_CANDIDATES]
        choices.append(_Choice(m, ranked, list(ranked), key, len(choices)))

    for _ in range(2):
        _rescore(choices, gaz, text)

    places: list[Place] = []
    unresolved: list[Mention] = []
    for k, ch in enumerate(choices):
        place = _place(text, ch, gaz, tokens, choices, k)
        if place is not None:
            places.append(place)
        elif keep_unresolved:
            unresolved.append(ch.mention)
    if unresolved:
        places.extend(_approximate(unresolved, places))
        places.sort(key=lambda p: p.start)
    return places


def _approximate(mentions: list[Mention], places: list[Place]) -> list[Place]:
    """Unknown names ("Royal Street", "Barclays Center") at the document's focus: its most
    mentioned city-level place, else its most mentioned admin area or country."""
    by_level: list[Counter] = [Counter(), Counter(), Counter()]
    for p in places:
        if p.lat is None:
            continue
        level = {"city": 0, "district": 0, "adm2": 0, "adm1": 1, "country": 2}.get(p.kind)
        if level is not None and (p.role == "literal" or level == 2):
            by_level[level][(p.lat, p.lon, p.country, p.admin1)] += 1
    focus = next((c.most_common(1)[0][0] for c in by_level if c), None)
    lat, lon, cc, a1 = focus if focus else (None, None, None, None)
    return [
        Place(
            start=m.start,
            end=m.end,
            text=m.text,
            name=m.text,
            geonameid=None,
            lat=lat,
            lon=lon,
            kind="unknown",
            country=cc,
            admin1=a1,
            role="literal",
            score=0.1,
            entry_id=None,
            precision="approximate" if focus else None,
        )
        for m in mentions
    ]


def _confident(ch: _Choice, gaz) -> bool:
    if not ch.ranked:
        return False
    if ch.mention.demonym is not None:
        return True
    best = ch.ranked[0]
    if len(ch.ranked) == 1:
        return True
    return best[0] - ch.ranked[1][0] >= 1.5


def _rescore(choices: list[_Choice], gaz, text: str) -> None:
    """Re-rank every mention's candidates with evidence from the other mentions.

    Evidence never comes from mentions of the same name: five "Mexico"s must not vote each
    other into Mexico City.
    """
    votes: Counter = Counter()
    admin_votes: Counter = Counter()
    key_votes: dict[str, Counter] = {}
    key_admin: dict[str, Counter] = {}
    points: list[tuple[str, float, float]] = []
    for ch in choices:
        if not ch.ranked:
            continue
        idx = ch.ranked[0][1]
        weight = 1.0 if _confident(ch, gaz) else 0.3
        cc = gaz.country_code(idx)
        admin = (cc, gaz.admin1(idx))
        key = ch.key
        if cc:
            votes[cc] += weight
            key_votes.setdefault(key, Counter())[cc] += weight
        if admin[1]:
            # naming the state itself ("Idaho") is stronger evidence than naming a town in it
            w = weight * (2.0 if gaz.kind(idx) == "adm1" else 1.0)
            admin_votes[admin] += w
            key_admin.setdefault(key, Counter())[admin] += w
        if gaz.kind(idx) in ("city", "adm2", "district") and weight == 1.0:
            plat, plon = gaz.point(idx)
            points.append((key, plat, plon, math.cos(math.radians(plat))))
    total = sum(votes.values())

    for ch in choices:
        if ch.mention.demonym is not None or not ch.ranked:
            continue
        same = key_votes.get(ch.key, Counter())
        same_admin = key_admin.get(ch.key, Counter())
        others_total = total - sum(same.values())
        rescored = []
        for base, idx in ch.priors:
            cc = gaz.country_code(idx)
            kind = gaz.kind(idx)
            score = base
            if cc and others_total > 0:
                score += _CTX_W * (votes[cc] - same[cc]) / max(others_total, 1.0)
            a1 = gaz.admin1(idx)
            if a1:
                support = min(2.0, admin_votes[(cc, a1)] - same_admin[(cc, a1)])
                if support > 0.5:
                    # places of the same state/oblast: "Seattle … Washington" is the state
                    score += (_ADMIN_W if kind != "adm1" else 2.5) * support
            if kind in ("city", "adm2", "district") and points:
                lat, lon = gaz.point(idx)
                d = min(
                    (
                        _fast_km(lat, lon, plat, plon, coslat)
                        for key, plat, plon, coslat in points
                        if key != ch.key
                    ),
                    default=None,
                )
                if d is not None:
                    score += _DIST_W * math.exp(-d / 300.0)
            score += _qualifier_bonus(choices, ch.index, idx, gaz, text)
            rescored.append((score, idx))
        rescored.sort(reverse=True)
        ch.ranked = rescored


_QUALIFIER_GAPS = frozenset([", ", " (", ",\n", " in "])


def _qualifier_bonus(choices: list[_Choice], k: int, idx: int, gaz, text: str) -> float:
    """ "Austin, Texas" / "Kharkiv, Ukraine" / "Lemay, MO": the next mention contains this one."""
    m = choices[k].mention
    cc = gaz.country_code(idx)
    a1 = gaz.admin1(idx)
    kind = gaz.kind(idx)
    if k > 0 and kind in ("adm1", "country"):
        # the qualifier side: "Pullman, Washington" → the state that contains Pullman
        prev = choices[k - 1]
        if text[prev.mention.end : m.start] in _QUALIFIER_GAPS and prev.mention.demonym is None:
            for _, p in prev.ranked[:3]:
                if gaz.country_code(p) == cc and (kind == "country" or gaz.admin1(p) == a1):
                    return 6.0 if kind == "adm1" else 4.0
    if k + 1 >= len(choices):
        return 0.0
    nxt = choices[k + 1]
    if nxt.mention.demonym is not None:
        return 0.0
    if text[m.end : nxt.mention.start] not in _QUALIFIER_GAPS:
        return 0.0
    for _, q in nxt.ranked:
        qk = gaz.kind(q)
        if qk == "country" and gaz.country_code(q) == cc:
            return 4.0
        if qk == "adm1" and gaz.country_code(q) == cc and gaz.admin1(q) == a1:
            return 6.0
    return 0.0


def _fast_km(lat1: float, lon1: float, lat2: float, lon2: float, coslat: float) -> float:
    """Equirectangular distance: plenty for a nearness bonus, 5× cheaper than haversine."""
    dlon = abs(lon1 - lon2)
    if dlon > 180.0:
        dlon = 360.0 - dlon
    return 111.19 * math.hypot(lat1 - lat2, dlon * coslat)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _role(
    text: str,
    m: Mention,
    tokens: list[Token],
    choices: list[_Choice],
    k: int,
    *,
    capital: bool = False,
) -> str:
    if m.demonym is not None:
        return "demonym"
    j = m.last_token + 1
    after = text[m.end : m.end + 3]
    if after.startswith(("'s", "’s")):
        nxt = _next_word(tokens, j, m.end + 2)
        if nxt is not None and nxt.key in _GOV:
            return "associative"
        if capital and nxt is not None and not nxt.upper and _abstract(nxt.text):
            return "associative"  # "Pyongyang's test-firing", "Moscow's support"
        return "literal"
    nxt = tokens[j] if j < len(tokens) else None
    if nxt is None:
        return "literal"
    before = text[max(0, m.start - 12) : m.start].lower()
    if re.search(r"\b(?:in|at|from|near|outside|across)\s+(?:the\s+)?$", before):
        return "literal"  # "officials in Kharkiv said": the place, not the speaker
    gap = text[m.end : nxt.start]
    if gap == " " and nxt.text in _ORG_TAILS:
        return "associative"
    if gap.strip() == "" and nxt.key in _SPEECH:
        return "associative"
    if capital and gap == " " and nxt.key in _STATE_ACTIONS:
        return "associative"  # "Pyongyang fires missiles": the government acts
    if (
        gap.strip() == ""
        and nxt.key in _ADVERBS
        and j + 1 < len(tokens)
        and tokens[j + 1].key in _SPEECH
    ):
        return "associative"  # "Pyongyang often hails"
    if (
        gap.strip() == ""
        and nxt.key in _AUX
        and j + 1 < len(tokens)
        and tokens[j + 1].key in _SPEECH
    ):
        return "associative"
    if gap.strip() == "" and not nxt.upper and nxt.key in _GOV:
        return "associative"
    # "Moscow and Pyongyang hail …": coordinated subjects share the verb
    if gap == " " and nxt.key == "and" and k + 1 < len(choices):
        other = choices[k + 1].mention
        if other.first_token == j + 1:
            after_other = other.last_token + 1
            if after_other < len(tokens) and tokens[after_other].key in _ADVERBS:
                after_other += 1
            if after_other < len(tokens):
                t = tokens[after_other]
                if t.key in _SPEECH or (
                    t.key in _AUX
                    and after_other + 1 < len(tokens)
                    and tokens[after_other + 1].key in _SPEECH
                ):
                    return "associative"
    return "literal"


def _abstract(word: str) -> bool:
    """An action or stance noun after a capital's possessive: the government, not the city."""
    w = word.lower()
    return w in _STANCES or (w.endswith("ing") and w not in _PLACE_PARTS) or w.startswith("test")


def _next_word(tokens: list[Token], j: int, pos: int) -> Token | None:
    for t in tokens[j : j + 3]:
        if t.start >= pos:
            return t
    return None


def _district_host(ch: _Choice, choices: list[_Choice], k: int, gaz) -> int | None:
    """For "X district … in Kharkiv": the city named near X in the same sentence."""
    m = ch.mention
    best = None
    for j, other in enumerate(choices):
        if j == k or other.mention.sentence != m.sentence or not other.ranked:
            continue
        idx = other.ranked[0][1]
        if gaz.kind(idx) != "city":
            continue
        dist = abs(other.mention.start - m.start)
        if best is None or dist < best[0]:
            best = (dist, idx)
    return None if best is None else best[1]


def _place(text: str, ch: _Choice, gaz, tokens: list[Token], choices: list[_Choice], k: int):
    m = ch.mention
    capital = bool(ch.ranked) and gaz.is_capital(ch.ranked[0][1])
    role = _role(text, m, tokens, choices, k, capital=capital)
    if m.cue == "district":
        host = _district_host(ch, choices, k, gaz)
        if host is not None:
            hlat, hlon = gaz.point(host)
            near = [idx for _, idx in ch.ranked if _km(*gaz.point(idx), hlat, hlon) <= 30.0]
            if not near:
                return Place(
                    start=m.start,
                    end=m.end,
                    text=m.text,
                    name=m.text,
                    geonameid=None,
                    lat=round(hlat, 5),
                    lon=round(hlon, 5),
                    kind="district",
                    country=gaz.country_code(host) or None,
                    admin1=gaz.admin1(host) or None,
                    role=role,
                    score=0.5,
                    entry_id=None,
                    precision="district",
                )
            ch.ranked = [r for r in ch.ranked if r[1] in near]
    if not ch.ranked:
        return None
    score, idx = ch.ranked[0]
    margin = score - ch.ranked[1][0] if len(ch.ranked) > 1 else 5.0
    e = gaz.entry(idx)
    return Place(
        start=m.start,
        end=m.end,
        text=m.text,
        name=e.name,
        geonameid=e.geonameid,
        lat=e.lat,
        lon=e.lon,
        kind=e.kind,
        country=e.country or None,
        admin1=e.admin1 or None,
        role=role,
        score=round(1.0 / (1.0 + math.exp(-margin)), 3),
        entry_id=e.id,
        precision="district" if m.cue == "district" else None,
    )
