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
    [st.Page("pages/map.py", title="Map", icon=":material/map:", default=True)],
)
sidebar.render_sidebar()
page.run()
