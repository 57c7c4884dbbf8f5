"""``python -m geodata snapshot`` (issue 6): filters, centre and zoom, saved snapshots by id,
PNG with and without a browser, and errors as one ``error:`` line with exit status 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.maps.snapshot import MapView
from geodata.store.event_store import Store
from tests.e2e_support import require_chromium
from tests.snapshot_support import FIT, assert_cli_error, features, run_cli, titlebox

ROOT = Path(__file__).resolve().parents[1]


def _geojson_ids(path: Path) -> list[str]:
    return [f["id"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]


def test_cli_snapshot_geojson_with_a_type_filter(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "battles.geojson"
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(out), "--type",
                             "Battles")  # fmt: skip
    assert code == 0, err
    expected = [r["id"] for r in Store(db).incidents(types=["Battles"])]
    assert expected and _geojson_ids(out) == expected
    feats = json.loads(out.read_text())["features"]
    assert {f["properties"]["event_type"] for f in feats} == {"Battles"}
    assert stdout.strip() == f"{len(expected)} incidents drawn to {out} (geojson)"


def test_cli_snapshot_dates_bound_the_incidents(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "days.geojson"
    code, _, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(out),
                        "--from", "2024-11-03", "--to", "2024-11-04")  # fmt: skip
    assert code == 0, err
    feats = json.loads(out.read_text())["features"]
    dates = {f["properties"]["date"] for f in feats}
    assert dates == {"2024-11-03", "2024-11-04"}
    expected = Store(db).incidents(start="2024-11-03", end="2024-11-04")
    assert _geojson_ids(out) == [r["id"] for r in expected]
    assert len(expected) < len(Store(db).incidents())


def test_cli_snapshot_html_with_center_zoom_title_and_layers(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "map.html"
    code, stdout, err = run_cli(
        capsys, "snapshot", "--db", str(db), "--out", str(out), "--center", "51,36",
        "--zoom", "7", "--title", "Kursk <b>front</b>", "--note", "seen from the north",
        "--cluster", "--country", "RU,UA",
    )  # fmt: skip
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert re.search(r"center: \[51\.0, 36\.0\]", page) and re.search(r"\"zoom\": 7\b", page)
    assert FIT.search(page) is None
    box = titlebox(page)
    assert "Kursk &lt;b&gt;front&lt;/b&gt;" in box and "<b>front" not in page
    assert "seen from the north" in box and "country: RU, UA" in box
    assert "MarkerClusterGroup" in page and '"cluster":true' in page
    expected = {r["id"] for r in Store(db).incidents(countries=["RU", "UA"])}
    assert {f["properties"]["id"] for f in features(page)} == expected
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page)
    assert "(html)" in stdout


def test_cli_snapshot_zoom_without_center_centres_on_the_incidents(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "map.htm"
    code, _, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(out), "--zoom", "9",
                        "--limit", "3")  # fmt: skip
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert not FIT.search(page)  # the given zoom, around the middle of the incidents
    assert re.search(r"\"?zoom\"?: 9\b", page)
    newest = [r["id"] for r in Store(db).incidents(limit=3)]
    assert [f["properties"]["id"] for f in features(page)] == newest


def test_cli_snapshot_by_id_exports_the_frozen_incidents(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(db)
    frozen = store.incidents(types=["Battles"])
    view = MapView(title="ignored", start="2024-08-01", end="2024-11-05", center=(51.7, 36.2),
                   zoom=8, filters={"types": ["Battles"]}).to_dict()  # fmt: skip
    snap_id = store.save_snapshot(
        title="Battles near Kursk",
        note="frozen <em>note</em>",
        view=view | {"window": "all", "date": "2024-11-05"},
        incidents=frozen,
    )
    # the store changes afterwards: one more Battles incident, one frozen incident deleted
    with store.transaction() as tx:
        new = dict(frozen[0], id="newbattle", date="2024-11-05", sources=[])
        new.pop("n_sources", None)
        new.pop("article_id", None)
        new.pop("title", None)
        new.pop("url", None)
        tx.insert_incident(new)
    live = [r["id"] for r in store.incidents(types=["Battles"])]
    assert "newbattle" in live

    gj = tmp_path / "snap.geojson"
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(gj), "--id",
                             snap_id)  # fmt: skip
    assert code == 0, err
    assert _geojson_ids(gj) == [r["id"] for r in frozen]
    assert stdout.startswith(f"{len(frozen)} incidents drawn")

    page_path = tmp_path / "snap.html"
    code, _, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(page_path), "--id",
                        snap_id)  # fmt: skip
    assert code == 0, err
    page = page_path.read_text(encoding="utf-8")
    assert [f["properties"]["id"] for f in features(page)] == [r["id"] for r in frozen]
    assert "frozen" not in titlebox(page)  # the private note stays out unless asked for
    code, _, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(page_path), "--id",
                        snap_id, "--with-note")  # fmt: skip
    assert code == 0, err
    page = page_path.read_text(encoding="utf-8")
    box = titlebox(page)
    assert "Battles near Kursk" in box and "ignored" not in box
    assert "frozen &lt;em&gt;note&lt;/em&gt;" in box
    assert "2024-08-01 → 2024-11-05" in box and "type: Battles" in box
    assert re.search(r"center: \[51\.7, 36\.2\]", page) and re.search(r"\"zoom\": 8\b", page)

    # --title and --center override the saved ones
    code, _, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(page_path), "--id",
                        snap_id, "--title", "Renamed", "--center", "40,30")  # fmt: skip
    assert code == 0, err
    page = page_path.read_text(encoding="utf-8")
    assert "<title>Renamed</title>" in page
    assert re.search(r"center: \[40\.0, 30\.0\]", page) and re.search(r"\"zoom\": 8\b", page)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--id", "no-such-snapshot"], ["no snapshot", "no-such-snapshot"]),
        (["--center", "abc"], ["LAT,LON"]),
        (["--center", "51"], ["LAT,LON"]),
        (["--center", "91,0"], ["out of range"]),
        (["--center", "0,181"], ["out of range"]),
        (["--zoom", "0"], ["zoom"]),
        (["--zoom", "19"], ["zoom"]),
        (["--zoom", "seven"], ["zoom"]),
        (["--from", "2024-13-01"], ["YYYY-MM-DD"]),
        (["--width", "50"], ["width"]),
        (["--height", "9000"], ["height"]),
    ],
)
def test_cli_snapshot_bad_arguments(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: list[str]
) -> None:
    out = tmp_path / ("map.png" if "--width" in args or "--height" in args else "map.html")
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(out), *args)
    assert_cli_error(code, stdout, err, *words)
    assert not out.exists()


@pytest.mark.parametrize("name", ["map.txt", "map", "map.csv"])
def test_cli_snapshot_bad_suffix(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(tmp_path / name))
    assert_cli_error(code, stdout, err, ".html", ".png", ".geojson")
    assert list(tmp_path.iterdir()) == [db.parent]


def test_cli_snapshot_missing_store_or_folder(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "store.duckdb"
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(missing), "--out",
                             str(tmp_path / "map.html"))  # fmt: skip
    assert_cli_error(code, stdout, err, "no store")
    assert not missing.parent.exists()  # read only: nothing created
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(db), "--out",
                             str(tmp_path / "nodir" / "map.html"))  # fmt: skip
    assert_cli_error(code, stdout, err, "does not exist")


def test_cli_snapshot_png_without_a_browser(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_browser: None
) -> None:
    out = tmp_path / "map.png"
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(out))
    assert_cli_error(code, stdout, err, "apt-get install chromium")
    assert not out.exists()


@pytest.mark.slow
def test_cli_snapshot_png(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    require_chromium()
    out = tmp_path / "map.png"
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(out),
                             "--width", "500", "--height", "320", "--title", "CLI PNG")  # fmt: skip
    assert code == 0, err
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size == (500, 320)
        colors = image.convert("RGB").getcolors(maxcolors=500 * 320)
        assert colors is not None and len(colors) > 50
    assert "(png)" in stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "store"]


@pytest.mark.slow  # two interpreters start
def test_cli_snapshot_in_a_subprocess(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "sub.geojson"
    cmd = [sys.executable, "-m", "geodata", "snapshot", "--db", str(db), "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(_geojson_ids(out)) == len(Store(db).incidents())
    bad = subprocess.run(
        [*cmd[:-1], str(tmp_path / "sub.pdf")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
