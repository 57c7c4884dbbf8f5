"""Tests of the event store's bulk writes (:class:`geodata.store._bulk.BulkWrites`): each leaves the
rows of its per-item method called item by item, fails without changing anything, and the batch
candidate query and its Python twin (``candidate_filter``) agree with ``candidate_incidents``."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from geodata import records
from geodata.errors import InputError, StoreError
from geodata.store import _schema
from geodata.store._bulk import candidate_filter, stored_incident
from geodata.store.event_store import Store
from tests.store_helpers import article_row, fill_store, incident_row, place_row, query


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db" / "dateline.duckdb", lock_timeout=20)


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of the data tables but timestamps, sorted."""
    out = {}
    for table in ("articles", "places", "incidents", "incident_sources"):
        cols = [
            r[0]
            for r in query(path, f"DESCRIBE {table}")
            if r[0] not in ("ingested_at", "created_at", "updated_at", "added_at")
        ]
        quoted = ", ".join(f'"{c}"' for c in cols)
        out[table] = sorted(query(path, f"SELECT {quoted} FROM {table}"), key=repr)
    return out


def test_column_types_match_the_schema(store: Store) -> None:
    store.stats()
    for table, fields, types in (
        ("articles", _schema.ARTICLE_FIELDS, _schema.ARTICLE_TYPES),
        ("places", records.PLACE_FIELDS, _schema.PLACE_TYPES),
        ("incidents", records.INCIDENT_FIELDS, _schema.INCIDENT_TYPES),
    ):
        sql = "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
        got = dict(query(store.path, f"{sql}'{table}'"))
        assert [got[f] for f in fields] == list(types), table


def test_bulk_writes_leave_the_rows_of_per_item_calls(tmp_path: Path) -> None:
    """Each bulk method leaves the rows of its per-item method called for each item in turn."""
    arts = [article_row(f"Report {k}.", url=f"https://x/{k}") for k in range(4)]
    a = [art["id"] for art in arts]
    first = [incident_row("i1", a[0]), incident_row("i2", a[1], sub_event_type=None, country=None)]
    first.append(incident_row("i3", a[0]) | {"sources": []})  # no source yet
    undated = dict(date=None, date_start=None, date_end=None, date_precision="unknown")
    then = [incident_row("i1", a[2], fatalities=9), incident_row("i4", a[3], **undated)]
    then[1]["sources"] *= 2  # a repeated source is stored once
    then.append(incident_row("i4", a[1]))  # twice in one call: the second adds its source
    sources = [
        ("i3", a[3], "First for i3.", None, None),  # the first: sets article_id, title, url
        ("i1", a[0], first[0]["sentence"], 0, 20),  # stored already
        ("i1", a[1], "Other.", 5, None),
        ("i1", a[1], "Other.", 5, None),
        ("i2", a[2], None, None, None),
    ]
    updates = [
        ("i1", {"date": "2024-05-09", "country": "RU", "n_sources": 7, "title": "x"}),
        ("i2", {"sources": [{"article_id": a[3], "sentence": "Via update."}]}),
        ("i1", {"fatalities": 4, "date_start": None, "lat": 50.5}),
        ("i3", {"event_type": "Riots", "sub_event_type": None}),
    ]
    places = {a[0]: [place_row(0), place_row(1)], a[1]: [place_row(2, position=5)], a[2]: []}
    item, bulk = Store(tmp_path / "item.duckdb"), Store(tmp_path / "bulk.duckdb")
    with item.transaction() as tx:
        assert [tx.insert_article(art) for art in [*arts[:3], arts[0]]] == [True] * 3 + [False]
        for aid, rows in places.items():
            tx.insert_places(aid, rows)
        for inc in first:
            tx.insert_incident(inc)
    with item.transaction() as tx:
        assert [tx.insert_article(art) for art in arts] == [False] * 3 + [True]
        tx.insert_places(a[0], [place_row(7)])
        tx.insert_places(a[1], [])
        for inc in then:
            tx.insert_incident(inc)
        for src in sources:
            tx.add_source(*src)
        for iid, fields in updates:
            tx.update_incident(iid, fields)
    with bulk.transaction() as tx:
        assert tx.insert_articles([*arts[:3], arts[0]]) == a[:3]
        assert tx.insert_places_bulk(places) == 3
        assert tx.insert_incidents_bulk(first) == ["i1", "i2", "i3"]
    with bulk.transaction() as tx:
        assert tx.insert_articles(arts) == a[3:]
        assert tx.insert_places_bulk([(a[0], [place_row(7)]), (a[1], [])]) == 1
        assert tx.insert_incidents_bulk(then) == ["i1", "i4", "i4"]
        keys = ("incident_id", "article_id", "sentence", "start", "end")
        assert tx.add_sources_bulk(dict(zip(keys, src, strict=True)) for src in sources) == 3
        tx.update_incidents_bulk(updates)
    assert _dump(bulk.path) == _dump(item.path)
    assert bulk.incidents() == item.incidents()
    by_id = {row["id"]: row for row in bulk.incidents()}
    assert (by_id["i3"]["article_id"], by_id["i3"]["title"]) == (a[3], "T: Report 3.")
    assert [by_id[i]["n_sources"] for i in ("i1", "i2", "i3", "i4")] == [3, 3, 1, 2]
    assert (by_id["i1"]["date"], by_id["i1"]["date_start"], by_id["i1"]["country"]) == (
        "2024-05-09",
        None,
        "RU",
    )
    assert [p["text"] for p in bulk.places(a[0])] == ["P7"] and bulk.places(a[1]) == []


def test_bulk_write_errors_change_nothing(store: Store) -> None:
    aid = fill_store(store, "Article A.", [incident_row("i1", "")])
    before = _dump(store.path)
    with store.transaction() as tx:
        src = {"incident_id": "i1", "article_id": aid, "sentence": "New."}
        with pytest.raises(StoreError, match="no incident 'nope'"):
            tx.add_sources_bulk([src, src | {"incident_id": "nope"}])
        with pytest.raises(StoreError, match="no incident 'zz'"):
            tx.update_incidents_bulk({"i1": {"fatalities": 1}, "zz": {"fatalities": 1}})
        with pytest.raises(TypeError, match="colour"):
            tx.update_incidents_bulk([("i1", {"colour": "red"})])
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            tx.update_incidents_bulk({"i1": {"date": "10 May"}})
        with pytest.raises(InputError, match="event_type"):
            tx.insert_incidents_bulk([incident_row("i9", aid), {"id": "i8", "event_type": ""}])
        with pytest.raises(InputError, match="article_id"):
            tx.insert_incidents_bulk([incident_row("i9", aid) | {"sources": [{"sentence": "s"}]}])
        with pytest.raises(InputError, match="no text"):
            tx.insert_articles([{"text": "Fine."}, {"text": "  "}])
        assert tx.insert_articles([]) == [] and tx.insert_incidents_bulk([]) == []
        assert tx.add_sources_bulk([]) == 0 and tx.insert_places_bulk({}) == 0
        tx.update_incidents_bulk({})
        assert tx.corrections_for_many([]) == {}
    assert _dump(store.path) == before


def _random_incident(rng: random.Random, iid: str) -> dict[str, Any]:
    day = f"2024-05-{rng.randint(1, 20):02d}"
    end = f"2024-05-{rng.randint(20, 28):02d}" if rng.random() < 0.2 else day
    etype, sub = rng.choice([("Battles", "Armed clash"), ("Battles", None), ("Protests", "P")])
    lat = rng.choice([50 + rng.uniform(-0.5, 0.5)] * 3 + [89.9999])  # at the pole: any lon
    lon = rng.choice([36 + rng.uniform(-0.5, 0.5)] * 3 + [179.95, -179.95])  # antimeridian
    row = dict(event_type=etype, sub_event_type=sub, date=day, date_start=day, date_end=end)
    row |= dict(date_precision=rng.choice(["day", "day", "week", "unknown", None]))
    row |= dict(lat=lat, lon=lon, geo_precision=rng.choice([0, 1, 2, 3, None]))
    row |= dict(country=rng.choice(["UA", "RU", None]), admin1=rng.choice(["Kharkiv", None]))
    if rng.random() < 0.1:
        row |= dict(date=None, date_start=None, date_end=None)
    if rng.random() < 0.1:
        row |= dict(lat=None, lon=None)
    return incident_row(iid, "", **row)


def test_batch_candidates_and_candidate_filter_match_candidate_incidents(store: Store) -> None:
    """``candidate_filter`` accepts exactly the rows ``candidate_incidents`` returns, and
    ``candidate_incidents_for_batch`` returns their union (same country) and the same ids."""
    rng = random.Random(7)
    stored = [_random_incident(rng, f"s{k:03d}") for k in range(300)]
    fill_store(store, "Article A.", stored)
    queries = [_random_incident(rng, f"q{k}") for k in range(80)]
    queries.append(_random_incident(rng, "s007"))  # a stored id
    rows = [stored_incident(inc) for inc in stored]  # what the store keeps
    with store.transaction() as tx:
        batch = tx.candidate_incidents_for_batch(queries)
        union: dict[str, dict[str, Any]] = {}
        matched = 0
        for query in queries:
            found = {c["id"]: c for c in tx.candidate_incidents(query)}
            test = candidate_filter(query)
            assert {r["id"] for r in rows if test(r)} == set(found), query["id"]
            same_country = {k: c for k, c in found.items() if c["country"] == query["country"]}
            union |= same_country
            matched += len(same_country)
        union |= {c["id"]: c for c in tx.candidate_incidents(stored[7]) if c["id"] == "s007"}
    assert matched > 100 and len(union) < len(stored)  # neither vacuous nor everything
    assert [c["id"] for c in batch] == sorted(union)
    assert batch == [union[k] for k in sorted(union)]  # the same rows, sources included
    assert [{k: v for k, v in c.items() if k != "sources"} for c in batch] == [
        r for r in rows if r["id"] in union
    ]
