"""The synthetic corpus generator (``bench/synth.py``), with the real gazetteer."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from bench._synth_places import load_pool
from bench.synth import generate, main, make_article
from extract import extract_article
from extract.events.codebook import EVENT_TYPES
from extract.events.timex import dateline_date
from geodata.gazetteer.index import load_gazetteer

_DATELINE = re.compile(r"^[A-Z][A-Z' .-]+, [^()]{3,25} \((?:Reuters|AP|AFP)\) [-—] ")


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def pool(gazetteer):
    return load_pool(gazetteer)


def test_pool_holds_real_cities(pool, gazetteer) -> None:
    assert len(pool.codes) > 100
    for code in ("UA", "NG", "US"):
        cities = pool.by_country[code]
        assert len(cities) >= 10
        assert all(c.population >= 50_000 and c.country == code for c in cities)
        assert any(e.kind == "city" for e in gazetteer.lookup(cities[0].name))
    assert pool.demonyms["UA"] == "Ukrainian"
    assert pool.country_names["UA"] == "Ukraine"


def test_deterministic_for_a_seed(pool) -> None:
    first = list(generate(8, seed=3, pool=pool))
    again = list(generate(8, seed=3, pool=pool))
    assert first == again
    other = list(generate(8, seed=4, pool=pool))
    assert all(a["text"] != b["text"] for a, b in zip(first, other, strict=True))
    # article i does not depend on how many are generated
    assert list(generate(3, seed=3, pool=pool)) == first[:3]
    assert make_article(5, pool, seed=3) == first[5]
    assert len({a["text"] for a in first}) == len(first)


@pytest.mark.parametrize("words", [700, 300, 1200])
def test_articles_are_about_n_words(pool, words: int) -> None:
    counts = [len(a["text"].split()) for a in generate(40, seed=1, words=words, pool=pool)]
    assert all(0.8 * words <= c <= 1.2 * words for c in counts), (min(counts), max(counts))


def test_every_record_is_labelled_synthetic(pool) -> None:
    for a in generate(50, seed=2, pool=pool):
        assert set(a) == {"id", "title", "text", "published", "url", "synthetic"}
        assert a["synthetic"] is True
        assert a["id"].startswith("synth-")
        assert "2023-01-01" <= a["published"] <= "2025-12-31"
        assert a["url"].startswith("https://synthetic.example/")
        assert a["title"] and "\n\n" in a["text"]
        assert "{" not in a["text"] and "}" not in a["text"]  # no unfilled template slot


def test_datelines_match_the_published_date(pool) -> None:
    seen = 0
    for a in generate(60, seed=1, pool=pool):
        if _DATELINE.match(a["text"]):
            seen += 1
            assert (
                dateline_date(a["text"], year_hint=int(a["published"][:4])).isoformat()
                == (a["published"])
            )
    assert 15 <= seen <= 50  # "sometimes"


def test_cli_writes_jsonl(tmp_path) -> None:
    out = tmp_path / "s.jsonl"
    assert main(["--n", "5", "--out", str(out), "--seed", "7", "--words", "200"]) == 0
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == [f"synth-7-{i:06d}" for i in range(5)]
    assert all(r["synthetic"] is True for r in recs)


def test_extractor_finds_incidents_in_most_articles(pool, gazetteer) -> None:
    found = []
    types: Counter[str] = Counter()
    for a in generate(20, seed=1, pool=pool):
        art = extract_article(a["text"], published=a["published"], gazetteer=gazetteer)
        found.append(len(art.incidents))
        types.update(i.event_type for i in art.incidents)
        assert art.places, a["id"]
    assert sum(n >= 1 for n in found) >= 17, found
    assert 2 <= sum(found) / len(found) <= 12, found
    assert set(types) <= set(EVENT_TYPES)


def test_all_event_types_occur(pool, gazetteer) -> None:
    types: Counter[str] = Counter()
    for a in generate(60, seed=5, pool=pool):
        art = extract_article(a["text"], published=a["published"], gazetteer=gazetteer)
        types.update(i.event_type for i in art.incidents)
    assert set(types) == set(EVENT_TYPES), types
