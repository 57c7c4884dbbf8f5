"""Incident extraction on the annotated corpus ``tests/data/incidents``, with the real gazetteer.

The corpus is 18 synthetic wire-style articles written for these tests, with the incidents a
careful ACLED coder would record (see ``bench/README.md``). The floors below sit about ten
points under what the extractor reached when they were set, so a regression fails; raise them
when the extractor improves. ``bench/incidents.py --verbose`` shows every miss.

Targets of the incidents issue: sub-event type accuracy >= 0.85 (0.963 when the floors were
last raised) and incident recall with the right country and date >= 0.80 (0.903).
"""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest

from bench.incidents import (
    DEFAULT_CORPUS,
    ArticleResult,
    date_compatible,
    evaluate,
    forbidden_rules,
    gold_span,
    load_corpus,
    match,
    summarize,
    violates,
)
from extract.events.codebook import EVENT_TYPES
from geodata.gazetteer.index import Gazetteer

ARTICLES = load_corpus(DEFAULT_CORPUS)

# what the extractor reached when these were set (18 articles, 62 gold incidents), minus ~0.10
FLOORS: dict[str, float] = {
    "recall_country_date": 0.80,  # measured 0.903 (issue target 0.80)
    "recall_must_country_date": 0.81,  # 0.917
    "recall": 0.77,  # 0.871: country, date and place within tolerance
    "recall_must": 0.78,  # 0.883
    "precision": 0.61,  # 0.711
    "sub_event_accuracy": 0.86,  # 0.963 (issue target 0.85)
    "event_type_accuracy": 0.86,  # 0.963
    "casualties_exact": 0.61,  # 0.714
    "date_precision_agreement": 0.83,  # 0.935
}

# (article id, rule note) of forbidden outcomes the extractor still produces: reported, not
# asserted. Remove an entry once it is fixed (the test then guards it).
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


@pytest.fixture(scope="module")
def results(real: Gazetteer) -> dict[str, ArticleResult]:
    return {r.article["id"]: r for r in evaluate(ARTICLES, real)}


@pytest.fixture(scope="module")
def summary(results: dict[str, ArticleResult]) -> dict:
    return summarize(list(results.values()))


# --- the corpus itself ------------------------------------------------------------------------


def test_corpus_size_and_coverage() -> None:
    assert len(ARTICLES) >= 14
    subs = {g["sub_event_type"] for a in ARTICLES for g in a["incidents"]}
    countries = {g["country"] for a in ARTICLES for g in a["incidents"]}
    caps = [a["id"] for a in ARTICLES if sum(c.islower() for c in a["text"]) < 20]
    assert len(subs) >= 18, sorted(subs)
    assert len(countries) >= 12, sorted(countries)
    assert len(caps) >= 3, caps
    assert len({a["id"] for a in ARTICLES}) == len(ARTICLES)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["id"])
def test_article_is_well_formed(article: dict) -> None:
    assert article["_file"] == f"{article['id']}.json"
    assert 150 <= len(article["text"].split()) <= 500
    assert article["about"].startswith("synthetic")
    published = date.fromisoformat(article["published"])
    assert article["incidents"]
    for g in article["incidents"]:
        assert g["sub_event_type"] in EVENT_TYPES[g["event_type"]], g
        assert g["place"] in article["text"], g["place"]
        assert re.fullmatch(r"[A-Z]{2}", g["country"]), g
        assert -90 <= g["lat"] <= 90 and -180 <= g["lon"] <= 180, g
        assert g["tolerance_km"] > 0
        assert g["date_precision"] in ("day", "week", "month", "year"), g
        pattern = ISO_MONTH if g["date_precision"] == "month" else ISO_DAY
        assert pattern.match(g["date"]), g
        assert gold_span(g)[0] <= published, g
        for key in ("fatalities", "injured"):
            assert g[key] is None or (isinstance(g[key], int) and g[key] >= 0), g
        assert isinstance(g["must"], bool)
    for rule in article["forbidden"]:
        assert isinstance(rule, str) or rule.get("note"), rule


# --- the scorer (so that the floors mean what they say) ---------------------------------------


def _inc(**kw) -> SimpleNamespace:
    base = dict(
        country="KE",
        lat=-1.283,
        lon=36.817,
        date="2025-06-24",
        date_start=None,
        date_end=None,
        date_precision="day",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        fatalities=None,
        injured=None,
    )
    return SimpleNamespace(**(base | kw))


GOLD = {
    "event_type": "Protests",
    "sub_event_type": "Protest with intervention",
    "place": "Nairobi",
    "country": "KE",
    "lat": -1.283,
    "lon": 36.817,
    "tolerance_km": 25,
    "date": "2025-06-24",
    "date_precision": "day",
    "fatalities": None,
    "injured": None,
    "must": True,
}


def test_scorer_dates() -> None:
    assert date_compatible(GOLD, _inc())
    assert not date_compatible(GOLD, _inc(date="2025-06-23"))
    assert not date_compatible(GOLD, _inc(date=None))
    # overnight: a two-day span that contains the gold day
    assert date_compatible(GOLD, _inc(date="2025-06-25", date_start="2025-06-24"))
    # a year-long span is too vague for a day
    assert not date_compatible(GOLD, _inc(date_start="2025-01-01", date_end="2025-06-25"))
    week = GOLD | {"date": "2025-06-22", "date_precision": "week"}
    assert gold_span(week) == (date(2025, 6, 16), date(2025, 6, 22))
    assert date_compatible(week, _inc(date="2025-06-16"))
    assert not date_compatible(week, _inc(date="2025-06-23"))
    month = GOLD | {"date": "2024-10", "date_precision": "month"}
    assert gold_span(month) == (date(2024, 10, 1), date(2024, 10, 31))


def test_scorer_matching() -> None:
    far = _inc(lat=-4.055, lon=39.664, sub_event_type="Protest with intervention")
    wrong_country = _inc(country="VE", sub_event_type="Protest with intervention")
    near_other_type = _inc()
    near_same_type = _inc(sub_event_type="Protest with intervention")
    preds = [far, wrong_country, near_other_type, near_same_type]
    assert match([GOLD], preds) == {0: 3}
    assert match([GOLD], preds[:3]) == {0: 2}
    assert match([GOLD], preds[:2]) == {}
    assert match([GOLD], preds[:2], place=False) == {0: 0}


def test_scorer_forbidden_rules() -> None:
    assert violates({"country": "VE"}, _inc(country="VE"))
    assert not violates({"country": "VE"}, _inc())
    assert violates({"not_country": "KE"}, _inc(country="VE"))
    assert violates({"lat": -1.3, "lon": 36.8, "tolerance_km": 10}, _inc())
    assert not violates({"lat": -4.0, "lon": 39.6, "tolerance_km": 10}, _inc())
    assert violates({"sub_event_type": "Peaceful protest", "country": "KE"}, _inc())
    assert not violates({"sub_event_type": "Grenade", "country": "KE"}, _inc())
    assert violates({"date_before": "2024-01-01"}, _inc(date="2021-02-28"))
    assert violates({"min_fatalities": 1000}, _inc(fatalities=35000))
    assert not violates({"min_fatalities": 1000}, _inc(fatalities=6))
    assert not violates({"note": "only words"}, _inc())
    rules = forbidden_rules({"published": "2025-06-25", "forbidden": ["a note"]})
    assert rules == [{"note": "no incident dated after publication", "date_after": "2025-06-25"}]
    assert violates(rules[0], _inc(date="2025-06-26"))


# --- the extractor on the corpus --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_floor(summary: dict, name: str) -> None:
    value = summary[name]
    assert value is not None and value >= FLOORS[name], f"{name} = {value} < {FLOORS[name]}"


def test_every_article_yields_incidents(results: dict[str, ArticleResult]) -> None:
    empty = [aid for aid, r in results.items() if not r.preds]
    assert not empty


def _forbidden_cases() -> list:
    cases = []
    for a in ARTICLES:
        for k, rule in enumerate(forbidden_rules(a)):
            marks = []
            if (a["id"], rule["note"]) in KNOWN_VIOLATIONS:
                marks = [pytest.mark.xfail(reason="known extractor gap", strict=True)]
            cases.append(pytest.param(a["id"], k, marks=marks, id=f"{a['id']}-{k}"))
    return cases


@pytest.mark.parametrize(("article_id", "k"), _forbidden_cases())
def test_forbidden(results: dict[str, ArticleResult], article_id: str, k: int) -> None:
    r = results[article_id]
    rule = forbidden_rules(r.article)[k]
    bad = [
        f"{i.sub_event_type} @ {i.location} ({i.country}) {i.date} [{i.trigger!r}]"
        for i in r.preds
        if violates(rule, i)
    ]
    assert not bad, f"{rule['note']}: {bad}"
