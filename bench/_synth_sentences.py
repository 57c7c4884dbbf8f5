"""The sentences of a synthetic article (``bench/synth.py``): incidents, filler, headline.

Given what an article is about (:class:`ArticleContext`: a country, a few of its cities, a
theme and the usual actors), these functions fill the templates of :mod:`bench._synth_text`
with places, actors, casualty clauses and dates relative to the publication day. Every choice
is drawn from the caller's ``random.Random``, in a fixed order, so an article is the same for
the same seed. SYNTHETIC DATA: nothing here describes real events.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bench._synth_places import City, PlacePool
from bench._synth_text import (
    AGENCIES,
    COMMODITIES,
    CRIMES,
    GRIEVANCES,
    JOBS,
    MEDIATORS,
    MONTHS,
    MONTHS_AP,
    NUM_WORDS,
    OBJECTS,
    OFFICIALS,
    ORGS,
    PLATFORMS,
    RIGHTS,
    RIGHTS_ONE,
    SOURCES,
    TEMPLATES,
    THE,
    TITLE_CLASS,
    TITLES,
    VICTIMS,
    WEEKDAYS,
)

__all__ = [
    "ArticleContext",
    "article_context",
    "dateline",
    "filler_slots",
    "follow_up",
    "headline",
    "incident_sentence",
    "tidy",
]

# conflict-heavy countries get half of the articles, so the event mix resembles real coverage
_HOTSPOTS = (
    "UA RU IL PS LB SY IQ YE SD SS SO ET KE NG ML BF NE CD CF CM MZ AF PK IN MM PH CO MX HT "
    "VE BR EC TR IR LY EG BD"
).split()
_THEME_OF = {
    **dict.fromkeys("UA RU IL PS LB SY YE SD SS MM".split(), "war"),
    **dict.fromkeys("NG ML BF NE SO AF PK IQ CD CF CM MZ ET KE PH".split(), "insurgency"),
    **dict.fromkeys("MX HT CO BR VE EC HN GT ZA JM SV".split(), "crime"),
}
# the usual opponents of a country's state forces
_OPPONENTS = {
    "UA": ["Russian forces", "Russian troops", "Moscow-backed forces"],
    "RU": ["Ukrainian forces", "Ukrainian troops", "Ukrainian sabotage groups"],
    "IL": ["Hamas militants", "Hezbollah fighters", "Palestinian gunmen"],
    "PS": ["Israeli forces", "Israeli troops", "Israeli settlers"],
    "LB": ["Israeli forces", "Hezbollah fighters"],
    "SY": ["Islamic State militants", "rebel fighters", "Kurdish-led forces"],
    "IQ": ["Islamic State militants", "armed men"],
    "YE": ["Houthi fighters", "the Houthis", "Saudi-led coalition forces"],
    "SD": ["the RSF", "Rapid Support Forces fighters", "RSF fighters"],
    "SS": ["armed youths", "rebel fighters"],
    "SO": ["al-Shabaab militants", "al-Shabaab fighters"],
    "NG": ["Boko Haram fighters", "bandits", "Islamic State militants"],
    "ML": ["jihadist militants", "Islamist fighters", "Tuareg rebels"],
    "BF": ["jihadist militants", "Islamist fighters"],
    "NE": ["jihadist militants", "Islamic State militants"],
    "AF": ["Islamic State militants", "Taliban fighters"],
    "PK": ["Pakistani Taliban militants", "separatist militants"],
    "CD": ["M23 rebels", "ADF rebels", "militia fighters"],
    "MM": ["resistance fighters", "ethnic armed groups", "the junta's troops"],
    "ET": ["Fano militiamen", "rebel fighters"],
    "CO": ["FARC dissidents", "ELN guerrillas"],
    "MX": ["cartel gunmen", "members of a drug cartel"],
    "HT": ["gang members", "armed gangs"],
}
_GENERIC_OPPONENTS = [
    "rebels",
    "militants",
    "insurgents",
    "gunmen",
    "separatist fighters",
    "a local militia",
    "armed groups",
]
_REGION_WORD = {
    **dict.fromkeys("UA RU BY KZ KG".split(), "region"),
    **dict.fromkeys("US IN NG MX BR AU MY SD SS VE".split(), "state"),
}


_SPACES = re.compile(r"\s{2,}")
_SPACE_PUNCT = re.compile(r"\s+([,.])")


def _num(rng: random.Random, n: int) -> str:
    return NUM_WORDS[n] if n < len(NUM_WORDS) and rng.random() < 0.6 else str(n)


def _the(country: str) -> str:
    """ "the Philippines", "the United States"; "Ukraine"."""
    return f"the {country}" if THE.search(country) else country


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def tidy(s: str) -> str:
    """A filled template made presentable: single spaces, no space before "," or ".", no
    doubled commas left by empty slots, a capital first letter."""
    s = _SPACE_PUNCT.sub(r"\1", _SPACES.sub(" ", s)).strip()
    s = s.replace(",,", ",").replace(", ,", ",").replace(",.", ".")
    return _cap(s)


def _when(rng: random.Random, published: date) -> tuple[str, str, date | None]:
    """A date phrase for an event before ``published``: (mid-sentence, sentence-initial, day)."""
    r = rng.random()
    if r < 0.45:
        d = published - timedelta(days=rng.randint(0, 6))
        wd = WEEKDAYS[d.weekday()]
        form = rng.choice(("on {w}", "on {w}", "on {w} morning", "late on {w}", "on {w} night"))
        mid = form.format(w=wd)
        return f" {mid}", f"{_cap(mid)},", d
    if r < 0.55:
        return " overnight", "Overnight,", published - timedelta(days=1)
    if r < 0.65:
        phrase = rng.choice(("last week", "earlier this week", "over the weekend"))
        return f" {phrase}", f"{_cap(phrase)},", None
    if r < 0.82:
        d = published - timedelta(days=rng.randint(2, 40))
        style = rng.random()
        if style < 0.5:
            mid = f"on {MONTHS[d.month - 1]} {d.day}"
        elif style < 0.8:
            mid = f"on {d.day} {MONTHS[d.month - 1]}"
        else:
            mid = f"on {MONTHS[d.month - 1]} {d.day}, {d.year}"
        return f" {mid}", f"{_cap(mid)},", d
    if r < 0.87:
        k = rng.randint(2, 4)
        phrase = f"{NUM_WORDS[k]} days ago"
        return f" {phrase}", "", published - timedelta(days=k)
    return "", "", None


def _casualties(rng: random.Random) -> tuple[str, int]:
    """A trailing casualty clause (", killing ...") or "", and the number killed."""
    n = rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 17, 21, 25, 30, 43))
    m = rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 20, 24, 31, 40, 52))
    who = rng.choice(("people", "people", "civilians", "soldiers", "police officers"))
    forms = [
        (f", killing {_num(rng, n)} {who}", n),
        (f", killing at least {_num(rng, n)} {who}", n),
        (f", killing {_num(rng, n)} and wounding {_num(rng, m)}", n),
        (f", wounding {_num(rng, m)} {who}", 0),
        (f", injuring {_num(rng, m)}, including {_num(rng, min(n, m - 1, 5))} children", 0),
        (f", leaving {_num(rng, n)} dead and {_num(rng, m)} injured", n),
        (", killing dozens", 12),
        (", wounding dozens of civilians", 0),
        (", but no casualties were reported", 0),
        ("", 0),
        ("", 0),
        ("", 0),
    ]
    return rng.choice(forms)


def follow_up(rng: random.Random, killed: int) -> str:
    """An optional second sentence about the same incident."""
    n = killed or rng.choice((2, 3, 5, 8))
    src = rng.choice(SOURCES)
    return rng.choice(
        (
            f"At least {n} people were killed and {rng.randint(3, 40)} were wounded, {src}.",
            f"The death toll rose to {n + rng.randint(1, 6)} by the evening, {src}.",
            f"Rescue workers were still searching the rubble for survivors, {src}.",
            f"Photographs from the scene showed shattered windows and a large crater, {src}.",
            f"It was the {rng.choice(('second', 'third', 'fourth'))} such incident in the area"
            " this month.",
            f"No group immediately claimed responsibility, {src}.",
        )
    )


def _place_phrase(rng: random.Random, city: City, pool: PlacePool) -> tuple[str, str]:
    """("Kharkiv in the Kharkiv region", "in"): the place as written, and a preposition."""
    rw = _REGION_WORD.get(city.country, "province")
    country = pool.country_names[city.country]
    r = rng.random()
    if r < 0.5:
        phrase = city.name
    elif r < 0.65 and city.admin1:
        phrase = f"{city.name} in the {city.admin1} {rw}"
    elif r < 0.75:
        phrase = f"the city of {city.name}"
    elif r < 0.82 and city.population < 200_000:
        phrase = f"the town of {city.name}"
    elif r < 0.92:
        phrase = f"{city.name}, {country}" if not country.startswith("the ") else city.name
    elif city.admin1:
        phrase = f"{city.name}, {city.admin1} {rw}"
    else:
        phrase = city.name
    near = rng.choice(("in", "in", "in", "in", "near", "outside", "on the outskirts of"))
    return phrase, near


@dataclass(slots=True)
class ArticleContext:
    """What one article is about."""

    code: str
    country: str
    dem: str
    cities: list[City]
    theme: str
    state: list[str]
    opponents: list[str]
    published: date


def article_context(rng: random.Random, pool: PlacePool, published: date) -> ArticleContext:
    """What an article published on ``published`` is about: a country (a conflict hotspot half
    of the time), two to five of its cities (the biggest more often), a theme and the usual
    actors on each side."""
    if rng.random() < 0.5:
        code = rng.choice([c for c in _HOTSPOTS if c in pool.by_country] or pool.codes)
    else:
        code = rng.choice(pool.codes)
    cities = pool.by_country[code]
    # the biggest cities are in the news more often: draw from the top with a bias
    k = min(len(cities), rng.randint(2, 5))
    top = cities[: max(k, min(len(cities), 40))]
    chosen = rng.sample(top, k)
    if rng.random() < 0.5 and len(cities) > 40:
        chosen[-1] = rng.choice(cities)
    theme = _THEME_OF.get(code) or ("crime" if rng.random() < 0.15 else "unrest")
    dem = pool.demonyms.get(code, "")
    state = (
        [f"{dem} forces", f"{dem} troops", f"the {dem} army", "government forces", "the army"]
        if dem
        else ["government forces", "the army", "security forces"]
    )
    return ArticleContext(
        code=code,
        country=pool.country_names[code],
        dem=dem,  # "" when unknown: "{Dem} drones struck" → "Drones struck"
        cities=chosen,
        theme=theme,
        state=state,
        opponents=_OPPONENTS.get(code, _GENERIC_OPPONENTS),
        published=published,
    )


def incident_sentence(
    rng: random.Random, ctx: ArticleContext, pool: PlacePool, key: str
) -> tuple[str, int, dict[str, str]]:
    """One incident sentence of type ``key``, the number of people killed in it, its slots."""
    city = rng.choice(ctx.cities)
    phrase, near = _place_phrase(rng, city, pool)
    when, when_start, _day = _when(rng, ctx.published)
    cas, killed = _casualties(rng)
    template = rng.choice(TEMPLATES[key])
    a1 = rng.choice(ctx.state)
    a2 = rng.choice(ctx.opponents)
    n = rng.choice((2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 23, 35))
    if "{n}" in template or "{N}" in template:
        killed = n if key in ("attack", "protest_force") else killed
    slots = {
        "A1": _cap(a1),
        "a1": a1,
        "A2": _cap(a2),
        "a2": a2,
        "Dem": ctx.dem,
        "P": phrase,
        "at": f"{near} {phrase}",
        "when": when,
        "When": when_start,
        "cas": cas,
        "n": _num(rng, n),
        "N": _cap(_num(rng, n)),
        "m": _num(rng, rng.choice((3, 4, 6, 9, 14))),
        "obj": rng.choice(OBJECTS),
        "victims": rng.choice(VICTIMS),
        "grievance": rng.choice(GRIEVANCES),
        "crime": rng.choice(CRIMES),
        "org": rng.choice(ORGS),
        "rights": rng.choice(RIGHTS),
        "source": rng.choice(SOURCES),
    }
    slots["city"] = city.name
    return tidy(template.format_map(slots)), killed, slots


def filler_slots(rng: random.Random, ctx: ArticleContext, pool: PlacePool) -> dict[str, str]:
    """Values for the slots of one filler sentence (officials, people, places, figures)."""
    city = ctx.cities[0]
    city2 = ctx.cities[1] if len(ctx.cities) > 1 else city
    official = rng.choice(OFFICIALS)
    person = f"{rng.choice(pool.person_first)} {rng.choice(pool.person_last)}"
    if rng.random() < 0.4:
        official = f"{person}, {official},"
    other = rng.choice(pool.codes)
    agency = rng.choice(AGENCIES)
    return {
        "official": official,
        "Official": _cap(official),
        "person": person,
        "Person": person,
        "capital": pool.capitals[ctx.code].name,
        "city": city.name,
        "city2": city2.name,
        "admin1": city.admin1 or city.name,
        "rw": _REGION_WORD.get(ctx.code, "province"),
        "country": _the(ctx.country),
        "Country": _cap(_the(ctx.country)),
        "Country_s": _cap(_the(ctx.country)) + ("'" if ctx.country.endswith("s") else "'s"),
        "dem": ctx.dem,
        "a2": rng.choice(ctx.opponents),
        "org": rng.choice(ORGS),
        "org2": rng.choice(ORGS),
        "Rights": _cap(rng.choice(RIGHTS_ONE)),
        "Agency": "The Associated Press" if agency == "AP" else agency,
        "platform": rng.choice(PLATFORMS),
        "mediator": rng.choice(MEDIATORS),
        "month": rng.choice(MONTHS),
        "weekday": rng.choice(WEEKDAYS),
        "future_year": str(ctx.published.year + rng.randint(1, 2)),
        "big": f"{rng.randint(2, 90) * 1000:,}",
        "pct": str(rng.randint(15, 70)),
        "pct_small": f"{rng.randint(5, 45) / 10:.1f}",
        "pop_m": str(rng.randint(1, 12)),
        "money": str(rng.choice((50, 120, 250, 400, 800))),
        "commodity": rng.choice(COMMODITIES),
        "job": rng.choice(JOBS),
        "age": str(rng.randint(19, 78)),
        "small": rng.choice(("two", "three", "four")),
        "other": pool.country_names[other] if other != ctx.code else "neighbouring countries",
    }


def dateline(rng: random.Random, ctx: ArticleContext, pool: PlacePool) -> str:
    """A wire dateline opening the first paragraph ("KHARKIV, March 3 (Reuters) - ")."""
    city = ctx.cities[0] if rng.random() < 0.6 else pool.capitals[ctx.code]
    d = ctx.published
    agency = rng.choice(AGENCIES)
    dash = "—" if agency == "AP" else "-"
    if rng.random() < 0.7:
        day = f"{MONTHS_AP[d.month - 1]} {d.day}"
    else:
        day = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{city.name.upper()}, {day} ({agency}) {dash} "


def headline(
    rng: random.Random, ctx: ArticleContext, key: str, killed: int, lead: dict[str, str]
) -> str:
    """A headline about the lead incident."""
    options = TITLES[TITLE_CLASS.get(key, "other")]
    if not killed:
        options = [t for t in options if "{Killed}" not in t and "{killed}" not in t] or (
            TITLES["other"]
        )
    noun = rng.choice(
        ("drone strike", "air strike") if key == "air" else ("missile strike", "shelling")
    )
    return _cap(
        rng.choice(options).format(
            City=lead.get("city", ctx.cities[0].name),
            Country=ctx.country,
            country=ctx.country,
            Killed=str(killed),
            killed=str(killed),
            strike_noun=noun,
            Strike_noun=_cap(noun),
            a1=lead.get("a1") or ctx.state[0],
            a2=lead.get("a2") or ctx.opponents[0],
            grievance=lead.get("grievance") or rng.choice(GRIEVANCES),
        )
    )
