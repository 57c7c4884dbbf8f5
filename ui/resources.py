"""Cached resources: the gazetteer, the sample's extraction, the basemap, static assets."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import streamlit as st

from extract import Article, extract_article
from geodata.maps import country_outlines, install_leaflet_assets
from geodata.sample import sample_article

__all__ = [
    "STATIC_DIR",
    "basemap_outlines",
    "gazetteer",
    "sample_extraction",
    "static_asset_url",
]

logger = logging.getLogger(__name__)

#: Served by Streamlit at ``<base>/app/static/`` (``server.enableStaticServing``).
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


@st.cache_resource(show_spinner="Loading the gazetteer (the first run builds it: ~1 min)…")
def gazetteer() -> Any:
    """The shared :class:`geodata.gazetteer.Gazetteer`, loaded once per server process."""
    from geodata.gazetteer import load_gazetteer

    return load_gazetteer()


@st.cache_data(show_spinner="Geocoding the sample article…")
def sample_extraction() -> Article:
    """The bundled sample article with its places (computed once, then cached)."""
    record = sample_article()
    return extract_article(
        record["text"],
        published=record["published"],
        gazetteer=gazetteer(),
        doc_id=record["id"],
        title=record["title"],
    )


@st.cache_data(show_spinner=False)
def basemap_outlines() -> dict[str, Any]:
    """Country outlines for the basemap (each call returns a fresh copy, safe to mutate)."""
    return country_outlines()


@st.cache_resource(show_spinner=False)
def _install_assets() -> Path:
    dest = install_leaflet_assets(STATIC_DIR)
    logger.info("Leaflet assets ready in %s", dest)
    return dest


def static_asset_url() -> str:
    """URL path of the static folder, with Leaflet's files installed in it.

    Honours ``server.baseUrlPath``; the result has no trailing slash.
    """
    _install_assets()
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"
