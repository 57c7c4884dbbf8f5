"""The Incidents page's parts: the sortable table (same filters as the map), the chosen
incident with all its sources, and downloads (CSV, GeoJSON, GeoPackage, GeoParquet)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geodata.errors import DatelineError
from ui import data, details, state
from ui.state import Filters

__all__ = [
    "DOWNLOADS",
    "MAX_ROWS",
    "TABLE_COLUMNS",
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
#: Download formats: geodata.export format → (button label, file suffix, MIME type).
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


def table_query() -> tuple[Filters, str | None, str | None]:
    """The filters and date bounds of the table: the sidebar filters, and the map's time
    window unless the user unticked it."""
    filters = state.filters()
    if st.session_state.get(state.INC_WINDOW_KEY, True):
        start, end = state.time_view().bounds
    else:
        start = end = None
    return filters, start, end


def table_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    for col in ("fatalities", "injured", "geo_precision", "n_sources"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    return frame


@st.cache_data(show_spinner=False, max_entries=8)
def _export(
    path: str,
    version: tuple[int, ...],
    fmt: str,
    filters: Filters,
    start: str | None,
    end: str | None,
) -> bytes:
    from geodata.export import export_incidents
    from ui.resources import _store

    with tempfile.TemporaryDirectory(prefix="dateline-export-") as tmp:
        out = Path(tmp) / f"incidents{DOWNLOADS[fmt][1]}"
        export_incidents(_store(path), out, format=fmt, start=start, end=end, **filters.query())
        return out.read_bytes()


def export_bytes(
    view: data.StoreView, fmt: str, filters: Filters, start: str | None, end: str | None
) -> bytes:
    """The matching incidents in ``fmt`` (see :data:`DOWNLOADS`), via :mod:`geodata.export`."""
    return _export(view.path, view.version, fmt, filters, start, end)


def render_table(view: data.StoreView) -> dict[str, Any] | None:
    """The table; returns the row the user selected (also remembered for the map)."""
    st.toggle("Only the map's time window", key=state.INC_WINDOW_KEY)
    filters, start, end = table_query()
    rows, more = data.incidents(view, filters, start=start, end=end, limit=MAX_ROWS)
    if start or end:
        when = f"{start} → {end}" if start else f"up to {end}"
    else:
        when = "all dates"
    note = f"{len(rows):,} incidents, {when}" + (" (filtered)" if filters.active else "")
    if more:
        note += f" — the newest {MAX_ROWS:,} are listed; downloads hold every match"
    st.caption(note + ". Click a column header to sort, a row to see its sources.")
    if not rows:
        st.info("No incident matches. Widen the time window or clear the filters.")
        return None
    event = st.dataframe(
        table_frame(rows),
        key=state.TABLE_KEY,
        hide_index=True,
        width="stretch",
        height=420,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
            "event_type": "type",
            "sub_event_type": "sub-type",
            "location": "place",
            "date_precision": "date precision",
            "geo_precision": st.column_config.NumberColumn("geo precision", format="%d"),
            "n_sources": st.column_config.NumberColumn("sources", format="%d"),
            "confidence": st.column_config.NumberColumn("confidence", format="%.2f"),
            "title": "first source",
        },
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
    filters, start, end = table_query()
    cols = st.columns(len(DOWNLOADS))
    for col, (fmt, (label, suffix, mime)) in zip(cols, DOWNLOADS.items(), strict=True):

        def make(fmt: str = fmt) -> bytes:
            try:
                return export_bytes(view, fmt, filters, start, end)
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
