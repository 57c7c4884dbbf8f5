"""The app killed mid-poll, in Chromium: with no feed watcher running, a user picks a feed on the
Feeds page and presses "Poll now", so the app polls it itself; the Streamlit server is killed
(SIGKILL) while it reads the items' slow pages. What the kill leaves is consistent (no item
marked done without its article), and a watcher run afterwards brings the store to exactly what
a clean run gives: every item once, nothing lost, no duplicate incident. The restarted app
shows the Feeds page again.

The feed and its pages come from a local misbehaving server (:mod:`tests.http_support`); the
expected result is a second store, the same feed ingested by ``python -m extract watch --once``
with nothing killed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bench.app_server import ARTIFACTS, ROOT
from extract.sources.watch_status import read_status, status_path
from geodata.store.event_store import Store
from tests.app_support import copy_store, sample_store_template
from tests.e2e_support import Browser, choose_option, streamlit_server, wait_idle
from tests.http_support import FaultServer, Reply, html

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CITIES = ("Kharkiv", "Kyiv", "Odesa", "Lviv", "Dnipro", "Sumy")  # one incident each
KEYS = tuple(f"war-{n}" for n in range(len(CITIES)))  # the items' GUIDs
PUBLISHED = datetime(2024, 11, 13, 10, 0)  # a Wednesday: "on Monday" is 2024-11-11
WAR, CALM = "War wire", "Calm wire"  # the feed polled, and one listed before it
PAGES_BEFORE_KILL = 2
WATCH_TIMEOUT_S = 240  # a watcher process loads the real gazetteer
PAGE_TIMEOUT_MS = 240_000  # the app's first run may build the gazetteer index


def _rss(items: list[dict[str, str]]) -> bytes:
    parts = [
        f"<item><title>{it['guid']}</title><link>{it['link']}</link>"
        f'<guid isPermaLink="false">{it["guid"]}</guid>'
        f"<pubDate>{format_datetime(PUBLISHED)}</pubDate>"
        f"<description>{it['text']}</description></item>"
        for it in items
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Wire</title><link>http://example.org/</link>{''.join(parts)}</channel></rss>"
    ).encode()


def _feeds(server: FaultServer) -> tuple[str, str]:
    """Route the war feed (an item a city, each page answering in 0.5-0.8 s, so the app's poll
    is still reading pages when it is killed) and the calm one (no items); their URLs."""
    items = []
    for n, (key, city) in enumerate(zip(KEYS, CITIES, strict=True)):
        text = (
            f"A Russian missile strike on {city} killed {n + 2} people on Monday, officials "
            f"said. Report {n}."
        )
        page = html(f"<html><head><title>t</title></head><body><article><p>{text}</p></article>"
                    "</body></html>")  # fmt: skip
        slow = Reply(body=page.body, content_type=page.content_type, delay=0.5 + 0.06 * n)
        items.append({"guid": key, "link": server.route(f"/p/{n}", slow), "text": text})
    rss = "application/rss+xml"
    war = server.route("/war.xml", Reply(body=_rss(items), content_type=rss))
    calm = server.route("/calm.xml", Reply(body=_rss([]), content_type=rss))
    return war, calm


def _watch_once(db: Path) -> None:
    """``python -m extract watch --once`` on ``db``, to its end."""
    done = subprocess.run(
        [sys.executable, "-m", "extract", "watch", "--db", str(db), "--once",
         "--host-delay", "0", "--threads", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=WATCH_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def _rows(store: Store) -> list[tuple[Any, ...]]:
    keys = ("article_id", "event_type", "location", "date", "fatalities")
    return sorted(tuple(i[k] for k in keys) for i in store.incidents())


def _app_pid(url: str) -> int:
    """The pid of the Streamlit server at ``url``: the child of this process started with its
    port (:func:`bench.app_server.app_server` keeps its ``Popen`` to itself)."""
    port = str(urlsplit(url).port).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name in parentheses may hold spaces
        at = args.index(b"--server.port") if b"--server.port" in args else -1
        if ppid == os.getpid() and at >= 0 and args[at + 1 : at + 2] == [port]:
            found.append(int(entry.name))
    assert len(found) == 1, f"the app's process on port {port!r}: {found}"
    return found[0]


def _wait_dead(pid: int, timeout_s: float = 30.0) -> None:
    """Wait until every thread of ``pid`` has ended (a zombie holds no file, no lock): only
    then may another process open the store as the restart would."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        states = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                states.append((task / "stat").read_text().rsplit(")", 1)[1].split()[0])
            except OSError:
                continue
        if all(s in {"Z", "X"} for s in states):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} still runs {timeout_s} s after SIGKILL")


def _pick_feed(page: Any, name: str) -> None:
    """Choose the feed ``name`` in the "Feed" select box, as a user does (a rerun that ends
    meanwhile may close the list: open it again)."""
    from playwright.sync_api import expect

    box = page.get_by_role("combobox", name="Feed", exact=True)
    wanted = page.get_by_role("option").filter(has_text=re.compile(f"^{re.escape(name)} \\("))
    choose_option(page, box, wanted, what=f"the feed {name!r}")
    expect(box).to_have_value(re.compile(f"^{re.escape(name)} \\("), timeout=30_000)
    wait_idle(page)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def stores(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Store]:
    """The clean store and the one the app polls, both holding the sample article: the app
    seeds an empty store with it on its first page, which would make the two differ."""
    template = sample_store_template(tmp_path_factory.getbasetemp())
    return Store(copy_store(template, tmp_path / "clean")), Store(
        copy_store(template, tmp_path / "killed")
    )


def test_the_app_killed_mid_poll_loses_and_repeats_nothing(
    server: FaultServer, stores: tuple[Store, Store], browser: Browser
) -> None:
    clean, killed = stores
    sample_articles = killed.count_articles()
    war_url, calm_url = _feeds(server)
    for store in (clean, killed):
        store.add_feed(calm_url, name=CALM)
        war = store.add_feed(war_url, name=WAR)
    started = time.monotonic()
    _watch_once(clean.path)
    clean_s = time.monotonic() - started
    expected = _rows(clean)
    assert clean.count_articles() == sample_articles + len(KEYS)
    assert clean.feed_counts()[war.id] == {"items": 6, "done": 6, "failed": 0}
    assert len(set(expected)) == len(expected)
    from_feed = {r["article_id"] for r in clean.feed_items(war.id, KEYS).values()}
    places = sorted(r[2] for r in expected if r[0] in from_feed)
    assert places == sorted(CITIES), expected  # an incident a city: the pages were read
    already = len(server.seen())  # the clean run's requests

    # no watcher for this store: "Poll now" polls in the app's process
    assert read_status(status_path(killed.path)) is None
    page = browser.page
    with streamlit_server(killed.path, log_name="streamlit-e2e-feeds.log") as url:
        pid = _app_pid(url)
        page.goto(url + "/feeds", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Feeds").wait_for(timeout=PAGE_TIMEOUT_MS)
        page.get_by_text("The feed watcher is not running").wait_for(timeout=60_000)
        _pick_feed(page, WAR)  # the calm feed comes first, chosen by default
        page.get_by_role("button", name="Poll now").click()
        clicked = time.monotonic()

        # the server's log, not the store, says how far the poll is (reading the store would
        # race with the app's writes)
        def pages_read() -> int:
            return sum(s.path.startswith("/p/") for s in server.seen()[already:])

        deadline = clicked + 120
        while pages_read() < PAGES_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.02)
        assert pages_read() >= PAGES_BEFORE_KILL, "the app's poll never read the pages"
        os.kill(pid, signal.SIGKILL)  # no chance to clean up
        _wait_dead(pid)
        to_kill_s = time.monotonic() - clicked
    at_kill = len(server.seen())
    by_app = [s.path for s in server.seen()[already:]]
    assert by_app.count("/war.xml") == 1 and "/calm.xml" not in by_app  # the chosen feed

    # what the kill left: some of the items at most, and none done without its article
    left = killed.count_articles() - sample_articles
    assert 0 <= left < len(KEYS)
    items = killed.feed_items(war.id, KEYS)
    done = {k: r for k, r in items.items() if r["state"] == "done"}
    assert all(killed.article(r["article_id"]) is not None for r in done.values()), done
    assert len(done) <= left
    assert read_status(status_path(killed.path)) is None  # still no watcher

    # the watcher's restart: every item once, nothing lost, no duplicate incident
    killed.update_feed(war.id, poll_now=True)
    started = time.monotonic()
    _watch_once(killed.path)
    restart_s = time.monotonic() - started
    after = _rows(killed)
    assert after == expected
    assert len(set(after)) == len(after)
    assert killed.count_articles() == clean.count_articles() == sample_articles + len(KEYS)
    assert killed.feed_counts()[war.id] == {"items": 6, "done": 6, "failed": 0}
    # the restart read the page of every item not done, once each, and no other
    again = sorted(s.path for s in server.seen()[at_kill:] if s.path.startswith("/p/"))
    assert again == sorted(f"/p/{n}" for n, key in enumerate(KEYS) if key not in done)

    # the app starts again on that store, and its Feeds page shows the feed's items
    errors = len(browser.errors)  # (the killed server's page may have complained)
    with streamlit_server(killed.path, log_name="streamlit-e2e-feeds-restart.log") as url:
        page.goto(url + "/feeds", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Feeds").wait_for(timeout=PAGE_TIMEOUT_MS)
        page.get_by_test_id("stDataFrame").wait_for(timeout=60_000)
        stats = killed.stats()
        shown = f"{stats['incidents']:,} incidents from {stats['articles']:,} articles"
        page.get_by_text(shown).wait_for(timeout=30_000)  # the sidebar: the feed's articles too
        wait_idle(page)
        assert page.get_by_test_id("stException").count() == 0
        page.screenshot(path=str(ARTIFACTS / "feeds-after-kill.png"), full_page=True)
    assert browser.errors[errors:] == []
    print(  # the timings, for -s
        f"\nclean watch {clean_s:.1f} s; click to kill {to_kill_s:.1f} s ({left} of"
        f" {len(KEYS)} articles stored); restart watch {restart_s:.1f} s"
    )
