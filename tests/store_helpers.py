"""Small helpers shared by the store tests (no tests here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from geodata.store.event_store import Store, article_id


def query(path: Path, sql: str) -> list[tuple]:
    """Read the store file directly, bypassing the Store class."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def article_row(text: str, **kw: Any) -> dict[str, Any]:
    return {"id": article_id(text), "text": text, "title": f"T: {text[:20]}", "url": None, **kw}


def place_row(k: int, **kw: Any) -> dict[str, Any]:
    row = dict(start=10 * k, end=10 * k + 5, text=f"P{k}", name=f"Place {k}", geonameid=1000 + k)
    row |= dict(lat=50.0 + k, lon=30.0 + k, kind="city", country="UA", admin1="Kyiv")
    row |= dict(role="literal", score=0.5, entry_id=f"g{1000 + k}", precision=None)
    return row | kw


def incident_row(iid: str, aid: str, **kw: Any) -> dict[str, Any]:
    row = dict(id=iid, event_type="Battles", sub_event_type="Armed clash", date="2024-05-10")
    row |= dict(date_precision="day", date_start="2024-05-10", date_end="2024-05-10")
    row |= dict(place_index=0, location="Kharkiv", lat=49.99, lon=36.23, geo_precision=1)
    row |= dict(country="UA", admin1="Kharkiv", actor1="Russian forces", actor2=None)
    row |= dict(fatalities=None, injured=None, sentence=f"Clashes near Kharkiv ({iid}).")
    row |= dict(start=0, end=20, confidence=0.8, trigger="clashes", time_precision=1)
    row["sources"] = [{"article_id": aid, "sentence": row["sentence"], "start": 0, "end": 20}]
    return row | kw


def fill_store(store: Store, text: str, incidents: list[dict[str, Any]]) -> str:
    art = article_row(text)
    with store.transaction() as tx:
        tx.insert_article(art)
        for inc in incidents:
            inc["sources"] = [dict(s, article_id=art["id"]) for s in inc["sources"]]
            tx.insert_incident(inc)
    return art["id"]
