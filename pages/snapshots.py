"""Snapshots page: the saved snapshots, to open, rename or delete."""

from __future__ import annotations

import streamlit as st

from ui import data, snapshots_view, state

state.require_app()

view = data.load_store_view()

st.title("Snapshots")
st.caption(
    "Saved views with their incidents, frozen: a snapshot's link shows the same map however "
    "many articles are added later. Anyone who has the link and can reach this app can open it."
)
snapshots_view.snapshot_list(view)
