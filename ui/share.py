"""Sharing what the map shows: the view's link, "Save snapshot", and exports (HTML, PNG,
GeoJSON) of the live view or of a saved snapshot.

The exports are made by :mod:`geodata.maps.snapshot`; HTML and GeoJSON are built when their
download button is pressed, the PNG (a headless Chromium, a few seconds) on its own button.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import streamlit as st

from geodata.errors import DatelineError
from geodata.maps.snapshot import MapView, find_browser, render_png, view_geojson, view_html
from ui import data, resources, state
from ui.playback_view import playback_controls
from ui.state import LiveView, TimeView
from ui.text import count_label

__all__ = [
    "export_controls",
    "file_stem",
    "share_bar",
    "snapshot_link",
]

_PNG_SIZES = {"1200 × 800": (1200, 800), "1600 × 900": (1600, 900), "1920 × 1080": (1920, 1080)}
_PNG_SIZES["800 × 600"] = (800, 600)


def snapshot_link(snap_id: str, *, strip_page: str | None = None) -> str:
    """The link that opens a snapshot read-only."""
    return state.share_link({state.SNAPSHOT_PARAM: snap_id}, strip_page=strip_page)


def share_bar(view: data.StoreView, rows: list[dict[str, Any]], live: LiveView) -> None:
    """ "Copy link", "Save snapshot" and "Export" for the live view."""
    # one above the other: the bar sits in the narrow column beside the map
    c_link, c_save, c_export, c_play = (st.container() for _ in range(4))
    with c_link.popover("Copy link", icon=":material/link:", width="stretch"):
        st.caption(
            "This link opens the same view (date, window, filters, layers and map position) "
            "in any browser that can reach this app. Copy it with the button at its right."
        )
        # the view from the state, not this run's query string (it may predate the last step)
        st.code(state.share_link(state.url_params()), language=None, wrap_lines=True)
    with c_save.popover("Save snapshot", icon=":material/photo_camera:", width="stretch"):
        _save_form(view, rows, live)
    mv = live.map_view()
    with c_export.popover("Export", icon=":material/download:", width="stretch"):
        export_controls(rows, mv, key="live")
    with c_play.popover("Playback", icon=":material/movie:", width="stretch"):
        lo, hi = data.date_range(view)
        playback_controls(view.handle, mv, lo=lo, hi=hi, key="live", stem=file_stem(mv))


def _save_form(view: data.StoreView, rows: list[dict[str, Any]], live: LiveView) -> None:
    notice = resources.read_only_notice(view.handle)
    if notice:
        st.info(notice, icon=":material/lock:")
        return
    st.caption(
        f"Keeps {'this' if len(rows) == 1 else 'these'} {count_label(len(rows))} and this "
        "view under a private link: it stays the same when more articles are added."
    )
    with st.form(state.SNAP_FORM_KEY, clear_on_submit=True, border=False):
        st.text_input(
            "Title", key=state.SNAP_TITLE_KEY, max_chars=200, placeholder=_default_title(live.time)
        )
        st.text_area("Note", key=state.SNAP_NOTE_KEY, max_chars=4000, height=90)
        saved = st.form_submit_button("Save", type="primary", icon=":material/save:")
    if saved:
        title = str(st.session_state.get(state.SNAP_TITLE_KEY) or "").strip() or _default_title(
            live.time
        )
        note = str(st.session_state.get(state.SNAP_NOTE_KEY) or "").strip()
        saved_view = live.saved_view(title=title, note=note)
        with data.data_errors("Cannot save the snapshot", stop=False):
            snap_id = view.handle.save_snapshot(
                title=title, note=note, view=saved_view, incidents=rows
            )
            st.session_state[state.SNAP_SAVED_KEY] = snap_id
    snap_id = st.session_state.get(state.SNAP_SAVED_KEY)
    if snap_id:
        st.success("Saved. Its read-only link:", icon=":material/check:")
        st.code(snapshot_link(snap_id), language=None, wrap_lines=True)
        st.page_link(
            "pages/map.py",
            label="Open the snapshot",
            icon=":material/open_in_new:",
            query_params={state.SNAPSHOT_PARAM: snap_id},
        )


def _default_title(tv: TimeView) -> str:
    when = tv.bounds.words
    return "Incidents" if when == "all dates" else f"Incidents {when}"


def file_stem(mv: MapView) -> str:
    """A download's file name without suffix: "dateline-<title>-<today>"."""
    slug = _slug(mv.title)
    return f"{slug if slug.startswith('dateline') else 'dateline-' + slug}-{date.today()}"


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug[:60] or "map"


def export_controls(rows: Sequence[dict[str, Any]], mv: MapView, *, key: str) -> None:
    """Download buttons: the standalone HTML map, GeoJSON and a PNG image of ``rows``."""
    rows = list(rows)
    stem = file_stem(mv)
    prefix = f"{state.EXPORT_KEY_PREFIX}{key}_"
    st.caption(f"{count_label(len(rows))} · {mv.period}")
    # the note is private until its author chooses to publish it
    with_note = bool(mv.note) and st.checkbox(
        "Include the note", value=False, key=f"{prefix}with_note"
    )
    outlines = resources.basemap_outlines()
    st.download_button(
        "HTML map (works offline)",
        data=lambda: view_html(rows, mv, outlines=outlines, with_note=with_note).encode("utf-8"),
        file_name=f"{stem}.html",
        mime="text/html",
        key=f"{prefix}html",
        icon=":material/public:",
        on_click="ignore",
        width="stretch",
    )
    st.download_button(
        "GeoJSON",
        data=lambda: _geojson_bytes(rows),
        file_name=f"{stem}.geojson",
        mime="application/geo+json",
        key=f"{prefix}geojson",
        icon=":material/data_object:",
        on_click="ignore",
        width="stretch",
    )
    _png_controls(rows, mv, stem=stem, prefix=prefix, with_note=with_note)


def _geojson_bytes(rows: Sequence[dict[str, Any]]) -> bytes:
    import json

    return json.dumps(view_geojson(rows), ensure_ascii=False).encode("utf-8")


def _png_controls(
    rows: list[dict[str, Any]], mv: MapView, *, stem: str, prefix: str, with_note: bool
) -> None:
    if find_browser() is None:
        st.button("PNG image", key=f"{prefix}png_off", disabled=True, width="stretch")
        st.caption(
            "PNG needs a Chromium browser on the server: `sudo apt-get install chromium` "
            "(or set DATELINE_CHROMIUM to its path)."
        )
        return
    size = st.selectbox("PNG size (pixels)", list(_PNG_SIZES), key=f"{prefix}png_size")
    made_key = f"{prefix}png_bytes"
    # the PNG made last is offered only while the view and size are the same
    signature = (size, with_note, repr(mv.to_dict()), len(rows))
    signature += (tuple(r.get("id") for r in rows[:50]),)
    if st.button("Make PNG image", key=f"{prefix}png_make", icon=":material/image:"):
        width, height = _PNG_SIZES.get(size or "", (1200, 800))
        with st.spinner("Drawing the map in a headless browser…"):
            try:
                page = view_html(
                    rows,
                    mv,
                    outlines=resources.basemap_outlines(),
                    with_note=with_note,
                    controls=False,
                )
                png_bytes = render_png(page, width=width, height=height)
                st.session_state[made_key] = (signature, png_bytes)
            except DatelineError as exc:
                data.show_error(exc, "Cannot make the PNG")
    made = st.session_state.get(made_key)
    png = made[1] if isinstance(made, tuple) and made[0] == signature else None
    if isinstance(png, bytes):
        st.download_button(
            "Download PNG",
            data=png,
            file_name=f"{stem}.png",
            mime="image/png",
            key=f"{prefix}png",
            icon=":material/download:",
            on_click="ignore",
            type="primary",
            width="stretch",
        )
