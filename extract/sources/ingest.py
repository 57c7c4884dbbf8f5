"""Ingest: news files → extraction (in parallel) → the event store, with cross-article dedup.

Records are read in input order and grouped into batches (``batch_size`` articles). For each
batch, articles whose content-hash id (:func:`geodata.store.event_store.article_id`) is already
stored, or was already seen in this run, are counted as duplicates and not extracted again. The
others are extracted in chunks by a backend (:mod:`extract.sources._distributed`: this process, a
local process pool or a Dask cluster), and the batch is written in **one store transaction**, in
input order, with a fixed number of statements whatever its size:

* its articles, then their places, are inserted in bulk (``tx.insert_articles``,
  ``tx.insert_places_bulk``), after re-applying stored corrections
  (``tx.corrections_for_many``, :func:`apply_corrections`);
* its incidents are deduplicated in memory (:class:`extract.sources._batchdedup.BatchDedup`): each
is
  compared, in order, with the stored incidents one query returned
  (``tx.candidate_incidents_for_batch``) and with the batch's earlier incidents, using
  :func:`extract.events.dedup.same_incident`; a match is folded into the nearest
  (:func:`extract.events.dedup.fold_into`) and the article becomes one of its sources; otherwise the
  incident is new;
* the outcome is written in bulk: new incidents with their sources, changed fields of stored
  incidents, their new sources (``tx.insert_incidents_bulk``, ``tx.update_incidents_bulk``,
  ``tx.add_sources_bulk``).

The rows are those of the incident-by-incident logic (``tx.candidate_incidents``,
``tx.update_incident``, ``tx.add_source`` per incident), which is still used with a store whose
transactions lack the bulk methods. Batches are written strictly in input order whatever the
backend, so a run gives the same rows with one process, a pool or a Dask cluster. A run killed
part-way leaves whole batches only (a prefix of the input); running it again skips those and
completes the rest, ending in the same state as an uninterrupted run.
"""

from __future__ import annotations

import logging
import math
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from extract.errors import GazetteerError, InputError
from extract.events.dedup import fold_into, same_incident
from extract.sources import _distributed
from extract.sources._batchdedup import BatchDedup, distance
from extract.sources._distributed import GazetteerLoader, load_with, make_backend
from extract.sources._formats import ReadOptions
from extract.sources.readers import describe, read_sources
from geodata.records import Gazetteer, Incident, sources_spelled_out

__all__ = ["DEFAULT_BATCH_SIZE", "IngestStats", "apply_corrections", "ingest", "ingest_records"]

logger = logging.getLogger(__name__)

#: Articles per store transaction.
DEFAULT_BATCH_SIZE = 200

_PLACE_FIELDS = ("name", "geonameid", "lat", "lon", "kind", "country", "admin1", "entry_id")
_LOOKAHEAD = 2  # batches extracted ahead of the one being written, with parallel backends

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


def ingest(
    inputs: Iterable[str | Path],
    *,
    store: Any,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
    on_error: ErrorReporter | None = None,
    stats: IngestStats | None = None,
    **kwargs: Any,
) -> IngestStats:
    """Read ``inputs`` (see :func:`extract.sources.readers.read_sources`) and ingest their records.

    Bad records and unreadable inputs are passed to ``on_error`` (as ``"file:line: message"``),
    counted as failed and skipped. The other keyword arguments are those of
    :func:`ingest_records`.
    """
    stats = stats if stats is not None else IngestStats()

    def bad_input(exc: InputError) -> None:
        stats.failed += 1
        _report(on_error, str(exc))

    records = read_sources(inputs, options=options, stdin=stdin, on_error=bad_input)
    return ingest_records(records, store=store, on_error=on_error, stats=stats, **kwargs)


def ingest_records(
    records: Iterable[dict[str, Any]],
    *,
    store: Any,
    published: str | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    chunksize: int | None = None,
    loader: GazetteerLoader | None = None,
    progress: bool = False,
    on_error: ErrorReporter | None = None,
    stats: IngestStats | None = None,
) -> IngestStats:
    """Extract ``records`` (reader records, see :mod:`extract.sources.readers`) into ``store``.

    Parameters
    ----------
    records
        Dicts with at least ``"text"``; ``"id"``, ``"source"``, ``"line"``, ``"published"``,
        ``"title"``, ``"url"``, ``"mentions"`` are used when present.
    store
        A :class:`geodata.store.event_store.Store` (or an object with the same ``transaction()``).
    published
        Publication date for records that have none.
    workers
        Local worker processes (spawned; each loads the gazetteer once).
    scheduler, client
        A Dask scheduler address (``tcp://host:port``) or a ``distributed.Client``: extraction
        runs on that cluster instead. The cluster's workers must be able to import Dateline.
    batch_size
        Articles per store transaction.
    chunksize
        Articles per extraction task; by default about a quarter of a batch per worker.
    loader
        An importable function without arguments returning the gazetteer, the same one on
        later calls (workers call it on their first chunk);
        :func:`geodata.gazetteer.index.load_gazetteer` by default.
    progress
        Show a progress bar (tqdm) on standard error.
    on_error
        Receives a message for each record that fails extraction.
    stats
        Filled in as the run goes (useful when it is interrupted); a new one by default.

    Returns
    -------
    IngestStats

    Raises
    ------
    DatelineError
        When the store cannot be written (:class:`geodata.errors.StoreError`, before anything
        is extracted when the store is read-only), the gazetteer cannot be loaded, or the Dask
        cluster fails. Batches committed before stay stored.
    """
    stats = stats if stats is not None else IngestStats()
    check_writable = getattr(store, "check_writable", None)
    if check_writable is not None:  # fail now, not after extracting a first batch
        check_writable()
    loader = loader or _distributed.default_loader  # looked up now: tests replace it
    writer = _Writer(store, stats=stats, loader=loader, on_error=on_error)
    backend = make_backend(loader=loader, workers=workers, scheduler=scheduler, client=client)
    parallel = backend.parallelism
    chunksize = chunksize or max(1, min(32, math.ceil(batch_size / (4 * parallel))))
    lookahead = _LOOKAHEAD if parallel > 1 or client is not None or scheduler else 0
    bar = _progress_bar(progress)
    writer.bar = bar
    pending: deque[tuple[list[dict[str, Any]], list[Any]]] = deque()
    try:
        for tasks in _batches(records, batch_size, published=published, writer=writer):
            if not tasks:  # all stored already
                continue
            chunks = [tasks[i : i + chunksize] for i in range(0, len(tasks), chunksize)]
            pending.append((tasks, backend.submit(chunks)))
            while len(pending) > lookahead:
                tasks, handles = pending.popleft()
                writer.write(tasks, backend.gather(handles))
        while pending:
            tasks, handles = pending.popleft()
            writer.write(tasks, backend.gather(handles))
    finally:
        backend.close()
        stats.elapsed = time.perf_counter() - stats.started
        if bar is not None:
            bar.close()
    return stats


def _article_id(text: str) -> str:
    from geodata.store.event_store import article_id

    return article_id(text)


def _report(on_error: ErrorReporter | None, message: str) -> None:
    if on_error is None:
        logger.error("%s", message)
    else:
        on_error(message)


def _progress_bar(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc="ingest", unit=" articles", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def _batches(
    records: Iterable[dict[str, Any]], batch_size: int, *, published: str | None, writer: _Writer
) -> Iterator[list[dict[str, Any]]]:
    """Tasks for extraction, one list per batch, without the articles already stored."""
    seen: set[str] = set()
    batch: list[dict[str, Any]] = []
    seq = 0
    for record in records:
        seq += 1
        text = record["text"]
        task = {
            "seq": seq,
            "aid": _article_id(text),
            "text": text,
            "where": describe(record),
            "source_id": str(record.get("id") or ""),
            "source": record.get("source"),
            "published": record.get("published") or published,
        }
        for key in ("title", "url", "mentions"):
            if record.get(key) is not None:
                task[key] = record[key]
        if task["aid"] in seen:
            writer.duplicates(1)
            continue
        seen.add(task["aid"])
        batch.append(task)
        if len(batch) >= batch_size:
            yield writer.unseen(batch)
            batch = []
    if batch:
        yield writer.unseen(batch)


class _Writer:
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
    ) -> None:
        self.store = store
        self.stats = stats
        self.loader = loader
        self.on_error = on_error
        self.bar: Any = None

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
                    self._batch(tx, [(t, by_seq[t["seq"]][2]) for t in good], counts)
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
                _report(self.on_error, payload)
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

    def _batch(self, tx: Any, done: list[tuple[dict, dict]], counts: IngestStats) -> None:
        """Write a batch with the bulk methods; the rows of :meth:`_article` for each."""
        new = set(tx.insert_articles([self._article_row(t, payload) for t, payload in done]))
        counts.duplicate += sum(t["aid"] not in new for t, _ in done)
        done = [(t, payload) for t, payload in done if t["aid"] in new]
        corrections = tx.corrections_for_many([t["aid"] for t, _ in done])
        places: list[tuple[str, list[dict[str, Any]]]] = []
        incidents: list[dict[str, Any]] = []
        for task, payload in done:
            aid = task["aid"]
            found, extracted = self._corrected(task, payload, corrections.get(aid, []))
            places.append((aid, found))  # positions: the list order
            incidents.extend(sources_spelled_out(aid, inc) for inc in extracted)
            counts.new += 1
            counts.places += len(found)
        tx.insert_places_bulk(places)
        plan = BatchDedup(tx.candidate_incidents_for_batch(incidents))
        for inc in incidents:
            if plan.add(inc):
                counts.incidents_merged += 1
            else:
                counts.incidents_new += 1
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
