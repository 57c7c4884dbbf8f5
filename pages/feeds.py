"""Feeds page: the watcher's status, following a feed, the followed feeds and their polls."""

from __future__ import annotations

import streamlit as st

from ui import data, feeds_view, state

state.require_app()

view = data.load_store_view()

st.title("Feeds")
st.caption(
    "Feeds the watcher follows: it polls each when due, fetches the new items' pages and adds "
    "their incidents to the map. A feed that fails is retried later, waiting longer each time."
)
status = feeds_view.render_watcher(view)
feeds_view.render_add_feed(view)
feeds_view.render_feeds(view, status)
