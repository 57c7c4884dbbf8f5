"""``python -m extract feeds add|list|remove|pause|resume|poll`` and ``python -m extract watch``.

``feeds`` manages the followed feeds of a store; ``watch`` runs the feed watcher
(:mod:`extract.sources.watch`) until stopped, or one cycle with ``--once``. Exit status: 0 on
success, 2 on bad arguments, an unknown feed, a store or gazetteer error, or when another
watcher runs for the store; 130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from geodata.records import DEFAULT_FEED_INTERVAL, Feed

__all__ = ["add_feed_commands"]

_DB_HELP = "the store (default: $DATELINE_DB, else data/dateline.duckdb)"


def _minutes(value: str) -> int:
    try:
        minutes = float(value)
    except ValueError:
        minutes = -1.0
    if not 1 <= minutes <= 7 * 24 * 60:
        raise argparse.ArgumentTypeError(f"expected minutes from 1 to 10080, got {value!r}")
    return round(minutes * 60)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds from 0 to 3600, got {value!r}")
    return seconds


def add_feed_commands(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``feeds`` (with its actions) and ``watch`` to the ``python -m extract`` parser."""
    feeds = commands.add_parser(
        "feeds",
        parents=parents,
        help="follow RSS, Atom and JSON feeds (the watcher polls them)",
        description="Manage the feeds the watcher (python -m extract watch) follows.",
    )
    feeds.add_argument("--db", metavar="PATH", help=_DB_HELP)
    actions = feeds.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="follow a feed", description="Follow a feed.")
    add.add_argument("url", metavar="URL", help="the feed's address (http or https)")
    add.add_argument("--name", help="a name to show (default: the host)")
    add.add_argument(
        "--interval",
        type=_minutes,
        default=DEFAULT_FEED_INTERVAL,
        metavar="MINUTES",
        help=f"minutes between polls (default: {DEFAULT_FEED_INTERVAL // 60})",
    )
    add.add_argument("--language", metavar="CODE", help="the feed's language, e.g. en")
    add.add_argument("--tag", dest="tags", action="append", default=[], metavar="TAG")
    add.set_defaults(func=_cmd_add)
    ls = actions.add_parser("list", help="the followed feeds and how their polls went")
    ls.add_argument("--json", action="store_true", help="one JSON object per feed")
    ls.set_defaults(func=_cmd_list)
    for name, verb in (
        ("remove", "stop following a feed (its articles stay)"),
        ("pause", "stop polling a feed for now"),
        ("resume", "poll a paused feed again"),
        ("poll", "poll a feed at the watcher's next look (within seconds)"),
    ):
        sub = actions.add_parser(name, help=verb, description=verb[0].upper() + verb[1:] + ".")
        sub.add_argument("feed", metavar="ID|URL", help="the feed's id (see list) or address")
        sub.set_defaults(func=_cmd_change, change=name)

    watch = commands.add_parser(
        "watch",
        parents=parents,
        help="poll the followed feeds and ingest their new articles, until stopped",
        description="Poll the followed feeds when due, fetch each new item's page and ingest"
        " it (dedup, fixes, incidents) as `extract ingest` does. Runs until stopped (Ctrl-C,"
        " SIGTERM); one cycle with --once. ./run.sh starts it beside the app.",
    )
    watch.add_argument("--db", metavar="PATH", help=_DB_HELP)
    watch.add_argument("--once", action="store_true", help="poll the due feeds once and exit")
    watch.add_argument(
        "--no-pages", action="store_true", help="ingest each item's own text, fetch no pages"
    )
    watch.add_argument(
        "--threads", type=int, default=8, metavar="N", help="feeds fetched at once (default 8)"
    )
    watch.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="extraction worker processes (default 1: extraction runs beside the fetching;"
        " 0: in the watcher's own process)",
    )
    watch.add_argument(
        "--host-delay",
        type=_seconds,
        default=1.0,
        metavar="S",
        help="seconds between two requests to one host (default: 1)",
    )
    watch.add_argument(
        "--stop-with-parent",
        action="store_true",
        help="stop when the process that started it ends (./run.sh uses it)",
    )
    watch.set_defaults(func=_cmd_watch)


def _store(args: argparse.Namespace) -> Any:
    from geodata.store.event_store import Store

    return Store(args.db)


def _cmd_add(args: argparse.Namespace) -> int:
    feed = _store(args).add_feed(
        args.url, name=args.name, interval_s=args.interval, language=args.language, tags=args.tags
    )
    print(f"following {feed.url} as {feed.id} ({feed.name}), every {feed.interval_s // 60} min")
    return 0


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _line(feed: Feed, counts: dict[str, int]) -> str:
    state = "active" if feed.active else "paused"
    health = f"last error: {feed.last_error}" if feed.last_error else "ok"
    return (
        f"{feed.id}  {feed.name}  <{feed.url}>  {state}, every {feed.interval_s // 60} min;"
        f" last poll {_when(feed.last_poll)}, last success {_when(feed.last_success)};"
        f" items {counts.get('items', 0)} ({counts.get('failed', 0)} failed),"
        f" articles {feed.articles_added}, incidents {feed.incidents_added}; {health}"
    )


def _cmd_list(args: argparse.Namespace) -> int:
    store = _store(args)
    feeds = store.feeds()
    counts = store.feed_counts()
    if args.json:
        for feed in feeds:
            row = {k: getattr(feed, k) for k in feed.__slots__}
            row.update(counts.get(feed.id, {"items": 0, "done": 0, "failed": 0}))
            print(json.dumps(row, default=str, ensure_ascii=False))
    elif not feeds:
        print("no feed is followed: python -m extract feeds add URL", file=sys.stderr)
    else:
        for feed in feeds:
            print(_line(feed, counts.get(feed.id, {})))
    return 0


def _cmd_change(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.change == "remove":
        feed = store.remove_feed(args.feed)
        print(f"stopped following {feed.url} ({feed.id}); its articles stay in the store")
        return 0
    changes = {"pause": {"active": False}, "resume": {"active": True}, "poll": {"poll_now": True}}
    feed = store.update_feed(args.feed, **changes[args.change])
    done = {"pause": "paused", "resume": "resumed", "poll": "due now"}[args.change]
    print(f"{feed.id} ({feed.name}): {done}")
    return 0


def _cmd_watch(args: argparse.Namespace) -> int:
    from extract.sources.http import PoliteClient
    from extract.sources.watch import Watcher, watch
    from extract.sources.watch_status import status_path

    store = _store(args)
    store.stats()  # create or migrate the store now: a clear error before anything runs
    client = PoliteClient(min_delay=args.host_delay)
    watcher = Watcher(
        store,
        client=client,
        threads=max(1, args.threads),
        workers=max(0, args.workers),
        fetch_pages=not args.no_pages,
    )
    print(
        f"watching the feeds of {store.path} (status: {status_path(store.path)}); stop with Ctrl-C",
        file=sys.stderr,
    )
    try:
        last = watch(store, once=args.once, watcher=watcher, stop_with_parent=args.stop_with_parent)
    finally:
        client.close()
    print(last.summary(), file=sys.stderr)
    return 0
