"""Map page: the stored incidents on an offline map, scrubbed through time; or, with
``?snapshot=ID``, a saved snapshot, read-only."""

from __future__ import annotations

import streamlit as st

from ui import data, explorer, snapshots_view, state

state.require_app()

view = data.load_store_view()

snap_id = state.snapshot_id()
if snap_id:
    snapshots_view.render_snapshot(view, snap_id)
else:
    explorer.compact_page()  # the map first: little above it
    st.title("Incidents on the map")
    explorer.render_explorer(view)
