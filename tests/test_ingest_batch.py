"""Ingest writes a batch with the store's bulk methods, in a fixed number of statements, and
stores exactly the rows of the incident-by-incident logic it replaced (still used with
``StoreWriter.sequential``): both run on the same input into two stores, which must be equal.

The inputs: the short test corpus through the real extraction (fixture gazetteer), and random
extraction results (extraction replaced) made to hit every dedup path — matches within a batch
and across batches, several candidates, coarse and fine places, open date ranges, NULL
sub-types and countries, incident ids met again, explicit sources, stored corrections.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

import extract
from extract.sources import ingest as ingest_mod
from extract.sources import store_writer
from extract.sources.ingest import ingest_records
from extract.sources.store_writer import IngestStats
from geodata.records import Article, Incident, Place
from geodata.store import event_store as store_mod
from tests.fixtures_gazetteer import tiny_gazetteer
from tests.ingest_support import corpus, dump

_COUNTS = ("new", "duplicate", "failed", "incidents_new", "incidents_merged", "places")


def _both(
    records: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    batch_sizes: tuple[int, ...],
    prepare: Any = None,
) -> dict[str, Any]:
    """Ingest ``records`` (in runs of ``batch_sizes``: one run per size, each continuing the
    last) into a store with the bulk path and one with the sequential path; compare."""
    out = {}
    for mode in ("sequential", "bulk"):
        monkeypatch.setattr(store_writer.StoreWriter, "sequential", mode == "sequential")
        store = store_mod.Store(tmp_path / f"{mode}.duckdb")
        if prepare is not None:
            prepare(store)
        totals = []
        for size in batch_sizes:
            stats = ingest_records(records, store=store, loader=tiny_gazetteer, batch_size=size)
            totals.append(tuple(getattr(stats, k) for k in _COUNTS))
        out[mode] = (totals, dump(store.path), store)
    (seq_counts, seq_rows, _), (bulk_counts, bulk_rows, store) = out["sequential"], out["bulk"]
    assert bulk_counts == seq_counts
    for table in seq_rows:
        assert bulk_rows[table] == seq_rows[table], table
    return {"counts": bulk_counts, "rows": bulk_rows, "store": store}


def test_text_corpus_gives_the_rows_of_the_sequential_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = corpus(90)
    first = records[:40]
    got = _both(
        records,
        tmp_path,
        monkeypatch,
        batch_sizes=(25,),
        prepare=lambda s: ingest_records(first, store=s, loader=tiny_gazetteer, batch_size=7),
    )
    ((new, dup, _, inc_new, merged, _),) = got["counts"]
    assert (new, dup) == (50, 40) and inc_new > 5 and merged > 10


# --- random extraction results --------------------------------------------------------------

_TYPES = [
    ("Battles", "Armed clash"),
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Protests", None),
]
_SPOTS = [  # (location, lat, lon, country, admin1)
    ("Kharkiv", 49.99, 36.23, "UA", "Kharkiv"),
    ("Kharkiv outskirts", 50.05, 36.30, "UA", "Kharkiv"),  # 8 km away
    ("Kharkiv edge", 49.99, 36.5795, "UA", "Kharkiv"),  # 24.98 km: outside the store's box
    ("Chuhuiv", 49.84, 36.69, "UA", "Kharkiv"),  # 37 km away
    ("Kursk", 51.73, 36.19, "RU", "Kursk"),
    ("Kharkiv Oblast", None, None, "UA", "Kharkiv"),
    ("Somewhere", None, None, None, None),
]


def _random_incident(rng: random.Random, aid: str, k: int, reuse: list[str]) -> dict[str, Any]:
    etype, sub = rng.choice(_TYPES)
    location, lat, lon, country, admin1 = rng.choice(_SPOTS)
    precision = 4 if lat is None else rng.choice([1, 1, 2, 3, None])
    day = f"2024-05-{rng.randint(1, 12):02d}"
    dates = dict(date=day, date_start=day, date_end=day, date_precision="day")
    roll = rng.random()
    if roll < 0.15:
        dates = dict(date_start="2024-05-01", date_end=f"2024-05-{rng.randint(5, 14):02d}")
        dates |= dict(date=dates["date_end"], date_precision="week")
    elif roll < 0.25:
        dates = dict(date=None, date_start=None, date_end=None, date_precision="unknown")
    elif roll < 0.3:  # the store keeps the day only; no precision: open for dedup, not for SQL
        dates = {k: f"{day}T08:00:00" for k in ("date", "date_start", "date_end")}
        dates["date_precision"] = rng.choice(["day", None])
    iid = rng.choice(reuse) if reuse and rng.random() < 0.05 else f"{aid}-{k}"
    reuse.append(iid)
    inc = dict(id=iid, event_type=etype, sub_event_type=sub, **dates, place_index=k)
    inc |= dict(location=location, lat=lat, lon=lon, geo_precision=precision, country=country)
    inc |= dict(admin1=admin1, actor1=rng.choice([None, "Russian forces", "Protesters"]))
    inc |= dict(actor2=rng.choice([None, None, "Ukrainian forces"]))
    inc |= dict(fatalities=rng.choice([None, 0, 2, 5]), injured=rng.choice([None, 1, 3]))
    inc |= dict(sentence=f"Sentence {k} of {aid}.", start=10 * k, end=10 * k + 9)
    inc |= dict(confidence=round(rng.uniform(0.3, 0.9), 2), trigger="t", time_precision=None)
    inc["sources"] = []
    if rng.random() < 0.05:  # explicit sources, one repeated
        src = {"article_id": aid, "sentence": inc["sentence"], "start": 0, "end": 5}
        inc["sources"] = [src, dict(src), {"article_id": aid, "sentence": "Also."}]
    return inc


def _extracted(
    text: str, title: str, places: list[Place], incidents: list[dict[str, Any]]
) -> Article:
    """What extraction returns; the incident fields as given (odd values included)."""
    found = [Incident(**inc) for inc in incidents]
    return Article("fake", text, places, found, published="2024-05-13", title=title)


@pytest.fixture
def random_extraction(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace extraction by random results, looked up by text; returns that table."""
    table: dict[str, Any] = {}

    def fake(text: str, **kw: Any) -> Any:
        return table[text]

    monkeypatch.setattr(extract, "extract_article", fake)
    return table


def _random_records(table: dict[str, Any], n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records, reuse = [], []
    for i in range(n):
        text = f"Random article {i}: Kharkiv, Kursk and more."
        aid = ingest_mod._article_id(text)
        places = [
            Place(
                10 * k, 10 * k + 7, f"Place{k}", f"Place {k}", None, None, None, "city", "UA", None
            )
            for k in range(3)
        ]
        incidents = [_random_incident(rng, aid, k, reuse) for k in range(rng.randint(0, 4))]
        table[text] = _extracted(text, f"Title {i}", places, incidents)
        records.append({"id": f"r{i}", "text": text})
    return records


@pytest.mark.parametrize(("seed", "sizes"), [(1, (30,)), (2, (7, 50)), (3, (200,))])
def test_random_incidents_give_the_rows_of_the_sequential_path(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    random_extraction: dict[str, Any],
    seed: int,
    sizes: tuple[int, ...],
) -> None:
    records = _random_records(random_extraction, 150, seed)
    texts = [r["text"] for r in records]

    def prepare(store: store_mod.Store) -> None:  # some stored incidents, some corrections
        ingest_records(records[:20], store=store, loader=tiny_gazetteer, batch_size=6)
        for i in (25, 60, 61):
            aid = ingest_mod._article_id(texts[i])
            store.add_correction(article_id=aid, start=0, end=7, entry_id=None)  # drop place 0
            store.add_correction(article_id=aid, start=10, end=17, entry_id="adm1:UA.07")

    got = _both(records, tmp_path, monkeypatch, batch_sizes=sizes, prepare=prepare)
    new, dup, _, inc_new, merged, _ = got["counts"][0]
    assert (new, dup) == (130, 20) and merged > 30 and inc_new > 30
    store = got["store"]
    assert sum(i["n_sources"] > 1 for i in store.incidents()) > 10
    corrected = ingest_mod._article_id(texts[60])
    assert [p["entry_id"] for p in store.places(corrected)] == ["adm1:UA.07", None]


def _article(table: dict[str, Any], i: int, *incidents: dict[str, Any]) -> dict[str, Any]:
    text = f"Directed article {i}."
    aid = ingest_mod._article_id(text)
    for k, inc in enumerate(incidents):
        inc |= {"id": inc.get("id", f"{aid}-{k}"), "sentence": f"S{k} of {i}.", "place_index": 0}
        inc.setdefault("sources", [])
    table[text] = _extracted(text, f"T{i}", [], list(incidents))
    return {"text": text}


def _at(day: str, precision: str | None = "day", **kw: Any) -> dict[str, Any]:
    inc = dict(event_type="Battles", sub_event_type="Armed clash", date=day, date_start=day)
    inc |= dict(date_end=day, date_precision=precision, location="Kharkiv", lat=49.99)
    inc |= dict(lon=36.23, geo_precision=1, country="UA", admin1="Kharkiv", actor1=None)
    inc |= dict(actor2=None, fatalities=None, injured=None, start=0, end=9, confidence=0.5)
    return inc | dict(trigger="t", time_precision=None) | kw


@pytest.mark.parametrize("size", [1, 50])
def test_directed_dedup_corners_give_the_rows_of_the_sequential_path(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    random_extraction: dict[str, Any],
    size: int,
) -> None:
    t = random_extraction
    week = _at("2024-05-07", "week", date_start="2024-05-01")
    records = [
        _article(t, 0, week),
        _article(t, 1, _at("2024-05-03T08:00:00")),  # folded in: the store keeps the day only
        _article(t, 2, _at("2024-05-03")),  # so this one matches the stored, folded record
        _article(t, 3, _at("2024-05-03", lon=36.5795)),  # 24.98 km, outside the store's box
        _article(t, 4, _at("2024-05-09", None)),  # no precision: open for dedup, not for SQL
        _article(t, 5, _at("2024-05-20", id="fixed"), _at("2024-05-20", id="fixed", lat=None)),
        _article(t, 6, _at("2024-06-01", id="fixed", sources=[{"article_id": "x", "end": 2}])),
    ]
    got = _both(records, tmp_path, monkeypatch, batch_sizes=(size,))
    _, _, _, inc_new, merged, _ = got["counts"][0]
    assert (inc_new, merged) == (6, 2)
    store = got["store"]
    (fixed,) = [i for i in store.incidents() if i["id"] == "fixed"]
    assert (fixed["date"], fixed["n_sources"]) == ("2024-05-20", 2)  # articles 5 and "x"
    assert len(store.incident_sources("fixed")) == 3


# --- statements per batch -------------------------------------------------------------------


class _Counting:
    """A cursor that counts the statements it executes."""

    def __init__(self, cur: Any, log: list[str]) -> None:
        self._cur, self._log = cur, log

    def execute(self, sql: str, *args: Any) -> Any:
        self._log.append(sql)
        return self._cur.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


def _statements(
    n: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, sequential: bool
) -> int:
    """Statements of the transaction that writes one batch of ``n`` test-corpus articles, on
    top of a store holding 6 of them (so that the batch also merges into stored incidents)."""
    logs: list[list[str]] = []

    class CountingTx(store_mod.StoreTx):
        def __init__(self, cur: Any) -> None:
            logs.append([])
            super().__init__(_Counting(cur, logs[-1]))

    monkeypatch.setattr(store_mod, "StoreTx", CountingTx)
    monkeypatch.setattr(store_writer.StoreWriter, "sequential", sequential)
    store = store_mod.Store(tmp_path / f"count-{n}-{sequential}.duckdb")
    records = corpus(n + 5)
    ingest_records(records[:5], store=store, loader=tiny_gazetteer)
    logs.clear()
    stats = IngestStats()
    ingest_records(records, store=store, loader=tiny_gazetteer, batch_size=n + 5, stats=stats)
    assert (stats.new, stats.incidents_merged) >= (n, n // 4) and len(logs) == 2
    return len(logs[1])  # logs[0]: the check for stored articles


def test_a_batch_takes_a_fixed_number_of_statements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = _statements(12, tmp_path, monkeypatch, sequential=False)
    large = _statements(60, tmp_path, monkeypatch, sequential=False)
    assert small == large <= 24  # 8 statements, and each of 7 row frames made and dropped
    assert _statements(12, tmp_path, monkeypatch, sequential=True) > 5 * small
