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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from extract.errors import InputError
from extract.sources import _distributed
from extract.sources._distributed import Backend, GazetteerLoader, make_backend
from extract.sources._formats import ReadOptions
from extract.sources.readers import describe, read_sources
from extract.sources.store_writer import ErrorReporter, IngestStats, StoreWriter, report_error

__all__ = ["DEFAULT_BATCH_SIZE", "ingest", "ingest_records", "task_for"]

logger = logging.getLogger(__name__)

#: Articles per store transaction.
DEFAULT_BATCH_SIZE = 200

_LOOKAHEAD = 2  # batches extracted ahead of the one being written, with parallel backends


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
        report_error(on_error, str(exc))

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
    backend: Backend | None = None,
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
    backend
        A backend made by the caller (:func:`extract.sources._distributed.make_backend`),
        used instead of ``workers``/``scheduler``/``client`` and left open (the feed watcher
        keeps one worker process for its whole life).
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
    writer = StoreWriter(store, stats=stats, loader=loader, on_error=on_error)
    own = backend is None
    if backend is None:
        backend = make_backend(loader=loader, workers=workers, scheduler=scheduler, client=client)
    parallel = backend.parallelism
    chunksize = chunksize or max(1, min(32, math.ceil(batch_size / (4 * parallel))))
    lookahead = 0 if backend.in_process else _LOOKAHEAD
    bar = _progress_bar(progress)
    writer.bar = bar
    pending: deque[tuple[list[dict[str, Any]], list[Any]]] = deque()
    try:
        for tasks in _batches(records, batch_size, published=published, writer=writer):
            if not tasks:  # all stored already
                continue
            pending.append((tasks, backend.submit(_distributed.split(tasks, chunksize))))
            while len(pending) > lookahead:
                tasks, handles = pending.popleft()
                writer.write(tasks, backend.gather(handles))
        while pending:
            tasks, handles = pending.popleft()
            writer.write(tasks, backend.gather(handles))
    finally:
        if own:
            backend.close()
        stats.elapsed = time.perf_counter() - stats.started
        if bar is not None:
            bar.close()
    return stats


def _article_id(text: str) -> str:
    from geodata.store.event_store import article_id

    return article_id(text)


def _progress_bar(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc="ingest", unit=" articles", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def task_for(record: dict[str, Any], seq: int, *, published: str | None = None) -> dict[str, Any]:
    """The extraction task of a reader record (see :mod:`extract.sources._distributed`), with
    what the store writer needs: ``seq`` orders the results, ``aid`` is the article's id (a
    hash of its text)."""
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
    return task


def _batches(
    records: Iterable[dict[str, Any]],
    batch_size: int,
    *,
    published: str | None,
    writer: StoreWriter,
) -> Iterator[list[dict[str, Any]]]:
    """Tasks for extraction, one list per batch, without the articles already stored."""
    seen: set[str] = set()
    batch: list[dict[str, Any]] = []
    for seq, record in enumerate(records, start=1):
        task = task_for(record, seq, published=published)
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
