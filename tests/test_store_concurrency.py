"""Tests of the event store (:mod:`geodata.store.event_store`) with several processes: lock
waiting, lock timeouts, forking, concurrent writers and crash safety, with the per-item and the
bulk write methods."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest

from geodata.errors import StoreBusyError
from geodata.store.event_store import Store
from tests.store_helpers import query

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _popen(code: str, *args: object) -> subprocess.Popen:
    argv = [sys.executable, "-c", code, *map(str, args)]
    return subprocess.Popen(argv, env=ENV, stdout=PIPE, stderr=PIPE, text=True)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db" / "dateline.duckdb", lock_timeout=20)


_HOLDER = """
import sys, time
from geodata.store.event_store import Store
with Store(sys.argv[1]).transaction() as tx:
    tx.insert_article({"text": "Held by the other process."})
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
print("released", flush=True)
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen:
    proc = _popen(_HOLDER, path, seconds)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding", proc.stderr
    return proc


def test_reads_and_writes_wait_for_a_writer(store: Store) -> None:
    store.stats()
    holder = _hold(store.path, 2.0)
    started = time.monotonic()
    results: dict[str, Any] = {}

    def read() -> None:
        results["read"] = (store.stats()["articles"], time.monotonic() - started)

    def write() -> None:
        with store.transaction() as tx:
            results["wrote"] = tx.insert_article({"text": "Written while locked."})
        results["write_s"] = time.monotonic() - started

    threads = [threading.Thread(target=read), threading.Thread(target=write)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    out, err = holder.communicate(timeout=30)
    assert holder.returncode == 0 and "released" in out, err
    assert results["wrote"] is True and results["write_s"] >= 1.0  # it waited for the lock
    assert results["read"][1] >= 1.0 and results["read"][0] in (1, 2)
    assert store.stats()["articles"] == 2


def test_lock_timeout_gives_busy_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.duckdb", lock_timeout=0.5)
    store.stats()
    holder = _hold(store.path, 4.0)
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusyError, match=r"locked by another process \(process \d+\)"):
            store.incidents()
        assert 0.4 <= time.monotonic() - started < 3.0
    finally:
        holder.kill()
        holder.communicate(timeout=30)


_FORK = """
import multiprocessing, sys, threading, time
from geodata.store.event_store import Store
store = Store(sys.argv[1])
def work(k):
    with store.transaction() as tx:
        tx.insert_article({"text": f"Child {k}."})
    return store.stats()["articles"]
def hold():
    with store.transaction() as tx:
        tx.insert_article({"text": "Parent."})
        time.sleep(1)
thread = threading.Thread(target=hold)
thread.start()
time.sleep(0.2)
with multiprocessing.get_context("fork").Pool(2) as pool:  # forks while the file is attached
    print(len(pool.map(work, range(4))))
thread.join()
"""


def test_fork_while_a_thread_uses_the_store(store: Store) -> None:
    store.stats()
    proc = _popen(_FORK, store.path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and out.strip() == "4", err
    assert store.stats()["articles"] == 5


_WRITER = """
import sys
from geodata.store.event_store import Store, article_id
store = Store(sys.argv[1], lock_timeout=60)
lo, hi, bulk = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "bulk"
new = 0

def incident(k, aid):  # articles 2j and 2j+1 report "inc-j", whichever process writes them
    src = {"article_id": aid, "sentence": f"Article number {k}."}
    return {"id": f"inc-{k // 2}", "event_type": "Battles", "sources": [src]}

for first in range(lo, hi, 5 if bulk else 1):
    texts = [f"Article number {k}." for k in range(first, min(first + (5 if bulk else 1), hi))]
    with store.transaction() as tx:
        if bulk:
            ids = tx.insert_articles([{"text": t, "title": sys.argv[2]} for t in texts])
            two = [{"start": 0, "end": 7, "text": "Article"}] * 2
            tx.insert_places_bulk([(aid, two) for aid in ids])
            new += len(ids)
            k = {article_id(t): first + i for i, t in enumerate(texts)}
            tx.insert_incidents_bulk(incident(k[aid], aid) for aid in ids)
        elif tx.insert_article({"text": texts[0], "title": sys.argv[2]}):
            new += 1
            aid = tx.existing_article_ids([article_id(texts[0])]).pop()
            tx.insert_places(aid, [{"start": 0, "end": 7, "text": "Article"}] * 2)
            tx.insert_incident(incident(first, aid))
print(new)
"""


@pytest.mark.parametrize("mode", ["item", "bulk"])
def test_two_processes_insert_concurrently(store: Store, mode: str) -> None:
    store.stats()
    # articles 40..49 are written by both
    procs = [
        _popen(_WRITER, store.path, "p1", 0, 50, mode),
        _popen(_WRITER, store.path, "p2", 40, 90, mode),
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert sum(int(o) for o, _ in outs) == 90  # each shared article is new to one process only
    stats = store.stats()
    assert (stats["articles"], stats["places"]) == (90, 180)
    assert query(store.path, "SELECT count(*) - count(DISTINCT id) FROM articles") == [(0,)]
    texts = {t for (t,) in query(store.path, "SELECT text FROM articles")}
    assert texts == {f"Article number {k}." for k in range(90)}
    # each incident once, with its two sources once each, wherever they came from
    assert (stats["incidents"], stats["sources"]) == (45, 90)
    assert query(
        store.path,
        "SELECT count(*) FROM incidents i WHERE n_sources <> 2 OR first_article_id IS NULL"
        " OR (SELECT list(position ORDER BY position) FROM incident_sources s"
        " WHERE s.incident_id = i.id) <> [0, 1]",
    ) == [(0,)]


_BATCHES = """
import sys, time
from geodata.store.event_store import Store, article_id
store = Store(sys.argv[1])
pause, bulk = float(sys.argv[3]), sys.argv[4] == "bulk"

def per_item(tx, texts):
    for text in texts:
        aid = article_id(text)
        if not tx.insert_article({"id": aid, "text": text}):
            continue
        tx.insert_places(aid, [{"start": i, "end": i + 1, "text": "x"} for i in range(3)])
        print("in batch", batch, flush=True)
        time.sleep(pause if batch == 3 else 0)
        for i in range(2):
            src = {"article_id": aid, "sentence": text}
            tx.insert_incident({"id": f"{aid}-{i}", "event_type": "B", "sources": [src]})

def in_bulk(tx, texts):  # the same rows
    ids = tx.insert_articles([{"id": article_id(t), "text": t} for t in texts])
    places = [{"start": i, "end": i + 1, "text": "x"} for i in range(3)]
    tx.insert_places_bulk([(aid, places) for aid in ids])
    if ids:
        print("in batch", batch, flush=True)
        time.sleep(5 * pause if batch == 3 else 0)
    text = dict(zip(map(article_id, texts), texts))
    tx.insert_incidents_bulk(
        {"id": f"{aid}-{i}", "event_type": "B",
         "sources": [{"article_id": aid, "sentence": text[aid]}]}
        for aid in ids for i in range(2)
    )

for batch in range(int(sys.argv[2])):
    with store.transaction() as tx:
        texts = [f"Crash test article {k}." for k in range(batch * 5, batch * 5 + 5)]
        (in_bulk if bulk else per_item)(tx, texts)
    print("committed", batch, flush=True)
"""


def _complete(path: Path) -> tuple[int, bool]:
    """How many articles are stored, and whether each has its 3 places, 2 incidents, 2 sources."""
    rows = query(
        path,
        "SELECT a.id, (SELECT count(*) FROM places p WHERE p.article_id = a.id),"
        " (SELECT count(*) FROM incidents i WHERE i.id LIKE a.id || '-%'),"
        " (SELECT count(*) FROM incident_sources s WHERE s.article_id = a.id) FROM articles a",
    )
    return len(rows), all(r[1:] == (3, 2, 2) for r in rows)


@pytest.mark.parametrize("mode", ["item", "bulk"])
def test_crash_mid_batch_leaves_whole_batches(store: Store, mode: str) -> None:
    store.stats()
    proc = _popen(_BATCHES, store.path, 40, 0.1, mode)  # 0.1 s per article in batch 3
    committed = -1
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        raw = proc.stdout.readline()
        if not raw:
            break  # the child died: the assertions below say so
        line = raw.split()
        if line[:1] == ["committed"]:
            committed = int(line[1])
        if line[:2] == ["in", "batch"] and int(line[2]) == 3:
            time.sleep(random.uniform(0.0, 0.2))
            break  # inside the transaction of batch 3, which lasts at least 0.5 s
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert committed == 2 and proc.returncode == -signal.SIGKILL
    n, complete = _complete(store.path)
    assert n == 15 and complete  # batches 0-2, nothing of batch 3
    assert len(store.incidents()) == 30  # reopening through the store works too
    rerun = _popen(_BATCHES, store.path, 40, 0, mode)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    n, complete = _complete(store.path)
    assert n == 200 and complete
    assert store.stats()["incidents"] == 400
