"""The feed watcher: poll the followed feeds when they are due, fetch each new item's page, and
ingest it through the same path as ``python -m extract ingest``.

One cycle (:meth:`Watcher.run_cycle`) takes the due feeds (:meth:`Store.due_feeds`); threads
do the network part of each feed (:meth:`Watcher.gather`: a conditional GET of the feed through
the polite client of :mod:`extract.sources.http` — one request at a time per host, a delay
between two, timeouts and size caps —, parsing with :mod:`extract.sources.feeds`, and a GET
of the page of every item not handled yet, its text read by trafilatura as for an uploaded
page, the item's own text when the page cannot be had), while this thread hands what they
gathered to :class:`~extract.sources._watch_batches.Batches`: the articles of several feeds are
extracted together in an extraction worker process (``workers=1``; in this process with
``workers=0``) and written one store transaction a batch, through the ingest path. A feed's
failure never stops the others: it is recorded in words on the feed and its next poll backs
off.

Each item once: items are keyed by the feed and the item's GUID (or link) and remembered with
their canonical URL (tracking parameters dropped) and the article they became. An item is
marked done only once its article is committed, so a watcher killed mid-cycle fetches and
ingests that item again on restart, where the store recognises the text (articles are keyed by
a hash of it) and adds nothing twice. An item seen under an address already ingested (the same
story in two feeds) is not fetched again; the same text under two addresses is one article.
An item whose version changes (its ``updated`` date, or its text) is fetched again and, when
its text changed, replaces its old article in place
(:func:`extract.sources.reextract.reextract` with ``replacements``), so its incidents are not
duplicated. The publication date comes from the item, else the page, else the dateline.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import date, datetime, timedelta
from typing import Any

from extract.errors import DatelineError
from extract.sources import _distributed
from extract.sources._distributed import Backend, GazetteerLoader, make_backend
from extract.sources._watch_batches import Batches, CycleStats, Gathered, Page, PollOutcome, Work
from extract.sources.feeds import FeedError, FeedItem, parse_feed
from extract.sources.http import FetchError, PoliteClient
from extract.sources.watch_status import HEARTBEAT_S, WatchStatus, status_path
from geodata.records import Feed

__all__ = ["Watcher", "watch"]

logger = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json,"
    " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5, */*;q=0.1"
#: An item whose page failed this many times in a row is left alone until it changes.
MAX_ITEM_ATTEMPTS = 3
#: Largest feed and largest page read.
MAX_FEED_BYTES = 10 * 2**20
MAX_PAGE_BYTES = 5 * 2**20
#: Items handled per feed and poll (a feed of thousands of items is taken in several polls).
MAX_ITEMS_PER_POLL = 200
#: Longest sleep between two looks at the store for due feeds (a feed added or "poll now"
#: is picked up this fast).
LOOK_S = 5.0
#: Articles extracted and written together (one store transaction), at most.
BATCH_ARTICLES = 200
#: Seconds the cycle's loop waits for a feed's fetching before it looks at the extraction.
_STEP_S = 0.05


class Watcher:
    """Polls the due feeds of a store and ingests their new items (see the module docstring).

    Parameters
    ----------
    store
        The :class:`~geodata.store.event_store.Store`.
    client
        The HTTP client (a :class:`~extract.sources.http.PoliteClient` by default).
    loader
        The gazetteer loader, as for ingest.
    threads
        Feeds gathered at once (network and page reading).
    workers
        Extraction worker processes: 1 (the ``watch`` command's default) extracts in one
        process beside this one, which keeps fetching, reading pages and writing on the other
        core, and keeps the gazetteer out of this process; 0 (the default: a poll from the app,
        tests) extracts in this process.
    batch_size
        Articles written per store transaction, at most.
    fetch_pages
        Fetch each item's page; otherwise ingest the item's own text.
    clock
        Now, as a naive UTC datetime (tests move it).
    """

    def __init__(
        self,
        store: Any,
        *,
        client: PoliteClient | None = None,
        loader: GazetteerLoader | None = None,
        threads: int = 8,
        workers: int = 0,
        batch_size: int = BATCH_ARTICLES,
        fetch_pages: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        from geodata.store._schema import utcnow

        self.store = store
        self._own_client = client is None  # closed with the watcher
        self.client = client or PoliteClient()
        self.loader = loader or _distributed.default_loader
        self.threads = max(1, int(threads))
        self.workers = max(0, int(workers))
        self.batch_size = max(1, int(batch_size))
        self._backend: Backend | None = None
        self.fetch_pages = fetch_pages
        self.clock = clock or utcnow
        self.stop_requested = threading.Event()
        # pages read in this cycle, by canonical address: a story in two feeds polled at once
        # is fetched once (the store learns of the first only when its feed is stored)
        self._pages: dict[str, Page] = {}
        self._pages_lock = threading.Lock()

    def close(self) -> None:
        """Stop the extraction worker and close the HTTP client the watcher made (it polls no
        more)."""
        self._drop_backend()
        if self._own_client:
            self.client.close()

    def _drop_backend(self) -> None:
        """Stop the extraction worker; a new one starts when one is needed (after a worker
        died, say)."""
        backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backend(self) -> Backend:
        """The extraction backend, started on first use and kept between cycles."""
        if self._backend is None:
            self._backend = make_backend(
                loader=self.loader, workers=max(1, self.workers), own_process=self.workers > 0
            )
        return self._backend

    def _batches(self, stats: CycleStats) -> Batches:
        return Batches(
            self.store,
            backend=self.backend,
            broken=self._drop_backend,
            loader=self.loader,
            clock=self.clock,
            on_outcome=stats.add,
            on_recorded=self._forget_pages,
            batch_size=self.batch_size,
        )

    def _forget_pages(self, urls: list[str]) -> None:
        """Free the pages read for items now recorded: a later feed with the same address
        finds it in the store (a cycle of 10,000 new items held every page until its end)."""
        with self._pages_lock:
            for url in urls:
                page = self._pages.get(url)
                if page is not None and page.done.is_set():
                    del self._pages[url]

    # --- one cycle --------------------------------------------------------------------------

    def run_cycle(self) -> CycleStats:
        """Poll every due feed once; ingest what they bring."""
        stats = CycleStats()
        with self._pages_lock:
            self._pages.clear()
        feeds = self.store.due_feeds(self.clock())
        if not feeds:
            stats.elapsed = time.perf_counter() - stats.started
            return stats
        threads = min(self.threads, len(feeds))
        queue = iter(feeds)
        running: dict[Future[Gathered], Feed] = {}
        batches = self._batches(stats)
        with ThreadPoolExecutor(max_workers=threads) as pool:

            def fill() -> None:
                # two feeds a thread at most are being fetched (the batches waiting for
                # extraction are bounded too: see Batches.add)
                while len(running) < 2 * threads and not self.stop_requested.is_set():
                    feed = next(queue, None)
                    if feed is None:
                        return
                    running[pool.submit(self.gather, feed)] = feed

            fill()
            try:
                while running:
                    done, _ = wait(running, timeout=_STEP_S, return_when=FIRST_COMPLETED)
                    for future in [f for f in running if f in done]:  # in the order polled
                        batches.add(self._gathered(future, running.pop(future)))
                    if self.stop_requested.is_set():
                        break
                    fill()
                    batches.step(more_coming=bool(running))
                # what is being extracted is written; on a stop, what waits is left for later
                batches.finish(drop_filling=self.stop_requested.is_set())
            finally:
                for future in running:
                    future.cancel()
        with self._pages_lock:  # the cycle's pages are not needed any more: free them now
            self._pages.clear()
        stats.elapsed = time.perf_counter() - stats.started
        logger.info("watch cycle: %s", stats.summary())
        return stats

    def _gathered(self, future: Future[Gathered], feed: Feed) -> Gathered:
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - a bug met by one feed must not stop the cycle
            logger.exception("feed %s: gathering failed", feed.url)
            return Gathered(feed=feed, at=self.clock(), error=f"{type(exc).__name__}: {exc}")

    def poll(self, feed: Feed) -> PollOutcome:
        """Poll one feed now, and ingest what it brings (the app's "poll now")."""
        outcomes: list[PollOutcome] = []
        stats = CycleStats()
        batches = self._batches(stats)
        batches.on_outcome = outcomes.append
        batches.add(self.gather(feed))
        batches.finish()
        return outcomes[0]

    # --- the network part (threads) -------------------------------------------------------

    def gather(self, feed: Feed) -> Gathered:
        """Fetch and parse ``feed`` and read the pages of its items to handle. Never raises:
        a problem is the outcome's ``error`` (the feed) or a work item's (one item)."""
        got = Gathered(feed=feed, at=self.clock())
        try:
            response = self.client.get(
                feed.url,
                etag=feed.etag,
                last_modified=feed.last_modified,
                accept=FEED_ACCEPT,
                max_bytes=MAX_FEED_BYTES,
            )
        except FetchError as exc:
            got.error, got.retry_after = exc.reason, exc.retry_after
            return got
        got.etag, got.last_modified = response.etag, response.last_modified
        if response.moved_permanently and response.url != feed.url:
            got.moved_to = response.url  # followed there from now on
        if response.not_modified:
            got.not_modified = True
            return got
        try:
            parsed = parse_feed(
                response.body, url=response.url, content_type=response.content_type,
                now=self.clock(),
            )  # fmt: skip
        except FeedError as exc:
            got.error = str(exc)
            return got
        except Exception as exc:  # noqa: BLE001 - one feed's surprise must not stop the cycle
            logger.exception("feed %s: parsing failed", feed.url)
            got.error = f"the feed could not be read: {type(exc).__name__}: {exc}"
            return got
        got.items = len(parsed.items)
        try:
            got.work = self._work(feed, parsed.items)
        except DatelineError as exc:  # the store is busy or broken: try the feed again later
            got.error = f"the store could not be read: {exc}"
        return got

    def _work(self, feed: Feed, items: list[FeedItem]) -> list[Work]:
        known = self.store.feed_items(feed.id, [i.key for i in items])
        todo: list[Work] = []
        for item in items:
            row = known.get(item.key)
            if row is not None and row["version"] == item.version:
                if row["state"] == "done" or row["attempts"] >= MAX_ITEM_ATTEMPTS:
                    continue
            todo.append(Work(item=item, known=row))
            if len(todo) >= MAX_ITEMS_PER_POLL:
                break
        todo.reverse()  # feeds list the newest first: ingest in the order things happened
        fresh = [w.item.canonical for w in todo if w.known is None and w.item.canonical]
        stored = self.store.items_for_urls(fresh)
        for work in todo:
            if self.stop_requested.is_set():
                break
            same = stored.get(work.item.canonical or "") if work.known is None else None
            if same is not None:
                work.same_as = same["article_id"]
                continue
            work.record, work.error = self._record_once(feed, work.item)
        return todo

    def _record_once(self, feed: Feed, item: FeedItem) -> tuple[dict[str, Any] | None, str | None]:
        """:meth:`_record`, once per address and cycle: a thread that finds the address taken
        waits for the page the first one reads."""
        key = item.canonical
        if not key:
            return self._record(feed, item)
        with self._pages_lock:
            entry = self._pages.get(key)
            first = entry is None
            if first:
                entry = self._pages[key] = Page()
        assert entry is not None
        if first:
            try:
                entry.record, entry.error = self._record(feed, item)
            finally:
                entry.done.set()
        else:
            entry.done.wait()
        record = dict(entry.record, id=item.key) if entry.record is not None else None
        return record, entry.error

    def _record(self, feed: Feed, item: FeedItem) -> tuple[dict[str, Any] | None, str | None]:
        """The article record of an item: its page's main text, else its own text."""
        page: dict[str, Any] | None = None
        problem = None
        if self.fetch_pages and item.link:
            try:
                response = self.client.get(item.link, accept=PAGE_ACCEPT, max_bytes=MAX_PAGE_BYTES)
                page = _read_page(response.body, response.content_type, source=response.url)
            except FetchError as exc:
                problem = exc.reason
            except DatelineError as exc:
                problem = str(exc)
        own = (item.text or "").strip()
        text = (page or {}).get("text") or ""
        if len(text.strip()) < len(own):  # a paywall or an empty page: the item says more
            text = own
        if not text.strip():
            why = problem or "the item has no text and no page"
            return None, f"{item.link or item.key}: {why}"
        published = item.published or _date((page or {}).get("published"), self.clock())
        record: dict[str, Any] = {
            "id": item.key,
            "text": text,
            "source": feed.name,
            "title": item.title or (page or {}).get("title"),
            "url": item.link,
        }
        if published is None:
            from extract.events.timex import dateline_date

            published = dateline_date(text)
        if published is not None:
            record["published"] = published.isoformat()
        return record, None


def _read_page(body: bytes, content_type: str, *, source: str) -> dict[str, Any] | None:
    """The first record an HTML (or text) page gives, as an uploaded file would."""
    from extract.sources.readers import read_any

    kind = content_type.split(";")[0].strip().lower()
    name = "page.txt" if kind == "text/plain" else "page.html"
    for record in read_any(body, name=name, on_error=lambda exc: None):
        record["source"] = source
        return record
    return None


def _date(value: Any, now: datetime) -> date | None:
    """A page's date, unless it lies more than a day in the future (a skewed clock)."""
    if not value:
        return None
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return None if day > (now + timedelta(days=1)).date() else day


# --- the long-running process ------------------------------------------------------------------


def watch(
    store: Any,
    *,
    once: bool = False,
    watcher: Watcher | None = None,
    status: WatchStatus | None = None,
    look_s: float = LOOK_S,
    handle_signals: bool = True,
    stop_with_parent: bool = False,
) -> CycleStats:
    """Run the watcher: a cycle whenever a feed is due, until stopped (SIGTERM, SIGINT or
    ``watcher.stop_requested``), or one cycle with ``once``; with ``stop_with_parent``, also
    when the process that started it ends (``./run.sh`` killed without a chance to stop it).
    Returns the last cycle's stats.

    Raises
    ------
    extract.sources.watch_status.WatcherRunning
        When another watcher runs for the same store.
    """
    from geodata.store._schema import utcnow

    watcher = watcher or Watcher(store)
    status = status or WatchStatus(status_path(store.path))
    status.start()
    if handle_signals and threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: watcher.stop_requested.set())
    if stop_with_parent:
        _follow_parent(watcher)
    last = CycleStats()
    try:
        while not watcher.stop_requested.is_set():
            started = utcnow().isoformat(timespec="seconds") + "Z"
            status.beat("polling")
            try:
                last = watcher.run_cycle()
            except DatelineError as exc:  # the store is busy or broken: try again later
                logger.error("watch cycle failed: %s", exc)
                last = CycleStats()
            except Exception:  # a bug: logged with its traceback; the watcher goes on
                logger.exception("watch cycle failed")
                watcher._drop_backend()  # a batch may be left in it
                last = CycleStats()
                watcher.stop_requested.wait(look_s)  # not a busy loop if it fails every time
            next_due = _next_due(store)
            status.cycle(
                last.summary(),
                started=started,
                next_due=next_due.isoformat(timespec="seconds") + "Z" if next_due else None,
            )
            if once:
                break
            _sleep_until_due(store, watcher, status, look_s=look_s)
    finally:
        watcher.close()
        status.stop()
    return last


def _follow_parent(watcher: Watcher) -> None:
    """Stop ``watcher`` when this process's parent ends (it is then adopted by another)."""
    parent = os.getppid()

    def follow() -> None:
        while not watcher.stop_requested.wait(1.0):
            if os.getppid() != parent:
                logger.info("the process that started the watcher ended: stopping")
                watcher.stop_requested.set()

    threading.Thread(target=follow, name="dateline-parent", daemon=True).start()


def _next_due(store: Any) -> datetime | None:
    try:
        due = store.next_due()
    except DatelineError:
        return None
    return None if due in (None, datetime.min) else due


def _sleep_until_due(store: Any, watcher: Watcher, status: WatchStatus, *, look_s: float) -> None:
    """Sleep until a feed is due (looking at the store every ``look_s``), beating the heart."""
    last_look = 0.0
    while not watcher.stop_requested.is_set():
        if time.monotonic() - last_look >= look_s:
            last_look = time.monotonic()
            try:
                due = store.next_due()
            except DatelineError:
                due = None
            if due is not None and due <= watcher.clock():
                return
        status.beat("sleeping")
        watcher.stop_requested.wait(min(HEARTBEAT_S, look_s))
