"""Cross-article deduplication: one incident reported by several articles becomes one record
listing every source.

Two incidents are the same event when they have the same event and sub-event type, their date
ranges overlap (each widened to its precision), and their places agree: within
``max_km`` of each other, or — when either is only known at region/country precision — in the
same country and admin-1 area (or the same country when one is country-level).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from geodata.distance import great_circle_km
from geodata.records import Incident

__all__ = ["fold_into", "merge_incidents", "same_incident"]


def _range(inc: Incident) -> tuple[str | None, str | None]:
    if inc.date_precision == "unknown":
        return None, inc.date_end or inc.date
    return inc.date_start or inc.date, inc.date_end or inc.date


def same_incident(a: Incident, b: Incident, *, max_km: float = 25.0) -> bool:
    """Whether ``a`` and ``b`` report the same event (see the module docstring)."""
    if a.event_type != b.event_type or a.sub_event_type != b.sub_event_type:
        return False
    a0, a1 = _range(a)
    b0, b1 = _range(b)
    if a0 and b1 and a0 > b1:
        return False
    if b0 and a1 and b0 > a1:
        return False
    if a.country != b.country:
        return False
    coarse = (a.geo_precision or 3) >= 3 or (b.geo_precision or 3) >= 3
    if coarse:
        if a.admin1 and b.admin1:
            return a.admin1 == b.admin1
        return True
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    return great_circle_km(a.lat, a.lon, b.lat, b.lon) <= max_km


def merge_incidents(incidents: Iterable[Incident], *, max_km: float = 25.0) -> list[Incident]:
    """Merge reports of the same event across articles.

    The merged record keeps the most precise place and date, the lowest reported casualty
    figures, the highest confidence and every source (``{"article_id", "sentence"}``).
    Inputs are not modified.
    """
    merged: list[Incident] = []
    for inc in incidents:
        inc = replace(inc, sources=list(inc.sources))
        for keep in merged:
            if same_incident(keep, inc, max_km=max_km):
                fold_into(keep, inc)
                break
        else:
            merged.append(inc)
    return merged


_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


def fold_into(keep: Incident, other: Incident) -> None:
    """Fold ``other`` into ``keep``: the more precise place and date, the lowest reported
    figures, the higher confidence, both sets of sources."""
    if (other.geo_precision or 3) < (keep.geo_precision or 3):
        for f in ("place_index", "location", "lat", "lon", "geo_precision", "country", "admin1"):
            setattr(keep, f, getattr(other, f))
    if _RANK.get(other.date_precision, 4) < _RANK.get(keep.date_precision, 4):
        for f in ("date", "date_precision", "date_start", "date_end", "time_precision"):
            setattr(keep, f, getattr(other, f))
    for f in ("fatalities", "injured"):
        vals = [v for v in (getattr(keep, f), getattr(other, f)) if v is not None]
        setattr(keep, f, min(vals) if vals else None)
    keep.actor1 = keep.actor1 or other.actor1
    keep.actor2 = keep.actor2 or other.actor2
    keep.confidence = max(keep.confidence, other.confidence)
    for src in other.sources:
        if src not in keep.sources:
            keep.sources.append(src)
