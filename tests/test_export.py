"""Tests of :mod:`geodata.export.incident_files`: every format is written, then read back with
geopandas."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

from geodata.errors import InputError
from geodata.export.incident_files import FORMATS, export_incidents, format_for
from geodata.store.event_store import Store, article_id

KYIV = (30.5234, 50.4501)  # lon, lat


def _incident(iid: str, aid: str, **kw: Any) -> dict[str, Any]:
    row = dict(id=iid, event_type="Battles", sub_event_type="Armed clash", date="2024-05-10")
    row |= dict(date_precision="day", date_start="2024-05-09", date_end="2024-05-10")
    row |= dict(place_index=0, location="Kyiv", lon=KYIV[0], lat=KYIV[1], geo_precision=1)
    row |= dict(country="UA", admin1="Kyiv City", actor1="Russian forces", actor2=None)
    row |= dict(fatalities=2, injured=None, sentence=f"Clashes in Kyiv, «{iid}».", start=0)
    row |= dict(end=20, confidence=0.8, trigger="clashes", time_precision=1)
    return row | kw | {"sources": [{"article_id": aid, "sentence": "s"}]}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "x.duckdb")
    text = "Clashes in Kyiv; protest in Tbilisi."
    aid = article_id(text)
    with store.transaction() as tx:
        tx.insert_article({"id": aid, "text": text, "title": "Kyiv, Tbilisi", "url": "https://x"})
        tx.insert_incident(_incident("kyiv", aid))
        tx.insert_incident(
            _incident("nowhere", aid, lat=None, lon=None, location=None, geo_precision=None)
            | {"date": None, "date_start": None, "date_end": None, "date_precision": "unknown"}
        )
        tx.insert_incident(
            _incident("tbilisi", aid, lat=41.7151, lon=44.8271, country="GE", location="Tbilisi")
            | {"event_type": "Protests", "date": "2024-05-01", "date_start": "2024-05-01"}
            | {"date_end": "2024-05-01", "fatalities": None}
        )
    return store


def _read(path: Path, fmt: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(path) if fmt == "parquet" else gpd.read_file(path)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_reads_back(store: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"incidents{FORMATS[fmt]}"
    assert export_incidents(store, out, format=fmt) == 3
    frame = _read(out, fmt)
    assert sorted(frame["id"]) == ["kyiv", "nowhere", "tbilisi"]
    rows = {r["id"]: r for _, r in frame.iterrows()}
    kyiv = rows["kyiv"]
    assert kyiv["location"] == "Kyiv" and kyiv["sentence"] == "Clashes in Kyiv, «kyiv»."
    assert float(kyiv["lat"]) == pytest.approx(KYIV[1]) and float(kyiv["lon"]) == pytest.approx(
        KYIV[0]
    )
    assert str(kyiv["date_start"])[:10] == "2024-05-09" and str(kyiv["date"])[:10] == "2024-05-10"
    assert int(kyiv["fatalities"]) == 2 and int(kyiv["n_sources"]) == 1
    assert kyiv["title"] == "Kyiv, Tbilisi" and kyiv["event_type"] == "Battles"
    if fmt == "csv":  # the CSV driver gives strings; no geometry column is written
        assert list(pd.read_csv(out).columns[:3]) == ["id", "event_type", "sub_event_type"]
        assert {"lat", "lon"} <= set(pd.read_csv(out).columns)
        assert "geometry" not in pd.read_csv(out).columns
        return
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    if fmt == "parquet":  # GeoParquet metadata, and real dates
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(out)
        assert b"geo" in schema.metadata and schema.field("date").type == pa.date32()
    geom = dict(zip(frame["id"], frame.geometry, strict=True))
    assert (geom["kyiv"].x, geom["kyiv"].y) == pytest.approx(KYIV)
    assert (geom["tbilisi"].x, geom["tbilisi"].y) == pytest.approx((44.8271, 41.7151))
    assert geom["nowhere"] is None or geom["nowhere"].is_empty
    assert pd.isna(rows["nowhere"]["date"]) and pd.isna(rows["tbilisi"]["fatalities"])


def test_geojson_is_rfc7946(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    export_incidents(store, out, format="geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    features = {f["properties"]["id"]: f for f in doc["features"]}
    assert features["kyiv"]["geometry"] == {"type": "Point", "coordinates": list(KYIV)}
    assert features["nowhere"]["geometry"] is None
    assert features["kyiv"]["properties"]["date"] == "2024-05-10"


def test_csv_has_lat_lon(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    export_incidents(store, out, format="csv", countries=["UA"])
    frame = pd.read_csv(out)
    assert sorted(frame["id"]) == ["kyiv", "nowhere"]
    kyiv = frame.set_index("id").loc["kyiv"]
    assert (kyiv["lat"], kyiv["lon"]) == pytest.approx((KYIV[1], KYIV[0]))
    assert kyiv["date"] == "2024-05-10"


def test_filters_and_empty_exports(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.gpkg"
    n = export_incidents(store, out, format="gpkg", start="2024-05-01", end="2024-05-05")
    assert n == 1 and list(gpd.read_file(out, layer="incidents")["id"]) == ["tbilisi"]
    n = export_incidents(store, out, format="gpkg", types=["Battles"], countries=["UA"])
    assert n == 2 and sorted(gpd.read_file(out)["id"]) == ["kyiv", "nowhere"]  # replaced
    for fmt in FORMATS:
        empty = tmp_path / f"empty{FORMATS[fmt]}"
        assert export_incidents(store, empty, format=fmt, countries=["FR"]) == 0
        assert len(_read(empty, fmt)) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_errors_leave_no_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError, match="unknown export format 'kml'"):
        export_incidents(store, tmp_path / "x.kml", format="kml")
    with pytest.raises(InputError, match="does not exist"):
        export_incidents(store, tmp_path / "missing" / "x.csv", format="csv")
    with pytest.raises(InputError, match="is a directory"):
        export_incidents(store, tmp_path, format="csv")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    def fail_perm() -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:  # e.g. a read-only directory
        m.setattr(tempfile, "mkstemp", lambda **kw: fail_perm())
        with pytest.raises(InputError, match="cannot write .*Permission denied"):
            export_incidents(store, tmp_path / "x.csv", format="csv")

    out = tmp_path / "out"
    out.mkdir()
    (out / "x.geojson").write_text("old")
    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", fail)
    with pytest.raises(InputError, match="No space left"):
        export_incidents(store, out / "x.geojson", format="geojson")
    assert [p.name for p in out.iterdir()] == ["x.geojson"]  # no temporary file left
    assert (out / "x.geojson").read_text() == "old"  # the old file is untouched


def test_format_for() -> None:
    assert format_for("a/b.GeoJSON") == "geojson" and format_for("x.json") == "geojson"
    assert format_for("x.gpkg") == "gpkg" and format_for("x.parquet") == "parquet"
    assert format_for("x.csv") == "csv" and format_for("x.kml") is None
