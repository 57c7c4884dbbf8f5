"""Synthetic news corpus generator: wire-style incident reports with real gazetteer places.

SYNTHETIC DATA. Every record carries ``"synthetic": true`` and an id starting with ``synth-``;
the text is made up from templates and must never be mistaken for real reporting. It exists to
load-test ingestion (``bench/ingest.py``) with realistic volumes and shapes of text.

Each article is about ``--words`` words of wire-style English: sometimes a dateline
("KHARKIV, March 3 (Reuters) -"), then paragraphs mixing

* 3-8 incident sentences built from templates across all six ACLED event types (armed clashes,
  territory changes, air/drone strikes, shelling, IEDs, suicide bombs, grenades, attacks on
  civilians, abductions, peaceful protests, protests dispersed with tear gas, protesters shot,
  riots, mob violence, arrests, agreements, withdrawals, deployments, intercepted drones,
  looting), with casualty phrases ("at least 7 people were killed", "dozens injured"), actors
  (demonym + forces, police, protesters, named armed groups) and dates relative to the
  ``published`` date ("on Monday", "overnight", "last week", "on March 3");
* filler sentences (quotes, humanitarian and political context, economy, caveats, some hedged
  or future statements that are not events), so the incident density is realistic.

Places are real: cities of at least 50,000 people from the real gazetteer, with their admin-1
area and country names. Publication dates are spread over 2023-2025. The output is
deterministic for a seed, and article ``i`` does not depend on ``--n``.

Usage::

    .venv/bin/python bench/synth.py --n 10000 --out bench/out/synth-10k.jsonl [--seed 1]
        [--words 700]

Records: ``{"id", "title", "text", "published", "url", "synthetic": true}``, one per line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._synth_text import (  # noqa: E402 - after the path set-up
    AGENCIES,
    COMMODITIES,
    CRIMES,
    FILLER,
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
    THEME_WEIGHTS,
    TITLE_CLASS,
    TITLES,
    VICTIMS,
    WEEKDAYS,
)

__all__ = ["City", "PlacePool", "generate", "load_pool", "main", "make_article", "write_corpus"]

MIN_POPULATION = 50_000
FIRST_DAY = date(2023, 1, 1)
LAST_DAY = date(2025, 12, 31)

# --------------------------------------------------------------------------------------------
# places
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class City:
    name: str
    admin1: str
    country: str  # ISO alpha-2
    population: int
    capital: bool


@dataclass(slots=True)
class PlacePool:
    """Real gazetteer cities (population >= 50k) grouped by country, with country names."""

    by_country: dict[str, list[City]]
    country_names: dict[str, str]
    demonyms: dict[str, str]
    capitals: dict[str, City]
    codes: list[str] = field(default_factory=list)  # countries with >= 2 cities
    person_first: list[str] = field(default_factory=list)
    person_last: list[str] = field(default_factory=list)


_FIRST_NAMES = (
    "Ahmed Amina Olena Ivan Maria Fatima Mohammed Yusuf Aisha Oksana Dmitri Anna Carlos Ana "
    "Jean Marie Samuel Grace Ibrahim Halima Ali Leila Hassan Nadia Pedro Lucia Tomasz Katarzyna "
    "Kofi Ama Chen Wei Ravi Priya Juan Sofia Daniel Sarah Omar Zainab Musa Hadiza Andriy Iryna"
).split()
_LAST_NAMES = (
    "Kovalenko Shevchenko Petrov Ivanova Okafor Mensah Haddad Rahman Hussein Suleiman Garcia "
    "Rodriguez Mbeki Kamau Otieno Nguyen Tran Sharma Gupta Kowalski Nowak Dubois Moreau Silva "
    "Santos Alvarez Mendoza Bakr Mahmoud Abdullah Yilmaz Demir Popescu Horvat Novak Ochieng "
    "Adeyemi Bello Diallo Traore Keita Sesay Tadesse Bekele Marchenko Melnyk Tkachenko"
).split()

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


def load_pool(gazetteer=None, *, min_population: int = MIN_POPULATION) -> PlacePool:
    """The cities of at least ``min_population`` people in the real gazetteer, by country."""
    from extract.actors import COUNTRIES as ACTOR_COUNTRIES

    if gazetteer is None:
        from geodata.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    g = gazetteer
    by_country: dict[str, list[City]] = {}
    for i in range(len(g)):
        if g.kind(i) != "city" or g.population(i) < min_population:
            continue
        e = g.entry(i)
        if not e.country or not e.name.replace(" ", "").replace("-", "").isalpha():
            continue
        city = City(e.name, e.admin1, e.country, e.population, e.capital)
        by_country.setdefault(e.country, []).append(city)
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    # the gazetteer keeps demonyms as normalized key → entry index; invert it per country
    dem_index: dict[int, list[str]] = {}
    for key, idx in getattr(g, "_demonyms", {}).items():
        dem_index.setdefault(idx, []).append(key)
    capitals: dict[str, City] = {}
    for code, cities in by_country.items():
        entry = g.country(code)
        if entry is None:
            continue
        names[code] = entry.name
        keys = [k for k in dem_index.get(entry.index, []) if not k.endswith("s") and len(k) <= 15]
        if code in ACTOR_COUNTRIES:  # the extractor's own actor names ("Saudi", "US")
            demonyms[code] = ACTOR_COUNTRIES[code][1]
        elif keys:
            demonyms[code] = " ".join(w.capitalize() for w in keys[0].split())
        cities.sort(key=lambda c: -c.population)
        capitals[code] = next((c for c in cities if c.capital), cities[0])
    by_country = {c: v for c, v in by_country.items() if c in names}
    codes = sorted(c for c, v in by_country.items() if len(v) >= 2)

    def unknown(word: str) -> bool:
        return not g.lookup(word)

    return PlacePool(
        by_country=by_country,
        country_names=names,
        demonyms=demonyms,
        capitals=capitals,
        codes=codes,
        person_first=[w for w in _FIRST_NAMES if unknown(w)] or list(_FIRST_NAMES),
        person_last=[w for w in _LAST_NAMES if unknown(w)] or list(_LAST_NAMES),
    )


# --------------------------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------------------------


_SPACES = re.compile(r"\s{2,}")
_SPACE_PUNCT = re.compile(r"\s+([,.])")


def _num(rng: random.Random, n: int) -> str:
    return NUM_WORDS[n] if n < len(NUM_WORDS) and rng.random() < 0.6 else str(n)


def _the(country: str) -> str:
    """ "the Philippines", "the United States"; "Ukraine"."""
    return f"the {country}" if THE.search(country) else country


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _tidy(s: str) -> str:
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


def _follow_up(rng: random.Random, killed: int) -> str:
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
class _Ctx:
    """What one article is about."""

    code: str
    country: str
    dem: str
    cities: list[City]
    theme: str
    state: list[str]
    opponents: list[str]
    published: date


def _context(rng: random.Random, pool: PlacePool, published: date) -> _Ctx:
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
    return _Ctx(
        code=code,
        country=pool.country_names[code],
        dem=dem,  # "" when unknown: "{Dem} drones struck" → "Drones struck"
        cities=chosen,
        theme=theme,
        state=state,
        opponents=_OPPONENTS.get(code, _GENERIC_OPPONENTS),
        published=published,
    )


def _incident(
    rng: random.Random, ctx: _Ctx, pool: PlacePool, key: str
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
    return _tidy(template.format_map(slots)), killed, slots


def _filler_slots(rng: random.Random, ctx: _Ctx, pool: PlacePool) -> dict[str, str]:
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


def _dateline(rng: random.Random, ctx: _Ctx, pool: PlacePool) -> str:
    city = ctx.cities[0] if rng.random() < 0.6 else pool.capitals[ctx.code]
    d = ctx.published
    agency = rng.choice(AGENCIES)
    dash = "—" if agency == "AP" else "-"
    if rng.random() < 0.7:
        day = f"{MONTHS_AP[d.month - 1]} {d.day}"
    else:
        day = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{city.name.upper()}, {day} ({agency}) {dash} "


def _title(rng: random.Random, ctx: _Ctx, key: str, killed: int, lead: dict[str, str]) -> str:
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


def make_article(i: int, pool: PlacePool, *, seed: int = 1, words: int = 700) -> dict:
    """Synthetic article number ``i`` (deterministic for ``seed``, ``i`` and ``words``)."""
    rng = random.Random(seed * 1_000_003 + i)
    published = FIRST_DAY + timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    ctx = _context(rng, pool, published)
    target = int(words * rng.uniform(0.92, 1.08))

    weights = THEME_WEIGHTS[ctx.theme]
    keys, w = list(weights), list(weights.values())
    n_incidents = rng.randint(3, 8)
    kinds = rng.choices(keys, weights=w, k=n_incidents)
    units: list[list[str]] = []  # an incident with its follow-up stays together
    lead_killed, lead_slots = 0, {}
    for j, key in enumerate(kinds):
        sentence, killed, slots = _incident(rng, ctx, pool, key)
        if j == 0:
            lead_killed, lead_slots = killed, slots
        unit = [sentence]
        if rng.random() < 0.3:
            unit.append(_follow_up(rng, killed))
        units.append(unit)
    count = sum(len(s.split()) for u in units for s in u)

    fillers: list[list[str]] = []
    skip = "c:" if ctx.theme in ("unrest",) else "u:"
    order = [j for j, f in enumerate(FILLER) if not f.startswith(skip)]
    rng.shuffle(order)
    pos = 0
    while count < target:
        if pos == len(order):
            rng.shuffle(order)
            pos = 0
        template = FILLER[order[pos]].removeprefix("c:").removeprefix("u:")
        sentence = _tidy(template.format_map(_filler_slots(rng, ctx, pool)))
        pos += 1
        fillers.append([sentence])
        count += len(sentence.split())

    # the lead incident first, the others spread among the filler
    body = fillers[:]
    for unit in units[1:]:
        body.insert(rng.randint(1, len(body)) if body else 0, unit)
    paragraphs = [" ".join(units[0])]
    k = 0
    while k < len(body):
        size = rng.choice((1, 2, 2, 3))
        chunk = body[k : k + size]
        if any(s.startswith('"') for u in chunk for s in u):  # quotes stand alone
            chunk = body[k : k + 1]
        paragraphs.append(" ".join(s for u in chunk for s in u))
        k += len(chunk)
    if rng.random() < 0.6:
        paragraphs[0] = _dateline(rng, ctx, pool) + paragraphs[0]
    text = "\n\n".join(paragraphs)
    title = _title(rng, ctx, kinds[0], lead_killed, lead_slots)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    doc_id = f"synth-{seed}-{i:06d}"
    return {
        "id": doc_id,
        "title": title,
        "text": text,
        "published": published.isoformat(),
        "url": f"https://synthetic.example/{published:%Y/%m/%d}/{slug}-{doc_id}",
        "synthetic": True,
    }


def generate(
    n: int, *, seed: int = 1, words: int = 700, pool: PlacePool | None = None, start: int = 0
) -> Iterator[dict]:
    """``n`` synthetic articles, numbered from ``start``."""
    pool = pool or load_pool()
    for i in range(start, start + n):
        yield make_article(i, pool, seed=seed, words=words)


def write_corpus(path: Path | str, n: int, *, seed: int = 1, words: int = 700) -> dict:
    """Write ``n`` articles to ``path`` (JSON Lines); return summary figures."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    pool = load_pool()
    t_pool = time.perf_counter() - t0
    n_words = 0
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for rec in generate(n, seed=seed, words=words, pool=pool):
            n_words += len(rec["text"].split())
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return {
        "articles": n,
        "mean_words": n_words / max(n, 1),
        "seconds": time.perf_counter() - t0,
        "pool_seconds": t_pool,
        "bytes": path.stat().st_size,
        "path": str(path),
    }


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a SYNTHETIC news corpus (JSON Lines).")
    p.add_argument("--n", type=int, default=10_000, help="number of articles (default 10000)")
    p.add_argument("--out", default=str(ROOT / "bench" / "out" / "synth-10k.jsonl"))
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--words", type=int, default=700, help="words per article (default 700)")
    args = p.parse_args(argv)
    if args.n < 1 or args.words < 50:
        p.error("--n must be >= 1 and --words >= 50")
    s = write_corpus(args.out, args.n, seed=args.seed, words=args.words)
    print(
        f"wrote {s['articles']} synthetic articles (mean {s['mean_words']:.0f} words, "
        f"{s['bytes'] / 2**20:.1f} MB) to {s['path']} in {s['seconds']:.1f} s "
        f"(gazetteer scan {s['pool_seconds']:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
