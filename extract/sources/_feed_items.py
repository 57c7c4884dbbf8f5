"""What the feed parser (:mod:`extract.sources.feeds`) gives and what it does to every item,
whatever the format: the results (:class:`FeedItem`, :class:`ParsedFeed`) and
:class:`FeedError`, an item's stable key and its version (from the items as read, each an
:class:`Entry`), its publication date (none from the future), and the cap on items a feed."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from extract.errors import InputError
from extract.sources._formats import parse_date

__all__ = [
    "Entry",
    "FeedError",
    "FeedItem",
    "ParsedFeed",
    "capped",
    "counted",
    "first_date",
    "item_label",
    "keyed",
    "utc_stamp",
]

logger = logging.getLogger(__name__)

_HASH_CHARS = 20  # 80 bits of SHA-256: no two items of one feed collide


class FeedError(InputError):
    """A feed cannot be read at all; the message says why, in words a user can act on."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item (RSS) or entry (Atom, JSON Feed) of a feed.

    Attributes
    ----------
    key
        Stable identity: the GUID/id, else the canonical link, else a hash of title and text.
    link
        The item's absolute http(s) URL (resolved against ``xml:base`` and the feed's URL),
        else ``None``.
    canonical
        :func:`~extract.sources.urls.canonical_url` of ``link``.
    title
        Plain text on one line, or ``None``.
    text
        The item's own text: its full content if the feed has it, else its summary or
        description; HTML turned into plain text (paragraphs separated by a blank line).
    published
        From the published, updated or date fields; ``None`` when missing, unreadable or more
        than a day in the future (a wrong clock).
    version
        Changes when the item changes: its updated timestamp if any, else a hash of title,
        text and link.
    index
        1-based position of the item in the feed, for messages.
    """

    key: str
    link: str | None
    canonical: str | None
    title: str | None
    text: str | None
    published: date | None
    version: str
    index: int


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed read by :func:`~extract.sources.feeds.parse_feed`.

    Attributes
    ----------
    kind
        ``"rss"`` (RSS 0.9x, 1.0 and 2.0), ``"atom"`` or ``"json"`` (JSON Feed).
    title
        The feed's title, or ``None``.
    items
        In feed order, at most ``max_items``.
    problems
        What could not be read, in words a user can act on: "the feed is truncated: 12 items
        read before the error (…)", items over the limit, repeated ids. Empty for a sound feed.
    """

    kind: str
    title: str | None
    items: list[FeedItem]
    problems: list[str]


@dataclass(frozen=True, slots=True)
class Entry:
    """An item as read, before its key is chosen (that needs the other items)."""

    index: int
    guid: str | None
    link: str | None
    canonical: str | None
    title: str | None
    text: str | None
    published: date | None
    updated: str | None


def keyed(entries: list[Entry], problems: list[str]) -> list[FeedItem]:
    """The items with their keys; exact repeats dropped, shared ids replaced (in ``problems``)."""
    unique: list[Entry] = []
    seen: set[tuple[str | None, ...]] = set()
    for entry in entries:
        signature = (entry.guid, entry.canonical, entry.title, entry.text)
        if signature not in seen:
            seen.add(signature)
            unique.append(entry)
    if len(unique) < len(entries):
        repeats = len(entries) - len(unique)
        problems.append(
            f"{counted(repeats, 'item')} repeated an earlier item exactly (same id, link, title"
            " and text): read once"
        )
    candidates = [_key_candidates(e) for e in unique]
    first = Counter(c[0] for c in candidates)
    shared = sorted(k for k, n in first.items() if n > 1)
    used = {k for k, n in first.items() if n == 1}
    items: list[FeedItem] = []
    for entry, keys in zip(unique, candidates, strict=True):
        key = keys[0]
        if first[key] > 1:  # an id several different items carry identifies none of them
            key = next((k for k in keys[1:] if k not in used), f"{keys[-1]}#{entry.index}")
            used.add(key)
        # the canonical link: tracking parameters that change each poll are no new version
        version = entry.updated or _hash(entry.title, entry.text, entry.canonical)
        items.append(
            FeedItem(
                key=key,
                link=entry.link,
                canonical=entry.canonical,
                title=entry.title,
                text=entry.text,
                published=entry.published,
                version=version,
                index=entry.index,
            )
        )
    if shared:
        n_items = sum(first[k] for k in shared)
        shown = ", ".join(repr(k) for k in shared[:3]) + (", …" if len(shared) > 3 else "")
        problems.append(
            f"{n_items} different items share an id ({shown}); they are told apart by their"
            " link or content instead"
        )
    return items


def _key_candidates(entry: Entry) -> list[str]:
    keys = [k for k in (entry.guid, entry.canonical) if k]
    keys.append(_hash(entry.title, entry.text, entry.canonical))
    return keys


def _hash(*parts: str | None) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return "sha256:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:_HASH_CHARS]


def first_date(candidates: Iterable[tuple[Any, Any]], *, label: str, latest: date) -> date | None:
    """The first readable date of ``(raw, feedparser's parsed struct)`` pairs, unless it is
    more than a day ahead of now."""
    for raw, parsed in candidates:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        day = _day(raw, parsed)
        if day is None:
            logger.warning("%s: ignoring unreadable date %r", label, raw)
            continue
        if day > latest:
            logger.warning(
                "%s: ignoring date %s, more than a day in the future (a wrong clock)", label, day
            )
            return None
        return day
    return None


def _day(raw: Any, parsed: Any) -> date | None:
    # The date as written (a timestamp's local date, as the article's own dateline has it)...
    try:
        text = parse_date(raw) if isinstance(raw, str) else None
    except InputError:
        text = None
    if text:
        return date.fromisoformat(text)
    # ...else the many other forms feedparser reads (given in UTC).
    if parsed is not None:
        try:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        except (AttributeError, ValueError):
            return None
    return None


def utc_stamp(raw: str | None) -> str | None:
    """An RFC 3339 timestamp in UTC ("2024-11-05T09:00:00Z"), so that one instant written two
    ways is one version; ``raw`` as it is when it is no such timestamp."""
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw
    if moment.tzinfo is None:
        return raw
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def item_label(where: str | None, n: int, title: str | None) -> str:
    label = f"item {n}" + (f" ({title[:60]!r})" if title else "")
    return f"{where}: {label}" if where else label


def capped(items: list[Any], max_items: int, problems: list[str]) -> list[Any]:
    if len(items) <= max_items:
        return items
    problems.append(
        f"the feed has {len(items):,} items; only the first {max_items:,} were read"
        " (the limit for one feed)"
    )
    return items[:max_items]


def counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
