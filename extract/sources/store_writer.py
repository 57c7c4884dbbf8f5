"""Writing extraction results to the event store, one transaction per batch.

Used by ingest (:mod:`~extract.sources.ingest`: new articles) and re-extraction
(:mod:`~extract.sources.reextract`: stored articles again, written over their old rows). For
each batch the articles, then their places, are inserted in bulk after re-applying the user's
corrections (:func:`extract.sources.corrections.apply_corrections`); the incidents are
deduplicated in memory against the stored ones and each other
(:class:`extract.sources._batchdedup.BatchDedup`) and written in bulk.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from extract.errors import GazetteerError
from extract.events.dedup import fold_into, same_incident
from extract.sources._batchdedup import BatchDedup, distance
from extract.sources._distributed import GazetteerLoader, load_with
from extract.sources.corrections import apply_corrections
from geodata.records import Gazetteer, Incident, sources_spelled_out

__all__ = ["ErrorReporter", "IngestStats", "StoreWriter", "report_error"]

logger = logging.getLogger(__name__)

ErrorReporter = Callable[[str], None]


@dataclass(slots=True)
class IngestStats:
    """What a run did. Counts of a batch are added when its transaction has committed."""

    new: int = 0
    duplicate: int = 0
    failed: int = 0
    incidents_new: int = 0
    incidents_merged: int = 0
    places: int = 0
    started: float = field(default_factory=time.perf_counter)
    elapsed: float = 0.0

    @property
    def articles(self) -> int:
        """Records handled: new, duplicate or failed."""
        return self.new + self.duplicate + self.failed

    @property
    def rate(self) -> float:
        """Articles handled per second."""
        return self.articles / self.elapsed if self.elapsed > 0 else 0.0

    def summary(self) -> str:
        """``articles: N new, D duplicate, F failed; incidents: I new, M merged; places: P (…)``"""
        return (
            f"articles: {self.new} new, {self.duplicate} duplicate, {self.failed} failed;"
            f" incidents: {self.incidents_new} new, {self.incidents_merged} merged;"
            f" places: {self.places} ({self.elapsed:.1f} s, {self.rate:.1f} articles/s)"
        )


def report_error(on_error: ErrorReporter | None, message: str) -> None:
    """Pass ``message`` to ``on_error``, or log it as an error when there is none."""
    if on_error is None:
        logger.error("%s", message)
    else:
        on_error(message)


class StoreWriter:
    """Writes extraction results to the store, one transaction per batch.

    With a store whose transactions have the bulk methods (``candidate_incidents_for_batch``
    …), a batch takes a fixed number of statements; otherwise (or with ``sequential`` set, to
    compare the two) articles and incidents are written one by one, as before.
    """

    #: write incident by incident even when the store has the bulk methods (for tests)
    sequential = False

    def __init__(
        self,
        store: Any,
        *,
        stats: IngestStats,
        loader: GazetteerLoader,
        on_error: ErrorReporter | None,
        added: dict[str, int] | None = None,
    ) -> None:
        self.store = store
        self.stats = stats
        self.loader = loader
        self.on_error = on_error
        self.bar: Any = None
        #: when a dict, the bulk writes fill it: id of each new article → the new incidents
        #: it brought (an incident counts for the article of its first source); the feed
        #: watcher writes several feeds in one batch and tells each feed what it added
        self.added = added

    def duplicates(self, n: int) -> None:
        self.stats.duplicate += n
        self._tick(n)

    def unseen(self, tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``tasks`` without the articles the store already has (counted as duplicates)."""
        with self.store.transaction() as tx:
            stored = set(tx.existing_article_ids([t["aid"] for t in tasks]))
        if stored:
            self.duplicates(sum(t["aid"] in stored for t in tasks))
        return [t for t in tasks if t["aid"] not in stored]

    def write(self, tasks: list[dict[str, Any]], chunks: list[list[Any]]) -> None:
        results = [r for chunk in chunks for r in chunk]
        fatal = next((r for r in results if r[0] == "fatal"), None)
        if fatal is not None:
            raise GazetteerError(fatal[2])
        by_seq = {r[1]: r for r in results}
        counts = IngestStats()
        good = [t for t in tasks if by_seq[t["seq"]][0] == "ok"]
        failed = len(tasks) - len(good)
        if good:
            with self.store.transaction() as tx:
                if not self.sequential and hasattr(tx, "candidate_incidents_for_batch"):
                    self.write_batch(tx, [(t, by_seq[t["seq"]][2]) for t in good], counts)
                else:
                    stored = set(tx.existing_article_ids([t["aid"] for t in good]))
                    for task in good:
                        if task["aid"] in stored:
                            counts.duplicate += 1
                        else:
                            self._article(tx, task, by_seq[task["seq"]][2], counts)
        for task in tasks:  # extraction failures, in input order, once the batch is written
            status, _, payload = by_seq[task["seq"]]
            if status != "ok":
                report_error(self.on_error, payload)
        for name in ("new", "duplicate", "incidents_new", "incidents_merged", "places"):
            setattr(self.stats, name, getattr(self.stats, name) + getattr(counts, name))
        self.stats.failed += failed
        self._tick(len(tasks))

    def _tick(self, n: int) -> None:
        if self.bar is not None:
            s = self.stats
            self.bar.set_postfix(new=s.new, dup=s.duplicate, failed=s.failed, refresh=False)
            self.bar.update(n)

    @staticmethod
    def _article_row(task: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": task["aid"],
            "source_id": task["source_id"],
            "title": payload.get("title"),
            "url": payload.get("url"),
            "source": task["source"],
            "published": payload.get("published"),
            "text": task["text"],
            "ingested_at": task.get("ingested_at"),  # kept when re-extracting
        }

    def _corrected(
        self, task: dict[str, Any], payload: dict[str, Any], corrections: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        places, incidents = payload["places"], payload["incidents"]
        if corrections:
            places, incidents = apply_corrections(
                task["text"], places, incidents, corrections, gazetteer=self._gazetteer()
            )
        return places, incidents

    def write_batch(self, tx: Any, done: list[tuple[dict, dict]], counts: IngestStats) -> None:
        """Write a batch with the bulk methods; the rows of :meth:`_article` for each."""
        new = set(tx.insert_articles([self._article_row(t, payload) for t, payload in done]))
        counts.duplicate += sum(t["aid"] not in new for t, _ in done)
        done = [(t, payload) for t, payload in done if t["aid"] in new]
        corrections = tx.corrections_for_many([t["aid"] for t, _ in done])
        places: list[tuple[str, list[dict[str, Any]]]] = []
        incidents: list[dict[str, Any]] = []
        owners: list[str] = []  # the article of each incident
        for task, payload in done:
            aid = task["aid"]
            found, extracted = self._corrected(task, payload, corrections.get(aid, []))
            places.append((aid, found))  # positions: the list order
            incidents.extend(sources_spelled_out(aid, inc) for inc in extracted)
            owners.extend([aid] * len(extracted))
            counts.new += 1
            counts.places += len(found)
        tx.insert_places_bulk(places)
        added = self.added
        if added is not None:
            added.update((t["aid"], 0) for t, _ in done)
        plan = BatchDedup(tx.candidate_incidents_for_batch(incidents))
        for inc, aid in zip(incidents, owners, strict=True):
            if plan.add(inc):
                counts.incidents_merged += 1
            else:
                counts.incidents_new += 1
                if added is not None:
                    added[aid] += 1
        tx.insert_incidents_bulk(plan.new_incidents())
        tx.update_incidents_bulk(plan.updates())
        tx.add_sources_bulk(plan.stored_sources())

    def _article(self, tx: Any, task: dict[str, Any], payload: dict, counts: IngestStats) -> None:
        aid = task["aid"]
        if not tx.insert_article(self._article_row(task, payload)):
            counts.duplicate += 1
            return
        counts.new += 1
        places, incidents = self._corrected(task, payload, tx.corrections_for(aid))
        tx.insert_places(aid, [{**p, "position": i} for i, p in enumerate(places)])
        counts.places += len(places)
        for inc in incidents:
            self._incident(tx, aid, inc, counts)

    def _incident(self, tx: Any, aid: str, inc: dict[str, Any], counts: IngestStats) -> None:
        inc = sources_spelled_out(aid, inc)
        sources = inc["sources"]
        new = Incident.from_dict(inc)
        rows = {row["id"]: row for row in tx.candidate_incidents(inc)}
        matches = [
            stored
            for stored in map(Incident.from_dict, rows.values())
            if stored.id != new.id and same_incident(stored, new)
        ]
        if not matches:
            tx.insert_incident(inc)
            counts.incidents_new += 1
            return
        keep = min(matches, key=lambda s: (distance(s, new), s.id))
        before = keep.to_dict()
        fold_into(keep, new)
        after = keep.to_dict()
        columns = rows[keep.id]  # only what the store keeps
        changed = {
            k: v
            for k, v in after.items()
            if k in columns and k not in ("id", "sources") and v != before[k]
        }
        if changed:
            tx.update_incident(keep.id, changed)
        for src in sources:
            tx.add_source(keep.id, src["article_id"], src["sentence"], src["start"], src["end"])
        counts.incidents_merged += 1

    def _gazetteer(self) -> Gazetteer:
        return load_with(self.loader)
