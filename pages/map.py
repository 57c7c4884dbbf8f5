"""Map page: the stored incidents on an offline map, scrubbed through time; or, with
``?snapshot=ID``, a saved snapshot, read-only."""

from __future__ import annotations

import streamlit as st

from ui import data, explorer, snapshots_view, state

view = data.load_store_view()

snap_id = state.snapshot_id()
if snap_id:
    snapshots_view.render_snapshot(view, snap_id)
else:
    st.title("Incidents on the map")
    st.caption(
        "Colour: event type · size: fatalities. Move the date, pick a window or press Play; "
        "click a marker for its details and sources."
    )
    explorer.render_explorer(view)
