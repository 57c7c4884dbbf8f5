"""Map page: the stored incidents on an offline map, scrubbed through time."""

from __future__ import annotations

import streamlit as st

from ui import data, explorer

view = data.load_store_view()

st.title("Incidents on the map")
st.caption(
    "Colour: event type · size: fatalities. Move the date, pick a window or press Play; "
    "click a marker for its details and sources."
)
explorer.render_explorer(view)
