"""The Incidents page's parts: the sortable table (same filters as the map), the chosen
incident with all its sources, and downloads (CSV, GeoJSON, GeoPackage, GeoParquet).

The table can be narrowed to the incidents the map cannot draw (undated, or without a point):
they are listed at any date, with "undated" / "no place" where the map would need a value.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geodata.errors import DatelineError
from geodata.maps.incidents import place_name
from geodata.view import DateWindow, IncidentFilter
from ui import data, details, state
from ui.text import count_label

__all__ = [
    "DOWNLOADS",
    "MAX_ROWS",
    "NO_PLACE",
    "TABLE_COLUMNS",
    "UNDATED",
    "column_config",
    "export_bytes",
    "render_details",
    "render_downloads",
    "render_table",
    "table_frame",
    "table_query",
]

logger = logging.getLogger(__name__)

#: At most this many rows in the table (the newest); downloads hold every match.
MAX_ROWS = 10_000
#: Download formats: geodata.export.incident_files format → (button label, file suffix, MIME type).
DOWNLOADS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV", ".csv", "text/csv"),
    "geojson": ("GeoJSON", ".geojson", "application/geo+json"),
    "gpkg": ("GeoPackage", ".gpkg", "application/geopackage+sqlite3"),
    "parquet": ("GeoParquet", ".parquet", "application/vnd.apache.parquet"),
}
TABLE_COLUMNS = [
    "date",
    "event_type",
    "sub_event_type",
    "location",
    "country",
    "actor1",
    "actor2",
    "fatalities",
    "injured",
    "date_precision",
    "geo_precision",
    "n_sources",
    "confidence",
    "title",
    "id",
]
#: Shown instead of an empty date or place: the incident is not on the time-scrubbed map.
UNDATED = "undated"
NO_PLACE = "no place"
#: Shown for any other missing value (an actor, a count, a title).
MISSING_VALUE = "—"
#: What the table lists, by the Incidents page's choice (see :data:`ui.state.MISSING_CHOICES`).
_SHOWN = {
    "any": "not on the map (undated or without a place)",
    "date": "undated",
    "place": "without a place",
}


def table_query() -> IncidentFilter:
    """The table's filter: the sidebar filters and the Incidents page's ``missing`` choice,
    within the map's time window unless the user unticked it or asked for the incidents the
    map cannot draw (those are listed at any date: no window holds an undated one)."""
    missing = state.table_missing()
    where = state.filters().replace(missing=missing)
    if missing is None and st.session_state.get(state.INC_WINDOW_KEY, True):
        return where.within(state.time_view().bounds)
    return where


def _place_label(row: dict[str, Any]) -> str:
    """The place as the table shows it: :data:`NO_PLACE`, or the name with "(no coordinates)"
    when there is no point to draw."""
    name = place_name(row).strip()  # as the article wrote it, the gazetteer's name beside
    if row.get("lat") is not None and row.get("lon") is not None:
        return name
    return f"{name} (no coordinates)" if name else NO_PLACE


def table_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows for ``st.dataframe``: dates as ISO text, which sorts as dates, with
    :data:`UNDATED` (sorted after them) when there is none; the place, or :data:`NO_PLACE`;
    whole numbers as integers."""
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    frame["date"] = [str(r.get("date") or "")[:10] or UNDATED for r in rows]
    frame["location"] = [_place_label(r) for r in rows]
    for col in ("fatalities", "injured", "geo_precision", "n_sources"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    for col in TABLE_COLUMNS:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), MISSING_VALUE)
            frame[col] = frame[col].replace("", MISSING_VALUE)
    return frame


def column_config() -> dict[str, Any]:
    """Column titles and formats of :func:`table_frame` (also used by the Map page's list)."""
    return {
        "date": "date",
        "event_type": "type",
        "sub_event_type": "sub-type",
        "location": "place",
        "date_precision": "date precision",
        "geo_precision": st.column_config.NumberColumn("geo precision", format="%d"),
        "n_sources": st.column_config.NumberColumn("sources", format="%d"),
        "confidence": st.column_config.NumberColumn("confidence", format="%.2f"),
        "title": "first source",
    }


@st.cache_data(show_spinner=False, max_entries=8)
def _export(
    path: str,
    version: tuple[int, ...],
    fmt: str,
    where: IncidentFilter,
) -> bytes:
    from geodata.export.incident_files import export_incidents
    from ui.resources import store_at

    with tempfile.TemporaryDirectory(prefix="dateline-export-") as tmp:
        out = Path(tmp) / f"incidents{DOWNLOADS[fmt][1]}"
        export_incidents(store_at(path), out, where, format=fmt)
        return out.read_bytes()


def export_bytes(view: data.StoreView, fmt: str, where: IncidentFilter) -> bytes:
    """The incidents matching ``where`` in ``fmt`` (see :data:`DOWNLOADS`), via
    :mod:`geodata.export.incident_files`."""
    return _export(view.path, view.version, fmt, where)


def _choices() -> str | None:
    """The "Show" choice (all, or what the map cannot draw) and the time-window toggle."""
    state.follow_missing_param()  # a link from the Map page: ?missing=…
    c_show, c_window = st.columns([3, 2], vertical_alignment="bottom")
    with c_show:
        st.segmented_control(
            "Show",
            options=list(state.MISSING_CHOICES),
            format_func=state.MISSING_CHOICES.get,
            key=state.INC_MISSING_KEY,
            required=True,
            on_change=state.missing_changed,
            persist_state="session",
            help="Not on the map: incidents without a date (the map shows a time window) or "
            "without coordinates. They are listed at any date.",
        )
    missing = state.table_missing()
    with c_window:
        st.toggle(
            "Only the map's time window",
            key=state.INC_WINDOW_KEY,
            disabled=missing is not None,
            help="Not used while only the incidents not on the map are listed."
            if missing is not None
            else None,
        )
    return missing


def render_table(view: data.StoreView) -> dict[str, Any] | None:
    """The table; returns the row the user selected (also remembered for the map)."""
    missing = _choices()
    lo, hi = data.date_range(view)
    if lo is not None and hi is not None:
        state.ensure_date(lo, hi)  # the map's window, even before the Map page was opened
    where = table_query()
    rows, more = data.incidents(view, where, limit=MAX_ROWS)
    rows = data.attach_mentions(view, rows)  # where each place is written in its sentence
    when = DateWindow(where.start, where.end).words
    shown = f" {_SHOWN[missing]}" if missing else ""
    note = f"{count_label(len(rows))}{shown}, {when}" + (" (filtered)" if where.active else "")
    if more:
        note += f" — the newest {MAX_ROWS:,} are listed; downloads hold every match"
    st.caption(note + ". Click a column header to sort, a row to see its sources.")
    if not rows:
        if missing:
            st.info("Every matching incident is on the map: none is " + _SHOWN[missing] + ".")
        else:
            st.info("No incident matches. Widen the time window or clear the filters.")
        return None
    # keyed by the rows listed: a selection (a row position) never carries over to other rows,
    # so a new search or filter cannot silently show another incident
    listed = hashlib.sha1("|".join(str(r.get("id")) for r in rows).encode()).hexdigest()[:12]
    event = st.dataframe(
        table_frame(rows),
        key=f"{state.TABLE_KEY}_{listed}",
        hide_index=True,
        width="stretch",
        height=420,
        on_select="rerun",
        selection_mode="single-row",
        column_config=column_config(),
    )
    picked = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if picked and 0 <= picked[0] < len(rows):
        state.select(rows[picked[0]])
        return rows[picked[0]]
    return None


def render_details(view: data.StoreView, row: dict[str, Any] | None) -> None:
    """The incident selected in the table, else the one last chosen (on the map too)."""
    row = row or state.selected()
    if row is None:
        st.caption("Select a row to see the incident with all its sources.")
        return
    details.incident_details(view, row)


def render_downloads(view: data.StoreView) -> None:
    """One button per format, for every incident matching the table's filters and window."""
    where = table_query()
    cols = st.columns(len(DOWNLOADS))
    for col, (fmt, (label, suffix, mime)) in zip(cols, DOWNLOADS.items(), strict=True):

        def make(fmt: str = fmt) -> bytes:
            try:
                return export_bytes(view, fmt, where)
            except DatelineError as exc:  # shown in the log; the download is then empty
                logger.warning("export %s failed: %s", fmt, exc)
                return b""

        col.download_button(
            label,
            data=make,
            file_name=f"dateline-incidents{suffix}",
            mime=mime,
            key=f"{state.DOWNLOAD_KEY_PREFIX}{fmt}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )
