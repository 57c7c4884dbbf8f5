"""Saved snapshots: one shown read-only (``?snapshot=ID`` on the Map page), and the list on
the Snapshots page (open, rename, delete).

A snapshot's map is drawn from the incidents frozen in it, never from the live store, so it
looks the same however many articles are added later.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geodata.maps.basemap import base_map
from geodata.maps.incidents import incident_layer, incidents_bounds
from geodata.maps.snapshot import MapView
from ui import data, resources, share, state
from ui.playback_view import playback_controls
from ui.text import count_label, escape_markdown

__all__ = ["SNAPSHOTS_PAGE", "render_snapshot", "saved_at", "snapshot_list"]

#: The Snapshots page's URL path (``st.Page(url_path=…)``).
SNAPSHOTS_PAGE = "snapshots"
_TABLE_COLUMNS = {
    "date": "Date",
    "event_type": "Type",
    "sub_event_type": "Sub-type",
    "location": "Place",
    "country": "Country",
    "fatalities": "Killed",
    "injured": "Injured",
    "actor1": "Actor 1",
    "actor2": "Actor 2",
    "sentence": "Source sentence",
}


def _read(view: data.StoreView, snap_id: str) -> dict[str, Any] | None:
    with data.data_errors("Cannot read the snapshot"):
        return view.handle.snapshot(snap_id)
    raise AssertionError("unreachable")


def saved_at(value: Any) -> str:
    """When a snapshot was saved, for people: "7 Dec 2026, 02:30 UTC" (the store keeps UTC)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return str(value or "")
    return f"{value.day} {value:%b %Y, %H:%M} UTC"


def render_snapshot(view: data.StoreView, snap_id: str) -> None:
    """Show a saved snapshot read-only: its title, note, map, exports and incidents."""
    snap = _read(view, snap_id)
    if snap is None:
        st.title("Snapshot not found")
        st.error(
            "There is no snapshot with this link in this store: it was deleted, or the link "
            "is incomplete. Saved snapshots are listed on the Snapshots page."
        )
        st.page_link("pages/map.py", label="Open the live map", icon=":material/map:")
        return
    state.show_only_snapshot(snap_id)
    rows: list[dict[str, Any]] = snap["incidents"]
    mv = MapView.from_dict(snap["view"] or {}, title=snap["title"], note=snap["note"] or "")
    st.title(escape_markdown(snap["title"]))  # a title of the user's, shown as typed
    saved = saved_at(snap["created_at"])
    filters = f" · {mv.describe()}" if mv.describe() else ""
    st.caption(
        f"Read-only snapshot saved {escape_markdown(saved)} · {escape_markdown(mv.period)} · "
        f"{count_label(len(rows), bold=True)}{escape_markdown(filters)}. It does not change when "
        "articles are added."
    )
    if mv.note:
        st.text(mv.note)  # shown as plain text, never as Markdown/HTML
    c_live, c_link, c_export, c_play, _ = st.columns([1.2, 1, 1, 1.1, 1.9], gap="small")
    c_live.page_link("pages/map.py", label="Live map", icon=":material/map:")
    with c_link.popover("Copy link", icon=":material/link:", width="stretch"):
        st.code(share.snapshot_link(snap_id), language=None, wrap_lines=True)
    with c_export.popover("Export", icon=":material/download:", width="stretch"):
        share.export_controls(rows, mv, key=f"snap_{snap_id}")
    with c_play.popover("Playback", icon=":material/movie:", width="stretch"):
        days = sorted(date.fromisoformat(str(r["date"])[:10]) for r in rows if r.get("date"))
        lo, hi = (days[0], days[-1]) if days else (None, None)
        playback_controls(rows, mv, lo=lo, hi=hi, key=f"snap_{snap_id}", stem=share.file_stem(mv))
    _snapshot_map(rows, mv)
    if rows:
        frame = pd.DataFrame(rows)
        cols = [c for c in _TABLE_COLUMNS if c in frame.columns]
        st.dataframe(frame[cols].rename(columns=_TABLE_COLUMNS), hide_index=True, width="stretch")


def _snapshot_map(rows: list[dict[str, Any]], mv: MapView) -> None:
    cluster_ok = resources.markercluster_available()
    m = base_map(
        offline=True,
        asset_url=resources.static_asset_url(),
        outlines_url=resources.outlines_url(),
        labels_url=resources.labels_url(),
        boundaries_url=resources.boundaries_url(),
        markercluster=mv.cluster and cluster_ok,
    )
    bounds = incidents_bounds(rows)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(24, 24), max_zoom=6)
    group = incident_layer(rows, cluster=mv.cluster and cluster_ok, heat=mv.heat)
    st_folium(
        m,
        feature_group_to_add=group,
        key=state.SNAP_MAP_KEY,
        returned_objects=[],
        height=540,
        use_container_width=True,
        center=mv.center,
        zoom=mv.zoom,
    )


def snapshot_list(view: data.StoreView) -> None:
    """Every saved snapshot, newest first, with Open, Rename and Delete."""
    with data.data_errors("Cannot read the snapshots"):
        snaps = view.handle.snapshots()
    if not snaps:
        st.info(
            "No snapshots yet. On the Map page, set up a view and press **Save snapshot**.",
            icon=":material/photo_camera:",
        )
        return
    read_only = resources.read_only_notice(view.handle)
    if read_only:
        st.info(read_only, icon=":material/lock:")
    for snap in snaps:
        with st.container(border=True):
            _snapshot_row(view, snap, editable=not read_only)


def _snapshot_row(view: data.StoreView, snap: dict[str, Any], *, editable: bool) -> None:
    snap_id = snap["id"]
    head, c_open, c_rename, c_delete = st.columns([4, 1, 1.3, 1.3], vertical_alignment="center")
    with head:
        st.markdown(f"**{escape_markdown(snap['title'])}**")
        saved = escape_markdown(saved_at(snap["created_at"]))
        st.caption(f"{count_label(snap['n_incidents'])} · saved {saved}")
        if snap.get("note"):
            st.text(str(snap["note"])[:300])
    c_open.page_link(
        "pages/map.py",
        label="Open",
        icon=":material/open_in_new:",
        query_params={state.SNAPSHOT_PARAM: snap_id},
    )
    with c_rename.popover("Rename", icon=":material/edit:", disabled=not editable):
        new_title = st.text_input(
            "New title",
            value=snap["title"],
            max_chars=200,
            key=state.SNAP_RENAME_KEY_PREFIX + snap_id,
        )
        if st.button("Save title", key=f"{state.SNAP_RENAME_KEY_PREFIX}{snap_id}_ok"):
            if new_title.strip():
                with data.data_errors("Cannot rename the snapshot", stop=False):
                    view.handle.rename_snapshot(snap_id, new_title.strip())
                    st.rerun()
            else:
                st.warning("A title cannot be empty.")
    with c_delete.popover("Delete", icon=":material/delete:", disabled=not editable):
        st.caption("Its link stops working. This cannot be undone.")
        if st.button("Delete for good", key=state.SNAP_DELETE_KEY_PREFIX + snap_id, type="primary"):
            with data.data_errors("Cannot delete the snapshot", stop=False):
                view.handle.delete_snapshot(snap_id)
                st.rerun()
    st.code(share.snapshot_link(snap_id, strip_page=SNAPSHOTS_PAGE), language=None)
