"""Add articles page: paste, upload, fetch or feed articles into the store; check and fix."""

from __future__ import annotations

import streamlit as st

from ui import articles_view, data, ingest_view, state

state.require_app()

view = data.load_store_view()

st.title("Add articles")
st.caption(
    "Articles are geoparsed on this machine; their incidents join the map at once. "
    "Duplicates (the same text) are recognised and skipped."
)
ingest_view.render_inputs()
ingest_view.render_pending(view)

shown = ingest_view.render_results(view)
if shown is not None:
    articles_view.render_article(view, shown, actions=False)
