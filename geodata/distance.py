"""Great-circle distances between points given in degrees (one haversine for the project)."""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "great_circle_km", "km_apart"]

#: The mean Earth radius (IUGG), in kilometres.
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres between two points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def km_apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    """:func:`great_circle_km` of two ``(lat, lon)`` pairs."""
    return great_circle_km(a[0], a[1], b[0], b[1])
