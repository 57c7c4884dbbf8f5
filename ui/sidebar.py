"""The sidebar shared by every page."""

from __future__ import annotations

import streamlit as st

from extract.article import ROLES
from geodata.maps import ROLE_COLORS
from ui import state

__all__ = ["ROLE_HELP", "legend_html", "render_sidebar"]

ROLE_HELP: dict[str, str] = {
    "literal": "a location where something is or happens",
    "associative": "a place standing for its government or people (“Kyiv said”)",
    "demonym": "an adjective or people name (“Ukrainian”)",
}


def legend_html() -> str:
    """A small HTML legend of the marker colours (fixed strings only, no user text)."""
    items = "".join(
        f'<span style="white-space:nowrap;margin-right:0.9em">'
        f'<span style="display:inline-block;width:0.8em;height:0.8em;border-radius:50%;'
        f'background:{ROLE_COLORS[role]};margin-right:0.3em"></span>{role}</span>'
        for role in ROLES
    )
    return f'<div style="font-size:0.85rem">{items}</div>'


def render_sidebar() -> None:
    """Draw the app title, the map settings and the colour legend."""
    with st.sidebar:
        st.markdown("### Dateline")
        st.caption("Offline geoparser for news: place names → map.")
        st.multiselect(
            "Show places used as",
            options=list(ROLES),
            key=state.ROLES_KEY,
            on_change=state.sync_query_params,
            help="\n".join(f"- **{r}**: {ROLE_HELP[r]}" for r in ROLES),
        )
        st.toggle(
            "OpenStreetMap tiles",
            key=state.TILES_KEY,
            on_change=state.sync_query_params,
            help="Draw OSM tiles over the built-in country outlines (needs internet).",
        )
        st.markdown(legend_html(), unsafe_allow_html=True)
