"""Map page: the bundled sample article's places on a map, and as a table."""

from __future__ import annotations

import streamlit as st

from geodata.maps import place_features
from ui import map_view, state

article = map_view.load_sample()
settings = state.map_settings()

st.title("Places in the news")
title = map_view.escape_markdown(article.title or article.id)
st.caption(f"Sample article, published {article.published}: **{title}**")

resolved = [p for p in article.places if p.lat is not None]
shown = [p for p in resolved if p.role in settings.roles]
col1, col2, col3 = st.columns(3)
col1.metric("Mentions found", len(article.places))
col2.metric("Geocoded", len(resolved))
col3.metric("Markers on the map", len(place_features(shown)))

clicked = map_view.render_map(article, settings)
if clicked and clicked.get("last_object_clicked_tooltip"):
    st.caption(f"Selected: {map_view.escape_markdown(clicked['last_object_clicked_tooltip'])}")

st.subheader("Mentions")
st.dataframe(
    map_view.place_rows(article.places, settings.roles),
    hide_index=True,
    width="stretch",
)

with st.expander("Article text"):
    st.text(article.text)
