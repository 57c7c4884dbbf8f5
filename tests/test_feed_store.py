"""The store's feeds and feed items (:mod:`geodata.store._feeds`): following, pausing,
polls with backoff, items remembered once, and the cache token the app keys on."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from geodata.errors import InputError, StoreError
from geodata.store.event_store import Store, feed_id

T0 = datetime(2026, 12, 1, 8, 0, 0)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "feeds.duckdb")


def test_a_feed_is_followed_once_and_found_by_id_or_address(store: Store) -> None:
    feed = store.add_feed(" https://news.example.org/rss ", tags=["ua", " ", "war"])
    assert feed.id == feed_id("https://news.example.org/rss") and feed.id.startswith("f")
    assert feed.name == "news.example.org" and feed.interval_s == 900 and feed.active
    assert feed.tags == ["ua", "war"] and feed.created_at is not None
    assert store.feed(feed.id) == store.feed("https://news.example.org/rss") == feed
    assert store.feed("nope") is None
    with pytest.raises(StoreError, match=f"followed already \\(id {feed.id}\\)"):
        store.add_feed("https://news.example.org/rss", name="again")
    other = store.add_feed("http://b.example/atom.xml", name="B wire", interval_s=300)
    assert [f.name for f in store.feeds()] == ["B wire", "news.example.org"]
    assert other.interval_s == 300


@pytest.mark.parametrize(
    ("url", "interval", "message"),
    [
        ("ftp://example.org/feed", 900, "http:// or https://"),
        ("file:///etc/passwd", 900, "http:// or https://"),
        ("https://", 900, "http:// or https://"),
        ("https://example.org/rss", 5, "interval must be 60 s to 7 days"),
    ],
)
def test_bad_feeds_are_refused(store: Store, url: str, interval: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        store.add_feed(url, interval_s=interval)
    assert store.feeds() == []


def test_pause_resume_rename_and_poll_now(store: Store) -> None:
    feed = store.add_feed("https://a.example/rss")
    feed = store.record_poll(feed, at=T0)
    assert store.due_feeds(T0 + timedelta(minutes=1)) == []
    paused = store.update_feed(feed.id, active=False, name="  A news ")
    assert not paused.active and paused.name == "A news"
    assert store.due_feeds(T0 + timedelta(days=1)) == []
    assert store.next_due() is None
    resumed = store.update_feed(feed.url, active=True)
    assert resumed.active and resumed.next_poll is None  # due at once
    assert [f.id for f in store.due_feeds(T0)] == [feed.id]
    store.record_poll(resumed, at=T0)
    assert store.next_due() == T0 + timedelta(seconds=900)
    assert store.update_feed(feed.id, poll_now=True).next_poll is None
    with pytest.raises(StoreError, match="no feed 'zzz'"):
        store.update_feed("zzz", active=False)


def test_due_feeds_come_longest_waiting_first(store: Store) -> None:
    a = store.record_poll(store.add_feed("https://a.example/rss"), at=T0)
    b = store.record_poll(store.add_feed("https://b.example/rss"), at=T0 - timedelta(hours=1))
    c = store.add_feed("https://c.example/rss")  # never polled
    due = store.due_feeds(T0 + timedelta(hours=1))
    assert [f.id for f in due] == [c.id, b.id, a.id]
    assert [f.id for f in store.due_feeds(T0 - timedelta(minutes=50))] == [c.id]


def test_a_poll_records_its_outcome_and_errors_back_off(store: Store) -> None:
    feed = store.add_feed("https://a.example/rss", interval_s=600)
    ok = store.record_poll(
        feed, at=T0, etag='"v1"', last_modified="Tue, 01 Dec 2026 07:59:00 GMT", items=20,
        articles=18, incidents=31,
    )  # fmt: skip
    assert (ok.last_success, ok.last_poll, ok.next_poll) == (T0, T0, T0 + timedelta(minutes=10))
    assert (ok.etag, ok.items_seen, ok.articles_added, ok.incidents_added) == ('"v1"', 20, 18, 31)
    waits = []
    for k in range(1, 5):
        at = T0 + timedelta(hours=k)
        ok = store.record_poll(ok, at=at, error="the server answered 503 Service Unavailable")
        waits.append((ok.next_poll - at).total_seconds())
    assert waits == [1200, 2400, 4800, 9600]  # the interval doubled for each failure in a row
    assert ok.failures == 4 and ok.last_error.startswith("the server answered 503")
    assert ok.last_success == T0 and ok.etag == '"v1"'  # a failure keeps the validators
    late = store.record_poll(ok, at=T0, error="busy", retry_after=50_000, max_backoff=3600)
    assert late.next_poll == T0 + timedelta(seconds=50_000)  # the server's Retry-After wins
    capped = store.record_poll(late, at=T0, error="down", max_backoff=3600)
    assert capped.next_poll == T0 + timedelta(hours=1)
    back = store.record_poll(capped, at=T0, items=1)
    assert back.failures == 0 and back.last_error is None and back.items_seen == 21


def test_items_are_remembered_per_feed_and_by_address(store: Store) -> None:
    a = store.add_feed("https://a.example/rss")
    b = store.add_feed("https://b.example/rss")
    store.save_items(
        [
            {
                "feed_id": a.id,
                "item_key": "guid-1",
                "canonical_url": "https://x.example/1",
                "version": "v1",
                "article_id": "art1",
                "state": "done",
            },
            {
                "feed_id": a.id,
                "item_key": "guid-2",
                "canonical_url": "https://x.example/2",
                "version": "v1",
                "article_id": None,
                "state": "failed",
                "last_error": "timed out",
            },
        ],  # fmt: skip
        at=T0,
    )
    items = store.feed_items(a.id, ["guid-1", "guid-2", "guid-3"])
    assert set(items) == {"guid-1", "guid-2"}
    assert items["guid-2"]["attempts"] == 1 and items["guid-2"]["last_error"] == "timed out"
    assert store.feed_items(b.id, ["guid-1"]) == {}
    failed_again = dict(items["guid-2"], last_error="timed out again")
    store.save_items([failed_again], at=T0 + timedelta(minutes=15))
    again = store.feed_items(a.id, ["guid-2"])["guid-2"]
    assert again["attempts"] == 2 and again["first_seen"] == T0
    found = store.items_for_urls(["https://x.example/1", "https://x.example/2", ""])
    assert list(found) == ["https://x.example/1"] and found["https://x.example/1"]["article_id"]
    assert store.feed_counts()[a.id] == {"items": 2, "done": 1, "failed": 1}

    assert store.remove_feed(a.url).id == a.id
    assert store.feed(a.id) is None and store.feed_items(a.id, ["guid-1"]) == {}
    with pytest.raises(StoreError, match="no feed"):
        store.remove_feed(a.id)


def test_feed_writes_leave_the_apps_cache_token_alone(store: Store) -> None:
    from extract.sources.ingest import ingest_records
    from tests.fixtures_gazetteer import tiny_gazetteer

    before = store.stats()["changed"]
    feed = store.add_feed("https://a.example/rss")
    store.record_poll(feed, at=T0, items=3)
    store.save_items([{"feed_id": feed.id, "item_key": "k", "state": "done"}])
    assert store.stats()["changed"] == before
    text = "A Russian missile strike on Kharkiv killed 3 people on Monday."
    ingest_records([{"id": "a", "text": text}], store=store, loader=tiny_gazetteer)
    assert store.stats()["changed"] != before
