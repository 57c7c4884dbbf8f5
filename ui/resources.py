"""Cached resources: the gazetteer, the event store, the basemap with its labels and admin-1
boundaries, static assets."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import streamlit as st

from geodata.errors import BoundaryError, DatelineError
from geodata.maps.assets import (
    OUTLINES_FILENAME,
    country_outlines,
    install_leaflet_assets,
    install_markercluster_assets,
    install_outlines,
)
from geodata.maps.boundaries import ADMIN1_FILENAME, admin1_source, install_admin1
from geodata.maps.labels import LABELS_FILENAME, install_labels
from geodata.records import Gazetteer

__all__ = [
    "STATIC_DIR",
    "basemap_outlines",
    "boundaries_url",
    "outlines_url",
    "gazetteer",
    "gazetteer_sources",
    "labels_url",
    "markercluster_available",
    "read_only_notice",
    "seed_sample",
    "static_asset_url",
    "store",
    "store_at",
]

logger = logging.getLogger(__name__)

#: Served by Streamlit at ``<base>/app/static/`` (``server.enableStaticServing``).
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def gazetteer() -> Gazetteer:
    """The shared gazetteer: :func:`geodata.gazetteer.index.load_gazetteer`'s, the one cache (loaded
    once per server process and again when a GeoNames dump is added or removed with
    ``python -m geodata gazetteer add``). Also the loader ``ingest_records`` takes."""
    from geodata.gazetteer.index import index_ready, load_gazetteer

    if index_ready():
        return load_gazetteer()
    with st.spinner("Building the gazetteer index (first run only: about a minute)…"):
        return load_gazetteer()


@st.cache_data(show_spinner=False, max_entries=4)
def _gazetteer_sources(sources: str) -> list[Any]:
    from geodata.gazetteer.added_sources import list_sources

    return list_sources()


def gazetteer_sources() -> list[Any]:
    """The gazetteer's sources (:func:`geodata.gazetteer.added_sources.list_sources`): the built-in
    packages with their versions, then each added dump. Cheap: the index is not loaded."""
    from geodata.gazetteer.added_sources import sources_token

    return _gazetteer_sources(sources_token())


@st.cache_resource(show_spinner=False)
def _handle(path: str, read_only: bool) -> Any:
    from geodata.store.event_store import Store

    return Store(path, read_only=read_only)


def store_at(path: str) -> Any:
    """The handle for ``path`` (cached): read-only when the store exists but this process
    cannot write it (a read-only file or folder), so it can still be shown.

    Checked on every call, so making the file writable takes effect on the next run.
    """
    from geodata.store.event_store import Store

    probe = Store(path)
    return _handle(path, probe.path.exists() and not probe.writable())


def store() -> Any:
    """The event store at ``$DATELINE_DB`` (else ``data/dateline.duckdb``), one handle per path.

    The handle holds no connection: every read opens and closes the file, so ingests from the
    command line meanwhile are seen on the next run. It is opened ``read_only`` when the file
    or its folder cannot be written: reads work, writes raise a
    :class:`~geodata.errors.StoreError` saying so (see :func:`read_only_notice`).
    """
    from geodata.store.event_store import default_db_path

    return store_at(str(default_db_path().expanduser().resolve()))


def read_only_notice(handle: Any) -> str | None:
    """What to tell the user when ``handle`` is read-only (``None`` when it is writable):
    the map can be browsed, but adding articles, fixing places and saving views cannot."""
    if not getattr(handle, "read_only", False):
        return None
    return (
        f"The event store {handle.path} is read-only (the file or its folder is not writable):"
        " you can browse it, but adding articles, fixing places and saving views are disabled."
        " To change it, make the file and its folder writable, or set DATELINE_DB to a"
        " writable copy."
    )


def seed_sample(handle: Any) -> bool:
    """Ingest the bundled sample article (published 2024-11-05) when the store is empty, so
    the map is never empty on the first start. Returns whether it ingested.

    Raises
    ------
    DatelineError
        When the store or the gazetteer cannot be used.
    """
    if getattr(handle, "read_only", False) or handle.stats()["articles"]:
        return False  # (a read-only store cannot be seeded: it is shown as it is)
    from extract.sources.ingest import ingest_records
    from geodata.sample import sample_article

    errors: list[str] = []
    with st.spinner("First start: adding the sample article to the empty store…"):
        stats = ingest_records(
            [sample_article()],
            store=handle,
            loader=gazetteer,
            on_error=errors.append,
        )
    logger.info("seeded the empty store %s with the sample: %s", handle.path, stats.summary())
    for message in errors:
        logger.warning("sample ingest: %s", message)
    return stats.new > 0


@st.cache_resource(show_spinner=False)
def basemap_outlines() -> dict[str, Any]:
    """Country outlines for the exports' basemap (shared: read it, never change it)."""
    return country_outlines()


@st.cache_resource(show_spinner=False)
def _install_assets() -> tuple[Path, Path | None]:
    dest = install_leaflet_assets(STATIC_DIR)
    cluster = install_markercluster_assets(STATIC_DIR)
    install_outlines(STATIC_DIR)
    logger.info("Leaflet assets ready in %s (markercluster: %s)", dest, cluster)
    return dest, cluster


def outlines_url() -> str:
    """URL of the basemap file the app's maps load
    (:func:`geodata.maps.assets.install_outlines`)."""
    return f"{static_asset_url()}/{OUTLINES_FILENAME}"


@st.cache_resource(show_spinner=False)
def _install_labels() -> bool:
    from geodata.gazetteer.index import index_ready

    try:
        if index_ready():
            install_labels(STATIC_DIR)
        else:
            with st.spinner("Building the gazetteer index (first run only: about a minute)…"):
                install_labels(STATIC_DIR)
    except (DatelineError, OSError) as exc:  # a map without names beats no map
        logger.warning("no place labels on the maps: %s", exc)
        return False
    return True


def labels_url() -> str | None:
    """URL of the place labels' file the app's maps load
    (:func:`geodata.maps.labels.install_labels`), or ``None`` when they cannot be built."""
    if not _install_labels():
        return None
    return f"{static_asset_url()}/{LABELS_FILENAME}"


@st.cache_resource(show_spinner=False)
def _install_boundaries() -> bool:
    if admin1_source() is None:
        logger.info("no admin-1 polygons installed (apt-get install qgis-common): no boundaries")
        install_admin1(STATIC_DIR)  # removes a file left from when they were
        return False
    try:
        with st.spinner("Drawing the admin-1 boundaries (first run only: a few seconds)…"):
            return install_admin1(STATIC_DIR) is not None
    except (BoundaryError, OSError) as exc:  # a map without them beats no map
        logger.warning("no admin-1 boundaries on the maps: %s", exc)
        return False


def boundaries_url() -> str | None:
    """URL of the admin-1 boundaries' file the app's maps load
    (:func:`geodata.maps.boundaries.install_admin1`), or ``None`` when no admin-1 polygons
    are installed (or they cannot be read)."""
    if not _install_boundaries():
        return None
    return f"{static_asset_url()}/{ADMIN1_FILENAME}"


def markercluster_available() -> bool:
    """Whether Leaflet.markercluster is served locally (``xstatic-leaflet-markercluster``)."""
    return _install_assets()[1] is not None


def static_asset_url() -> str:
    """URL path of the static folder, with Leaflet's files installed in it.

    Honours ``server.baseUrlPath``; the result has no trailing slash.
    """
    _install_assets()
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"
