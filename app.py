"""Dateline's Streamlit app: ``streamlit run app.py``.

Thin entry point: page config, navigation and the shared sidebar. Screens live in ``pages/``;
everything Streamlit-aware in ``ui/``.
"""

from __future__ import annotations

import streamlit as st

from ui import sidebar, state

st.set_page_config(page_title="Dateline", page_icon="🗺️", layout="wide")
state.init_state()

page = st.navigation(
    [
        st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
        st.Page("pages/incidents.py", title="Incidents", icon=":material/table_rows:"),
        st.Page("pages/add.py", title="Add articles", icon=":material/post_add:"),
    ],
)
sidebar.render_sidebar()
page.run()
