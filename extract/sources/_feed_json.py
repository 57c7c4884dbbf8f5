"""JSON Feed (versions 1 and 1.1) for :mod:`extract.sources.feeds`: the document read with
:mod:`json` (UTF-8, -16 or -32; else Windows-1252, logged), its version checked, and each item's
id, link, title, text and dates taken into a :class:`~extract.sources._feed_items.Entry`."""

from __future__ import annotations

import json
import logging
import re
from datetime import date
from typing import Any

from extract.sources._feed_items import (
    Entry,
    FeedError,
    ParsedFeed,
    capped,
    counted,
    first_date,
    item_label,
    keyed,
    utc_stamp,
)
from extract.sources._feed_text import clean_string, html_text, one_line, plain_text, text_of
from extract.sources.urls import canonical_url, http_link

__all__ = ["read_json_feed"]

logger = logging.getLogger(__name__)

_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/1(?:\.1)?/?")


def read_json_feed(
    data: bytes, *, url: str, where: str | None, latest: date, max_items: int
) -> ParsedFeed:
    try:
        doc = json.loads(data)  # bytes: UTF-8, -16 or -32 with or without a BOM
    except UnicodeDecodeError:
        logger.warning("%s: the JSON Feed is not UTF-8; read as Windows-1252", where or "feed")
        doc = _json_or_error(data.decode("cp1252", errors="replace"), where=where)
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"not a readable JSON Feed: the JSON is malformed or truncated ({exc.msg} at line"
            f" {exc.lineno}, column {exc.colno})",
            source=where,
            line=exc.lineno,
        ) from None
    start = _line_of(data, data.find(b"{"))
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, str) or not _JSON_FEED_VERSION.fullmatch(version.strip()):
        if isinstance(version, str) and "jsonfeed.org" in version:
            reason = f"unsupported JSON Feed version {version!r}; versions 1 and 1.1 are read"
        else:
            reason = 'the JSON has no "version": "https://jsonfeed.org/version/1.1"'
        raise FeedError(
            f"not an RSS or Atom feed, nor a JSON Feed: {reason}", source=where, line=start
        )
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        raise FeedError(
            'not a readable JSON Feed: it has no "items" list', source=where, line=start
        )
    problems: list[str] = []
    raw_items = capped(raw_items, max_items, problems)
    base = url or clean_string(doc.get("feed_url")) or ""
    entries: list[Entry] = []
    skipped = 0
    for n, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            skipped += 1
            continue
        title = one_line(clean_string(raw.get("title")))
        text = html_text(clean_string(raw.get("content_html")))
        text = text or plain_text(clean_string(raw.get("content_text")))
        text = text or text_of(clean_string(raw.get("summary")))
        link = http_link(
            clean_string(raw.get("url")) or clean_string(raw.get("external_url")), base
        )
        guid = raw.get("id")  # a string by the spec; some feeds write a number
        if isinstance(guid, bool) or not isinstance(guid, (str, int)):
            guid = None
        label = item_label(where, n, title)
        entries.append(
            Entry(
                index=n,
                guid=clean_string(str(guid)) if guid is not None else None,
                link=link,
                canonical=canonical_url(link) if link else None,
                title=title,
                text=text,
                published=first_date(
                    [(raw.get("date_published"), None), (raw.get("date_modified"), None)],
                    label=label,
                    latest=latest,
                ),
                updated=utc_stamp(clean_string(raw.get("date_modified"))),
            )
        )
    if skipped:
        problems.append(f"{counted(skipped, 'item')} not a JSON object: skipped")
    title = one_line(clean_string(doc.get("title")))
    return ParsedFeed("json", title, keyed(entries, problems), problems)


def _json_or_error(text: str, *, where: str | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"not a readable JSON Feed: the JSON is malformed ({exc.msg})",
            source=where,
            line=exc.lineno,
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, max(offset, 0)) + 1
