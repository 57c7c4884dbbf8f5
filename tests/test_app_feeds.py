"""The Feeds page under AppTest: the watcher's status, following a feed, pausing, "poll now"
with a running watcher, removing; the sidebar's feeds line."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.sources.watch_status import WatchStatus, status_path
from tests.app_support import copy_store, rerun, run_app, sample_store_template
from ui import state

PAGE = "pages/feeds.py"
URL = "https://wire.example.org/world/rss.xml"


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    path = copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path)
    monkeypatch.setenv("DATELINE_DB", str(path))
    return path


def _follow(at, url: str = URL, name: str = "Wire world"):
    at.text_input(key=state.FEED_URL_KEY).input(url)
    at.text_input(key=state.FEED_NAME_KEY).input(name)
    at.number_input(key=state.FEED_INTERVAL_KEY).set_value(30)
    at.text_input(key=state.FEED_TAGS_KEY).input("world, wire")
    at.button(key=f"FormSubmitter:{state.FEED_ADD_KEY}-Follow").click()
    return rerun(at)


def test_follow_pause_and_remove_a_feed(db: Path) -> None:
    from geodata.store.event_store import Store

    at = run_app(PAGE)
    assert at.title[0].value == "Feeds"
    assert any("not running" in w.value for w in at.warning)
    assert any("No feed is followed yet" in i.value for i in at.info)
    _follow(at)
    (feed,) = Store(db).feeds()
    assert (feed.url, feed.name, feed.interval_s, feed.tags) == (URL, "Wire world", 1800,
                                                                  ["world", "wire"])  # fmt: skip
    assert any("Following Wire world" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert table["state"].tolist() == ["active"] and table["last poll"].tolist() == ["—"]
    assert any("Feeds: 1 of 1 active · watcher not running" in c.value for c in at.sidebar.caption)

    at.button(key=f"{state.FEED_ACTION_KEY_PREFIX}toggle_{feed.id}").click()
    rerun(at)
    assert not Store(db).feed(feed.id).active
    assert at.dataframe[0].value["state"].tolist() == ["paused"]
    assert at.button(key=f"{state.FEED_ACTION_KEY_PREFIX}toggle_{feed.id}").label == "Resume"

    at.button(key=f"{state.FEED_ACTION_KEY_PREFIX}remove_{feed.id}").click()
    rerun(at)
    assert Store(db).feeds() == []
    assert any("Stopped following Wire world" in s.value for s in at.success)


def test_a_bad_address_is_refused_in_words(db: Path) -> None:
    from geodata.store.event_store import Store

    at = _follow(run_app(PAGE), url="ftp://wire.example.org/rss")
    assert any("http:// or https://" in e.value.replace("\\", "") for e in at.error)
    assert Store(db).feeds() == []


def test_with_a_running_watcher_poll_now_marks_the_feed_due(db: Path) -> None:
    from geodata.store.event_store import Store

    store = Store(db)
    feed = store.add_feed(URL)
    store.record_poll(feed, at=feed.created_at)  # polled: not due for 15 minutes
    watcher = WatchStatus(status_path(db))
    watcher.start()  # this process plays the watcher
    try:
        watcher.cycle("feeds: 1 polled", started="2026-12-07T08:00:00Z", next_due=None)
        at = run_app(PAGE)
        assert any("The feed watcher is running" in s.value for s in at.success)
        assert any("watcher running, last cycle" in c.value for c in at.sidebar.caption)
        assert store.feed(feed.id).next_poll is not None
        at.button(key=f"{state.FEED_ACTION_KEY_PREFIX}poll_{feed.id}").click()
        rerun(at)
        assert store.feed(feed.id).next_poll is None  # due: the watcher takes it next
        assert any("polls it within seconds" in s.value for s in at.success)
    finally:
        watcher.stop()
