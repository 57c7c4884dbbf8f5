"""Articles page: the stored articles, one opened with its places and incidents, place fixes
that re-extract it, and re-extraction of many articles."""

from __future__ import annotations

import streamlit as st

from ui import articles_view, data, state

state.require_app()

view = data.load_store_view()

st.title("Articles")
st.caption(
    "Every stored article, as the map shows it. Open one to check its places and incidents, fix "
    "a place (the article is extracted again at once) or re-extract it."
)
articles_view.render_done()
aid = articles_view.render_article_list(view)
with st.expander("Re-extract many articles"):
    articles_view.render_reextract(view, state.filters())
if aid is not None:
    articles_view.render_article(view, aid)
