"""The Map page's parts: load the sample, draw its places on a map, list them in a table."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from extract import Article, Place
from geodata.errors import DatelineError
from geodata.maps import base_map, places_bounds, places_layer
from ui import resources
from ui.state import MapSettings

__all__ = [
    "MAP_HEIGHT",
    "RETURNED_OBJECTS",
    "escape_markdown",
    "load_sample",
    "place_rows",
    "render_map",
]

logger = logging.getLogger(__name__)

MAP_HEIGHT = 560
#: What the map sends back to the app: only a click on a marker (its tooltip) reruns it.
RETURNED_OBJECTS = ["last_object_clicked_tooltip"]


_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: every ASCII punctuation mark backslash-escaped.

    Streamlit renders Markdown (and ``$…$`` math, ``:color[…]``) in captions and labels, so
    article text must pass through this before it is put into one.
    """
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def load_sample() -> Article:
    """The geocoded sample article; shows the error and stops the page if it fails."""
    try:
        return resources.sample_extraction()
    except DatelineError as exc:
        logger.exception("extraction of the sample failed")
        st.error(f"Could not geocode the sample article: {exc}")
        st.stop()
        raise  # unreachable: st.stop() raises


def render_map(article: Article, settings: MapSettings, *, height: int = MAP_HEIGHT) -> Any:
    """Draw the article's places (those whose role is shown) on a fresh offline map.

    Returns
    -------
    dict or None
        What :func:`streamlit_folium.st_folium` returns (see :data:`RETURNED_OBJECTS`).
    """
    shown = [p for p in article.places if p.role in settings.roles]
    m = base_map(
        offline=True,
        asset_url=resources.static_asset_url(),
        tiles=settings.osm_tiles,
        outlines=resources.basemap_outlines(),
    )
    # fit to all places, not just the shown ones, so that filtering does not reload the map
    bounds = places_bounds(article.places)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(24, 24), max_zoom=6)
    return st_folium(
        m,
        feature_group_to_add=places_layer(shown),
        key="map",
        returned_objects=RETURNED_OBJECTS,
        height=height,
        use_container_width=True,
    )


def place_rows(places: Sequence[Place], roles: Sequence[str]) -> list[dict[str, Any]]:
    """Table rows, one per mention, in text order (Streamlit shows them as plain text)."""
    return [
        {
            "mention": p.text,
            "place": p.name,
            "role": p.role,
            "kind": p.kind,
            "country": p.country,
            "region": p.admin1,
            "lat": p.lat,
            "lon": p.lon,
            "geonameid": p.geonameid,
            "score": round(p.score, 3),
            "offset": p.start,
        }
        for p in sorted(places, key=lambda p: p.start)
        if p.role in roles
    ]
