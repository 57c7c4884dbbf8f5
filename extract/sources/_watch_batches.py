"""The feed watcher's store side: what the fetching threads gathered for each feed becomes
batches of articles, extracted by a backend (one worker process by default) while the next
batch is gathered, and written one transaction a batch.

A feed's work goes into the batch being filled; a batch is sent for extraction when it holds
``batch_size`` articles, or at once when the extraction worker would otherwise wait (so batches
grow when fetching outruns extraction and stay small when it does not). When a batch's
extraction is done, its articles are written through the ingest path
(:class:`~extract.sources.store_writer.StoreWriter`: dedup, corrections, incidents), the items
whose text changed replace their articles (:func:`~extract.sources.reextract.reextract`), and
then the items and the polls of its feeds are recorded in one transaction
(:meth:`Store.record_polls`): an item is marked done only once its article is committed. A feed
with nothing to extract (an error, a 304, items seen already) waits for a few more such feeds
(:data:`QUIET_BATCH`, at most :data:`QUIET_WAIT_S`) and they are recorded in one transaction.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from extract.errors import DatelineError, WorkerError
from extract.sources._distributed import Backend, GazetteerLoader, split
from extract.sources.feeds import FeedItem
from geodata.records import Feed, FeedPoll

__all__ = ["Batches", "CycleStats", "Gathered", "Page", "PollOutcome", "Work"]

logger = logging.getLogger(__name__)

#: Batches sent for extraction and not written yet, at most (what waits holds memory).
MAX_PENDING = 2
#: Feeds with nothing to extract (a 304, an error, items seen already) are recorded together,
#: this many at once or after ``QUIET_WAIT_S``: a store transaction costs a few milliseconds,
#: which for 500 feeds answering 304 was most of a cycle.
QUIET_BATCH = 100
QUIET_WAIT_S = 2.0


@dataclass(slots=True)
class Work:
    """An item to ingest: the record read for it, and what is stored about it already."""

    item: FeedItem
    record: dict[str, Any] | None = None
    error: str | None = None
    known: dict[str, Any] | None = None
    same_as: str | None = None  # an article stored under the same address


@dataclass(slots=True)
class Page:
    """A page read (or being read) in this cycle."""

    record: dict[str, Any] | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


@dataclass(slots=True)
class Gathered:
    """What the network side read for one feed."""

    feed: Feed
    at: datetime
    error: str | None = None
    retry_after: float | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    items: int = 0
    moved_to: str | None = None  # the feed's new address (permanent redirects)
    work: list[Work] = field(default_factory=list)


@dataclass(slots=True)
class PollOutcome:
    """What one poll of a feed did."""

    feed: Feed
    error: str | None = None
    not_modified: bool = False
    items: int = 0
    handled: int = 0
    articles: int = 0
    replaced: int = 0
    incidents: int = 0
    failed_items: int = 0


@dataclass(slots=True)
class CycleStats:
    """What one cycle did, over every due feed."""

    feeds: int = 0
    failed: int = 0
    not_modified: int = 0
    items: int = 0
    articles: int = 0
    replaced: int = 0
    incidents: int = 0
    failed_items: int = 0
    started: float = field(default_factory=time.perf_counter)
    elapsed: float = 0.0

    def add(self, outcome: PollOutcome) -> None:
        self.feeds += 1
        self.failed += outcome.error is not None
        self.not_modified += outcome.not_modified
        self.items += outcome.handled
        self.articles += outcome.articles
        self.replaced += outcome.replaced
        self.incidents += outcome.incidents
        self.failed_items += outcome.failed_items

    def summary(self) -> str:
        """``feeds: N polled (F failed, U unchanged); items: I; articles: A new, …``"""
        return (
            f"feeds: {self.feeds} polled ({self.failed} failed, {self.not_modified} unchanged);"
            f" items: {self.items} ({self.failed_items} failed); articles: {self.articles} new,"
            f" {self.replaced} updated; incidents: {self.incidents} new ({self.elapsed:.1f} s)"
        )


@dataclass(slots=True)
class _Batch:
    feeds: list[Gathered]
    tasks: list[dict[str, Any]] = field(default_factory=list)
    backend: Backend | None = None  # the one extracting it (a failed one may be replaced)
    handles: list[Any] = field(default_factory=list)
    error: DatelineError | None = None  # sending it failed


class Batches:
    """Feeds' gathered work → extraction → the store (see the module docstring).

    Parameters
    ----------
    store
        The :class:`~geodata.store.event_store.Store`.
    backend
        Returns the extraction backend (made on first use, kept by the caller).
    broken
        Called when the backend failed (a worker process died): the caller makes a new one.
    loader
        The gazetteer loader (the store writer re-applies the user's corrections with it).
    clock
        Now, as a naive UTC datetime.
    on_outcome
        Receives each feed's outcome once its poll is recorded.
    on_recorded
        Receives the canonical addresses of the items just recorded (the watcher forgets the
        pages it read for them: the store now knows those addresses).
    batch_size
        Articles a batch holds before it is sent for extraction.
    """

    def __init__(
        self,
        store: Any,
        *,
        backend: Callable[[], Backend],
        broken: Callable[[], None],
        loader: GazetteerLoader,
        clock: Callable[[], datetime],
        on_outcome: Callable[[PollOutcome], None],
        on_recorded: Callable[[list[str]], None] = lambda urls: None,
        batch_size: int,
    ) -> None:
        self.store = store
        self.backend = backend
        self.broken = broken
        self.loader = loader
        self.clock = clock
        self.on_outcome = on_outcome
        self.on_recorded = on_recorded
        self.batch_size = max(1, batch_size)
        self.filling: list[Gathered] = []
        self.filling_records = 0
        self.pending: deque[_Batch] = deque()
        self.quiet: list[Gathered] = []  # nothing to extract: recorded together
        self._quiet_since = 0.0
        self._seq = 0

    def add(self, got: Gathered) -> None:
        """Take a feed's gathered work."""
        records = sum(w.record is not None for w in got.work) if got.error is None else 0
        if not records:  # nothing to extract: recorded with others like it
            if not self.quiet:
                self._quiet_since = time.monotonic()
            self.quiet.append(got)
            if len(self.quiet) >= QUIET_BATCH:
                self._record_quiet()
            return
        self.filling.append(got)
        self.filling_records += records
        if self.filling_records >= self.batch_size:
            self._send()
        while len(self.pending) > MAX_PENDING:
            self._complete(self.pending.popleft())

    def step(self, *, more_coming: bool) -> None:
        """Write the batches whose extraction is done; send the filling batch when the
        extraction worker is idle, or when no more feeds are coming."""
        while self.pending and self._ready(self.pending[0]):
            done = self.pending.popleft()
            if not self.pending and self.filling:
                self._send()  # keep the worker busy while this batch is written
            self._complete(done)
        if self.filling and (not self.pending or not more_coming):
            self._send()
        if self.quiet and (not more_coming or time.monotonic() - self._quiet_since >= QUIET_WAIT_S):
            self._record_quiet()

    def finish(self, *, drop_filling: bool = False) -> None:
        """Write everything taken (the filling batch too, unless ``drop_filling``: its feeds
        are then not recorded, and are polled again on the next cycle)."""
        if drop_filling:
            self.filling, self.filling_records = [], 0
        elif self.filling:
            self._send()
        while self.pending:
            self._complete(self.pending.popleft())
        self._record_quiet()

    def _record_quiet(self) -> None:
        batch, self.quiet = _Batch(self.quiet), []
        if batch.feeds:
            self._finish(batch, {}, {})

    # --- extraction ----------------------------------------------------------------------------

    @staticmethod
    def _ready(batch: _Batch) -> bool:
        return batch.backend is None or batch.backend.ready(batch.handles)

    def _send(self) -> None:
        from extract.sources.ingest import task_for

        batch = _Batch(self.filling)
        self.filling, self.filling_records = [], 0
        seen: set[str] = set()
        for got in batch.feeds:
            for work in got.work:
                if work.record is None or (work.known or {}).get("article_id"):
                    continue  # nothing read, or an update of a stored article (see _complete)
                self._seq += 1
                task = task_for(work.record, self._seq)
                if task["aid"] not in seen:  # one story in two feeds of the batch
                    seen.add(task["aid"])
                    batch.tasks.append(task)
        self.pending.append(batch)
        if not batch.tasks:
            return
        chunk = min(32, math.ceil(len(batch.tasks) / 4))  # a worker's queue never runs dry
        try:
            batch.backend = self.backend()
            batch.handles = batch.backend.submit(split(batch.tasks, chunk))
        except DatelineError as exc:
            batch.backend, batch.error = None, exc  # reported when the batch is completed

    def _complete(self, batch: _Batch) -> None:
        """Write a batch whose extraction is done (waiting for it otherwise), then record its
        feeds' items and polls."""
        from extract.sources.reextract import reextract
        from extract.sources.store_writer import IngestStats, StoreWriter
        from geodata.store.event_store import article_id

        added: dict[str, int] = {}
        failed: dict[str, str] = {}
        replaced: dict[str, int] = {}
        problem: str | None = None
        try:
            if batch.tasks:
                if batch.error is not None:
                    raise batch.error
                assert batch.backend is not None
                results = batch.backend.gather(batch.handles)
                flat = {r[1]: r for chunk in results for r in chunk}
                failed = {
                    t["aid"]: flat[t["seq"]][2] for t in batch.tasks if flat[t["seq"]][0] == "error"
                }
                writer = StoreWriter(
                    self.store,
                    stats=IngestStats(),
                    loader=self.loader,
                    on_error=logger.warning,
                    added=added,
                )
                writer.write(writer.unseen(batch.tasks), results)
            for got in batch.feeds:  # items whose text changed replace their articles
                replace = {}
                for work in got.work:
                    old = (work.known or {}).get("article_id")
                    if work.record is not None and old and old != article_id(work.record["text"]):
                        replace[old] = work.record
                if replace:
                    done = reextract(
                        [], store=self.store, loader=self.loader, backend=self.backend(),
                        replacements=replace,
                    )  # fmt: skip
                    replaced[got.feed.id] = max(0, done.added)
        except DatelineError as exc:  # the store, the gazetteer, a worker: feeds tried again
            problem = f"the items could not be stored: {exc}"
            if isinstance(exc, WorkerError):
                self.broken()
        self._finish(batch, added, failed, replaced=replaced, problem=problem)

    # --- recording -----------------------------------------------------------------------------

    def _finish(
        self,
        batch: _Batch,
        added: dict[str, int],
        failed: dict[str, str],
        *,
        replaced: dict[str, int] | None = None,
        problem: str | None = None,
    ) -> None:
        from geodata.store.event_store import article_id

        outcomes: list[PollOutcome] = []
        rows: list[dict[str, Any]] = []
        polls: list[FeedPoll] = []
        for got in batch.feeds:
            outcome = PollOutcome(
                feed=got.feed, error=got.error or problem, not_modified=got.not_modified
            )
            outcome.items = got.items
            if outcome.error is None:
                for work in got.work:
                    aid, error = work.same_as, work.error
                    if aid is None and work.record is not None:
                        aid = article_id(work.record["text"])
                        if aid in failed:
                            aid, error = None, failed[aid]
                        elif (work.known or {}).get("article_id") not in (None, aid):
                            outcome.replaced += 1
                        elif (incidents := added.pop(aid, None)) is not None:  # counted once
                            outcome.articles += 1
                            outcome.incidents += incidents
                    outcome.handled += 1
                    outcome.failed_items += aid is None
                    rows.append(
                        {
                            "feed_id": got.feed.id,
                            "item_key": work.item.key,
                            "canonical_url": work.item.canonical,
                            "version": work.item.version,
                            "article_id": aid,
                            "state": "done" if aid else "failed",
                            "last_error": error,
                        }
                    )
                outcome.incidents += (replaced or {}).get(got.feed.id, 0)
            outcomes.append(outcome)
            polls.append(
                FeedPoll(
                    feed=got.feed,
                    at=self.clock(),
                    error=outcome.error,
                    retry_after=got.retry_after,
                    etag=got.etag,
                    last_modified=got.last_modified,
                    items=outcome.handled,
                    articles=outcome.articles,
                    incidents=outcome.incidents,
                    moved_to=got.moved_to,
                )
            )
        try:
            feeds = self.store.record_polls(polls, items=rows)
        except DatelineError as exc:
            logger.error("cannot record the polls of %d feeds: %s", len(polls), exc)
            feeds = [got.feed for got in batch.feeds]
        else:
            self.on_recorded([r["canonical_url"] for r in rows if r["canonical_url"]])
        for outcome, feed, got in zip(outcomes, feeds, batch.feeds, strict=True):
            outcome.feed = feed
            if got.moved_to and feed.url == got.moved_to:
                logger.info("feed %s moved for good: followed at %s now", got.feed.url, feed.url)
            if outcome.error:
                logger.warning("feed %s: %s", feed.url, outcome.error)
            self.on_outcome(outcome)
