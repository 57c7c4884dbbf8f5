"""Cross-article dedup of a whole ingest batch, decided in memory (used by
:mod:`extract.sources.ingest`).

Incident by incident, ingest asks the store for candidates (``tx.candidate_incidents``), keeps
those :func:`extract.events.dedup.same_incident` accepts, folds the new report into the nearest
(:func:`extract.events.dedup.fold_into`, ``tx.update_incident``, ``tx.add_source``) or inserts it.
That costs several statements per incident. :class:`BatchDedup` takes the same decisions for a whole
batch from one query (``tx.candidate_incidents_for_batch``): it holds every incident the batch
can touch — the stored candidates and the batch's own new incidents — in the state the store
would return it at that point of the sequential run
(:func:`geodata.store.event_store.stored_incident` rows; candidates are selected with
:func:`geodata.store.event_store.candidate_filter`, the store's own test), so earlier incidents of
the batch are candidates for later ones and the rows written at the end
(``tx.insert_incidents_bulk``, ``tx.update_incidents_bulk``, ``tx.add_sources_bulk``) are those of
the sequential run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from extract.events.dedup import fold_into, same_incident
from geodata.records import Incident

__all__ = ["BatchDedup", "distance"]


def distance(a: Incident, b: Incident) -> float:
    """A distance for choosing the nearest of several matches (degrees; inf without points)."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return math.inf
    return math.hypot(a.lat - b.lat, (a.lon - b.lon) * math.cos(math.radians(a.lat)))


def _kind(row: Mapping[str, Any]) -> tuple:
    """What a candidate must share with an incident: the store's prefilter wants the same
    (event_type, sub_event_type), ``same_incident`` the same country."""
    return (row.get("event_type"), row.get("sub_event_type"), row.get("country"))


@dataclass(slots=True, eq=False)
class _Entry:
    row: dict[str, Any]  # as the store would return it now
    stored: bool  # in the store before the batch
    changed: set[str] = field(default_factory=set)  # fields to write back (stored ones)
    sources: list[dict[str, Any]] = field(default_factory=list)  # all sources (new ones)
    _obj: Incident | None = None

    @property
    def obj(self) -> Incident:
        """``Incident.from_dict(row)``: what the sequential logic compares (built when needed)."""
        if self._obj is None:
            self._obj = Incident.from_dict(self.row)
        return self._obj


class BatchDedup:
    """The dedup decisions of one batch, taken in memory (see the module docstring).

    Parameters
    ----------
    stored
        ``tx.candidate_incidents_for_batch(incidents)`` for the batch's incidents.
    max_km
        As for ``tx.candidate_incidents``.
    """

    def __init__(self, stored: Iterable[Mapping[str, Any]], *, max_km: float = 25.0) -> None:
        from geodata.store._bulk import candidate_filter, stored_incident

        self._filter = candidate_filter
        self._row = stored_incident
        self.max_km = max_km
        self._entries: dict[str, _Entry] = {}
        self._by_kind: dict[tuple, dict[str, _Entry]] = {}
        self._stored_sources: list[dict[str, Any]] = []
        for raw in stored:
            self._put(_Entry(self._row(raw), stored=True))

    def _put(self, entry: _Entry) -> None:
        self._entries[entry.row["id"]] = entry
        self._by_kind.setdefault(_kind(entry.row), {})[entry.row["id"]] = entry

    def _sources(self, entry: _Entry, sources: list[dict[str, Any]]) -> None:
        if entry.stored:
            self._stored_sources.extend({**s, "incident_id": entry.row["id"]} for s in sources)
        else:
            entry.sources.extend(sources)

    def add(self, incident: Mapping[str, Any]) -> bool:
        """Take ``incident`` (:meth:`Incident.with_sources` applied): fold it into the nearest
        matching incident (``True``) or record it as new (``False``)."""
        new = Incident.from_dict(incident)
        test = self._filter(incident, max_km=self.max_km)
        matches = [
            e
            for e in self._by_kind.get(_kind(incident), {}).values()
            if e.row["id"] != new.id and test(e.row) and same_incident(e.obj, new)
        ]
        sources = list(incident.get("sources") or ())
        if not matches:
            row = self._row(incident)
            known = self._entries.get(row["id"])
            if known is None:  # an id stored already keeps its row and gets the sources
                self._put(known := _Entry(row, stored=False))
            self._sources(known, sources)
            return False
        keep = min(matches, key=lambda e: (distance(e.obj, new), e.obj.id))
        before = keep.obj.to_dict()
        fold_into(keep.obj, new)
        after = keep.obj.to_dict()
        changed = {k: v for k, v in after.items() if k in keep.row and k != "id" and v != before[k]}
        if changed:  # never the kind: same types, and same_incident wants the same country
            keep.row = self._row({**keep.row, **changed})
            keep.changed.update(changed)
        keep._obj = None  # rebuilt from the row, as the sequential logic reads it back
        self._sources(keep, sources)
        return True

    def new_incidents(self) -> list[dict[str, Any]]:
        """The incidents to insert (in their final state, with all their sources)."""
        return [{**e.row, "sources": e.sources} for e in self._entries.values() if not e.stored]

    def updates(self) -> dict[str, dict[str, Any]]:
        """Stored incident id → the fields the batch changed (their final values)."""
        return {
            iid: {k: e.row[k] for k in e.changed}
            for iid, e in self._entries.items()
            if e.stored and e.changed
        }

    def stored_sources(self) -> list[dict[str, Any]]:
        """The sources to add to stored incidents, in order (``incident_id`` and the source)."""
        return list(self._stored_sources)
