"""The sidebar shared by every page: store summary, filters, map layers, legend."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import streamlit as st

from geodata.maps.boundaries import ADMIN1_ENV, ADMIN1_MINZOOM, admin1_source
from ui import data, feeds_view, resources, state
from ui.text import escape_markdown, event_legend_html

__all__ = [
    "DATA_CREDITS",
    "MAX_ACTOR_CHOICES",
    "boundaries_line",
    "country_label",
    "gazetteer_source_lines",
    "render_sidebar",
]

#: The actors offered in the filter: the most frequent ones (plus any already chosen).
MAX_ACTOR_CHOICES = 300


@lru_cache(maxsize=512)
def country_label(code: str) -> str:
    """``"RU · Russian Federation"`` for an ISO alpha-2 code (the code alone if unknown)."""
    try:
        import pycountry

        found = pycountry.countries.get(alpha_2=code)
    except (ImportError, KeyError, LookupError):
        found = None
    name = getattr(found, "common_name", None) or getattr(found, "name", None)
    return f"{code} · {name}" if name else code


def gazetteer_source_lines(sources: Sequence[Any]) -> list[str]:
    """Markdown lines (text escaped) naming the gazetteer's sources: built-in packages with
    versions, then each added GeoNames dump with its counts and date."""
    packages = [s for s in sources if s.kind == "package"]
    dumps = [s for s in sources if s.kind == "dump"]
    size = packages[0].entries if packages and packages[0].entries else None
    built_in = ", ".join(escape_markdown(f"{s.name} {s.detail}") for s in packages)
    lines = [
        f"**Built in**{f' ({size:,} places)' if size else ''}: {built_in}",
    ]
    for s in dumps:
        meta = s.extra
        if "problem" in meta:
            lines.append(f"**{escape_markdown(s.name)}**: {escape_markdown(meta['problem'])}")
            continue
        when = escape_markdown((s.added or "")[:10])
        lines.append(
            f"**{escape_markdown(s.name)}** (GeoNames dump): {meta.get('new_entries', 0):,} "
            f"places, {meta.get('new_names', 0):,} more names for built-in places; added {when}"
        )
    if not dumps:
        lines.append(
            "No GeoNames dump added. For every village of a country: "
            "`python -m geodata gazetteer add UA.zip` (files from download.geonames.org)."
        )
    return lines


def boundaries_line() -> str:
    """A Markdown line (text escaped) saying where the map's admin-1 boundaries come from, or
    how to get them when no admin-1 polygons are installed."""
    source = admin1_source()
    if source is None:
        return (
            "No admin-1 boundaries: they come from Debian's `qgis-common` package "
            f"(`apt-get install qgis-common`), or set `{ADMIN1_ENV}` to a file of admin-1 "
            "polygons (e.g. Natural Earth's states and provinces)."
        )
    return (
        f"**Admin-1 boundaries** (from zoom {ADMIN1_MINZOOM}): "
        f"{escape_markdown(source.credit)} ({escape_markdown(source.path.name)})"
    )


#: What the app's data is made of and the credit each source asks for (see the README's "Data
#: sources and licences"); exports carry :data:`geodata.maps.snapshot.CREDITS`.
DATA_CREDITS = (
    "Credits: places and coordinates © GeoNames (CC BY 4.0); country outlines: countryinfo "
    "(MIT); admin-1 boundaries: Natural Earth (public domain), from QGIS's world map "
    "(Debian's qgis-common); map: Leaflet. Dateline is free software (GPL-3.0-or-later)."
)


def _gazetteer_sources() -> None:
    sources = resources.gazetteer_sources()
    added = sum(1 for s in sources if s.kind == "dump")
    label = f"Gazetteer: built-in + {added} GeoNames dump{'s' if added != 1 else ''}"
    with st.expander(label if added else "Gazetteer: built-in", icon=":material/public:"):
        for line in gazetteer_source_lines(sources):
            st.caption(line)
        st.caption(boundaries_line())
        st.caption(DATA_CREDITS)


def _options(available: list[str], chosen: list[str]) -> list[str]:
    return list(dict.fromkeys([*available, *chosen]))


def render_sidebar() -> None:
    """Draw the sidebar. Filters apply to the Map and Incidents pages."""
    view = data.load_store_view()
    facets = data.facets(view)
    ss = st.session_state
    with st.sidebar:
        st.markdown("### Dateline")
        s = view.stats
        span = f" · {s['min_date']} → {s['max_date']}" if s.get("min_date") else ""
        st.caption(
            f"{s['incidents']:,} incidents from {s['articles']:,} "
            f"article{'s' if s['articles'] != 1 else ''}{span}",
            help=f"Event store: {escape_markdown(view.path)}",
        )
        feeds_view.render_sidebar_line(view)
        notice = resources.read_only_notice(view.handle)
        if notice:
            st.warning(escape_markdown(notice), icon=":material/lock:")
        st.markdown("**Filters**")
        st.multiselect(
            "Event types",
            options=_options(facets["event_types"], ss.get(state.TYPES_KEY) or []),
            key=state.TYPES_KEY,
            on_change=state.sync_query_params,
            placeholder="All types",
        )
        st.multiselect(
            "Countries",
            options=_options(facets["countries"], ss.get(state.COUNTRIES_KEY) or []),
            key=state.COUNTRIES_KEY,
            format_func=country_label,
            on_change=state.sync_query_params,
            placeholder="All countries",
        )
        st.multiselect(
            "Actors",
            options=_options(facets["actors"][:MAX_ACTOR_CHOICES], ss.get(state.ACTORS_KEY) or []),
            key=state.ACTORS_KEY,
            on_change=state.sync_query_params,
            placeholder="All actors",
            help="An incident matches when one of its sides contains a chosen actor.",
        )
        st.text_input(
            "Search",
            key=state.TEXT_KEY,
            on_change=state.sync_query_params,
            placeholder="words in the sentence, place, actors or title",
        )
        st.number_input(
            "Minimum fatalities",
            min_value=0,
            step=1,
            key=state.MIN_FAT_KEY,
            on_change=state.sync_query_params,
            help="0: no filter. Above 0, incidents without a reported figure are left out.",
        )
        st.markdown("**Map layers**")
        cluster_ok = resources.markercluster_available()
        st.toggle(
            "Cluster markers",
            key=state.CLUSTER_KEY,
            on_change=state.sync_query_params,
            disabled=not cluster_ok,
            help="Group nearby markers (Leaflet.markercluster, served locally)."
            if cluster_ok
            else "Unavailable: install xstatic-leaflet-markercluster.",
        )
        st.toggle(
            "Heat map",
            key=state.HEAT_KEY,
            on_change=state.sync_query_params,
            help="Incident density per grid cell, computed on the server, under the markers.",
        )
        st.toggle(
            "Places without incidents",
            key=state.PLACES_KEY,
            on_change=state.sync_query_params,
            help="Faint dots: places the shown reports mention where no incident was found.",
        )
        st.toggle(
            "OpenStreetMap tiles",
            key=state.TILES_KEY,
            on_change=state.sync_query_params,
            help="Draw OSM tiles over the built-in country outlines (needs internet).",
        )
        st.markdown(event_legend_html(), unsafe_allow_html=True)
        st.caption("Marker size grows with the fatalities reported.")
        _gazetteer_sources()
