"""A user's geocode corrections, re-applied to an article's freshly extracted places.

A correction (stored with :meth:`geodata.store.event_store.Store.add_correction`) names a
mention by its span in the article's text and either a gazetteer entry for it or nothing (drop
it). Every extraction of a stored article applies them: ingest, re-extraction
(:mod:`~extract.sources.reextract`) and the app's preview.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from geodata.records import Gazetteer

__all__ = ["apply_corrections"]

logger = logging.getLogger(__name__)

_PLACE_FIELDS = ("name", "geonameid", "lat", "lon", "kind", "country", "admin1", "entry_id")


def apply_corrections(
    text: str,
    places: list[dict[str, Any]],
    incidents: list[dict[str, Any]],
    corrections: Iterable[dict[str, Any]],
    *,
    gazetteer: Gazetteer,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Re-apply a user's geocode corrections to freshly extracted places.

    A correction ``{"start", "end", "entry_id"}`` sets the mention at that span to the gazetteer
    entry ``entry_id`` (adding the mention when extraction missed it), or drops it when
    ``entry_id`` is ``None``; the incidents located at a corrected mention follow it, and those
    at a dropped one are dropped. Unknown entry ids are logged and ignored.

    Returns
    -------
    tuple
        The corrected places (in text order) and incidents (``place_index`` renumbered).
    """
    rows = [dict(p, _old=i) for i, p in enumerate(places)]
    for corr in corrections:
        start, end, entry_id = corr["start"], corr["end"], corr.get("entry_id")
        at = next((r for r in rows if r["start"] == start and r["end"] == end), None)
        if entry_id is None:
            if at is not None:
                rows.remove(at)
            continue
        entry = gazetteer.get(entry_id)
        if entry is None:
            logger.warning("correction %s-%s: unknown gazetteer entry %r", start, end, entry_id)
            continue
        if at is None:
            at = {"start": start, "end": end, "text": text[start:end], "role": "literal"}
            at.update({"_old": None, "precision": None})
            rows.append(at)
        at.update({f: getattr(entry, f if f != "entry_id" else "id") for f in _PLACE_FIELDS})
        at.update(score=1.0, precision=None)
    rows.sort(key=lambda r: (r["start"], r["end"]))
    new_index = {r["_old"]: i for i, r in enumerate(rows) if r["_old"] is not None}
    out_incidents = []
    for inc in incidents:
        old = inc.get("place_index")
        if old is not None and old not in new_index:
            continue  # its place was dropped
        inc = dict(inc)
        if old is not None:
            place = rows[new_index[old]]
            inc["place_index"] = new_index[old]
            inc.update({k: place.get(k) for k in ("lat", "lon", "country", "admin1")})
            inc["location"] = place.get("name") or inc.get("location")
        out_incidents.append(inc)
    return [{k: v for k, v in r.items() if k != "_old"} for r in rows], out_incidents
