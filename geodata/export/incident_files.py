"""Export stored incidents as CSV, GeoJSON, GeoPackage or GeoParquet (via geopandas).

Every format holds one row per incident with the columns of
:meth:`geodata.store.event_store.Store.incidents` (``lat``/``lon`` included); the spatial formats
add a point geometry in EPSG:4326 (none for an incident without coordinates). Dates are
``YYYY-MM-DD`` strings, except in GeoParquet where they are Arrow dates.

* ``csv``: plain CSV, UTF-8, no geometry column (``lat``/``lon`` hold the point);
* ``geojson``: RFC 7946 (``[lon, lat]`` coordinates, WGS 84, no ``crs`` member);
* ``gpkg``: a GeoPackage with one layer, ``incidents`` (written with pyogrio);
* ``parquet``: GeoParquet (``GeoDataFrame.to_parquet``).

The file is written next to ``out`` under a temporary name and renamed into place, so a
failed export never leaves a half-written file behind.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from geodata.errors import InputError
from geodata.view import IncidentFilter

__all__ = ["FORMATS", "export_incidents", "format_for"]

logger = logging.getLogger(__name__)

#: format name → file name suffix
FORMATS = {"csv": ".csv", "geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet"}
_SUFFIXES = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}
_SUFFIXES |= {".parquet": "parquet", ".geoparquet": "parquet"}
_DATES = ("date", "date_start", "date_end")
LAYER = "incidents"


def format_for(path: str | Path) -> str | None:
    """The export format its file name suggests (``None`` if none does)."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def export_incidents(
    store: Any,
    out: str | Path,
    where: IncidentFilter | None = None,
    /,
    *,
    format: str,
    **filters: Any,
) -> int:
    """Write the incidents of ``store`` that match a filter to ``out``; return how many.

    Parameters
    ----------
    store
        A :class:`geodata.store.event_store.Store`.
    out
        The file to write (replaced if it exists; its directory must exist).
    where
        The :class:`~geodata.view.IncidentFilter` (all incidents when ``None``).
    format
        ``"csv"``, ``"geojson"``, ``"gpkg"`` or ``"parquet"``.
    **filters
        Filter fields set on top of ``where`` (``start``, ``types``…) and ``limit``, as for
        :meth:`geodata.store.event_store.Store.incidents`.

    Raises
    ------
    InputError
        Unknown format, or ``out`` cannot be written.
    StoreError
        The store cannot be read.
    """
    fmt = str(format).lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {format!r}; use one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.is_dir():
        raise InputError(f"{out} is a directory; give a file name")
    if not out.parent.is_dir():
        raise InputError(f"cannot write {out}: the directory {out.parent} does not exist")
    frame = store.incidents_frame(where, **filters)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=FORMATS[fmt], dir=out.parent)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "csv":
            _as_csv_frame(frame).to_csv(tmp, index=False)
        else:
            _write_spatial(frame, tmp, fmt)
        os.replace(tmp, out)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    except Exception as exc:
        if type(exc).__module__.startswith(("pyogrio", "pyarrow")):  # driver / file errors
            raise InputError(f"cannot write {out}: {exc}") from None
        raise
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("exported %d incidents to %s (%s)", len(frame), out, fmt)
    return len(frame)


def _iso_dates(frame: Any) -> Any:
    frame = frame.copy()
    for col in _DATES:
        frame[col] = frame[col].dt.strftime("%Y-%m-%d").astype(object)
        frame[col] = frame[col].where(frame[col].notna(), None)
    return frame


def _as_csv_frame(frame: Any) -> Any:
    return _iso_dates(frame)


def _write_spatial(frame: Any, path: Path, fmt: str) -> None:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    if fmt == "parquet":
        frame = frame.copy()
        for col in _DATES:  # Arrow date32, not timestamps
            frame[col] = frame[col].dt.date.astype(object).where(frame[col].notna(), None)
    else:
        frame = _iso_dates(frame)
    geometry = [
        Point(lon, lat) if pd.notna(lon) and pd.notna(lat) else None
        for lon, lat in zip(frame["lon"], frame["lat"], strict=True)
    ]
    gdf = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    if fmt == "parquet":
        gdf.to_parquet(path, index=False)
    elif fmt == "geojson":
        gdf.to_file(
            path, driver="GeoJSON", layer=LAYER, engine="pyogrio", layer_options={"RFC7946": "YES"}
        )
    else:
        path.unlink(missing_ok=True)  # GDAL would add a layer to the (empty) temporary file
        gdf.to_file(path, driver="GPKG", layer=LAYER, engine="pyogrio")
