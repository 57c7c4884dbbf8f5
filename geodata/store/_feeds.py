"""Followed feeds and the items seen in them: the store's side of the feed watcher.

:class:`FeedStore` is mixed into :class:`geodata.store.event_store.Store`. A feed
(:class:`geodata.records.Feed`) is identified by an id derived from its URL; the watcher asks
for the feeds that are due (:meth:`FeedStore.due_feeds`), records each poll's outcome
(:meth:`FeedStore.record_poll`), and remembers every item it has handled in ``feed_items``
(keyed by the feed and the item's GUID or link, with its canonical URL and the article it
became), so each item is ingested once and an item seen again in another feed or under
another address is recognised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from geodata.errors import InputError, StoreError
from geodata.records import DEFAULT_FEED_INTERVAL, FEED_FIELDS, Feed, FeedPoll
from geodata.store._schema import quoted, utcnow

__all__ = ["ITEM_FIELDS", "FeedStore", "feed_id"]

#: The columns of ``feed_items`` a caller writes with :meth:`FeedStore.save_items`.
ITEM_FIELDS = ("feed_id", "item_key", "canonical_url", "version", "article_id", "state")
_ITEM_COLUMNS = (*ITEM_FIELDS, "attempts", "last_error", "first_seen", "updated_at")
#: Shortest and longest poll interval a feed may ask for, in seconds.
MIN_INTERVAL, MAX_INTERVAL = 60, 7 * 24 * 3600


def feed_id(url: str) -> str:
    """The id of the feed at ``url``: ``f`` and 8 hex digits of its hash (stable, short
    enough to type)."""
    return "f" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:8]


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"a feed address must start with http:// or https://, got {url!r}")
    return url


def _check_interval(seconds: int) -> int:
    if not MIN_INTERVAL <= int(seconds) <= MAX_INTERVAL:
        raise InputError(
            f"a feed's interval must be {MIN_INTERVAL} s to {MAX_INTERVAL // 86400} days,"
            f" got {seconds} s"
        )
    return int(seconds)


class FeedStore:
    """The feed methods of :class:`~geodata.store.event_store.Store` (see the module
    docstring)."""

    _read: Callable[[], AbstractContextManager[Any]]
    _write: Callable[[], AbstractContextManager[Any]]

    # --- feeds ------------------------------------------------------------------------------

    def add_feed(
        self,
        url: str,
        *,
        name: str | None = None,
        interval_s: int = DEFAULT_FEED_INTERVAL,
        language: str | None = None,
        tags: Sequence[str] = (),
    ) -> Feed:
        """Follow the feed at ``url`` (due at once).

        Raises
        ------
        geodata.errors.InputError
            For an address that is not http(s) or an interval out of range.
        geodata.errors.StoreError
            When the feed is followed already.
        """
        url = _check_url(url)
        feed = Feed(
            id=feed_id(url),
            url=url,
            name=(name or "").strip() or urlsplit(url).hostname or url,
            interval_s=_check_interval(interval_s),
            language=(language or "").strip() or None,
            tags=[t.strip() for t in tags if t and t.strip()],
            created_at=utcnow(),
        )
        with self._write() as cur:
            known = cur.execute(
                "SELECT id FROM feeds WHERE id = ? OR url = ?", [feed.id, url]
            ).fetchone()
            if known:
                raise StoreError(f"the feed {url} is followed already (id {known[0]})")
            values = [getattr(feed, f) for f in FEED_FIELDS]
            marks = ", ".join("?" for _ in FEED_FIELDS)
            cur.execute(f"INSERT INTO feeds ({quoted(FEED_FIELDS)}) VALUES ({marks})", values)
        return feed

    def feeds(self) -> list[Feed]:
        """Every followed feed, by name."""
        with self._read() as cur:
            return [Feed.from_row(r) for r in _rows(cur, "SELECT * FROM feeds ORDER BY name, id")]

    def feed(self, key: str) -> Feed | None:
        """The feed with id or address ``key``, or ``None``."""
        with self._read() as cur:
            rows = _rows(cur, "SELECT * FROM feeds WHERE id = ? OR url = ?", [key, key.strip()])
        return Feed.from_row(rows[0]) if rows else None

    def _feed_or_error(self, cur: Any, key: str) -> Feed:
        rows = _rows(cur, "SELECT * FROM feeds WHERE id = ? OR url = ?", [key, key.strip()])
        if not rows:
            raise StoreError(f"no feed {key!r}: see the list of followed feeds")
        return Feed.from_row(rows[0])

    def remove_feed(self, key: str) -> Feed:
        """Stop following a feed and forget its items (the articles it brought stay)."""
        with self._write() as cur:
            feed = self._feed_or_error(cur, key)
            cur.execute("DELETE FROM feed_items WHERE feed_id = ?", [feed.id])
            cur.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
        return feed

    def update_feed(
        self,
        key: str,
        *,
        active: bool | None = None,
        name: str | None = None,
        interval_s: int | None = None,
        poll_now: bool = False,
    ) -> Feed:
        """Pause or resume a feed, rename it, change its interval, or make it due now."""
        changes: dict[str, Any] = {}
        if active is not None:
            changes["active"] = bool(active)
        if name is not None and name.strip():
            changes["name"] = name.strip()
        if interval_s is not None:
            changes["interval_s"] = _check_interval(interval_s)
        if poll_now or active:
            changes["next_poll"] = None  # due at once
        with self._write() as cur:
            feed = self._feed_or_error(cur, key)
            if changes:
                sets = ", ".join(f'"{k}" = ?' for k in changes)
                cur.execute(f"UPDATE feeds SET {sets} WHERE id = ?", [*changes.values(), feed.id])
            return Feed.from_row(_rows(cur, "SELECT * FROM feeds WHERE id = ?", [feed.id])[0])

    def due_feeds(self, now: datetime | None = None) -> list[Feed]:
        """The active feeds due for a poll at ``now``, the longest waiting first."""
        now = now or utcnow()
        sql = (
            "SELECT * FROM feeds WHERE active AND (next_poll IS NULL OR next_poll <= ?)"
            " ORDER BY next_poll NULLS FIRST, id"
        )
        with self._read() as cur:
            return [Feed.from_row(r) for r in _rows(cur, sql, [now])]

    def next_due(self) -> datetime | None:
        """When the next active feed is due (``None`` without active feeds; a time in the past
        when one is due already)."""
        with self._read() as cur:
            row = cur.execute(
                "SELECT count(*) FILTER (next_poll IS NULL), min(next_poll) FROM feeds WHERE active"
            ).fetchone()
        if row[0]:
            return datetime.min
        return row[1]

    def record_poll(
        self, feed: Feed, *, at: datetime, max_backoff: float = 24 * 3600.0, **outcome: Any
    ) -> Feed:
        """Record one poll of ``feed`` (``outcome``: the other fields of
        :class:`~geodata.records.FeedPoll`); see :meth:`record_polls`. Returns the feed as
        stored now."""
        poll = FeedPoll(feed=feed, at=at, **outcome)
        return self.record_polls([poll], max_backoff=max_backoff)[0]

    def record_polls(
        self,
        polls: Sequence[FeedPoll],
        *,
        items: Iterable[Mapping[str, Any]] = (),
        max_backoff: float = 24 * 3600.0,
    ) -> list[Feed]:
        """Record polls, with the ``items`` they handled (as :meth:`save_items`), in one
        transaction. After an error a feed's next poll waits its interval times 2 for each
        failure in a row (at most ``max_backoff`` seconds, and at least a server's
        ``retry_after``). A feed that moved for good (``moved_to``) is followed at its new
        address from now on (under the same id), unless another feed has that address. Returns
        each feed as stored now (as given when it was removed meanwhile)."""
        out: list[Feed] = []
        with self._write() as cur:
            _save_items(cur, list(items), utcnow())
            for poll in polls:
                feed = poll.feed
                if poll.error is None:
                    failures, wait = 0, float(feed.interval_s)
                else:
                    failures = feed.failures + 1
                    wait = min(feed.interval_s * 2.0 ** min(failures, 16), max_backoff)
                    wait = max(wait, float(poll.retry_after or 0.0))
                sets = (
                    "last_poll = ?, next_poll = ?, failures = ?, last_error = ?,"
                    " items_seen = items_seen + ?, articles_added = articles_added + ?,"
                    " incidents_added = incidents_added + ?"
                )
                params: list[Any] = [
                    poll.at,
                    poll.at + timedelta(seconds=wait),
                    failures,
                    poll.error,
                    poll.items,
                    poll.articles,
                    poll.incidents,
                ]
                if poll.error is None:
                    sets += ", last_success = ?, etag = ?, last_modified = ?"
                    params += [poll.at, poll.etag, poll.last_modified]
                    if poll.moved_to and poll.moved_to != feed.url:
                        taken = cur.execute(
                            "SELECT id FROM feeds WHERE url = ? AND id <> ?",
                            [poll.moved_to, feed.id],
                        ).fetchone()
                        if taken is None:
                            sets += ", url = ?"
                            params.append(poll.moved_to)
                rows = _rows(
                    cur, f"UPDATE feeds SET {sets} WHERE id = ? RETURNING *", [*params, feed.id]
                )
                out.append(Feed.from_row(rows[0]) if rows else feed)  # gone: removed meanwhile
        return out

    # --- items ------------------------------------------------------------------------------

    def feed_items(self, feed_id: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored items of a feed among ``keys``: item key → its row."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        sql = (
            f"SELECT {quoted(_ITEM_COLUMNS)} FROM feed_items WHERE feed_id = ?"
            " AND item_key IN (SELECT unnest(?::VARCHAR[]))"
        )
        with self._read() as cur:
            return {r["item_key"]: r for r in _rows(cur, sql, [feed_id, wanted])}

    def items_for_urls(self, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Items of any feed already turned into an article, by canonical URL (the first
        stored): the same article in two feeds, or under two addresses, is fetched once."""
        wanted = [u for u in dict.fromkeys(urls) if u]
        if not wanted:
            return {}
        sql = (
            f"SELECT {quoted(_ITEM_COLUMNS)} FROM feed_items WHERE state = 'done' AND"
            " article_id IS NOT NULL AND canonical_url IN (SELECT unnest(?::VARCHAR[]))"
            " ORDER BY first_seen"
        )
        out: dict[str, dict[str, Any]] = {}
        with self._read() as cur:
            for row in _rows(cur, sql, [wanted]):
                out.setdefault(row["canonical_url"], row)
        return out

    def save_items(self, rows: Iterable[Mapping[str, Any]], *, at: datetime | None = None) -> int:
        """Insert or update items (:data:`ITEM_FIELDS`, and ``last_error``); ``attempts``
        counts the failed tries of an item. Returns how many were written."""
        items = list(rows)
        if not items:
            return 0
        with self._write() as cur:
            _save_items(cur, items, at or utcnow())
        return len(items)

    def feed_counts(self) -> dict[str, dict[str, int]]:
        """Per feed id: ``items`` stored, ``done``, ``failed``."""
        sql = (
            "SELECT feed_id, count(*), count(*) FILTER (state = 'done'),"
            " count(*) FILTER (state = 'failed') FROM feed_items GROUP BY feed_id"
        )
        with self._read() as cur:
            return {
                fid: {"items": int(n), "done": int(d), "failed": int(f)}
                for fid, n, d, f in cur.execute(sql).fetchall()
            }


def _rows(cur: Any, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts with native values (datetimes stay datetimes: a feed's times are
    compared)."""
    result = cur.execute(sql, list(params))
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


#: Items written by one statement (a statement takes up to this many rows of parameters).
_ITEMS_PER_STATEMENT = 250


def _save_items(cur: Any, items: list[Mapping[str, Any]], at: datetime) -> None:
    """Upsert ``items`` (see :meth:`FeedStore.save_items`), a few hundred per statement: one
    ``execute`` per row cost a feed's poll more than its parsing. The last row for a key
    wins (one statement cannot update a row twice)."""
    latest = {(row["feed_id"], row["item_key"]): row for row in items}
    rows = list(latest.values())
    marks = "(" + ", ".join("?" for _ in _ITEM_COLUMNS) + ")"
    for start in range(0, len(rows), _ITEMS_PER_STATEMENT):
        part = rows[start : start + _ITEMS_PER_STATEMENT]
        params: list[Any] = []
        for row in part:
            failed = row.get("state") == "failed"
            params += [*(row.get(f) for f in ITEM_FIELDS), int(failed), row.get("last_error")]
            params += [at, at]
        cur.execute(
            f"INSERT INTO feed_items ({quoted(_ITEM_COLUMNS)}) VALUES"
            f" {', '.join(marks for _ in part)} ON CONFLICT (feed_id, item_key) DO UPDATE"
            " SET canonical_url = excluded.canonical_url, version = excluded.version,"
            " article_id = excluded.article_id, state = excluded.state,"
            " attempts = CASE WHEN excluded.state = 'failed'"
            " THEN feed_items.attempts + 1 ELSE 0 END,"
            " last_error = excluded.last_error, updated_at = excluded.updated_at",
            params,
        )
