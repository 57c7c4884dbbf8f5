"""The feed watcher's batches (:mod:`extract.sources._watch_batches`) and its extraction worker:
articles of several feeds extracted and written together, each feed told what it added, an
article that fails extraction leaves its item to try again, a worker that dies fails its batch
(not the watcher) and is replaced, a worker process gives the rows of in-process extraction,
and a worker never outlives its watcher."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extract.errors import WorkerError
from extract.sources import _distributed
from extract.sources.http import PoliteClient
from extract.sources.watch import Watcher
from geodata.store.event_store import Store
from tests.fixtures_gazetteer import tiny_gazetteer
from tests.http_support import FaultServer, Reply
from tests.test_watch import NOW, _page, _rss

CITIES = ("Kharkiv", "Kyiv", "Odesa", "Lviv", "Dnipro", "Sumy")


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "watch.duckdb")


def _site(server: FaultServer, feeds: int, items: int) -> list[str]:
    """``feeds`` feeds of ``items`` distinct stories; some share a city and a day, so their
    incidents merge across feeds."""
    urls = []
    for f in range(feeds):
        entries = []
        for k in range(items):
            city = CITIES[(f + 2 * k) % len(CITIES)]
            text = (f"A drone strike on {city} killed {1 + k} people on Monday, officials said."
                    f" Bulletin {f}-{k}.")  # fmt: skip
            link = server.route(f"/p/{f}/{k}", _page(text))
            entries.append({"guid": f"{f}-{k}", "link": link, "text": text})
        urls.append(server.route(f"/f/{f}.xml", Reply(body=_rss(entries), content_type="text/xml")))
    return urls


def _watcher(store: Store, **kw: Any) -> Watcher:
    client = PoliteClient(min_delay=0.0, connect_timeout=2, read_timeout=2, total_timeout=5)
    kw.setdefault("threads", 3)
    return Watcher(store, client=client, loader=tiny_gazetteer, clock=lambda: NOW, **kw)


def _incidents(store: Store) -> list[tuple]:
    keys = ("event_type", "location", "date", "fatalities", "n_sources")
    return sorted((tuple(i[k] for k in keys) for i in store.incidents()), key=repr)


def _per_feed(store: Store) -> dict[str, tuple[int, int, int]]:
    return {f.url: (f.items_seen, f.articles_added, f.incidents_added) for f in store.feeds()}


class _Faulty:
    """A backend around the real one that fails as told: extraction errors for texts that
    contain ``bad``, or a dead worker on the next ``deaths`` gathers."""

    def __init__(self, real: Any, *, bad: str | None = None, deaths: int = 0) -> None:
        self.real, self.bad, self.deaths = real, bad, deaths
        self.parallelism, self.in_process = real.parallelism, real.in_process
        self.closed = 0
        self.texts: dict[int, str] = {}

    def submit(self, chunks: list[list[dict[str, Any]]]) -> list[Any]:
        self.texts.update((t["seq"], t["text"]) for chunk in chunks for t in chunk)
        return self.real.submit(chunks)

    def gather(self, handles: list[Any]) -> list[list[Any]]:
        if self.deaths:
            self.deaths -= 1
            raise WorkerError("an extraction worker process ended unexpectedly (killed)")
        out = self.real.gather(handles)
        if self.bad:
            out = [
                [("error", r[1], "boom: a parser bug") if self.bad in self.texts[r[1]] else r
                 for r in chunk]
                for chunk in out
            ]  # fmt: skip
        return out

    def ready(self, handles: list[Any]) -> bool:
        return self.real.ready(handles)

    def close(self) -> None:
        self.closed += 1


def _with_backend(watcher: Watcher, backend: _Faulty) -> Watcher:
    watcher._backend = backend  # the one the watcher would make, with faults
    return watcher


def test_a_batch_across_feeds_tells_each_feed_what_it_added(
    server: FaultServer, tmp_path: Path
) -> None:
    urls = _site(server, feeds=4, items=3)
    one_by_one, batched = Store(tmp_path / "one.duckdb"), Store(tmp_path / "batched.duckdb")
    for store in (one_by_one, batched):
        for url in urls:
            store.add_feed(url)
    # one fetching thread: feeds are written in the same order in both runs (which feed an
    # incident reported by two counts for is the one whose article is written first)
    _watcher(one_by_one, batch_size=1, threads=1).run_cycle()
    stats = _watcher(batched, batch_size=200, threads=1).run_cycle()

    assert stats.articles == 12 and stats.failed == stats.failed_items == 0
    assert _incidents(batched) == _incidents(one_by_one)
    assert any(row[-1] > 1 for row in _incidents(batched))  # some merged across feeds
    assert _per_feed(batched) == _per_feed(one_by_one)
    assert sum(v[2] for v in _per_feed(batched).values()) == len(batched.incidents())
    assert stats.incidents == len(batched.incidents())


def test_an_article_that_fails_extraction_is_tried_again(server: FaultServer, store: Store) -> None:
    urls = _site(server, feeds=2, items=2)
    for url in urls:
        store.add_feed(url)
    watcher = _watcher(store)
    faulty = _Faulty(_distributed.make_backend(loader=tiny_gazetteer), bad="Bulletin 1-0.")
    stats = _with_backend(watcher, faulty).run_cycle()

    assert stats.articles == 3 and stats.failed_items == 1 and stats.failed == 0
    counts = store.feed_counts()
    assert sorted((c["done"], c["failed"]) for c in counts.values()) == [(1, 1), (2, 0)]
    (failed,) = [f for f in store.feeds() if counts[f.id]["failed"]]
    assert failed.last_error is None  # the feed itself was read
    items = store.feed_items(failed.id, ["1-0"])
    assert items["1-0"]["state"] == "failed" and "boom" in items["1-0"]["last_error"]
    # the next poll tries it again (same version), and it is not marked done before it is in
    faulty.bad = None
    for url in urls:
        store.update_feed(url, poll_now=True)
    again = watcher.run_cycle()
    assert again.articles == 1 and store.count_articles() == 4
    assert all(c == {"items": 2, "done": 2, "failed": 0} for c in store.feed_counts().values())


def test_a_dead_worker_fails_its_batch_not_the_watcher(server: FaultServer, store: Store) -> None:
    urls = _site(server, feeds=2, items=2)
    for url in urls:
        store.add_feed(url)
    watcher = _watcher(store)
    faulty = _Faulty(_distributed.make_backend(loader=tiny_gazetteer), deaths=1)
    stats = _with_backend(watcher, faulty).run_cycle()

    assert faulty.closed == 1 and watcher._backend is not faulty  # dropped, a new one made
    assert stats.failed >= 1 and store.count_articles() < 4
    failed = [f for f in store.feeds() if f.failures]
    assert failed and all("worker process ended" in f.last_error for f in failed)
    counts = store.feed_counts()
    assert all(counts.get(f.id, {"done": 0})["done"] == 0 for f in failed)  # none marked done
    # a later cycle (with a fresh worker) ingests everything, once
    for url in urls:
        store.update_feed(url, poll_now=True)
    watcher.run_cycle()
    assert store.count_articles() == 4 and len(store.articles()) == 4
    assert all(c == {"items": 2, "done": 2, "failed": 0} for c in store.feed_counts().values())


@pytest.mark.slow
def test_a_worker_process_gives_the_rows_of_in_process_extraction(
    server: FaultServer, tmp_path: Path
) -> None:
    urls = _site(server, feeds=3, items=3)
    here, worker = Store(tmp_path / "here.duckdb"), Store(tmp_path / "worker.duckdb")
    for store in (here, worker):
        for url in urls:
            store.add_feed(url)
    _watcher(here, workers=0, threads=1).run_cycle()  # one thread: the same order (see above)
    with _watcher(worker, workers=1, threads=1) as watcher:
        stats = watcher.run_cycle()
        assert not watcher.backend().in_process
    assert watcher._backend is None  # closed with the block
    assert stats.articles == 9 and stats.failed == stats.failed_items == 0
    assert _incidents(worker) == _incidents(here)
    assert _per_feed(worker) == _per_feed(here)


def _dies() -> Any:
    os._exit(3)  # a worker killed while it loads the gazetteer (out of memory, say)


@pytest.mark.slow
def test_a_worker_that_dies_fails_at_once_instead_of_hanging() -> None:
    backend = _distributed.make_backend(loader=_dies, workers=1, own_process=True)
    try:
        handles = backend.submit([[{"seq": 1, "aid": "a", "text": "x", "where": "t"}]])
        started = time.monotonic()
        with pytest.raises(WorkerError, match="worker process ended unexpectedly"):
            backend.gather(handles)
        assert time.monotonic() - started < 30
    finally:
        backend.close()


def _state(pid: int) -> str | None:
    """A process's state letter, ``None`` once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None


@pytest.mark.slow
def test_a_worker_ends_when_its_watcher_is_killed(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import multiprocessing, sys, time
        from extract.sources import _distributed
        from tests.fixtures_gazetteer import tiny_gazetteer
        backend = _distributed.make_backend(loader=tiny_gazetteer, workers=1, own_process=True)
        task = {"seq": 1, "aid": "a", "text": "Shelling hit Kyiv.", "where": "t"}
        backend.gather(backend.submit([[task]]))  # the worker runs
        print(*[p.pid for p in multiprocessing.active_children()], flush=True)
        time.sleep(600)
        """
    )
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        workers = [int(pid) for pid in line.split()]
        assert workers, "no worker process was started"
        assert all(_state(pid) not in (None, "Z") for pid in workers)
        proc.kill()  # SIGKILL: the parent cannot stop its pool
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_state(p) not in (None, "Z") for p in workers):
            time.sleep(0.1)
        assert all(_state(pid) in (None, "Z") for pid in workers), "an orphan worker runs on"
    finally:
        if proc.poll() is None:
            proc.kill()
