"""Incidents as a GeoParquet dataset partitioned by month (``python -m extract ingest
--out-parquet DIR``).

Layout: ``DIR/month=YYYY-MM/part-0.parquet`` (``month=unknown`` for undated incidents), Hive
style, so both of these read the whole dataset back::

    duckdb.read_parquet("DIR/**/*.parquet", hive_partitioning=true)
    geopandas.read_parquet("DIR")

Every file has the same schema: the incident columns of the store, ``geometry`` (a WKB point
from ``lon``/``lat``, null when unknown) and the GeoParquet ``geo`` metadata with CRS
EPSG:4326. The ``month`` column comes from the directory names.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from geodata.errors import InputError

__all__ = ["PARTITION", "write_incidents_parquet", "write_store_parquet"]

logger = logging.getLogger(__name__)

#: The partition column.
PARTITION = "month"
_UNDATED = "unknown"


def write_store_parquet(store: Any, out_dir: str | Path) -> int:
    """Write every incident of ``store`` (``store.incidents()``) to ``out_dir``.

    Returns
    -------
    int
        The number of incidents written.
    """
    return write_incidents_parquet(store.incidents(), out_dir)


def write_incidents_parquet(rows: Iterable[dict[str, Any]], out_dir: str | Path) -> int:
    """Write incident rows as GeoParquet partitioned by month, replacing an earlier output.

    Parameters
    ----------
    rows
        Incident dicts with at least ``id``, ``date`` (``YYYY-MM-DD``, a ``date`` or ``None``),
        ``lat`` and ``lon``; other scalar values become columns (lists and dicts as JSON text).
    out_dir
        The dataset folder; created if needed. Files of an earlier output
        (``month=*/part-*.parquet``) are removed first; nothing else in it is touched.

    Returns
    -------
    int
        The number of incidents written.

    Raises
    ------
    InputError
        When ``out_dir`` is a file or cannot be written.
    """
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
    from shapely.geometry import Point

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("not a folder", source=str(out))
    records = sorted((_scalar_row(r) for r in rows), key=lambda r: (str(r.get("date")), r["id"]))
    try:
        out.mkdir(parents=True, exist_ok=True)
        _clear(out)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=str(out)) from None
    if not records:
        logger.info("%s: no incidents to write", out)
        return 0
    frame = pd.DataFrame.from_records(records)
    frame[PARTITION] = [_month(r) for r in records]
    points = [
        Point(r["lon"], r["lat"]) if r.get("lat") is not None and r.get("lon") is not None else None
        for r in records
    ]
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))
    buffer = io.BytesIO()
    gdf.to_parquet(buffer, index=False)  # GeoParquet metadata, WKB geometry
    buffer.seek(0)
    table = pq.read_table(buffer)
    partitioning = ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive")
    try:
        ds.write_dataset(
            table,
            out,
            format="parquet",
            partitioning=partitioning,
            basename_template="part-{i}.parquet",
            existing_data_behavior="overwrite_or_ignore",
        )
    except OSError as exc:
        raise InputError(f"cannot write: {exc}", source=str(out)) from None
    return len(records)


def _scalar_row(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, (list, dict, tuple)):
            value = json.dumps(value, ensure_ascii=False, default=str)
        elif isinstance(value, str) and key in ("date", "date_start", "date_end"):
            value = date.fromisoformat(value[:10])
        elif isinstance(value, datetime) and key in ("date", "date_start", "date_end"):
            value = value.date()
        out[key] = value
    return out


def _month(row: dict[str, Any]) -> str:
    day = row.get("date") or row.get("date_start")
    return day.isoformat()[:7] if isinstance(day, date) else _UNDATED


def _clear(out: Path) -> None:
    for old in out.glob(f"{PARTITION}=*/part-*.parquet"):
        old.unlink()
    for folder in out.glob(f"{PARTITION}=*"):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
