"""Dateline's Streamlit app: ``streamlit run app.py``.

Thin entry point: page config, navigation and the shared sidebar. Screens live in ``pages/``;
everything Streamlit-aware in ``ui/``.
"""

from __future__ import annotations

import streamlit as st

from ui import articles_view, sidebar, snapshots_view, state

st.set_page_config(page_title="Dateline", page_icon="🗺️", layout="wide")
state.init_state()

page = st.navigation(
    [
        st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
        st.Page("pages/incidents.py", title="Incidents", icon=":material/table_rows:"),
        st.Page("pages/add.py", title="Add articles", icon=":material/post_add:"),
        st.Page(
            "pages/articles.py",
            title="Articles",
            icon=":material/article:",
            url_path=articles_view.ARTICLES_PAGE,
        ),
        st.Page("pages/feeds.py", title="Feeds", icon=":material/rss_feed:"),
        st.Page(
            "pages/snapshots.py",
            title="Snapshots",
            icon=":material/photo_library:",
            url_path=snapshots_view.SNAPSHOTS_PAGE,
        ),
    ],
)
if state.snapshot_id() is None:  # a snapshot is read-only: the live filters don't apply
    sidebar.render_sidebar()
page.run()
