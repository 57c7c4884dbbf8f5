"""The feed watcher (:mod:`extract.sources.watch`) against a local misbehaving server
(:mod:`tests.http_support`, 127.0.0.1 only): each item once, a feed's failure never stops the
others, pages that fail fall back to the item's text, the same story in two feeds, a changed
item replaces its article, skewed dates, the store locked by another process, and the loop."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from extract.sources.http import PoliteClient
from extract.sources.watch import Watcher, watch
from extract.sources.watch_status import WatcherRunning, WatchStatus, read_status, status_path
from geodata.store.event_store import Store
from tests.fixtures_gazetteer import tiny_gazetteer
from tests.http_support import FaultServer, Reply, html, redirect, zeros

NOW = datetime(2024, 11, 13, 12, 0, 0)

STORIES = {
    "kharkiv": "A Russian missile strike on Kharkiv killed 3 people on Monday, officials said.",
    "paris": "Protesters rallied in Paris on Tuesday against the government.",
    "kyiv": "A drone attack on Kyiv injured 4 people on Wednesday, the mayor said.",
    "tbilisi": "Police clashed with protesters in Tbilisi on Tuesday, the ministry said.",
}


def _rss(items: list[dict[str, Any]], *, title: str = "Wire") -> bytes:
    parts = []
    for it in items:
        date = it.get("date", NOW - timedelta(hours=2))
        parts.append(
            f"<item><title>{it.get('title', it['guid'])}</title><link>{it['link']}</link>"
            f'<guid isPermaLink="false">{it["guid"]}</guid>'
            f"<pubDate>{format_datetime(date)}</pubDate>"
            f"<description>{it.get('text', '')}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>{''.join(parts)}"
        "</channel></rss>"
    ).encode()


def _page(text: str) -> Reply:
    return html(f"<html><head><title>t</title></head><body><article><p>{text}</p></article>"
                "</body></html>")  # fmt: skip


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "watch.duckdb")


def _watcher(store: Store, **kw: Any) -> Watcher:
    client = PoliteClient(min_delay=0.0, connect_timeout=1, read_timeout=1, total_timeout=3)
    kw.setdefault("threads", 4)
    return Watcher(store, client=client, loader=tiny_gazetteer, clock=lambda: NOW, **kw)


def _feed_of(server: FaultServer, path: str, names: list[str], **item: Any) -> str:
    items = []
    for name in names:
        link = server.route(f"/a/{name}", _page(STORIES[name]))
        items.append({"guid": f"{path}-{name}", "link": link, "text": STORIES[name], **item})
    return server.route(path, Reply(body=_rss(items), content_type="application/rss+xml"))


def test_each_item_is_ingested_once(server: FaultServer, store: Store) -> None:
    url = _feed_of(server, "/wire.xml", ["kharkiv", "paris"])
    feed = store.add_feed(url, name="Wire")
    watcher = _watcher(store)

    stats = watcher.run_cycle()

    assert (stats.feeds, stats.failed, stats.items, stats.articles) == (1, 0, 2, 2)
    assert store.count_articles() == 2 and stats.incidents == len(store.incidents()) == 2
    polled = store.feed(feed.id)
    assert polled.last_success == NOW and polled.articles_added == 2 and polled.failures == 0
    assert polled.next_poll == NOW + timedelta(seconds=900)
    assert len(server.seen("/a/kharkiv")) == 1
    # due again: the feed is read again, its items are known, nothing is fetched or added
    store.update_feed(feed.id, poll_now=True)
    again = watcher.run_cycle()
    assert (again.feeds, again.items, again.articles) == (1, 0, 0)
    assert len(server.seen("/a/kharkiv")) == 1 and store.count_articles() == 2
    assert store.feed_counts()[feed.id] == {"items": 2, "done": 2, "failed": 0}


def test_a_conditional_get_costs_no_body(server: FaultServer, store: Store) -> None:
    link = server.route("/a/kyiv", _page(STORIES["kyiv"]))
    body = _rss([{"guid": "k", "link": link, "text": STORIES["kyiv"]}])
    url = server.route("/f.xml", Reply(body=body, etag='"v1"', content_type="application/rss+xml"))
    feed = store.add_feed(url)
    watcher = _watcher(store)
    watcher.run_cycle()
    store.update_feed(feed.id, poll_now=True)
    stats = watcher.run_cycle()
    assert stats.not_modified == 1 and stats.failed == 0
    assert server.seen("/f.xml")[-1].headers.get("if-none-match") == '"v1"'
    assert server.seen("/f.xml")[-1].status == 304


def test_a_failing_feed_never_stops_the_others(server: FaultServer, store: Store) -> None:
    good = store.add_feed(_feed_of(server, "/good.xml", ["kharkiv"]), name="good")
    bad = {
        "server error": Reply(status=503, headers={"Retry-After": "120"}),
        "web page": html("<html><body><h1>Not a feed</h1><p>words</p></body></html>"),
        "bomb": Reply(
            body=b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel>&b;</channel></rss>',
            content_type="application/rss+xml",
        ),
        "hangs": Reply(body=_rss([]) * 50, hang_after=200, content_type="application/rss+xml"),
        "truncated": Reply(
            body=b'<?xml version="1.0"?><rss version="2.0"><channel><ti',
            content_type="application/rss+xml",
        ),
        "50 MB": zeros(50 * 10**6),
        "loop": redirect("/bad/6"),  # its own address
    }
    feeds = {name: store.add_feed(server.route(f"/bad/{k}", r), name=name)
             for k, (name, r) in enumerate(bad.items())}  # fmt: skip

    stats = _watcher(store).run_cycle()

    assert stats.feeds == 8 and stats.failed == 7 and stats.articles == 1
    assert store.feed(good.id).last_error is None and store.count_articles() == 1
    errors = {name: store.feed(f.id) for name, f in feeds.items()}
    assert "503" in errors["server error"].last_error
    assert errors["server error"].next_poll == NOW + timedelta(seconds=1800)  # backed off
    assert "web page, not a feed" in errors["web page"].last_error
    assert "entit" in errors["bomb"].last_error.lower()
    assert "timed out" in errors["hangs"].last_error
    assert errors["truncated"].last_error
    assert "MiB" in errors["50 MB"].last_error
    assert "redirect" in errors["loop"].last_error
    assert all(f.failures == 1 and f.last_success is None for f in errors.values())


def test_a_page_that_fails_falls_back_to_the_items_text(server: FaultServer, store: Store) -> None:
    items = [
        {"guid": "g1", "link": server.url("/missing"), "text": STORIES["kyiv"]},
        {"guid": "g2", "link": server.route("/slow", Reply(body=b"x", delay=5)),
         "text": STORIES["tbilisi"]},
        {"guid": "g3", "link": server.url("/gone"), "text": ""},
    ]  # fmt: skip
    url = server.route("/f.xml", Reply(body=_rss(items), content_type="application/rss+xml"))
    feed = store.add_feed(url)
    stats = _watcher(store).run_cycle()
    assert stats.articles == 2 and stats.failed_items == 1
    texts = {store.article(a["id"])["text"] for a in store.articles()}
    assert texts == {STORIES["kyiv"], STORIES["tbilisi"]}
    assert store.feed_counts()[feed.id] == {"items": 3, "done": 2, "failed": 1}


def test_the_same_story_in_two_feeds_is_one_article(server: FaultServer, store: Store) -> None:
    link = server.route("/a/kharkiv", _page(STORIES["kharkiv"]))
    tracked = link + "?utm_source=rss&utm_medium=feed"
    mirror = server.route("/mirror/kharkiv", _page(STORIES["kharkiv"]))
    one = _rss([{"guid": "x1", "link": link, "text": "short"}])
    two = _rss([{"guid": "y1", "link": tracked, "text": "short"},
                {"guid": "y2", "link": mirror, "text": "short"}])  # fmt: skip
    store.add_feed(server.route("/one.xml", Reply(body=one, content_type="text/xml")))
    store.add_feed(server.route("/two.xml", Reply(body=two, content_type="text/xml")))
    watcher = _watcher(store)  # two feeds gathered at once
    watcher.run_cycle()
    assert store.count_articles() == 1 and len(store.incidents()) == 1
    assert len(server.seen("/a/kharkiv")) == 1  # the tracked address was not fetched again
    (incident,) = store.incidents()
    assert incident["n_sources"] == 1


def test_a_changed_item_replaces_its_article(server: FaultServer, store: Store) -> None:
    link = server.route("/a/k", _page(STORIES["kharkiv"]))
    first = _rss([{"guid": "k", "link": link, "text": "t", "date": NOW - timedelta(hours=3)}])
    url = server.route("/f.xml", Reply(body=first, content_type="text/xml"))
    feed = store.add_feed(url)
    watcher = _watcher(store)
    watcher.run_cycle()
    (before,) = store.incidents()
    changed = STORIES["kharkiv"].replace("killed 3 people", "killed 5 people")
    server.route("/a/k", _page(changed))
    second = _rss([{"guid": "k", "link": link, "text": "t2", "date": NOW - timedelta(hours=1)}])
    server.route("/f.xml", Reply(body=second, content_type="text/xml"))
    store.update_feed(feed.id, poll_now=True)
    stats = watcher.run_cycle()
    assert stats.replaced == 1 and stats.articles == 0
    (after,) = store.incidents()  # no duplicate
    assert after["fatalities"] == 5 and before["fatalities"] == 3
    (article,) = store.articles()
    assert store.article(article["id"])["text"] == changed


def test_a_bug_met_by_one_feed_fails_that_feed_only(
    server: FaultServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = store.add_feed(_feed_of(server, "/good.xml", ["kharkiv"]), name="good")
    odd = store.add_feed(_feed_of(server, "/odd.xml", ["paris"]), name="odd")
    real = Watcher._work

    def buggy(self: Watcher, feed: Any, items: Any) -> Any:
        if feed.id == odd.id:
            raise KeyError("a parser bug")
        return real(self, feed, items)

    monkeypatch.setattr(Watcher, "_work", buggy)
    stats = _watcher(store).run_cycle()
    assert (stats.feeds, stats.failed, stats.articles) == (2, 1, 1)
    assert store.feed(good.id).failures == 0
    assert "KeyError" in store.feed(odd.id).last_error and store.feed(odd.id).failures == 1


def test_a_feed_that_moved_for_good_is_followed_at_its_new_address(
    server: FaultServer, store: Store
) -> None:
    new = _feed_of(server, "/new.xml", ["kyiv"])
    old = server.route("/old.xml", redirect(new, status=301))
    elsewhere = _feed_of(server, "/elsewhere.xml", ["paris"])
    temporary = server.route("/moving.xml", redirect(elsewhere, status=302))
    moved, visiting = store.add_feed(old), store.add_feed(temporary)
    watcher = _watcher(store)
    stats = watcher.run_cycle()
    assert stats.articles == 2 and stats.failed == 0
    assert store.feed(moved.id).url == new  # same feed, same items, new address
    assert store.feed(visiting.id).url == temporary  # a temporary redirect changes nothing
    for feed in (moved, visiting):
        store.update_feed(feed.id, poll_now=True)
    watcher.run_cycle()
    assert len(server.seen("/old.xml")) == 1 and len(server.seen("/new.xml")) == 2
    assert len(server.seen("/moving.xml")) == 2
    assert store.feed_counts()[moved.id] == {"items": 1, "done": 1, "failed": 0}
    # an address another feed follows already is not taken over
    twin = store.add_feed(server.route("/old2.xml", redirect(new, status=308)), name="twin")
    watcher.run_cycle()
    assert store.feed(twin.id).url.endswith("/old2.xml") and store.feed(moved.id).url == new


def test_a_future_date_is_not_the_publication_date(server: FaultServer, store: Store) -> None:
    future = NOW + timedelta(days=30)
    url = _feed_of(server, "/f.xml", ["kharkiv"], date=future)
    store.add_feed(url)
    _watcher(store).run_cycle()
    (article,) = store.articles()
    assert article["published"] != future.date().isoformat()


def test_the_store_locked_by_another_process_makes_the_watcher_wait(
    server: FaultServer, store: Store, tmp_path: Path
) -> None:
    store.add_feed(_feed_of(server, "/f.xml", ["kharkiv", "paris"]))
    store.stats()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
            from geodata.store.event_store import Store
            with Store({str(store.path)!r}).transaction() as tx:
                print("locked", flush=True)
                time.sleep(2.5)
        """)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        stats = _watcher(store).run_cycle()
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert stats.failed == 0 and stats.articles == 2 and store.count_articles() == 2
    assert waited >= 1.0  # it waited for the lock rather than failing


def test_the_loop_writes_its_status_and_runs_alone(server: FaultServer, store: Store) -> None:
    store.add_feed(_feed_of(server, "/f.xml", ["paris"]))
    last = watch(store, once=True, watcher=_watcher(store), handle_signals=False)
    assert last.articles == 1
    status = read_status(status_path(store.path))
    assert status["state"] == "stopped" and status["cycles"] == 1
    assert "articles: 1 new" in status["last_cycle"]["summary"]
    holder = WatchStatus(status_path(store.path))
    holder.start()
    try:
        with pytest.raises(WatcherRunning):
            watch(store, once=True, watcher=_watcher(store), handle_signals=False)
    finally:
        holder.stop()


# --- the watcher as a process --------------------------------------------------------------------

CITIES = ("Kharkiv", "Kyiv", "Odesa", "Lviv", "Dnipro", "Sumy", "Kherson", "Mykolaiv")


def _process(db: Path, *args: str) -> subprocess.Popen[str]:
    root = Path(__file__).resolve().parents[1]
    return subprocess.Popen(
        [sys.executable, "-m", "extract", "watch", "--db", str(db), "--host-delay", "0",
         "--threads", "1", *args],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _stories(server: FaultServer, feeds: int, items: int, *, delay: float) -> list[str]:
    urls = []
    for f in range(feeds):
        entries = []
        for k in range(items):
            city = CITIES[(f * items + k) % len(CITIES)]
            text = (f"A Russian missile strike on {city} killed {2 + f} people on Monday, "
                    f"officials said. Report {f}-{k}.")  # fmt: skip
            link = server.route(f"/p/{f}/{k}", Reply(body=_page(text).body,
                                content_type="text/html", delay=delay))  # fmt: skip
            entries.append({"guid": f"{f}-{k}", "link": link, "text": text})
        urls.append(server.route(f"/feed/{f}.xml", Reply(body=_rss(entries),
                                 content_type="application/rss+xml")))  # fmt: skip
    return urls


def _rows(store: Store) -> list[tuple]:
    keys = ("article_id", "event_type", "location", "date", "fatalities")
    return sorted(tuple(i[k] for k in keys) for i in store.incidents())


@pytest.mark.slow
def test_a_watcher_killed_mid_cycle_ingests_every_item_exactly_once(
    server: FaultServer, tmp_path: Path
) -> None:
    urls = _stories(server, feeds=4, items=5, delay=0.3)
    clean, killed = Store(tmp_path / "clean.duckdb"), Store(tmp_path / "killed.duckdb")
    for store in (clean, killed):
        for url in urls:
            store.add_feed(url)
    done = _process(clean.path, "--once")
    assert done.wait(timeout=240) == 0, done.stderr.read()
    expected = _rows(clean)
    assert clean.count_articles() == 20 and len(expected) == len(CITIES)  # one a city and day

    already = len(server.seen())  # the clean run's requests
    victim = _process(killed.path)
    deadline = time.monotonic() + 240

    # kill it mid-cycle: once a third feed's pages are being read, the first ones are stored
    # (the test reads the server's log, not the store, which the watcher keeps busy)
    def pages_read() -> int:
        return sum(s.path.startswith("/p/") for s in server.seen()[already:])

    while time.monotonic() < deadline and pages_read() < 13:  # the third feed, well along
        time.sleep(0.02)
    victim.kill()  # SIGKILL: no chance to clean up
    victim.wait(timeout=30)
    assert 0 < killed.count_articles() < 20
    status = read_status(status_path(killed.path))
    assert status is not None and not status["alive"] and status["state"] != "stopped"
    for url in urls:  # make every feed due again at once
        killed.update_feed(url, poll_now=True)
    again = _process(killed.path, "--once")
    assert again.wait(timeout=240) == 0, again.stderr.read()
    assert _rows(killed) == expected  # every item once, nothing lost, no duplicate incident
    assert killed.count_articles() == 20
    assert all(c["done"] == 5 and c["failed"] == 0 for c in killed.feed_counts().values())
