"""Sharing map views (issue 6) under AppTest: ``?snapshot=ID`` shows a saved snapshot
read-only with its frozen incidents, the Snapshots page lists, renames and deletes them, the
Map page's "Save snapshot" form stores the view, and ``center``/``zoom`` in the URL move the
map. Also :func:`ui.state.share_link`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geodata.maps.snapshot import MapView
from geodata.store.event_store import Store
from tests.app_support import (
    copy_store,
    map_args,
    map_ids,
    rerun,
    run_app,
    sample_store_template,
    stored_ids,
)
from ui import state
from ui.text import escape_markdown

SNAPSHOTS = "pages/snapshots.py"


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """A private store holding the sample article, used by the app (``DATELINE_DB``)."""
    path = copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path)
    monkeypatch.setenv("DATELINE_DB", str(path))
    return path


def _save(db: Path, title: str = "Battles near Kursk", **view: Any) -> tuple[str, list[dict]]:
    """Save a snapshot of the stored Battles (with ``view`` set); return its id and rows."""
    store = Store(db)
    rows = store.incidents(types=["Battles"])
    assert rows
    saved = MapView(start="2024-08-01", end="2024-11-05", filters={"types": ["Battles"]}, **view)
    snap_id = store.save_snapshot(
        title=title, note="kept for the report", view=saved.to_dict(), incidents=rows
    )
    return snap_id, rows


def _folium_components(at: AppTest) -> list[Any]:
    return [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]


def _texts(at: AppTest) -> str:
    """Every text the page shows in markdown, captions, codes and alerts."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [c.value for c in at.code] + [t.value for t in at.text]
    parts += [e.value for e in (*at.info, *at.warning, *at.error, *at.success)]
    return "\n".join(str(p) for p in parts)


# --- a snapshot, read-only -------------------------------------------------------------------


def test_snapshot_link_shows_the_frozen_incidents(db: Path) -> None:
    snap_id, rows = _save(db, center=(51.7, 36.2), zoom=8)
    # the store changes afterwards: the snapshot does not
    store = Store(db)
    with store.transaction() as tx:
        extra = {k: v for k, v in rows[0].items() if k not in ("n_sources", "article_id")}
        extra = {k: v for k, v in extra.items() if k not in ("title", "url")}
        tx.insert_incident(extra | {"id": "added-later", "sources": []})
    assert "added-later" in stored_ids(db, types=["Battles"])

    at = run_app(snapshot=snap_id)
    assert at.title[0].value == "Battles near Kursk"
    caption = at.caption[0].value
    assert caption.startswith("Read-only snapshot saved")
    assert f"**{len(rows)}** incidents" in caption
    assert "type\\: Battles" in caption or "type: Battles" in caption
    assert "kept for the report" in [t.value for t in at.text]
    # the map: exactly the frozen incidents, at the saved position
    assert len(_folium_components(at)) == 1
    args = map_args(at)
    assert map_ids(at) == {r["id"] for r in rows}
    assert "added-later" not in map_ids(at)
    assert args["center"] == [51.7, 36.2] and args["zoom"] == 8
    assert "://" not in args["script"] + (args["feature_group"] or "")
    # its table lists the same incidents
    table = at.dataframe[0].value
    assert len(table) == len(rows) and list(table["Type"].unique()) == ["Battles"]
    # a snapshot is read-only: no sidebar filters, no scrubber, no Save snapshot form
    assert not at.sidebar.multiselect and not at.sidebar.text_input
    assert not at.sidebar.number_input and not at.sidebar.toggle
    assert not at.slider and not at.get("form")
    assert f"?snapshot={snap_id}" in "\n".join(c.value for c in at.code)
    # its Export popover offers the exports of the frozen incidents
    keys = {b.proto.id for b in at.get("download_button")}
    assert any(f"snap_{snap_id}_html" in k for k in keys), keys
    assert any(f"snap_{snap_id}_geojson" in k for k in keys), keys


def test_snapshot_without_a_saved_position_fits_its_incidents(db: Path) -> None:
    snap_id, rows = _save(db)
    args = map_args(run_app(snapshot=snap_id))
    assert args["center"] is None and args["zoom"] is None
    assert ".fitBounds(" in args["script"]


def test_unknown_snapshot_says_not_found(db: Path) -> None:
    at = run_app(snapshot="no-such-snapshot")
    assert at.title[0].value == "Snapshot not found"
    assert at.error and "no snapshot" in at.error[0].value.lower()
    assert not _folium_components(at)
    assert not at.sidebar.multiselect  # still no live filters


def test_blank_snapshot_param_shows_the_live_map(db: Path) -> None:
    at = run_app(snapshot="  ")
    assert at.title[0].value == "Incidents on the map"
    assert at.sidebar.multiselect
    assert map_ids(at) == stored_ids(db)


def test_snapshot_texts_are_not_markdown(db: Path) -> None:
    title = "**Bold** [click](https://evil.example) <b>x</b> :red[alarm]"
    snap_id, _ = _save(db, title=title)
    Store(db).rename_snapshot(snap_id, title)
    at = run_app(snapshot=snap_id)
    assert at.title[0].value == escape_markdown(title)


def test_snapshot_with_an_empty_payload(db: Path) -> None:
    snap_id = Store(db).save_snapshot(title="Empty", note="", view={}, incidents=[])
    at = run_app(snapshot=snap_id)
    assert at.title[0].value == "Empty"
    assert "**0** incidents" in at.caption[0].value and "all dates" in at.caption[0].value
    assert map_ids(at) == set()
    assert not at.dataframe


def test_an_open_snapshot_leaves_only_its_id_in_the_address(db: Path) -> None:
    """Opened from the live map, whose parameters came along, the address bar must read
    ``?snapshot=ID`` alone: a reload or a copied address then shows the snapshot."""
    snap_id, _ = _save(db)
    at = run_app(snapshot=snap_id, date="2024-11-03", window="week", type="Battles")
    assert dict(at.query_params) == {"snapshot": snap_id}
    assert not at.exception


# --- the Snapshots page ----------------------------------------------------------------------


def test_snapshots_page_lists_the_saved_snapshots(db: Path) -> None:
    at = run_app(SNAPSHOTS)
    assert at.title[0].value == "Snapshots"
    assert any("No snapshots yet" in i.value for i in at.info)

    first, rows = _save(db, title="First view")
    second = Store(db).save_snapshot(title="Second view", note="n2", view={}, incidents=[])
    at = rerun(at)
    titles = [m.value for m in at.main.markdown if m.value.startswith("**")]
    assert titles == ["**Second view**", "**First view**"]  # newest first
    text = _texts(at)
    assert f"{len(rows)} incidents · saved" in text and "0 incidents · saved" in text
    assert f"?snapshot={first}" in text and f"?snapshot={second}" in text
    assert at.text_input(key=f"{state.SNAP_RENAME_KEY_PREFIX}{first}").value == "First view"
    links = [p.proto for p in at.get("page_link") if p.proto.label == "Open"]
    assert len(links) == 2
    assert {snap for p in links for snap in (first, second) if snap in str(p)} == {first, second}


def test_rename_a_snapshot(db: Path) -> None:
    snap_id, _ = _save(db, title="Old title")
    at = run_app(SNAPSHOTS)
    at.text_input(key=f"{state.SNAP_RENAME_KEY_PREFIX}{snap_id}").input("  New title  ")
    at.button(key=f"{state.SNAP_RENAME_KEY_PREFIX}{snap_id}_ok").click()
    at = rerun(at)
    assert Store(db).snapshot(snap_id)["title"] == "New title"
    assert "**New title**" in [m.value for m in at.markdown]

    at.text_input(key=f"{state.SNAP_RENAME_KEY_PREFIX}{snap_id}").input("   ")
    at.button(key=f"{state.SNAP_RENAME_KEY_PREFIX}{snap_id}_ok").click()
    at = rerun(at)
    assert any("cannot be empty" in w.value for w in at.warning)
    assert Store(db).snapshot(snap_id)["title"] == "New title"


def test_delete_a_snapshot(db: Path) -> None:
    keep, _ = _save(db, title="Keep me")
    drop, _ = _save(db, title="Drop me")
    at = run_app(SNAPSHOTS)
    at.button(key=f"{state.SNAP_DELETE_KEY_PREFIX}{drop}").click()
    at = rerun(at)
    assert Store(db).snapshot(drop) is None and Store(db).snapshot(keep) is not None
    titles = [m.value for m in at.main.markdown if m.value.startswith("**")]
    assert titles == ["**Keep me**"]
    # its link now says "not found"
    assert run_app(snapshot=drop).title[0].value == "Snapshot not found"

    at.button(key=f"{state.SNAP_DELETE_KEY_PREFIX}{keep}").click()
    at = rerun(at)
    assert Store(db).snapshots() == []
    assert any("No snapshots yet" in i.value for i in at.info)


def test_read_only_store_cannot_save_rename_or_delete(db: Path, monkeypatch) -> None:
    snap_id, _ = _save(db)
    monkeypatch.setattr(Store, "writable", lambda self: False)
    at = run_app()
    assert any("read-only" in i.value for i in at.info)
    assert not at.get("form")  # no Save snapshot form
    at = run_app(SNAPSHOTS)
    assert any("read-only" in i.value for i in at.info)
    popovers = [p.proto.popover for p in at.get("popover")]
    popovers = [p for p in popovers if p.label in ("Rename", "Delete")]
    assert len(popovers) == 2 and all(p.disabled for p in popovers)
    assert Store(db).snapshot(snap_id) is not None


# --- Save snapshot on the Map page -------------------------------------------------------------


def test_save_snapshot_stores_the_view_and_the_incidents_shown(db: Path) -> None:
    at = run_app(
        date="2024-11-05", window="week", type="Strategic developments",
        center="50.0,36.2", zoom="7", cluster="1",
    )  # fmt: skip
    shown = map_ids(at)
    assert shown and shown < stored_ids(db)
    at.text_input(key=state.SNAP_TITLE_KEY).input("Strategy week")
    at.text_area(key=state.SNAP_NOTE_KEY).input("A note\non two lines")
    at.button(key=f"FormSubmitter:{state.SNAP_FORM_KEY}-Save").click()
    at = rerun(at)

    snaps = Store(db).snapshots()
    assert len(snaps) == 1
    snap = Store(db).snapshot(snaps[0]["id"])
    assert snap["title"] == "Strategy week" and snap["note"] == "A note\non two lines"
    assert {r["id"] for r in snap["incidents"]} == shown
    view = snap["view"]
    assert (view["start"], view["end"]) == ("2024-10-30", "2024-11-05")
    assert view["filters"] == {"types": ["Strategic developments"]}
    assert view["center"] == [50.0, 36.2] and view["zoom"] == 7
    assert view["cluster"] is True and view["heat"] is False
    assert view["window"] == "week" and view["date"] == "2024-11-05"
    # the form says where it is
    assert any(s.value.startswith("Saved.") for s in at.success)
    assert f"?snapshot={snap['id']}" in "\n".join(c.value for c in at.code)
    assert at.session_state[state.SNAP_SAVED_KEY] == snap["id"]

    # and the snapshot shows what was saved
    shown_again = run_app(snapshot=snap["id"])
    assert shown_again.title[0].value == "Strategy week"
    assert map_ids(shown_again) == shown
    assert map_args(shown_again)["center"] == [50.0, 36.2]


def test_save_snapshot_without_a_title_uses_the_period(db: Path) -> None:
    at = run_app(date="2024-11-04", window="day")
    at.button(key=f"FormSubmitter:{state.SNAP_FORM_KEY}-Save").click()
    at = rerun(at)
    (snap,) = Store(db).snapshots()
    assert snap["title"] == "Incidents on 2024-11-04"
    assert snap["n_incidents"] == len(stored_ids(db, start="2024-11-04", end="2024-11-04"))


def test_export_popover_offers_html_geojson_and_png(db: Path, monkeypatch) -> None:
    at = run_app()
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"HTML map (works offline)", "GeoJSON"} <= labels
    assert at.button(key=f"{state.EXPORT_KEY_PREFIX}live_png_make").label == "Make PNG image"

    monkeypatch.setenv("DATELINE_CHROMIUM", "/nonexistent")
    at = run_app()
    off = at.button(key=f"{state.EXPORT_KEY_PREFIX}live_png_off")
    assert off.disabled
    assert any("apt-get install chromium" in c.value for c in at.caption)


@pytest.mark.slow
def test_make_png_offers_a_download(db: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing")
    at = run_app()
    at.button(key=f"{state.EXPORT_KEY_PREFIX}live_png_make").click()
    at = rerun(at)
    assert not at.error, [e.value for e in at.error]
    labels = {b.proto.label for b in at.get("download_button")}
    assert "Download PNG" in labels
    made = at.session_state[f"{state.EXPORT_KEY_PREFIX}live_png_bytes"]
    assert made[1].startswith(b"\x89PNG")


# --- the map's position in the URL ---------------------------------------------------------------


def test_center_and_zoom_params_move_the_map(db: Path) -> None:
    at = run_app(center="50.0,36.2", zoom="7")
    assert at.session_state[state.MAP_TARGET_KEY] == ((50.0, 36.2), 7)
    assert at.session_state[state.MAP_POSITION_KEY] == ((50.0, 36.2), 7)
    args = map_args(at)
    assert args["center"] == [50.0, 36.2] and args["zoom"] == 7
    assert "center" in args["returned_objects"] and "zoom" in args["returned_objects"]
    # the shared link keeps the position (written as the URL writes it, from the state)
    link = "\n".join(c.value for c in at.code)
    assert "center=50.0000%2C36.2000" in link
    assert "zoom=7" in link


@pytest.mark.parametrize(
    "params",
    [
        {"center": "abc", "zoom": "7"},
        {"center": "50.0", "zoom": "7"},
        {"center": "95,30", "zoom": "7"},
        {"center": "50,36", "zoom": "x"},
        {"center": "50,36", "zoom": "99"},
        {"center": "50,36"},
        {"zoom": "7"},
        {"center": "nan,nan", "zoom": "5"},
    ],
)
def test_invalid_center_or_zoom_is_ignored(db: Path, params: dict[str, str]) -> None:
    at = run_app(**params)
    assert at.session_state[state.MAP_TARGET_KEY] is None
    args = map_args(at)
    assert args["center"] is None and args["zoom"] is None
    assert map_ids(at) == stored_ids(db)


def test_note_map_position_keeps_what_the_map_reports(monkeypatch) -> None:
    fake = SimpleNamespace(
        session_state={state.TYPES_KEY: ["Battles"]}, query_params=_Params({"type": "Battles"})
    )
    monkeypatch.setattr(state, "st", fake)
    assert state.note_map_position(None) is False
    assert state.note_map_position({"zoom": 2}) is False  # the component's default value
    assert state.note_map_position({"center": {"lat": "x", "lng": 1}, "zoom": 3}) is False
    assert state.map_position() is None and "center" not in fake.query_params
    # what st_folium sends back after the user pans: kept, and put into the URL
    reported = {"center": {"lat": 48.123456, "lng": 31.5}, "zoom": 6}
    assert state.note_map_position(reported) is True
    assert state.map_position() == ((48.1235, 31.5), 6)
    assert fake.query_params["center"] == "48.1235,31.5000" and fake.query_params["zoom"] == "6"
    assert fake.query_params["type"] == "Battles"
    assert state.note_map_position(reported) is False  # unchanged
    assert state.map_target() is None  # the map is not moved back


def test_a_position_report_writes_the_view_not_the_stale_url(monkeypatch) -> None:
    """A run's query parameters are what the browser sent with its request: when a date step's
    URL update had not reached the browser yet, they hold the date before. Writing the map's
    position must not send that date back: the URL gets the whole view from the state."""
    fake = SimpleNamespace(
        session_state={
            state.DATE_KEY: date(2024, 8, 2),
            state.TYPES_KEY: ["Battles"],
            state._DATE_CHOSEN_KEY: True,  # the user moved the date
        },
        query_params=_Params({"date": "2024-08-01", "type": "Battles", "missing": "date"}),
    )
    monkeypatch.setattr(state, "st", fake)
    assert state.note_map_position({"center": {"lat": 48.5, "lng": 31.5}, "zoom": 6}) is True
    assert dict(fake.query_params) == {
        "missing": "date",  # not the view's: kept as it was
        "date": "2024-08-02",
        "type": "Battles",
        "center": "48.5000,31.5000",
        "zoom": "6",
    }


# --- share_link ----------------------------------------------------------------------------------


class _Params(dict):
    def get_all(self, name: str) -> list[str]:
        value = self.get(name)
        return list(value) if isinstance(value, list) else [value]

    def from_dict(self, params: dict[str, Any]) -> None:
        self.clear()  # as Streamlit's: one value reads back as a str
        self.update(
            {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in params.items()}
        )


def _fake_streamlit(monkeypatch, url: str | None, params: dict | None = None) -> None:
    fake = SimpleNamespace(context=SimpleNamespace(url=url), query_params=_Params(params or {}))
    monkeypatch.setattr(state, "st", fake)


@pytest.mark.parametrize(
    ("url", "strip", "expected"),
    [
        ("http://localhost:8501/snapshots", "snapshots", "http://localhost:8501/?snapshot=abc"),
        ("https://ex.org/app/snapshots/", "snapshots", "https://ex.org/app/?snapshot=abc"),
        ("http://h:8501/snapshots?x=1#top", None, "http://h:8501/snapshots?snapshot=abc"),
        ("http://h/mysnapshots", "snapshots", "http://h/mysnapshots?snapshot=abc"),
        ("http://h/", "snapshots", "http://h/?snapshot=abc"),
        (None, "snapshots", "?snapshot=abc"),
        ("", None, "?snapshot=abc"),
    ],
)
def test_share_link(monkeypatch, url: str | None, strip: str | None, expected: str) -> None:
    _fake_streamlit(monkeypatch, url)
    assert state.share_link({"snapshot": "abc"}, strip_page=strip) == expected


def test_share_link_encodes_params_and_defaults_to_the_current_ones(monkeypatch) -> None:
    _fake_streamlit(
        monkeypatch,
        "http://localhost:8501/",
        {"type": ["Battles", "Explosions/Remote violence"], "q": "a&b c", "zoom": "7"},
    )
    link = state.share_link()
    assert link == (
        "http://localhost:8501/?type=Battles&type=Explosions%2FRemote+violence&q=a%26b+c&zoom=7"
    )
    assert state.share_link({}) == "http://localhost:8501/"
    _fake_streamlit(monkeypatch, None)
    assert state.share_link() == "?"


def test_share_link_without_a_browser_context(monkeypatch) -> None:
    class _Broken:
        @property
        def url(self) -> str:
            raise RuntimeError("no script run context")

    fake = SimpleNamespace(context=_Broken(), query_params=_Params({}))
    monkeypatch.setattr(state, "st", fake)
    assert state.share_link({"snapshot": "x y"}) == "?snapshot=x+y"


def test_snapshot_link_in_the_app_is_relative_without_a_browser(db: Path) -> None:
    snap_id, _ = _save(db)
    at = run_app(SNAPSHOTS)
    codes = [c.value for c in at.code]
    assert f"?snapshot={snap_id}" in codes  # AppTest has no address: a relative link


def test_saved_times_read_as_dates_not_iso_text() -> None:
    from datetime import datetime

    from ui.snapshots_view import saved_at

    assert saved_at(datetime(2026, 12, 7, 2, 30, 59)) == "7 Dec 2026, 02:30 UTC"
    assert saved_at("2026-12-07T02:30:59Z") == "7 Dec 2026, 02:30 UTC"
    assert saved_at("not a time") == "not a time" and saved_at(None) == ""


# --- Playback from the Map page ----------------------------------------------------------------


@pytest.mark.slow
def test_the_map_page_makes_a_playback_of_the_live_view(db: Path) -> None:
    """The Playback popover draws the view day by day in Chromium, with a progress bar, and
    offers the GIF: one decoded frame per day, at the requested speed."""
    import io
    from datetime import date

    from PIL import Image

    at = run_app(date="2024-11-05", window="day")
    prefix = f"{state.PLAYBACK_KEY_PREFIX}live_"
    at.date_input(key=f"{prefix}from").set_value(date(2024, 11, 3))
    at.date_input(key=f"{prefix}to").set_value(date(2024, 11, 5))
    at.segmented_control(key=f"{prefix}step").set_value("day")
    at.select_slider(key=f"{prefix}fps").set_value(4.0)
    at.button(key=f"{prefix}make").click()
    at = rerun(at)
    assert not at.exception and not at.error
    _, payload, frames = at.session_state[f"{prefix}made"]
    gif = Image.open(io.BytesIO(payload))
    assert frames == 3 and gif.format == "GIF" and gif.n_frames == 3
    assert gif.info["duration"] == 250  # 4 frames a second
    assert gif.size == (1280, 720)
