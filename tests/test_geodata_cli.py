"""Tests of ``python -m geodata export|stats``: in process through :func:`geodata.cli.main`,
and end to end in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

from geodata.cli import main
from geodata.store.event_store import Store, article_id

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _incident(iid: str, aid: str, day: str, cc: str, etype: str, lon: float, lat: float) -> dict:
    return dict(
        id=iid, event_type=etype, sub_event_type=None, date=day, date_precision="day",
        date_start=day, date_end=day, place_index=0, location=iid, lat=lat, lon=lon,
        geo_precision=1, country=cc, admin1=None, actor1=None, actor2=None, fatalities=None,
        injured=None, sentence=f"Something in {iid}.", start=0, end=10, confidence=0.5,
        trigger="x", time_precision=1, sources=[{"article_id": aid, "sentence": "s"}],
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    store = Store(path)
    text = "A roundup of the week."
    aid = article_id(text)
    with store.transaction() as tx:
        tx.insert_article({"id": aid, "text": text, "title": "Roundup"})
        tx.insert_article({"text": "Another article."})
        tx.insert_incident(_incident("kyiv", aid, "2024-05-10", "UA", "Battles", 30.52, 50.45))
        tx.insert_incident(_incident("lviv", aid, "2024-05-02", "UA", "Protests", 24.03, 49.84))
        tx.insert_incident(_incident("tbilisi", aid, "2024-05-01", "GE", "Protests", 44.8, 41.7))
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "stats", "--db", str(db))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"store: {db.resolve()} (schema version 3, ")
    assert lines[1:5] == ["articles: 2", "places: 0", "incidents: 3", "sources: 3"]
    assert lines[-1] == "dates: 2024-05-01 to 2024-05-10"
    code, out, _ = _run(capsys, "stats", "--db", str(db), "--json")
    stats = json.loads(out)
    assert code == 0 and (stats["incidents"], stats["max_date"]) == (3, "2024-05-10")


def test_stats_uses_dateline_db(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATELINE_DB", str(db))
    code, out, _ = _run(capsys, "stats")
    assert code == 0 and "incidents: 3" in out.splitlines()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ["kyiv", "lviv", "tbilisi"]),
        (["--from", "2024-05-02"], ["kyiv", "lviv"]),
        (["--from", "2024-05-01", "--to", "2024-05-02"], ["lviv", "tbilisi"]),
        (["--type", "Protests"], ["lviv", "tbilisi"]),
        (["--type", "Battles", "--type", "Riots"], ["kyiv"]),
        (["--country", "ua"], ["kyiv", "lviv"]),
        (["--country", "GE,FR", "--type", "Protests,Battles"], ["tbilisi"]),
        (["--text", "lviv"], ["lviv"]),
    ],
)
def test_export_filters(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: list
) -> None:
    out = tmp_path / "x.csv"
    code, stdout, err = _run(capsys, "export", "--db", str(db), "--out", str(out), *args)
    assert code == 0, err
    assert stdout.strip() == f"{len(expected)} incidents written to {out} (csv)"
    frame = pd.read_csv(out)
    assert sorted(frame["id"]) == expected and {"lat", "lon"} <= set(frame.columns)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet"])
def test_export_spatial_formats(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    # the suffix says nothing (but GDAL warns about a GeoPackage without its suffix)
    out = tmp_path / ("incidents.gpkg" if fmt == "gpkg" else "incidents.data")
    code, _, err = _run(capsys, "export", "--format", fmt, "--db", str(db), "--out", str(out))
    assert code == 0, err
    frame = gpd.read_parquet(out) if fmt == "parquet" else gpd.read_file(out)
    assert frame.crs.to_epsg() == 4326
    kyiv = frame[frame["id"] == "kyiv"].geometry.iloc[0]
    assert (kyiv.x, kyiv.y) == pytest.approx((30.52, 50.45))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--out", "{tmp}/x.kml"], "error: cannot tell the format from"),
        (["export", "--out", "{tmp}/x.csv", "--from", "2024-02-30"], "error: argument --from"),
        (["export", "--out", "{tmp}/nodir/x.csv"], "error: cannot write"),
        (["export", "--out", "{tmp}/x.csv", "--format", "kml"], "error: argument --format"),
        (["export"], "error: the following arguments are required: --out"),
        (["stats", "--lock-timeout", "soon"], "error: argument --lock-timeout"),
        (["frobnicate"], "error: argument COMMAND: invalid choice"),
    ],
)
def test_errors(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list, message: str
) -> None:
    argv = [a.format(tmp=tmp_path) for a in argv]
    if argv[0] != "frobnicate":
        argv += ["--db", str(db)]
    try:
        code, out, err = _run(capsys, *argv)
    except SystemExit as exc:  # argparse
        code, (out, err) = exc.code, capsys.readouterr()
    assert code == 2 and out == ""
    assert message in err.splitlines()[-1] and err.splitlines()[-1].startswith("error: ")
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.duckdb"]


def test_store_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    code, _, err = _run(capsys, "stats", "--db", str(missing))
    assert code == 2 and err.startswith(f"error: no store at {missing}")
    assert not missing.exists()  # a read command never creates a store
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"\0garbage" * 1000)
    code, _, err = _run(capsys, "export", "--db", str(bad), "--out", str(tmp_path / "x.csv"))
    assert code == 2 and err.startswith("error: the store") and "damaged" in err
    assert not (tmp_path / "x.csv").exists()


def _cli(*argv: str, env: dict[str, Any] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geodata", *argv],
        env=env or ENV, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_end_to_end(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    done = _cli("export", "--db", str(db), "--out", str(out), "--country", "UA")
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text())
    coords = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in doc["features"]}
    assert coords == {"kyiv": [30.52, 50.45], "lviv": [24.03, 49.84]}  # [lon, lat]
    done = _cli("stats", "--db", str(tmp_path / "nothing.duckdb"))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: no store at") and "Traceback" not in done.stderr


def test_busy_store_times_out(db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom geodata.store.event_store import Store\n"
         "with Store(sys.argv[1]).transaction():\n    print('holding', flush=True)\n"
         "    time.sleep(10)", str(db)],
        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        done = _cli("stats", "--db", str(db), "--lock-timeout", "0.3")
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: the store {db} is locked by another process")


def test_cli_warnings_follow_a_replaced_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    # a run in process binds no stream: a later run whose stderr is another object still
    # gets its warnings, and never a logging error about a closed stream
    import io
    import logging
    import sys

    from geodata.cli_logging import setup_cli_logging

    setup_cli_logging(0)
    first, second = io.StringIO(), io.StringIO()
    old = sys.stderr
    try:
        sys.stderr = first
        logging.getLogger("geodata.test").warning("one")
        first.close()
        sys.stderr = second
        logging.getLogger("geodata.test").warning("two")
    finally:
        sys.stderr = old
    assert second.getvalue() == "warning: two\n"
