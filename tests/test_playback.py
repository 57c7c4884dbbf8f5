"""Playback exports (geodata/maps/playback.py): the steps and their date stamps, the page the
frames are drawn on, ``snapshot --out FILE.gif|.mp4|.webm`` and its errors, and (with the
system Chromium) the decoded GIF and MP4 frames."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geodata.errors import InputError
from geodata.maps.frame_plan import (
    MAX_FRAMES,
    FrameWindow,
    frame_caption,
    frame_stamp,
    frame_windows,
)
from geodata.maps.playback import (
    frames,
    playback_format,
    playback_html,
    playback_rows,
    write_playback,
)
from geodata.maps.snapshot import MapView
from geodata.store.event_store import Store
from tests.e2e_support import require_chromium
from tests.snapshot_support import assert_cli_error, features, run_cli

D = date.fromisoformat


def _rows() -> list[dict[str, Any]]:
    """Six incidents on three days in January 2024, one undated, one without a point."""

    def row(i: int, day: str | None, lat: float | None, lon: float | None, t: str) -> dict:
        return {"id": f"p{i}", "event_type": t, "date": day, "lat": lat, "lon": lon,
                "location": f"Place {i}", "country": "UA", "fatalities": i,
                "sentence": f"Event {i} at Place {i}.", "title": f"Report {i}"}  # fmt: skip

    return [
        row(1, "2024-01-02", 50.4, 30.5, "Battles"),
        row(2, "2024-01-02", 49.8, 24.0, "Protests"),
        row(3, "2024-01-09", 46.5, 30.7, "Riots"),
        row(4, "2024-01-16", 48.5, 35.0, "Battles"),
        row(5, "2024-01-16", None, None, "Battles"),
        row(6, None, 47.0, 33.0, "Battles"),
    ]


# --- steps, stamps, rows ---------------------------------------------------------------------


def test_weekly_steps_rolling_and_cumulative() -> None:
    weeks = frame_windows("2024-01-01", "2024-01-20", step="week")
    assert [(w.start, w.end) for w in weeks] == [
        (D("2024-01-01"), D("2024-01-07")),
        (D("2024-01-08"), D("2024-01-14")),
        (D("2024-01-15"), D("2024-01-20")),  # the last step is cut at the end date
    ]
    cumulative = frame_windows("2024-01-01", "2024-01-20", step="week", window="cumulative")
    assert [w.end for w in cumulative] == [w.end for w in weeks]
    assert {w.start for w in cumulative} == {D("2024-01-01")}
    assert [w.step_start for w in cumulative] == [w.start for w in weeks]
    assert [w.index for w in weeks] == [0, 1, 2]


def test_daily_and_monthly_steps() -> None:
    days = frame_windows(D("2024-02-27"), D("2024-03-01"), step="day")
    assert [w.end.isoformat() for w in days] == [
        "2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01",
    ]  # fmt: skip
    months = frame_windows("2024-01-31", "2024-04-10", step="month")
    assert [(w.start.isoformat(), w.end.isoformat()) for w in months] == [
        ("2024-01-31", "2024-02-28"),  # to the day before "31 February" (the 29th)
        ("2024-02-29", "2024-03-30"),
        ("2024-03-31", "2024-04-10"),
    ]
    assert len(frame_windows("2024-01-01", "2024-12-31", step="month")) == 12
    assert len(frame_windows("2024-01-01", "2024-12-29", step="week")) == 52


def test_frame_stamps_say_the_step() -> None:
    def w(lo: str, hi: str, step_start: str | None = None) -> FrameWindow:
        return FrameWindow(0, D(lo), D(hi), D(step_start or lo))

    assert frame_stamp(w("2024-03-05", "2024-03-05"), step="day") == "5 Mar 2024"
    assert frame_stamp(w("2024-03-04", "2024-03-10")) == "4 – 10 Mar 2024"
    assert frame_stamp(w("2024-02-26", "2024-03-03")) == "26 Feb – 3 Mar 2024"
    assert frame_stamp(w("2024-12-30", "2025-01-05")) == "30 Dec 2024 – 5 Jan 2025"
    assert frame_stamp(w("2024-02-01", "2024-02-29"), step="month") == "Feb 2024"
    assert frame_stamp(w("2024-02-15", "2024-03-14"), step="month") == "15 Feb – 14 Mar 2024"
    cumulative = w("2024-01-01", "2024-03-10", "2024-03-04")
    assert frame_stamp(cumulative, window="cumulative") == "up to 10 Mar 2024"
    assert frame_caption(w("2024-03-04", "2024-03-10"), 3, 2) == (
        "2024-03-04 → 2024-03-10 · 3 incidents (2 on the map)"
    )
    assert frame_caption(w("2024-03-05", "2024-03-05"), 1, 1) == "on 2024-03-05 · 1 incident"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("2024-01-01", "2024-02-01", "fortnight", "rolling"), "step must be one of day"),
        (("2024-01-01", "2024-02-01", "week", "sliding"), "window must be one of"),
        (("2024-02-01", "2024-01-01", "week", "rolling"), "is after the end date"),
        (("2024-01-01", "2030-01-01", "day", "rolling"), f"more than {MAX_FRAMES} frames"),
        (("2024-01-01", "2024-1-5", "day", "rolling"), "expected a date written YYYY-MM-DD"),
    ],
)
def test_bad_steps_are_input_errors(args: tuple[str, str, str, str], words: str) -> None:
    start, end, step, window = args
    with pytest.raises(InputError, match=words):
        frame_windows(start, end, step=step, window=window)


def test_playback_rows_keep_the_dated_incidents_of_the_range_oldest_first() -> None:
    rows, lo, hi = playback_rows(list(reversed(_rows())))
    assert [r["id"] for r in rows] == ["p2", "p1", "p3", "p5", "p4"]  # p6 has no date
    assert (lo, hi) == (D("2024-01-02"), D("2024-01-16"))
    view = MapView(start="2024-01-05", end="2024-01-31")
    rows, lo, hi = playback_rows(_rows(), view)
    assert [r["id"] for r in rows] == ["p3", "p4", "p5"] and lo == D("2024-01-05")
    with pytest.raises(InputError, match="no dated incidents"):
        playback_rows([])
    with pytest.raises(InputError, match="more than 2 incidents"):
        playback_rows(_rows(), limit=2)


def test_playback_rows_from_a_store_use_the_view_filters(db: Path) -> None:
    store = Store(db)
    view = MapView(filters={"types": ["Battles"]})
    rows, lo, hi = playback_rows(store, view, start="2024-11-01", end="2024-11-30")
    expected = store.incidents(types=["Battles"], start="2024-11-01", end="2024-11-30")
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in expected) and rows
    assert (lo, hi) == (D("2024-11-01"), D("2024-11-30"))


def test_playback_page_has_every_incident_a_stamp_and_the_frame_switch() -> None:
    page = playback_html(_rows(), MapView(title="Play <b>me</b>", note="private"))
    assert {f["properties"]["id"] for f in features(page)} == {"p1", "p2", "p3", "p4", "p6"}
    assert page.count('id="dl-stamp"') == 1 and "window.dlPlayFrame" in page
    assert "Play &lt;b&gt;me&lt;/b&gt;" in page and "private" not in page
    assert "private" in playback_html(_rows(), MapView(note="private"), with_note=True)
    assert ".leaflet-control-zoom,.dl-fullscreen{display:none}" in page
    assert "<script src=" not in page


def test_playback_format_from_the_suffix(tmp_path: Path) -> None:
    assert [playback_format(n) for n in ("a.GIF", "b.mp4", "c.webm", "d.png", "e")] == [
        "gif", "mp4", "webm", None, None,
    ]  # fmt: skip
    with pytest.raises(InputError, match="use a name ending in .gif, .mp4, .webm"):
        write_playback(_rows(), tmp_path / "x.avi")
    with pytest.raises(InputError, match="fps must be"):
        write_playback(_rows(), tmp_path / "x.gif", fps=0)
    with pytest.raises(InputError, match="does not exist"):
        write_playback(_rows(), tmp_path / "nodir" / "x.gif")
    assert list(tmp_path.iterdir()) == []


# --- the command line: errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--out", "play.gif", "--step", "fortnight"), "invalid choice: 'fortnight'"),
        (("--out", "play.gif", "--from", "2024-11-05", "--to", "2024-11-01"), "is after"),
        (("--out", "play.avi", "--from", "2024-11-01", "--to", "2024-11-05"), ".gif, .mp4"),
        (("--out", "play.mp4", "--fps", "0"), "frames a second"),
        (("--out", "play.gif", "--from", "2000-01-01", "--to", "2024-11-05", "--step", "day"),
         "frames"),
    ],
)  # fmt: skip
def test_cli_playback_errors_are_one_line(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    words: str,
) -> None:
    argv = [a if not a.startswith("play.") else str(tmp_path / a) for a in extra]
    code, out, err = run_cli(capsys, "snapshot", "--db", str(db), *argv)
    assert_cli_error(code, out, err, words)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_cli_playback_without_a_browser(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_browser: None
) -> None:
    out = tmp_path / "play.gif"
    code, stdout, err = run_cli(capsys, "snapshot", "--db", str(db), "--out", str(out),
                             "--from", "2024-11-01", "--to", "2024-11-05")  # fmt: skip
    assert_cli_error(code, stdout, err, "apt-get install chromium")
    assert not out.exists()


# --- drawn frames (Chromium) -------------------------------------------------------------------


def _gif_frames(path: Path) -> list[Any]:
    from PIL import Image, ImageSequence

    with Image.open(path) as im:
        assert im.format == "GIF"
        return [f.convert("RGB").copy() for f in ImageSequence.Iterator(im)]


@pytest.mark.slow
def test_cli_playback_gif_one_frame_per_day(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import numpy as np

    require_chromium()
    out = tmp_path / "play.gif"
    code, stdout, err = run_cli(
        capsys, "snapshot", "--db", str(db), "--out", str(out), "--from", "2024-11-01",
        "--to", "2024-11-05", "--step", "day", "--width", "480", "--height", "300",
    )  # fmt: skip
    assert code == 0, err
    assert "in 5 frames drawn to" in stdout and "(gif," in stdout
    pictures = _gif_frames(out)
    assert len(pictures) == 5 and pictures[0].size == (480, 300)
    arrays = [np.asarray(p, dtype=np.int16) for p in pictures]
    assert all(a.std() > 10 for a in arrays)  # a map, not a blank page
    per_day = {d: len(Store(db).incidents(start=d, end=d)) for d in ("2024-11-01", "2024-11-02")}
    assert per_day == {"2024-11-01": 0, "2024-11-02": 0}
    # 1 and 2 November have no incident: only the stamp and the caption change between them
    changed = [np.abs(arrays[i + 1] - arrays[i]).sum(axis=2) > 0 for i in range(4)]
    assert changed[0].sum() < 0.03 * changed[0].size
    # the 3rd brings markers: far more pixels change than the stamp's box
    assert changed[1].sum() > changed[0].sum()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["play.gif", "store"]


@pytest.mark.slow
def test_frames_stamp_and_markers_read_back_from_the_page() -> None:
    exe = require_chromium()
    view = MapView(title="Playback test")
    drawn = list(
        frames(_rows(), view, start="2024-01-01", end="2024-01-21", step="week", width=400,
               height=260, browser=exe)
    )  # fmt: skip
    windows = frame_windows("2024-01-01", "2024-01-21", step="week")
    assert [f.window for f in drawn] == windows
    assert [f.stamp for f in drawn] == [frame_stamp(w) for w in windows]
    assert [f.stamp for f in drawn] == ["1 – 7 Jan 2024", "8 – 14 Jan 2024", "15 – 21 Jan 2024"]
    assert [f.count for f in drawn] == [2, 1, 1]  # markers on the map (p5 has no point)
    assert drawn[2].caption == "2024-01-15 → 2024-01-21 · 2 incidents (1 on the map)"
    cumulative = list(
        frames(_rows(), view, start="2024-01-01", end="2024-01-21", step="week",
               window="cumulative", width=400, height=260, browser=exe)
    )  # fmt: skip
    assert [f.count for f in cumulative] == [2, 3, 4]
    assert cumulative[-1].stamp == "up to 21 Jan 2024"
    assert all(f.png.startswith(b"\x89PNG") for f in cumulative)


@pytest.mark.slow
def test_mp4_and_webm_decode_to_one_frame_per_step(tmp_path: Path) -> None:
    import imageio_ffmpeg
    from PIL import Image

    exe = require_chromium()
    steps: list[tuple[int, int]] = []
    for name in ("play.mp4", "play.webm"):
        done = write_playback(
            _rows(), tmp_path / name, start="2024-01-01", end="2024-01-28", step="week", fps=2,
            width=400, height=260, browser=exe, progress=lambda d, t: steps.append((d, t)),
        )  # fmt: skip
        assert done.frames == 4 and done.path.stat().st_size == done.bytes > 0
        n, seconds = imageio_ffmpeg.count_frames_and_secs(str(done.path))
        assert n == 4 and seconds == pytest.approx(2.0, abs=0.6)
    assert steps[:4] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    # the first decoded frame is a map (not blank)
    reader = imageio_ffmpeg.read_frames(str(tmp_path / "play.mp4"))
    meta = next(reader)
    first = Image.frombytes("RGB", meta["size"], next(reader))
    reader.close()
    assert first.size == (400, 260)
    assert len(first.getcolors(maxcolors=400 * 260) or []) > 50
    assert sorted(p.name for p in tmp_path.iterdir()) == ["play.mp4", "play.webm"]
