"""Tests of the DuckDB event store (:mod:`geodata.store.event_store`): round trips, idempotency,
filters, migrations, damaged and read-only files. The bulk writes are tested in
``tests/test_store_bulk.py``, several processes in ``tests/test_store_concurrency.py``."""

from __future__ import annotations

import ctypes
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extract.events.dedup import same_incident
from geodata.errors import InputError, StoreBusyError, StoreError, StoreVersionError
from geodata.records import Incident
from geodata.store import _schema
from geodata.store._schema import SCHEMA_VERSION
from geodata.store.event_store import Store, article_id, default_db_path
from tests.store_helpers import article_row, fill_store, incident_row, place_row, query

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
INCIDENT_KEYS = set(Incident.__dataclass_fields__)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db" / "dateline.duckdb", lock_timeout=20)


# --- basics and round trips -----------------------------------------------------------------


def test_default_path_and_article_id(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATELINE_DB", raising=False)
    assert default_db_path() == Path("data/dateline.duckdb")
    monkeypatch.setenv("DATELINE_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"
    assert Store().path == (tmp_path / "x.duckdb").resolve()
    assert article_id("Shelling  hit\nKyiv. ") == article_id("Shelling hit Kyiv.")
    assert article_id("Shelling hit Kyiv.") != article_id("Shelling hit Lviv.")
    assert len(article_id("x")) == 16 and int(article_id("x"), 16) >= 0


def test_first_use_creates_schema(store: Store) -> None:
    assert not store.path.exists()
    stats = store.stats()
    assert store.path.exists()
    assert stats["schema_version"] == SCHEMA_VERSION == 3
    assert {k: stats[k] for k in ("articles", "places", "incidents", "sources")} == dict.fromkeys(
        ("articles", "places", "incidents", "sources"), 0
    )
    assert store.date_range() == (None, None)
    versions = query(store.path, "SELECT version FROM schema_version ORDER BY 1")
    assert versions == [(1,), (2,), (3,)]
    sql = "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
    types = dict(query(store.path, sql + "'incidents'"))
    assert types["date"] == types["date_start"] == types["date_end"] == "DATE"


def test_article_and_places_round_trip(store: Store) -> None:
    art = article_row("Shelling hit Kharkiv on Monday.", source_id="s-1", url="https://x/1")
    art |= {"source": "Wire", "published": "2024-05-11"}
    places = [place_row(0), place_row(1, geonameid=None, lat=None, lon=None, role="associative")]
    with store.transaction() as tx:
        assert tx.insert_article(art) is True
        tx.insert_places(art["id"], places)
    got = store.article(art["id"])
    assert got is not None
    for key in ("id", "source_id", "title", "url", "source", "published", "text"):
        assert got[key] == art[key], key
    assert got["ingested_at"].endswith("Z") and got["ingested_at"][:2] == "20"
    stored = store.places(art["id"])
    assert [p["position"] for p in stored] == [0, 1]
    assert [{k: v for k, v in p.items() if k != "position"} for p in stored] == places
    assert store.article("nope") is None and store.places("nope") == []
    with store.transaction() as tx:  # replacing the places of an article
        tx.insert_places(art["id"], [place_row(5)])
    assert [p["text"] for p in store.places(art["id"])] == ["P5"]


def test_insert_article_is_idempotent(store: Store) -> None:
    a, b = article_row("First article."), article_row("Second article.")
    with store.transaction() as tx:
        assert tx.insert_article(a) is True
        assert tx.insert_article(dict(a, title="other")) is False  # same id, same transaction
        assert tx.existing_article_ids([a["id"], b["id"], "zz"]) == {a["id"]}
    with store.transaction() as tx:
        assert tx.insert_article(a) is False
        assert tx.insert_article({"text": "Second   article."}) is True  # id = content hash
        assert tx.existing_article_ids([]) == set()
    assert store.stats()["articles"] == 2
    assert store.article(a["id"])["title"] == a["title"]
    assert store.article(b["id"])["text"] == "Second   article."
    with pytest.raises(InputError), store.transaction() as tx:
        tx.insert_article({"id": "x", "text": "  "})


def test_incident_round_trip_and_sources(store: Store) -> None:
    a1 = article_row("Report one.", url="https://x/1")
    a2 = article_row("Report two.", url="https://x/2")
    inc = incident_row("i1", a1["id"], fatalities=3, injured=None, actor2="Ukrainian forces")
    inc["sources"].append({"article_id": a2["id"], "sentence": "Fighting in Kharkiv."})
    with store.transaction() as tx:
        tx.insert_article(a1)
        tx.insert_article(a2)
        assert tx.insert_incident(inc) == "i1"
        assert tx.insert_incident(inc) == "i1"  # again: nothing new
    (row,) = store.incidents()
    assert {k: row[k] for k in INCIDENT_KEYS - {"sources"}} == {
        k: v for k, v in inc.items() if k != "sources"
    }
    assert row["n_sources"] == 2
    assert (row["article_id"], row["title"], row["url"]) == (a1["id"], a1["title"], a1["url"])
    srcs = store.incident_sources("i1")
    assert [(s["article_id"], s["title"], s["url"]) for s in srcs] == [
        (a1["id"], a1["title"], "https://x/1"),
        (a2["id"], a2["title"], "https://x/2"),
    ]
    assert srcs[0]["sentence"] == inc["sentence"] and (srcs[0]["start"], srcs[0]["end"]) == (0, 20)
    assert srcs[1]["start"] is None and store.stats()["sources"] == 2
    Incident(**{k: row[k] for k in INCIDENT_KEYS - {"sources"}})  # the shape fits


def test_add_source_dedups_and_counts_articles(store: Store) -> None:
    aid = fill_store(store, "Article A.", [incident_row("i1", "")])
    other = article_row("Article B.")
    with store.transaction() as tx:
        tx.insert_article(other)
        tx.add_source("i1", aid, "Clashes near Kharkiv (i1).", 0, 20)  # the same: not added
        tx.add_source("i1", aid, "A second mention.", 40, 60)  # same article, new mention
        tx.add_source("i1", other["id"], "Also reported.", None, None)
        tx.add_source("i1", other["id"], "Also reported.", None, None)
        with pytest.raises(StoreError, match="no incident"):
            tx.add_source("nope", aid, "x", None, None)
    assert [s["sentence"] for s in store.incident_sources("i1")] == [
        "Clashes near Kharkiv (i1).",
        "A second mention.",
        "Also reported.",
    ]
    assert store.incidents()[0]["n_sources"] == 2


def test_update_incident(store: Store) -> None:
    aid = fill_store(store, "Article A.", [incident_row("i1", "")])
    with store.transaction() as tx:
        tx.update_incident(
            "i1",
            {"date": "2024-05-09", "date_start": "2024-05-08", "fatalities": 2, "country": "RU"}
            | {"n_sources": 99, "title": "ignored"},
        )
        tx.update_incident("i1", {"sources": [{"article_id": "b" * 16, "sentence": "More."}]})
        with pytest.raises(TypeError, match="colour"):
            tx.update_incident("i1", {"colour": "red"})
        with pytest.raises(StoreError):
            tx.update_incident("zz", {"fatalities": 1})
    (row,) = store.incidents()
    dates = [row[k] for k in ("date", "date_start", "date_end")]
    assert dates == ["2024-05-09", "2024-05-08", "2024-05-10"]
    assert (row["fatalities"], row["country"], row["n_sources"]) == (2, "RU", 2)
    assert row["article_id"] == aid and row["title"] == "T: Article A."
    with pytest.raises(InputError, match="YYYY-MM-DD"), store.transaction() as tx:
        tx.update_incident("i1", {"date": "10 May"})


def test_candidate_incidents_cover_same_incident(store: Store) -> None:
    """Every stored incident that extract.events.dedup.same_incident matches is a candidate; the
    prefilter also keeps far-away fine-grained and other-type incidents out."""
    rng = random.Random(4)
    types = [("Battles", "Armed clash"), ("Battles", "Air/drone strike"), ("Protests", "P")]

    def rand(iid: str) -> dict[str, Any]:
        day = f"2024-05-{rng.randint(1, 20):02d}"
        end = f"2024-05-{rng.randint(20, 28):02d}" if rng.random() < 0.2 else day
        etype, sub = rng.choice(types)
        prec = rng.choice(["day", "day", "week", "unknown"])
        return incident_row(
            iid, "", event_type=etype, sub_event_type=sub, date=day, date_start=day,
            date_end=end, date_precision=prec, lat=50 + rng.uniform(-0.5, 0.5),
            lon=179.9 if rng.random() < 0.1 else 36 + rng.uniform(-0.5, 0.5),
            geo_precision=rng.choice([1, 2, 3, None]), country=rng.choice(["UA", "RU"]),
            admin1=rng.choice(["Kharkiv", "Sumy", None]),
        )  # fmt: skip

    stored = [rand(f"s{k}") for k in range(150)]
    fill_store(store, "Article A.", stored)
    objs = {s["id"]: Incident(**s) for s in stored}
    matched = 0
    with store.transaction() as tx:
        for k in range(60):
            query = rand(f"q{k}")
            found = tx.candidate_incidents(query)
            ids = {c["id"] for c in found}
            expected = {i for i, o in objs.items() if same_incident(Incident(**query), o)}
            assert expected <= ids, k
            assert all(set(c) == INCIDENT_KEYS for c in found)
            assert all((c["event_type"], c["sub_event_type"]) == (query["event_type"],
                       query["sub_event_type"]) for c in found)  # fmt: skip
            matched += len(expected)
        assert matched >= 20  # the comparison is not vacuous
        here = dict(lat=40.0, lon=20.0, geo_precision=1, country="AL")
        fixed = {
            "near": incident_row("near", "z", **here | {"lat": 40.1}),  # 11 km
            "far": incident_row("far", "z", **here | {"lat": 41.0}),  # 110 km
            "coarse": incident_row("coarse", "z", **here | {"lat": 41.0, "geo_precision": 3}),
            "abroad": incident_row("abroad", "z", **here | {"lat": 41.0, "geo_precision": 3})
            | {"country": "GR"},
            "other": incident_row("other", "z", **here, sub_event_type="Air/drone strike"),
            "before": incident_row("before", "z", **here, date="2024-04-01", date_start=None)
            | {"date_end": "2024-04-02"},
            "open": incident_row("open", "z", **here, date=None, date_start=None, date_end=None),
        }
        for inc in fixed.values():
            tx.insert_incident(inc)
        got = {c["id"] for c in tx.candidate_incidents(incident_row("q", "", **here))}
        assert got & set(fixed) == {"near", "coarse", "open"}
        got = {c["id"] for c in tx.candidate_incidents(incident_row("q", "", **here), max_km=5)}
        assert got & set(fixed) == {"coarse", "open"}
        (cand,) = [c for c in tx.candidate_incidents(stored[0]) if c["id"] == "s0"]
        assert cand["sources"] == [
            {"article_id": article_id("Article A."), "sentence": stored[0]["sentence"]}
            | {"start": 0, "end": 20}
        ]


# --- transactions ---------------------------------------------------------------------------


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    art = article_row("Kept out.")
    with pytest.raises(RuntimeError, match="boom"), store.transaction() as tx:
        tx.insert_article(art)
        tx.insert_places(art["id"], [place_row(0)])
        tx.insert_incident(incident_row("i1", art["id"]))
        raise RuntimeError("boom")
    stats = store.stats()
    assert (stats["articles"], stats["places"], stats["incidents"], stats["sources"]) == (0,) * 4
    with store.transaction() as tx:  # still usable, and the article is new
        assert tx.insert_article(art) is True
    assert store.stats()["articles"] == 1


def test_transaction_misuse(store: Store) -> None:
    with store.transaction() as tx:
        with pytest.raises(StoreError, match="in use by this thread"):
            store.stats()
    with pytest.raises(StoreError, match="over"):
        tx.insert_article(article_row("Late."))
    with pytest.raises(StoreError, match="read-only"):
        with Store(store.path, read_only=True).transaction():
            pass
    assert store.stats()["articles"] == 0


# --- reads and filters ----------------------------------------------------------------------


# id | type | sub-type | date | country | actor1 | actor2 | fatalities | location ("" = None)
_DATASET = """
a|Battles|Armed clash|2024-05-01|UA|Russian forces|Ukrainian army|3|Kharkiv
b|Battles|Armed clash|2024-05-03|UA|Wagner Group||0|Bakhmut
c|Protests|Peaceful protest|2024-05-03|GE|Protesters|Police||Tbilisi
d|Explosions/Remote violence|Air/drone strike|2024-05-10|UA|Russian forces||12|Odesa
e|Battles|Government regains territory|2024-06-01|RU|Ukrainian army|Russian forces|1|Kursk
f|Protests|Protest with intervention||GE|Students|||Batumi
g|Riots|Mob violence|2024-04-30|SD|||5|Khartoum
"""


@pytest.fixture
def dataset(store: Store) -> Store:
    incidents = []
    for line in _DATASET.strip().splitlines():
        iid, etype, sub, day, cc, a1, a2, dead, loc = (v or None for v in line.split("|"))
        row = dict(event_type=etype, sub_event_type=sub, date=day, date_start=day, date_end=day)
        row |= dict(country=cc, actor1=a1, actor2=a2, location=loc)
        row |= dict(
            fatalities=int(dead) if dead else None, date_precision="day" if day else "unknown"
        )
        incidents.append(incident_row(iid, "", sentence=f"Something happened in {loc}.", **row))
    fill_store(store, "Ceasefire talks stall.", incidents[:4])
    fill_store(store, "Weekly roundup.", incidents[4:])
    return store


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["e", "d", "b", "c", "a", "g", "f"]),  # newest first, undated last
        ({"start": "2024-05-01", "end": "2024-05-10"}, ["d", "b", "c", "a"]),  # inclusive
        ({"start": "2024-05-02"}, ["e", "d", "b", "c"]),
        ({"end": "2024-05-01"}, ["a", "g"]),
        ({"types": ["Protests"]}, ["c", "f"]),
        ({"types": ["Battles", "Riots"], "end": "2024-05-31"}, ["b", "a", "g"]),
        ({"sub_types": ["Armed clash", "Mob violence"]}, ["b", "a", "g"]),
        ({"countries": ["ua", "SD"]}, ["d", "b", "a", "g"]),
        ({"actors": ["russian"]}, ["e", "d", "a"]),  # actor1 or actor2, any case
        ({"actors": ["wagner", "POLICE"]}, ["b", "c"]),  # any of
        ({"text": "kharkiv"}, ["a"]),  # location / sentence
        ({"text": "ceasefire"}, ["d", "b", "c", "a"]),  # a source's title
        ({"text": "ceasefire odesa"}, ["d"]),  # every word
        ({"text": "students"}, ["f"]),  # actors
        ({"text": "50%_x"}, []),  # no wildcards
        ({"min_fatalities": 3}, ["d", "a", "g"]),
        ({"min_fatalities": 0}, ["e", "d", "b", "c", "a", "g", "f"]),  # 0: no filter
        ({"types": "Battles", "countries": "UA", "min_fatalities": 1}, ["a"]),  # str for a list
        ({"limit": 2}, ["e", "d"]),
        ({"limit": 0}, []),
    ],
)
def test_incident_filters(dataset: Store, filters: dict[str, Any], expected: list[str]) -> None:
    assert _ids(dataset.incidents(**filters)) == expected
    frame = dataset.incidents_frame(**filters)
    assert list(frame["id"]) == expected


def test_reads_summaries(dataset: Store) -> None:
    assert dataset.date_range() == (date(2024, 4, 30), date(2024, 6, 1))
    fill_store(dataset, "One more.", [incident_row("h", "", date="2024-05-03", country="UA")])
    assert dataset.counts_per_day() == [
        ("2024-04-30", "Riots", 1), ("2024-05-01", "Battles", 1), ("2024-05-03", "Battles", 2),
        ("2024-05-03", "Protests", 1), ("2024-05-10", "Explosions/Remote violence", 1),
        ("2024-06-01", "Battles", 1),
    ]  # fmt: skip
    assert dataset.counts_per_day(countries=["GE"], limit=1) == [("2024-05-03", "Protests", 1)]
    got = dataset.counts_per_day(start="2024-05-02", types=["Battles"])
    assert got == [("2024-05-03", "Battles", 2), ("2024-06-01", "Battles", 1)]
    facets = dataset.facets()
    assert facets["event_types"] == ["Battles", "Explosions/Remote violence", "Protests", "Riots"]
    subs = facets["sub_event_types"]
    assert subs["Protests"] == ["Peaceful protest", "Protest with intervention"]
    assert subs["Battles"] == ["Armed clash", "Government regains territory"]
    assert facets["countries"] == ["GE", "RU", "SD", "UA"]
    assert facets["actors"][:2] == ["Russian forces", "Ukrainian army"]  # 4 and 2 mentions
    assert set(facets["actors"][2:]) == {"Wagner Group", "Protesters", "Police", "Students"}
    stats = dataset.stats()
    assert (stats["articles"], stats["incidents"], stats["sources"]) == (3, 8, 8)
    assert (stats["min_date"], stats["max_date"]) == ("2024-04-30", "2024-06-01")
    assert stats["db_bytes"] >= dataset.path.stat().st_size > 0
    frame = dataset.incidents_frame(types=["Riots"])
    assert str(frame["date"].dtype).startswith("datetime64")
    assert frame["date"].iloc[0].strftime("%Y-%m-%d") == "2024-04-30"
    with pytest.raises(TypeError, match="colour"):
        dataset.incidents(colour="red")
    with pytest.raises(InputError):
        dataset.incidents(start="May 1")


def _unmappable(store: Store) -> Store:
    """The dataset (``f`` undated) plus ``u1`` (dated, a place name without a point) and ``u2``
    (neither date nor place)."""
    nowhere = dict(lat=None, lon=None, geo_precision=None, admin1=None)
    fill_store(
        store,
        "Reports without a map position.",
        [
            incident_row("u1", "", **nowhere, location="Ozerne", country="UA", fatalities=2),
            incident_row(
                "u2",
                "",
                **nowhere,
                location=None,
                country=None,
                actor1="Teachers",
                event_type="Protests",
                sub_event_type="Peaceful protest",
                date=None,
                date_start=None,
                date_end=None,
                date_precision="unknown",
            ),
        ],
    )
    return store


@pytest.mark.parametrize(
    ("filters", "expected", "counts"),
    [
        ({"missing": "date"}, ["f", "u2"], {"date": 2, "place": 1, "any": 2}),
        ({"missing": "place"}, ["u1", "u2"], {"date": 1, "place": 2, "any": 2}),
        ({"missing": "any"}, ["u1", "f", "u2"], {"date": 2, "place": 2, "any": 3}),
        ({}, None, {"date": 2, "place": 2, "any": 3}),
        ({"missing": "any", "types": ["Protests"]}, ["f", "u2"], {"date": 2, "place": 1, "any": 2}),
        ({"missing": "any", "countries": ["UA"]}, ["u1"], {"date": 0, "place": 1, "any": 1}),
        ({"missing": "any", "min_fatalities": 1}, ["u1"], {"date": 0, "place": 1, "any": 1}),
        ({"missing": "any", "text": "students"}, ["f"], {"date": 1, "place": 0, "any": 1}),
        ({"missing": "any", "actors": ["russian"]}, ["u1"], {"date": 0, "place": 1, "any": 1}),
        # a time window leaves the undated out, as in every windowed read
        ({"missing": "any", "start": "2024-05-01"}, ["u1"], {"date": 0, "place": 1, "any": 1}),
        ({"missing": "date", "end": "2024-12-31"}, [], {"date": 0, "place": 0, "any": 0}),
    ],
)
def test_incidents_the_map_cannot_draw(
    dataset: Store, filters: dict[str, Any], expected: list[str] | None, counts: dict[str, int]
) -> None:
    store = _unmappable(dataset)
    assert store.missing_counts(**filters, limit=1) == counts  # limit is ignored
    if expected is None:
        return
    assert _ids(store.incidents(**filters)) == expected
    assert list(store.incidents_frame(**filters)["id"]) == expected


def test_missing_filter_elsewhere(dataset: Store) -> None:
    store = _unmappable(dataset)
    # u1 is dated: the timeline counts it; u2 and f are not
    assert store.counts_per_day(missing="place") == [("2024-05-10", "Battles", 1)]
    assert store.counts_per_day(missing="date") == []
    assert {r["id"] for r in store.incidents(missing="place")} == {
        r["id"] for r in store.incidents() if r["lat"] is None
    }
    with pytest.raises(InputError, match="missing='nowhere'"):
        store.incidents(missing="nowhere")
    with pytest.raises(InputError):
        store.missing_counts(missing="nowhere")
    with pytest.raises(TypeError, match="colour"):
        store.missing_counts(colour="red")
    empty = Store(store.path.with_name("empty.duckdb"))
    assert empty.missing_counts() == {"date": 0, "place": 0, "any": 0}


# --- corrections and snapshots --------------------------------------------------------------


def test_corrections(store: Store) -> None:
    store.add_correction(article_id="a1", start=30, end=36, entry_id="g1", note="wrong Paris")
    store.add_correction(article_id="a1", start=5, end=9, entry_id=None)
    store.add_correction(article_id="a1", start=30, end=36, entry_id="g2")  # replaces
    store.add_correction(article_id="a2", start=0, end=4, entry_id="g3")
    got = store.corrections("a1")
    assert [(c["start"], c["end"], c["entry_id"], c["note"]) for c in got] == [
        (5, 9, None, None),
        (30, 36, "g2", None),
    ]
    assert all(c["article_id"] == "a1" and c["created_at"].endswith("Z") for c in got)
    other = store.corrections("a2")
    with store.transaction() as tx:
        assert tx.corrections_for("a1") == got
        assert tx.corrections_for_many(["a2", "a1", "a3", "a1"]) == {"a1": got, "a2": other}
    for bad in ((5, 5), (-1, 3), (9, 4)):
        with pytest.raises(InputError):
            store.add_correction(article_id="a1", start=bad[0], end=bad[1], entry_id="g")
    assert store.stats()["corrections"] == 3


def test_snapshots(store: Store) -> None:
    view = {"start": "2024-05-01", "types": ["Battles"], "zoom": 6}
    incidents = [{"id": "i1", "date": "2024-05-02", "lat": 50.1}, {"id": "i2"}]
    first = store.save_snapshot(title="Kharkiv", note="n", view=view, incidents=incidents)
    time.sleep(0.01)
    second = store.save_snapshot(title="Empty", note="", view={}, incidents=[])
    assert first != second and len(first) >= 20
    assert first.replace("-", "").replace("_", "").isalnum()
    snap = store.snapshot(first)
    assert snap is not None
    assert [snap[k] for k in ("title", "note", "view")] == ["Kharkiv", "n", view]
    assert snap["incidents"] == incidents
    assert [(s["id"], s["n_incidents"]) for s in store.snapshots()] == [(second, 0), (first, 2)]
    store.rename_snapshot(first, "Kharkiv, May")
    renamed = store.snapshot(first)
    assert renamed["title"] == "Kharkiv, May" and renamed["updated_at"] >= renamed["created_at"]
    with pytest.raises(StoreError, match="no snapshot"):
        store.rename_snapshot("missing", "x")
    store.delete_snapshot(first)
    store.delete_snapshot("missing")
    assert store.snapshot(first) is None and [s["id"] for s in store.snapshots()] == [second]


# --- schema versions, damaged and read-only files -------------------------------------------


def test_old_schema_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))  # a version-1 store, as the first build wrote it
    for statement in _schema.MIGRATIONS[0]:
        con.execute(statement)
    con.execute("INSERT INTO schema_version VALUES (1, now()::TIMESTAMP)")
    con.execute(
        "INSERT INTO articles (id, text, ingested_at) VALUES ('a1', 'Old.', now()::TIMESTAMP)"
    )
    con.close()
    with pytest.raises(StoreError, match="old schema version 1"):
        Store(path, read_only=True).stats()
    store = Store(path)
    assert store.stats()["schema_version"] == 3
    assert store.article("a1")["text"] == "Old."
    store.add_correction(article_id="a1", start=0, end=3, entry_id=None)  # a version-2 table
    assert len(store.corrections("a1")) == 1
    assert Store(path, read_only=True).stats()["corrections"] == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    Store(path).stats()
    sql = "INSERT INTO schema_version VALUES (?, now()::TIMESTAMP)"
    duckdb.connect(str(path)).execute(sql, [SCHEMA_VERSION + 1]).close()
    for read_only in (False, True):
        with pytest.raises(StoreVersionError, match="upgrade Dateline"):
            Store(path, read_only=read_only).incidents()


def test_damaged_files(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"not a database " * 500)
    good = tmp_path / "good.duckdb"
    fill_store(Store(good), "An article.", [incident_row("i1", "")])
    truncated = tmp_path / "truncated.duckdb"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    for path in (garbage, truncated):
        for read_only in (False, True):
            with pytest.raises(StoreError, match="damaged") as info:
                Store(path, read_only=read_only).incidents()
            assert not isinstance(info.value, StoreBusyError)
            assert "Move it aside" in str(info.value) and str(path) in str(info.value)
    foreign = tmp_path / "foreign.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INTEGER)").close()
    with pytest.raises(StoreError, match="not a Dateline store"):
        Store(foreign).stats()
    assert garbage.read_bytes() == b"not a database " * 500  # left alone


def test_read_only_store_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "x.duckdb"
    with pytest.raises(StoreError, match="no store at"):
        Store(path, read_only=True).incidents()
    assert not path.parent.exists()


def _drop_file_permission_override() -> None:  # runs in the child, before exec
    if os.geteuid() == 0:  # root ignores file modes unless these capabilities are gone
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_read_only_file_and_directory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    path, writable = folder / "x.duckdb", folder / "w.duckdb"
    fill_store(Store(path), "An article.", [incident_row("i1", "")])
    Store(writable).stats()
    code = f"""
from geodata.store.event_store import Store
from geodata.errors import StoreError
path = {str(path)!r}
print("read", len(Store(path).incidents()), len(Store(path, read_only=True).incidents()))
for target in (path, {str(writable)!r}, {str(folder / "new.duckdb")!r}):
    try:
        with Store(target).transaction() as tx:
            tx.insert_article({{"text": "New."}})
        print("wrote", target)
    except StoreError as exc:
        print("refused:", exc)
"""
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=60,
            preexec_fn=_drop_file_permission_override,
        )  # fmt: skip
    except OSError as exc:  # pragma: no cover - a sandbox that forbids dropping capabilities
        pytest.skip(f"cannot run a process without write permission: {exc}")
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "read 1 1"
    assert lines[1].startswith("refused: cannot write the store") and "read_only=True" in lines[1]
    assert lines[2].startswith("refused: cannot write the store")  # no room for its WAL
    assert lines[3].startswith("refused: ") and "wrote" not in proc.stdout
    assert Store(path).stats()["articles"] == 1


def test_snapshot_ids_never_open_with_a_dash(tmp_path) -> None:
    # "--id -abc…" would read as an option on the command line
    store = Store(tmp_path / "s.duckdb")
    ids = [store.save_snapshot(title="t", note="", view={}, incidents=[]) for _ in range(64)]
    assert len(set(ids)) == 64
    assert all(i[0].isalnum() for i in ids)
