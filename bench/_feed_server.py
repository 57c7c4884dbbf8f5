"""A local site of SYNTHETIC news feeds for ``bench/watch.py`` (no benchmark here).

:class:`FeedSite` holds ``feeds`` RSS 2.0 feeds (``/feed/N.xml``) of ``items`` items each;
item ``K`` of feed ``N`` links to ``/article/N-K.html``, an HTML page with a ~700-word article
from :func:`bench.synth.make_article` (synthetic article number ``N * 10_000 + K``; the page
says it is synthetic). Every answer has an ``ETag`` and a ``Last-Modified``, and a conditional
request whose validators still hold gets ``304 Not Modified``, so a feed without new items
costs no body. :meth:`FeedSite.add_items` puts new items on top of some feeds (the oldest fall
off the end), as a news site does between two polls.

:func:`serve` runs it in a stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (a free port), in a
thread, HTTP/1.1 with keep-alive. Besides the site it answers, for the benchmark only:

* ``POST /_bench/add?feeds=F&items=I``: ``I`` new items on each of ``F`` feeds (taken in turn);
* ``GET /_bench/stats``: requests served by kind and answer, and the server process's CPU time.

:class:`ServerProcess` runs :func:`serve` in a child process (spawned), so that the site's
pages, its CPU time and its threads stay out of the measured process, as a remote site would.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import resource
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from email.utils import format_datetime, formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["FeedSite", "ServerProcess", "serve"]

#: Synthetic article number of item ``K`` of feed ``N``: ``N * ARTICLE_STRIDE + K``.
ARTICLE_STRIDE = 10_000
#: When the site was first "published" (Last-Modified of the first version of everything).
EPOCH = 1_735_689_600.0  # 2025-01-01 00:00 UTC


class _Resource:
    """One answer: its body and validators."""

    __slots__ = ("body", "content_type", "etag", "last_modified", "modified_at")

    def __init__(self, body: bytes, content_type: str, modified_at: float) -> None:
        self.body = body
        self.content_type = content_type
        self.etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        self.modified_at = int(modified_at)
        self.last_modified = formatdate(self.modified_at, usegmt=True)


class FeedSite:
    """The feeds and pages (see the module docstring), built in memory.

    Parameters
    ----------
    base
        The site's address, ``http://127.0.0.1:PORT`` (item links are absolute).
    feeds, items
        Feeds, and items in each feed.
    seed, words
        For :func:`bench.synth.make_article`.
    """

    def __init__(
        self, base: str, *, feeds: int, items: int, seed: int = 1, words: int = 700
    ) -> None:
        from bench._synth_places import load_pool

        self.base = base.rstrip("/")
        self.seed, self.words = seed, words
        self.pool = load_pool()
        self.lock = threading.Lock()
        self.pages: dict[str, _Resource] = {}
        self.feeds: dict[str, _Resource] = {}
        # per feed, its items' numbers, newest first
        self.items: list[list[int]] = [list(range(items - 1, -1, -1)) for _ in range(feeds)]
        self.next_item = [items] * feeds
        self.turn = 0  # the next feed to get new items
        self.version = 0  # bumped by add_items: the Last-Modified of what changed
        self.meta: dict[str, dict[str, str]] = {}  # page path -> title, published, summary
        for n in range(feeds):
            for k in range(items):
                self._add_page(n, k)
            self._render_feed(n)

    @property
    def n_feeds(self) -> int:
        return len(self.items)

    @staticmethod
    def feed_path(n: int) -> str:
        return f"/feed/{n}.xml"

    @staticmethod
    def page_path(n: int, k: int) -> str:
        return f"/article/{n}-{k}.html"

    def _modified(self) -> float:
        return EPOCH + 3600.0 * self.version

    def _add_page(self, n: int, k: int) -> None:
        from bench.synth import make_article

        art = make_article(n * ARTICLE_STRIDE + k, self.pool, seed=self.seed, words=self.words)
        paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in art["text"].split("\n\n"))
        title = html.escape(art["title"])
        body = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{title} | Synthetic Wire</title>"
            f'<meta property="article:published_time" content="{art["published"]}T12:00:00Z">'
            '<meta name="description" content="SYNTHETIC DATA for a benchmark">'
            "</head><body>\n"
            '<header><nav><a href="/">Home</a> | <a href="/world">World</a> | '
            '<a href="/about">About</a></nav></header>\n'
            f'<main><article><h1>{title}</h1><p class="byline">By the Synthetic Wire desk</p>\n'
            f"{paras}</article></main>\n"
            "<footer><p>SYNTHETIC DATA, made from templates for a benchmark: "
            "not real reporting.</p></footer></body></html>\n"
        ).encode()
        path = self.page_path(n, k)
        self.pages[path] = _Resource(body, "text/html; charset=utf-8", self._modified())
        first = art["text"].split("\n\n", 1)[0]
        self.meta[path] = {
            "title": art["title"],
            "published": art["published"],
            "summary": " ".join(first.split()[:30]),
        }

    def _render_feed(self, n: int) -> None:
        parts = []
        for k in self.items[n]:
            path = self.page_path(n, k)
            meta = self.meta[path]
            day = date.fromisoformat(meta["published"])
            when = format_datetime(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), True)
            parts.append(
                f"<item><title>{html.escape(meta['title'])}</title>"
                f"<link>{self.base}{path}</link>"
                f'<guid isPermaLink="false">synthetic-wire-{n}-{k}</guid>'
                f"<pubDate>{when}</pubDate>"
                f"<description>{html.escape(meta['summary'])}</description></item>\n"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Synthetic Wire {n}</title><link>{self.base}/</link>"
            "<description>SYNTHETIC DATA for a benchmark: not real reporting</description>\n"
            f"{''.join(parts)}</channel></rss>\n"
        ).encode()
        self.feeds[self.feed_path(n)] = _Resource(
            body, "application/rss+xml; charset=utf-8", self._modified()
        )

    def add_items(self, feeds: int, items: int) -> list[int]:
        """``items`` new items on top of each of ``feeds`` feeds (taken in turn); the feed keeps
        its length. Returns the feeds changed."""
        with self.lock:
            self.version += 1
            changed = []
            for _ in range(min(feeds, self.n_feeds)):
                n = self.turn
                self.turn = (self.turn + 1) % self.n_feeds
                for _ in range(items):
                    k = self.next_item[n]
                    self.next_item[n] += 1
                    self._add_page(n, k)
                    self.items[n].insert(0, k)
                    self.items[n].pop()
                self._render_feed(n)
                changed.append(n)
            return changed

    def get(self, path: str) -> _Resource | None:
        return self.feeds.get(path) or self.pages.get(path)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # the headers and the body go out in two writes: with Nagle's algorithm the body would
    # wait for the client's delayed ACK of the headers, 40 ms on Linux, on every request
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/_bench/add":
            self._send(404, b"not found", {"Content-Type": "text/plain"})
            return
        query = parse_qs(parts.query)
        changed = self.server.site.add_items(
            int(query.get("feeds", ["10"])[0]), int(query.get("items", ["2"])[0])
        )
        self._send(200, json.dumps(changed).encode(), {"Content-Type": "application/json"})

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        counts = self.server.counts
        if path == "/_bench/stats":
            use = resource.getrusage(resource.RUSAGE_SELF)
            stats = {"requests": dict(counts), "cpu_s": use.ru_utime + use.ru_stime}
            self._send(200, json.dumps(stats).encode(), {"Content-Type": "application/json"})
            return
        kind = "feed" if path.startswith("/feed/") else "page"
        with self.server.site.lock:
            found = self.server.site.get(path)
        if found is None:
            counts[f"{kind} 404"] += 1
            self._send(404, b"not found", {"Content-Type": "text/plain"})
            return
        headers = {"ETag": found.etag, "Last-Modified": found.last_modified}
        if _still_valid(self.headers, found):
            counts[f"{kind} 304"] += 1
            self._send(304, b"", headers)
            return
        counts[f"{kind} 200"] += 1
        self._send(200, found.body, {"Content-Type": found.content_type, **headers})


def _still_valid(headers: Any, found: _Resource) -> bool:
    """RFC 9110: ``If-None-Match`` decides when present, else ``If-Modified-Since``."""
    tags = headers.get("If-None-Match")
    if tags is not None:
        return found.etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return parsedate_to_datetime(since).timestamp() >= found.modified_at
        except (TypeError, ValueError):
            return False
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: FeedSite
    counts: Counter[str]


@contextmanager
def serve(
    *, feeds: int, items: int, seed: int = 1, words: int = 700
) -> Iterator[tuple[str, FeedSite]]:
    """The site on 127.0.0.1 (a free port), served by a thread; yields its base address and
    the :class:`FeedSite`."""
    server = _Server(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.site = FeedSite(base, feeds=feeds, items=items, seed=seed, words=words)
    server.counts = Counter()
    thread = threading.Thread(target=server.serve_forever, name="feed-server", daemon=True)
    thread.start()
    try:
        yield base, server.site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _child(conn: Any, feeds: int, items: int, seed: int, words: int) -> None:
    t0 = time.perf_counter()
    with serve(feeds=feeds, items=items, seed=seed, words=words) as (base, site):
        sizes = [len(r.body) for r in site.pages.values()]
        conn.send({"base": base, "build_s": time.perf_counter() - t0, "page_bytes": sizes})
        conn.recv()  # anything, or EOF: stop


class ServerProcess:
    """:func:`serve` in a spawned child process: ``with ServerProcess(...) as info:`` gives
    ``{"base", "build_s", "page_bytes"}`` once the site is up."""

    def __init__(self, *, feeds: int, items: int, seed: int = 1, words: int = 700) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child_conn = ctx.Pipe()
        self._proc = ctx.Process(
            target=_child, args=(child_conn, feeds, items, seed, words), daemon=True
        )

    def __enter__(self) -> dict[str, Any]:
        self._proc.start()
        return self._conn.recv()

    def __exit__(self, *exc: object) -> None:
        try:
            self._conn.send("stop")
        except OSError:
            pass
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join()
