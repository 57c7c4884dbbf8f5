"""The Feeds page's parts: the watcher's status, following a feed, and the followed feeds with
their polls (pause, resume, poll now, remove).

The feeds live in the store (:class:`geodata.store._feeds.FeedStore`); the watcher
(``python -m extract watch``, started by ``./run.sh``) polls them and writes its status beside
the store (:mod:`extract.sources.watch_status`), which this page reads. "Poll now" asks a
running watcher to poll the feed at its next look (within seconds); without a watcher, the app
polls it itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

from extract.sources.watch_status import read_status, status_path
from geodata.errors import DatelineError
from geodata.records import DEFAULT_FEED_INTERVAL, Feed
from ui import data, resources, state
from ui.text import escape_markdown

__all__ = [
    "feed_rows",
    "render_add_feed",
    "render_feeds",
    "render_sidebar_line",
    "render_watcher",
    "watcher_status",
]


def watcher_status(view: data.StoreView) -> dict[str, Any] | None:
    """What the watcher of this store last wrote (``alive`` says whether it runs)."""
    return read_status(status_path(view.path))


def _ago(stamp: Any, now: datetime | None = None) -> str:
    """ "3 min ago" for an ISO time or a naive UTC datetime; "never" for none."""
    if not stamp:
        return "never"
    if isinstance(stamp, datetime):
        when = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp
    else:
        try:
            when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError:
            return str(stamp)
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    if seconds < 0:
        return "in " + _span(-seconds)
    return _span(seconds) + " ago"


def _span(seconds: float) -> str:
    if seconds < 90:
        return f"{int(seconds)} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


def render_watcher(view: data.StoreView) -> dict[str, Any] | None:
    """Whether the watcher runs, and what its last cycle did."""
    status = watcher_status(view)
    if status and status.get("alive"):
        cycle = status.get("last_cycle") or {}
        text = (
            f"The feed watcher is running (process {status.get('pid')}, "
            f"{status.get('state', '?')}); its last cycle ended {_ago(cycle.get('ended'))}"
        )
        if cycle.get("summary"):
            text += f": {cycle['summary']}"
        st.success(escape_markdown(text), icon=":material/rss_feed:")
    else:
        when = f" (last heard of {_ago(status.get('beat_at'))})" if status else ""
        st.warning(
            escape_markdown(
                f"The feed watcher is not running{when}: feeds are polled only when you press"
                " “Poll now”. `./run.sh` starts it beside the app; alone: "
            )
            + "`python -m extract watch`",
            icon=":material/pause_circle:",
        )
    return status


def render_add_feed(view: data.StoreView) -> None:
    """Follow a feed: its address, a name, the interval, language and tags."""
    read_only = resources.read_only_notice(view.handle) is not None
    with st.form(state.FEED_ADD_KEY, clear_on_submit=True, border=True):
        st.markdown("**Follow a feed** (RSS, Atom or JSON Feed)")
        url = st.text_input("Feed address", key=state.FEED_URL_KEY, placeholder="https://…")
        c_name, c_every, c_lang, c_tags = st.columns([3, 1.4, 1, 2])
        name = c_name.text_input("Name (optional)", key=state.FEED_NAME_KEY)
        minutes = c_every.number_input(
            "Every (minutes)",
            min_value=1,
            max_value=7 * 24 * 60,
            value=DEFAULT_FEED_INTERVAL // 60,
            key=state.FEED_INTERVAL_KEY,
        )
        language = c_lang.text_input("Language", key=state.FEED_LANGUAGE_KEY, placeholder="en")
        tags = c_tags.text_input("Tags", key=state.FEED_TAGS_KEY, placeholder="comma, separated")
        if st.form_submit_button("Follow", type="primary", disabled=read_only):
            with data.data_errors("Could not follow the feed", stop=False):
                feed = view.handle.add_feed(
                    url or "",
                    name=name,
                    interval_s=int(minutes) * 60,
                    language=language,
                    tags=[t.strip() for t in (tags or "").split(",")],
                )
                st.session_state[state.FEED_DONE_KEY] = (
                    f"Following {feed.name} ({feed.url}); the watcher polls it at its next look."
                )
                st.rerun()


def feed_rows(feeds: list[Feed], counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """The feeds as table rows ("—" for what has not happened yet)."""
    rows = []
    for feed in feeds:
        c = counts.get(feed.id, {})
        rows.append(
            {
                "name": feed.name,
                "state": "active" if feed.active else "paused",
                "every": f"{feed.interval_s // 60} min",
                "last poll": _ago(feed.last_poll) if feed.last_poll else "—",
                "last success": _ago(feed.last_success) if feed.last_success else "—",
                "next poll": _ago(feed.next_poll) if feed.next_poll else "due",
                "items": str(c.get("items", 0)),
                "articles": str(feed.articles_added),
                "incidents": str(feed.incidents_added),
                "last error": feed.last_error or "—",
                "address": feed.url,
            }
        )
    return rows


def render_feeds(view: data.StoreView, status: dict[str, Any] | None) -> None:
    """The followed feeds, and the actions on one of them."""
    message = st.session_state.pop(state.FEED_DONE_KEY, None)
    if message:
        st.success(escape_markdown(message), icon=":material/task_alt:")
    with data.data_errors("Cannot read the feeds"):
        feeds = view.handle.feeds()
        counts = view.handle.feed_counts()
    if not feeds:
        st.info("No feed is followed yet.")
        return
    st.dataframe(feed_rows(feeds, counts), hide_index=True, width="stretch")
    by_id = {f.id: f for f in feeds}
    fid = st.selectbox(
        "Feed",
        list(by_id),
        format_func=lambda i: f"{by_id[i].name} ({by_id[i].url})",
        key=state.FEED_PICK_KEY,
    )
    if fid is None:
        return
    feed = by_id[fid]
    if feed.last_error:
        st.error(f"Last poll failed: {escape_markdown(feed.last_error)}")
    read_only = resources.read_only_notice(view.handle) is not None
    alive = bool(status and status.get("alive"))
    c_toggle, c_poll, c_remove, _ = st.columns([1, 1, 1, 3])
    key = f"{state.FEED_ACTION_KEY_PREFIX}"
    if c_toggle.button(
        "Pause" if feed.active else "Resume", key=f"{key}toggle_{fid}", disabled=read_only
    ):
        _act(view, fid, f"{feed.name}: {'paused' if feed.active else 'resumed'}.",
             active=not feed.active)  # fmt: skip
    if c_poll.button("Poll now", key=f"{key}poll_{fid}", disabled=read_only):
        if alive:
            _act(view, fid, f"{feed.name}: the watcher polls it within seconds.", poll_now=True)
        else:
            _poll_here(view, feed)
    with c_remove.popover("Remove", disabled=read_only):
        st.caption("Stop following this feed. The articles it brought stay in the store.")
        if st.button("Remove the feed", key=f"{key}remove_{fid}"):
            with data.data_errors("Could not remove the feed", stop=False):
                view.handle.remove_feed(fid)
                st.session_state[state.FEED_DONE_KEY] = f"Stopped following {feed.name}."
                st.session_state.pop(state.FEED_PICK_KEY, None)
                st.rerun()


def _act(view: data.StoreView, fid: str, done: str, **changes: Any) -> None:
    with data.data_errors("Could not change the feed", stop=False):
        view.handle.update_feed(fid, **changes)
        st.session_state[state.FEED_DONE_KEY] = done
        st.rerun()


def _poll_here(view: data.StoreView, feed: Feed) -> None:
    """Poll a feed in the app (no watcher runs): fetch, parse, ingest, with a spinner."""
    from extract.sources.watch import Watcher

    with st.spinner(f"Polling {feed.name}…"):
        try:
            with Watcher(view.handle, loader=resources.gazetteer) as watcher:
                outcome = watcher.poll(feed)
        except DatelineError as exc:
            data.show_error(exc, "Could not poll the feed")
            return
    if outcome.error:
        st.error(f"{escape_markdown(feed.name)}: {escape_markdown(outcome.error)}")
        return
    if outcome.not_modified:
        said = "not changed since the last poll"
    else:
        said = (
            f"{outcome.handled} new items, {outcome.articles} articles and"
            f" {outcome.incidents} incidents added"
        )
    st.session_state[state.FEED_DONE_KEY] = f"{feed.name}: {said}."
    st.rerun()


def render_sidebar_line(view: data.StoreView) -> None:
    """One line for the sidebar when feeds are followed: how many, and whether the watcher
    runs."""
    active, total = data.feed_count(view)
    if not total:
        return
    status = watcher_status(view)
    if status and status.get("alive"):
        cycle = (status.get("last_cycle") or {}).get("ended")
        how = f"watcher running, last cycle {_ago(cycle)}"
    else:
        how = "watcher not running"
    st.caption(f"Feeds: {active} of {total} active · {how}")
