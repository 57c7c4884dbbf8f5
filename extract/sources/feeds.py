"""Feeds: the one feed parser of Dateline, :func:`parse_feed`, which turns an RSS
0.9x/1.0/2.0, Atom or JSON Feed document into a :class:`ParsedFeed` for feed files (``python
-m extract ingest feed.xml``, the app's RSS/Atom upload, through
:mod:`extract.sources.readers`) and the feed watcher: it tells what the bytes are (a JSON
Feed, a web page, XML), reads RSS and Atom with feedparser behind the pre-checks of
:mod:`~extract.sources._feed_xml`, and hands JSON Feed to :mod:`~extract.sources._feed_json`;
both make their items with :mod:`~extract.sources._feed_items` and
:mod:`~extract.sources._feed_text`, and their links with :mod:`extract.sources.urls`."""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

from extract.sources._feed_items import (
    Entry,
    FeedError,
    FeedItem,
    ParsedFeed,
    capped,
    counted,
    first_date,
    item_label,
    keyed,
)
from extract.sources._feed_json import read_json_feed
from extract.sources._feed_text import clean_string, one_line, text_of
from extract.sources._feed_xml import (
    XmlCheck,
    check_xml,
    decodable,
    describe_error,
    error_line,
    is_truncation,
    sax_error,
    strip_bom,
)
from extract.sources.urls import canonical_url, http_link

__all__ = ["MAX_FEED_ITEMS", "FeedError", "FeedItem", "ParsedFeed", "parse_feed"]

logger = logging.getLogger(__name__)

#: Items read from one feed by default; a news feed has tens (the rest is reported, not read).
MAX_FEED_ITEMS = 500

_JSON_MEDIA_TYPES = frozenset({"application/feed+json", "application/json"})
_HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A web page: optional XML declaration and comments, then <!DOCTYPE html> and/or <html>,
# <head> or <body> as the first element.
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"(?P<doctype><!doctype\s+html\b[^>]*>\s*(?:<!--.*?-->\s*)*)?"
    rb"(?:<(?P<root>html|head|body)\b)?",
    re.IGNORECASE | re.DOTALL,
)
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)


def parse_feed(
    data: bytes,
    *,
    url: str = "",
    content_type: str = "",
    now: datetime | None = None,
    max_items: int = MAX_FEED_ITEMS,
    source: str | None = None,
) -> ParsedFeed:
    """Read an RSS, Atom or JSON Feed document.

    Parameters
    ----------
    data
        The document's bytes, as downloaded or read from a file. Never a URL or a path:
        nothing is fetched or opened.
    url
        The feed's address, against which relative links are resolved; ``""`` for a file.
    content_type
        The HTTP ``Content-Type``, if known: it tells JSON Feed and web pages apart, and its
        ``charset`` is used for a document that declares no encoding and is not UTF-8.
    now
        The current time (UTC when naive), against which future dates are checked; the clock
        by default.
    max_items
        Most items read; the rest are left out and reported in ``problems``.
    source
        The input's name in messages and logs (a file name); ``url`` by default.

    Returns
    -------
    ParsedFeed
        The feed's kind, title, items and problems.

    Raises
    ------
    FeedError
        When the bytes are empty, a web page, not a feed, refused for safety (entity
        declarations), in an unreadable encoding, or so broken that no item was recovered.

    Notes
    -----
    How a feed is read:

    * **JSON Feed** (versions 1 and 1.1) is read with :mod:`json`. It is recognised by its
      content type (``application/feed+json``, ``application/json``) or by a body that starts
      with ``{``.
    * **RSS and Atom** are read with feedparser, a maintained library that knows the quirks of
      RSS 0.9x/1.0/2.0 and Atom (namespaces, ``xml:base``, ``content:encoded``, dates in many
      forms, broken XML read leniently), rather than a parser of our own.
    * **Safety first.** Before feedparser sees a byte, :mod:`defusedxml` parses the document
      (without building a tree) and refuses any entity declaration, internal or external: XML
      bombs (billion laughs, quadratic blowup) and XXE
      (``<!ENTITY x SYSTEM "file:///etc/passwd">``) never reach feedparser. A document too
      broken for that check is refused when ``<!ENTITY`` appears anywhere in it. An external
      DTD reference alone (RSS 0.91's Netscape DOCTYPE) is allowed: neither parser loads it.
      feedparser is handed a file object, never a string (a string may be taken for a URL or a
      path) and no base URL, so it fetches and opens nothing.
    * **Encodings.** The byte-order mark or the XML declaration decides. Legacy multi-byte
      encodings (Shift_JIS, GB2312, Big5, …), which expat cannot read, are converted to UTF-8
      first, so the safety check and feedparser read the same characters. A document that
      declares no encoding and is not UTF-8 is read with the HTTP ``charset``, else as
      Windows-1252 (logged).
    * **Broken feeds.** When the XML is malformed, feedparser's lenient parser recovers what it
      can: those items are kept and :attr:`ParsedFeed.problems` says so. A truncated feed
      keeps only the items that were complete before the cut. Nothing recovered is a
      :class:`FeedError`.

    Items: each has a stable ``key`` (its GUID/id; else its canonical link; else a hash of its
    title and text) and a ``version`` that changes when the item does (its updated timestamp,
    else a hash of title, text and link): the watcher stores the pair to tell new and changed
    items from ones already read. An id that several different items share in one feed is no
    identity: those items are keyed by their link (or content) instead, and exact repeats are
    dropped; both are listed in ``problems``.

    Links are made absolute (against ``xml:base`` and the feed's URL) and kept only when they
    are http(s): a ``javascript:`` link never reaches the app.
    :func:`~extract.sources.urls.canonical_url` gives the form used to recognise one article
    behind different links (tracking parameters dropped, see
    :data:`~extract.sources.urls.TRACKING_PARAMETERS`).
    """
    if max_items < 1:
        raise ValueError(f"max_items must be at least 1, not {max_items}")
    where = source or url or None
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    latest = (now.astimezone(UTC) + timedelta(days=1)).date()
    head = strip_bom(data).lstrip()
    if not head.strip(b"\x00"):
        raise FeedError(
            "empty document: expected an RSS, Atom or JSON feed; nothing was received",
            source=where,
        )
    media, charset = _media_type(content_type)
    if head.startswith(b"{") or (media in _JSON_MEDIA_TYPES and not head.startswith(b"<")):
        return read_json_feed(data, url=url, where=where, latest=latest, max_items=max_items)
    page = _HTML_START.match(head[:4096].replace(b"\x00", b""))  # NULs: UTF-16 and -32
    if page is not None and (page.group("doctype") or page.group("root")):
        raise _web_page(data, page, url=url, where=where)
    return _read_xml_feed(
        data,
        url=url,
        charset=charset,
        html=media in _HTML_MEDIA_TYPES,
        where=where,
        latest=latest,
        max_items=max_items,
    )


def _read_xml_feed(
    data: bytes,
    *,
    url: str,
    charset: str | None,
    html: bool,
    where: str | None,
    latest: date,
    max_items: int,
) -> ParsedFeed:
    import feedparser  # imported here: 70 ms that commands reading no feed need not pay
    from feedparser.exceptions import CharacterEncodingOverride

    check = check_xml(decodable(data, charset), where=where)
    result = feedparser.parse(
        io.BytesIO(check.data),  # a file object: a str or bytes could be opened as a URL or path
        response_headers={"content-type": "application/xml"},  # no content-location: no base
        resolve_relative_uris=False,  # in HTML content, which becomes plain text anyway
    )
    bozo = result.get("bozo_exception")
    if isinstance(bozo, CharacterEncodingOverride):
        logger.warning("%s: %s", where or "feed", bozo)
    version = str(result.get("version") or "")
    if not version:
        raise _not_a_feed(check, html=html, where=where, data=data, url=url)
    entries = list(result.get("entries") or [])
    problems: list[str] = []
    broken = sax_error(bozo)
    if broken is not None:
        error = check.error or broken
        truncated = is_truncation(error)
        if truncated and check.error is not None:  # drop the item the cut went through
            entries = entries[: check.complete_items]
        entries = [e for e in entries if not _is_empty(e)]
        if not entries:
            raise FeedError(
                "not an RSS or Atom feed: the file is not well-formed XML"
                f" ({describe_error(error)}) and no item could be read from it",
                source=where,
                line=error_line(error),
            )
        if truncated:
            problems.append(
                f"the feed is truncated: {counted(len(entries), 'item')} read before the error"
                f" ({describe_error(error)}); the rest is missing"
            )
        else:
            problems.append(
                f"the feed is not well-formed XML ({describe_error(error)}); it was read leniently:"
                f" {counted(len(entries), 'item')} recovered, some may be incomplete"
            )
    entries = capped(entries, max_items, problems)
    kind = "atom" if version.startswith("atom") else "rss"
    read: list[Entry] = []
    empty = 0
    for n, entry in enumerate(entries, start=1):
        if _is_empty(entry):
            empty += 1
            continue
        read.append(_xml_entry(entry, n, kind=kind, url=url, where=where, latest=latest))
    if empty:
        problems.append(f"{counted(empty, 'empty item')} (no id, link, title or text) skipped")
    feed_info = result.get("feed") or {}
    title = one_line(text_of(dict.get(feed_info, "title")))
    return ParsedFeed(kind, title, keyed(read, problems), problems)


def _xml_entry(
    entry: Mapping[str, Any], n: int, *, kind: str, url: str, where: str | None, latest: date
) -> Entry:
    # dict.get: FeedParserDict's own lookup maps missing keys to others ("updated" to
    # "published", with a DeprecationWarning); the raw fields are wanted here.
    title = one_line(text_of(dict.get(entry, "title")))
    content = dict.get(entry, "content") or []
    text = next((t for t in (text_of(c.get("value")) for c in content) if t), None)
    text = text or text_of(dict.get(entry, "summary"))
    link = _alternate_link(entry, kind=kind, base=url)
    label = item_label(where, n, title)
    published = first_date(
        [
            (dict.get(entry, field), dict.get(entry, f"{field}_parsed"))
            for field in ("published", "updated", "created")
        ],
        label=label,
        latest=latest,
    )
    updated = dict.get(entry, "updated_parsed")
    if updated is not None:
        stamp: str | None = time.strftime("%Y-%m-%dT%H:%M:%SZ", updated)
    else:
        stamp = clean_string(dict.get(entry, "updated"))
    guid = clean_string(dict.get(entry, "id"))
    return Entry(
        index=n,
        guid=guid,
        link=link,
        canonical=canonical_url(link) if link else None,
        title=title,
        text=text,
        published=published,
        updated=stamp,
    )


def _alternate_link(entry: Mapping[str, Any], *, kind: str, base: str) -> str | None:
    """The item's page: its ``alternate`` link (RSS ``<link>``, Atom ``rel="alternate"``), or
    in RSS a permalink ``<guid>``. An Atom id is never taken for a link (feedparser does)."""
    for link in dict.get(entry, "links") or []:
        if link.get("rel", "alternate") == "alternate":
            found = http_link(link.get("href"), base)
            if found:
                return found
    if kind == "rss" and dict.get(entry, "guidislink"):
        return http_link(dict.get(entry, "link"), base)
    return None


def _not_a_feed(
    check: XmlCheck, *, html: bool, where: str | None, data: bytes, url: str
) -> FeedError:
    if html:  # served as a web page, and no feed in it
        return _web_page(data, None, url=url, where=where)
    if check.error is None:
        return FeedError(
            f"not an RSS or Atom feed (the root element is <{check.root}>);"
            " expected <rss>, <rdf:RDF> or <feed>",
            source=where,
        )
    return FeedError(
        f"not an RSS or Atom feed: the file is not well-formed XML ({describe_error(check.error)})",
        source=where,
        line=error_line(check.error),
    )


def _web_page(
    data: bytes, page: re.Match[bytes] | None, *, url: str, where: str | None
) -> FeedError:
    if page is not None and page.group("root"):
        evidence = f"the root element is <{page.group('root').decode().lower()}>"
    elif page is not None:
        evidence = "it starts with <!DOCTYPE html>"
    else:
        evidence = "it is served as text/html"
    links = _feed_links(data, base=url)
    if links:
        hint = f"the page names its feed: {links[0]}; use that address instead"
    else:
        hint = "use the address of the site's feed instead (often …/feed or …/rss)"
    return FeedError(
        f"not an RSS or Atom feed ({evidence}): this is a web page, not a feed (RSS, Atom or"
        f" JSON Feed); {hint}",
        source=where,
    )


class _FeedLinks(HTMLParser):
    """The feeds a web page names: ``<link rel="alternate" type="application/rss+xml">``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        a = {k.lower(): (v or "").strip() for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if "alternate" in rel and a.get("type", "").lower() in _FEED_LINK_TYPES and a.get("href"):
            self.hrefs.append(a["href"])


def _feed_links(data: bytes, *, base: str) -> list[str]:
    parser = _FeedLinks()
    parser.feed(data[: 256 * 1024].decode("utf-8", errors="replace"))  # the <head> is early
    parser.close()
    found: list[str] = []
    for href in parser.hrefs:
        link = http_link(href, base)
        if link is None and not _SCHEME_RE.match(href):  # relative, and no base to resolve it
            link = href
        if link and len(link) <= 300:  # a javascript: "feed" is not shown, nor a novel
            found.append(link)
    return list(dict.fromkeys(found))


def _is_empty(entry: Mapping[str, Any]) -> bool:
    fields = ("id", "link", "links", "title", "summary", "content")
    return not any(dict.get(entry, k) for k in fields)


def _media_type(content_type: str) -> tuple[str, str | None]:
    """``("application/rss+xml", "iso-8859-1")`` from ``application/rss+xml; charset=…``."""
    media, _, params = content_type.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    return media.strip().lower(), match.group(1) if match else None
