"""Incidents page: the table (same filters as the map), one incident's sources, downloads."""

from __future__ import annotations

import streamlit as st

from ui import data, incidents_view, state

state.require_app()

view = data.load_store_view()

st.title("Incidents")
selected = incidents_view.render_table(view)

st.subheader("Download")
st.caption("Every incident matching the filters and window above (not only the listed rows).")
incidents_view.render_downloads(view)

st.subheader("Incident")
incidents_view.render_details(view, selected)
