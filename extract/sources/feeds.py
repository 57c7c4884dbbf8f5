"""Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed documents → :class:`ParsedFeed`.

The one feed parser of Dateline: feed files (``python -m extract ingest feed.xml``, the app's
RSS/Atom upload, through :mod:`extract.sources.readers`) and the feed watcher both use
:func:`parse_feed`.

How a feed is read
------------------
* **JSON Feed** (versions 1 and 1.1) is read with :mod:`json`. It is recognised by its content
  type (``application/feed+json``, ``application/json``) or by a body that starts with ``{``.
* **RSS and Atom** are read with feedparser, a maintained library that knows the quirks of
  RSS 0.9x/1.0/2.0 and Atom (namespaces, ``xml:base``, ``content:encoded``, dates in many
  forms, broken XML read leniently), rather than a parser of our own.
* **Safety first.** Before feedparser sees a byte, :mod:`defusedxml` parses the document
  (without building a tree) and refuses any entity declaration, internal or external: XML
  bombs (billion laughs, quadratic blowup) and XXE (``<!ENTITY x SYSTEM "file:///etc/passwd">``)
  never reach feedparser. A document too broken for that check is refused when ``<!ENTITY``
  appears anywhere in it. An external DTD reference alone (RSS 0.91's Netscape DOCTYPE) is
  allowed: neither parser loads it. feedparser is handed a file object, never a string (a
  string may be taken for a URL or a path) and no base URL, so it fetches and opens nothing.
* **Encodings.** The byte-order mark or the XML declaration decides. Legacy multi-byte
  encodings (Shift_JIS, GB2312, Big5, …), which expat cannot read, are converted to UTF-8
  first, so the safety check and feedparser read the same characters. A document that
  declares no encoding and is not UTF-8 is read with the HTTP ``charset``, else as
  Windows-1252 (logged).
* **Broken feeds.** When the XML is malformed, feedparser's lenient parser recovers what it
  can: those items are kept and :attr:`ParsedFeed.problems` says so. A truncated feed keeps
  only the items that were complete before the cut. Nothing recovered is a :class:`FeedError`.

Items
-----
Each item has a stable ``key`` (its GUID/id; else its canonical link; else a hash of its
title and text) and a ``version`` that changes when the item does (its updated timestamp,
else a hash of title, text and link): the watcher stores the pair to tell new and changed
items from ones already read. An id that several different items share in one feed is no
identity: those items are keyed by their link (or content) instead, and exact repeats are
dropped; both are listed in ``problems``.

Links are made absolute (against ``xml:base`` and the feed's URL) and kept only when they
are http(s): a ``javascript:`` link never reaches the app. :func:`canonical_url` gives the
form used to recognise one article behind different links (tracking parameters dropped, see
:data:`TRACKING_PARAMETERS`).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

from extract.errors import InputError
from extract.sources._formats import parse_date

__all__ = [
    "MAX_FEED_ITEMS",
    "TRACKING_PARAMETERS",
    "FeedError",
    "FeedItem",
    "ParsedFeed",
    "canonical_url",
    "parse_feed",
]

logger = logging.getLogger(__name__)

#: Items read from one feed by default; a news feed has tens (the rest is reported, not read).
MAX_FEED_ITEMS = 500

#: Query parameters that only say where a click came from (a campaign, an ad, a share, a
#: mail-out): :func:`canonical_url` drops them. A name ending in ``*`` is a prefix; names are
#: compared in lower case. Generic names that some sites use to choose the content (``ref``,
#: ``source``, ``id``, ``page``) are deliberately not listed.
TRACKING_PARAMETERS: dict[str, str] = {
    # name                    who sets it
    "utm_*": "Google Analytics campaign tags (utm_source, utm_medium, utm_campaign, …)",
    "fbclid": "Facebook click id",
    "gclid": "Google Ads click id",
    "gclsrc": "Google Ads click source",
    "dclid": "Google Display & Video click id",
    "gbraid": "Google Ads click id (iOS apps)",
    "wbraid": "Google Ads click id (iOS web)",
    "_ga": "Google Analytics cross-domain linker",
    "_gl": "Google Analytics cross-domain linker",
    "msclkid": "Microsoft Advertising click id",
    "yclid": "Yandex click id",
    "twclid": "X (Twitter) click id",
    "ttclid": "TikTok click id",
    "li_fat_id": "LinkedIn click id",
    "igshid": "Instagram share id",
    "igsh": "Instagram share id",
    "mc_cid": "Mailchimp campaign id",
    "mc_eid": "Mailchimp recipient id",
    "_hsenc": "HubSpot e-mail tracking",
    "_hsmi": "HubSpot e-mail tracking",
    "hsa_*": "HubSpot ads tags",
    "mkt_tok": "Marketo e-mail tracking",
    "vero_id": "Vero e-mail tracking",
    "vero_conv": "Vero e-mail tracking",
    "oly_anon_id": "Omeda reader tracking",
    "oly_enc_id": "Omeda reader tracking",
    "pk_*": "Matomo (Piwik) campaign tags",
    "mtm_*": "Matomo campaign tags",
    "at_*": "AT Internet / Piano Analytics tags (the BBC's at_medium, at_campaign, …)",
    "xtor": "AT Internet campaign tag (French news sites)",
    "ns_*": "comScore campaign tags (ns_mchannel, ns_source, ns_campaign, …)",
    "s_cid": "Adobe Analytics campaign id",
    "cmpid": "campaign id (Adobe Analytics and many news sites)",
    "ocid": "Microsoft (MSN) campaign id",
    "smid": "New York Times share id",
    "ref_src": "X (Twitter) embed referrer",
    "ref_url": "X (Twitter) embed referrer",
    "__twitter_impression": "X (Twitter) impression flag",
    "guccounter": "Yahoo consent redirect",
    "guce_referrer": "Yahoo consent redirect",
    "guce_referrer_sig": "Yahoo consent redirect",
}
_TRACKING_NAMES = frozenset(k for k in TRACKING_PARAMETERS if not k.endswith("*"))
_TRACKING_PREFIXES = tuple(k[:-1] for k in TRACKING_PARAMETERS if k.endswith("*"))
_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 unreserved characters: their percent-encoded and plain forms are the same URL.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT_RE = re.compile(r"%([0-9A-Fa-f]{2})")
# Characters left as they are in a path or query (reserved ones keep their meaning; "%" keeps
# existing escapes); anything else (spaces, non-ASCII) is percent-encoded as UTF-8.
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"

_JSON_MEDIA_TYPES = frozenset({"application/feed+json", "application/json"})
_HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/1(?:\.1)?/?")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")
# A web page: optional XML declaration and comments, then <!DOCTYPE html> and/or <html>,
# <head> or <body> as the first element.
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"(?P<doctype><!doctype\s+html\b[^>]*>\s*(?:<!--.*?-->\s*)*)?"
    rb"(?:<(?P<root>html|head|body)\b)?",
    re.IGNORECASE | re.DOTALL,
)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_DECLARES_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_TAG_RE = re.compile(r"<[A-Za-z!/]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
# expat errors that mean the document stops early (a truncated download or file)
_TRUNCATED_ERRORS = frozenset(
    {"no element found", "unclosed token", "unclosed CDATA section", "partial character"}
)
_ITEM_TAGS = frozenset({"item", "entry"})
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
        :func:`canonical_url` of ``link``.
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
    """A feed read by :func:`parse_feed`.

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
class _Entry:
    """An item as read, before its key is chosen (that needs the other items)."""

    index: int
    guid: str | None
    link: str | None
    canonical: str | None
    title: str | None
    text: str | None
    published: date | None
    updated: str | None


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
    """
    if max_items < 1:
        raise ValueError(f"max_items must be at least 1, not {max_items}")
    where = source or url or None
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    latest = (now.astimezone(UTC) + timedelta(days=1)).date()
    head = _strip_bom(data).lstrip()
    if not head.strip(b"\x00"):
        raise FeedError(
            "empty document: expected an RSS, Atom or JSON feed; nothing was received",
            source=where,
        )
    media, charset = _media_type(content_type)
    if head.startswith(b"{") or (media in _JSON_MEDIA_TYPES and not head.startswith(b"<")):
        return _read_json_feed(data, url=url, where=where, latest=latest, max_items=max_items)
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


def canonical_url(url: str) -> str:
    """The form of ``url`` used to recognise one page behind different links.

    The scheme and host are lower-cased (an internationalised host is IDNA-encoded), the
    default port (80 for http, 443 for https), the fragment and the tracking parameters of
    :data:`TRACKING_PARAMETERS` are dropped, ``.``/``..`` path segments are resolved, percent
    escapes are normalised (RFC 3986: upper-case hex, unreserved characters unescaped, spaces
    and non-ASCII escaped) and the remaining query parameters are sorted by name (repeated
    names keep their order).

    The rest is kept as it is: a path's case, reserved characters such as ``+`` or ``;``,
    and a trailing slash all may change the page on some servers.

    courlan's ``normalize_url`` was weighed and not used: it escapes reserved characters in
    paths (``+`` → ``%2B``, which some servers read differently), leaves ``..`` segments,
    decodes punycode hosts to Unicode (where look-alike letters hide) and drops any query
    parameter whose name merely contains "ga", "ref" or "source" (``?gallery=2``), which can
    choose the page.

    A string that is not an absolute URL (no scheme or no host) is returned stripped.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # "http://[::1", "http://e.com:99999"
        return text
    if not parts.scheme or not parts.netloc:
        return text
    scheme = parts.scheme.lower()
    netloc = _canonical_host(parts.hostname or "")
    if parts.username is not None:  # rare in links; kept, since it can choose the page
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{netloc}"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = _normalize_escapes(_remove_dot_segments(parts.path)) or "/"
    kept = [
        _normalize_escapes(part)
        for part in parts.query.split("&")
        if part and not _is_tracking(_parameter_name(part))
    ]
    kept.sort(key=_parameter_name)  # stable: a repeated name keeps its values' order
    return urlunsplit((scheme, netloc, path, "&".join(kept), ""))


# --- JSON Feed ----------------------------------------------------------------------------


def _read_json_feed(
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
    raw_items = _capped(raw_items, max_items, problems)
    base = url or _string(doc.get("feed_url")) or ""
    entries: list[_Entry] = []
    skipped = 0
    for n, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            skipped += 1
            continue
        title = _one_line(_string(raw.get("title")))
        text = _html_text(_string(raw.get("content_html")))
        text = text or _plain_text(_string(raw.get("content_text")))
        text = text or _text_of(_string(raw.get("summary")))
        link = _absolute_link(_string(raw.get("url")) or _string(raw.get("external_url")), base)
        guid = raw.get("id")  # a string by the spec; some feeds write a number
        if isinstance(guid, bool) or not isinstance(guid, (str, int)):
            guid = None
        label = _item_label(where, n, title)
        entries.append(
            _Entry(
                index=n,
                guid=_string(str(guid)) if guid is not None else None,
                link=link,
                canonical=canonical_url(link) if link else None,
                title=title,
                text=text,
                published=_first_date(
                    [(raw.get("date_published"), None), (raw.get("date_modified"), None)],
                    label=label,
                    latest=latest,
                ),
                updated=_utc_stamp(_string(raw.get("date_modified"))),
            )
        )
    if skipped:
        problems.append(f"{_count(skipped, 'item')} not a JSON object: skipped")
    title = _one_line(_string(doc.get("title")))
    return ParsedFeed("json", title, _keyed(entries, problems), problems)


def _json_or_error(text: str, *, where: str | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"not a readable JSON Feed: the JSON is malformed ({exc.msg})",
            source=where,
            line=exc.lineno,
        ) from None


# --- RSS and Atom -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _XmlCheck:
    """What the safety check found in a document that declares no entities."""

    data: bytes  # the bytes feedparser is to read (converted to UTF-8 when expat cannot)
    root: str | None  # the root element's local name, when the parser got that far
    complete_items: int  # items and entries closed before the end or the first error
    error: Exception | None  # why the document is not well-formed XML, if it is not


class _Probe:
    """ElementTree parser target that builds nothing: it notes the root and counts items."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.items = 0

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        if self.root is None:
            self.root = _local(tag)

    def end(self, tag: str) -> None:
        if _local(tag) in _ITEM_TAGS:
            self.items += 1

    def close(self) -> None:
        return None


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

    check = _check_xml(_decodable(data, charset), where=where)
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
    broken = _sax_error(bozo)
    if broken is not None:
        error = check.error or broken
        truncated = _is_truncation(error)
        if truncated and check.error is not None:  # drop the item the cut went through
            entries = entries[: check.complete_items]
        entries = [e for e in entries if not _is_empty(e)]
        if not entries:
            raise FeedError(
                f"not an RSS or Atom feed: the file is not well-formed XML ({_describe(error)})"
                " and no item could be read from it",
                source=where,
                line=_error_line(error),
            )
        if truncated:
            problems.append(
                f"the feed is truncated: {_count(len(entries), 'item')} read before the error"
                f" ({_describe(error)}); the rest is missing"
            )
        else:
            problems.append(
                f"the feed is not well-formed XML ({_describe(error)}); it was read leniently:"
                f" {_count(len(entries), 'item')} recovered, some may be incomplete"
            )
    entries = _capped(entries, max_items, problems)
    kind = "atom" if version.startswith("atom") else "rss"
    read: list[_Entry] = []
    empty = 0
    for n, entry in enumerate(entries, start=1):
        if _is_empty(entry):
            empty += 1
            continue
        read.append(_xml_entry(entry, n, kind=kind, url=url, where=where, latest=latest))
    if empty:
        problems.append(f"{_count(empty, 'empty item')} (no id, link, title or text) skipped")
    feed_info = result.get("feed") or {}
    title = _one_line(_text_of(dict.get(feed_info, "title")))
    return ParsedFeed(kind, title, _keyed(read, problems), problems)


def _check_xml(data: bytes, *, where: str | None) -> _XmlCheck:
    """The defusedxml pre-check: refuse entity declarations before feedparser sees them."""
    try:
        return _probe(data, where=where)
    except ValueError as exc:  # expat reads UTF-8, UTF-16 and one-byte encodings only
        declared = _declared_encoding(data)
        try:
            text = data.decode(declared or "")
        except (LookupError, UnicodeDecodeError):
            raise _unreadable_encoding(exc, where=where) from None
        # Shift_JIS, GB2312, Big5…: check and parse the same characters, as UTF-8
        converted = _XML_ENCODING.sub(
            lambda m: m.group(0).replace(m.group(1), b"utf-8"), text.encode("utf-8"), count=1
        )
        try:
            return _probe(converted, where=where)
        except ValueError:
            raise _unreadable_encoding(exc, where=where) from None


def _probe(data: bytes, *, where: str | None) -> _XmlCheck:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    probe = _Probe()
    parser = DefusedXMLParser(
        target=probe, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    error: Exception | None = None
    try:
        parser.feed(data)
        parser.close()
    except DefusedXmlException as exc:
        raise _refused(type(exc).__name__, where=where) from None
    except ParseError as exc:
        # The parser may have stopped before a DTD later in the text: refuse any entity
        # declaration at all (NULs removed, so that UTF-16 and UTF-32 are searched too).
        if _DECLARES_ENTITY.search(data.replace(b"\x00", b"")):
            raise _refused("entity declaration in a malformed document", where=where) from None
        error = exc
    except LookupError as exc:  # encoding="bogus"
        raise _unreadable_encoding(exc, where=where) from None
    return _XmlCheck(data=data, root=probe.root, complete_items=probe.items, error=error)


def _xml_entry(
    entry: Mapping[str, Any], n: int, *, kind: str, url: str, where: str | None, latest: date
) -> _Entry:
    # dict.get: FeedParserDict's own lookup maps missing keys to others ("updated" to
    # "published", with a DeprecationWarning); the raw fields are wanted here.
    title = _one_line(_text_of(dict.get(entry, "title")))
    content = dict.get(entry, "content") or []
    text = next((t for t in (_text_of(c.get("value")) for c in content) if t), None)
    text = text or _text_of(dict.get(entry, "summary"))
    link = _alternate_link(entry, kind=kind, base=url)
    label = _item_label(where, n, title)
    published = _first_date(
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
        stamp = _string(dict.get(entry, "updated"))
    guid = _string(dict.get(entry, "id"))
    return _Entry(
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
            found = _absolute_link(link.get("href"), base)
            if found:
                return found
    if kind == "rss" and dict.get(entry, "guidislink"):
        return _absolute_link(dict.get(entry, "link"), base)
    return None


def _not_a_feed(
    check: _XmlCheck, *, html: bool, where: str | None, data: bytes, url: str
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
        f"not an RSS or Atom feed: the file is not well-formed XML ({_describe(check.error)})",
        source=where,
        line=_error_line(check.error),
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
        link = _absolute_link(href, base)
        if link is None and not _SCHEME_RE.match(href):  # relative, and no base to resolve it
            link = href
        if link and len(link) <= 300:  # a javascript: "feed" is not shown, nor a novel
            found.append(link)
    return list(dict.fromkeys(found))


def _refused(reason: str, *, where: str | None) -> FeedError:
    return FeedError(
        f"refused: the feed declares XML entities or a DTD ({reason}); such feeds are not"
        " read, for safety (XML bombs, or entities that read local files)",
        source=where,
    )


def _unreadable_encoding(exc: Exception, *, where: str | None) -> FeedError:
    return FeedError(
        f"not a readable feed: the XML declares an encoding that cannot be read ({exc});"
        " save it as UTF-8",
        source=where,
    )


def _decodable(data: bytes, charset: str | None) -> bytes:
    """``data``, made readable as what it claims to be, when it is (or defaults to) UTF-8.

    * A download cut inside a multi-byte character would make feedparser read the whole feed
      as Windows-1252: the incomplete bytes at the end are dropped.
    * A document that declares no encoding and is not UTF-8 is converted with the HTTP
      ``charset``, if that reads it. The document's own BOM or declaration comes first:
      servers often send a wrong default charset.
    """
    declared = _declared_encoding(data)
    if _bom(data) not in (b"", b"\xef\xbb\xbf") or (
        declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8")
    ):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            return data[: exc.start]
    if charset and not declared:
        try:
            return data.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    return data  # feedparser falls back to Windows-1252 and says so


def _declared_encoding(data: bytes) -> str | None:
    match = _XML_ENCODING.match(data[:1024].removeprefix(b"\xef\xbb\xbf"))
    return match.group(1).decode("ascii") if match else None


def _sax_error(bozo: Any) -> Exception | None:
    from xml.sax import SAXParseException

    return bozo if isinstance(bozo, SAXParseException) else None


def _is_truncation(error: Exception) -> bool:
    message = error.getMessage() if hasattr(error, "getMessage") else str(error)
    return any(message.startswith(m) for m in _TRUNCATED_ERRORS)


def _describe(error: Exception) -> str:
    if hasattr(error, "getMessage"):  # SAXParseException
        line, column = error.getLineNumber(), error.getColumnNumber()
        return f"{error.getMessage()}: line {line}, column {column}"
    return str(error)


def _error_line(error: Exception) -> int | None:
    if hasattr(error, "getLineNumber"):
        return error.getLineNumber()
    position = getattr(error, "position", None)
    return position[0] if position else None


def _is_empty(entry: Mapping[str, Any]) -> bool:
    fields = ("id", "link", "links", "title", "summary", "content")
    return not any(dict.get(entry, k) for k in fields)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# --- items: keys, dates, text -------------------------------------------------------------


def _keyed(entries: list[_Entry], problems: list[str]) -> list[FeedItem]:
    """The items with their keys; exact repeats dropped, shared ids replaced (in ``problems``)."""
    unique: list[_Entry] = []
    seen: set[tuple[str | None, ...]] = set()
    for entry in entries:
        signature = (entry.guid, entry.canonical, entry.title, entry.text)
        if signature not in seen:
            seen.add(signature)
            unique.append(entry)
    if len(unique) < len(entries):
        repeats = len(entries) - len(unique)
        problems.append(
            f"{_count(repeats, 'item')} repeated an earlier item exactly (same id, link, title"
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


def _key_candidates(entry: _Entry) -> list[str]:
    keys = [k for k in (entry.guid, entry.canonical) if k]
    keys.append(_hash(entry.title, entry.text, entry.canonical))
    return keys


def _hash(*parts: str | None) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return "sha256:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:_HASH_CHARS]


def _first_date(candidates: Iterable[tuple[Any, Any]], *, label: str, latest: date) -> date | None:
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


def _utc_stamp(raw: str | None) -> str | None:
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


def _item_label(where: str | None, n: int, title: str | None) -> str:
    label = f"item {n}" + (f" ({title[:60]!r})" if title else "")
    return f"{where}: {label}" if where else label


def _capped(items: list[Any], max_items: int, problems: list[str]) -> list[Any]:
    if len(items) <= max_items:
        return items
    problems.append(
        f"the feed has {len(items):,} items; only the first {max_items:,} were read"
        " (the limit for one feed)"
    )
    return items[:max_items]


def _text_of(value: Any) -> str | None:
    """An item's field as plain text: HTML when it has tags, otherwise text with entities."""
    if not isinstance(value, str):
        return None
    return _html_text(value) if _TAG_RE.search(value) else _plain_text(value)


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def _plain_text(value: Any) -> str | None:
    """Plain text with its paragraphs; entities left over (double-escaped feeds) decoded."""
    if not isinstance(value, str):
        return None
    return _paragraphs(unescape(value).replace("\r\n", "\n").replace("\r", "\n"))


def _html_text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    parser = _FragmentText()
    parser.feed(value)
    parser.close()
    return _paragraphs(parser.text())


def _paragraphs(text: str) -> str | None:
    """Spaces collapsed within lines, blank lines between paragraphs, one blank line at most."""
    out: list[str] = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            out.append(paragraph)
    return "\n\n".join(out) or None


class _FragmentText(HTMLParser):
    """Text of an HTML fragment (an item's content): blocks become paragraphs, ``<br>`` a line
    break, scripts and styles are dropped, entities decoded."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})
    _BLOCK = frozenset(
        {"p", "div", "section", "article", "header", "footer", "aside", "main", "nav"}
        | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption"}
        | {"ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "hr", "address", "details"}
    )
    _CELL = frozenset({"td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "br":
            self._parts.append("\n")
        elif tag in self._BLOCK:
            self._parts.append("\n\n")
            if tag == "pre":
                self._pre += 1
        elif tag in self._CELL:
            self._parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._SKIP:  # a self-closing <svg/> opens nothing to skip
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self._parts.append("\n\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            # outside <pre>, a newline in HTML source is a space
            self._parts.append(data if self._pre else data.replace("\n", " "))

    def text(self) -> str:
        return "".join(self._parts)


# --- links ---------------------------------------------------------------------------------


def _absolute_link(raw: Any, base: str) -> str | None:
    """``raw`` resolved against ``base``, if that is an http(s) URL with a host; else ``None``."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    link = raw.strip()
    try:
        if base:
            link = urljoin(base, link)
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not host:
        return None
    return link


def _canonical_host(host: str) -> str:
    host = host.rstrip(".")  # "example.com." is example.com
    if ":" in host:  # IPv6
        return f"[{host}]"
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: "/a/./b/../c" → "/a/c"."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    result = "/".join(out)
    return "/" + result if path.startswith("/") and not result.startswith("/") else result


def _normalize_escapes(part: str) -> str:
    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    return quote(_PERCENT_RE.sub(fix, part), safe=_URL_SAFE, errors="replace")


def _parameter_name(part: str) -> str:
    return unquote_plus(part.split("=", 1)[0]).strip().lower()


def _is_tracking(name: str) -> bool:
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


# --- bytes ---------------------------------------------------------------------------------


def _media_type(content_type: str) -> tuple[str, str | None]:
    """``("application/rss+xml", "iso-8859-1")`` from ``application/rss+xml; charset=…``."""
    media, _, params = content_type.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    return media.strip().lower(), match.group(1) if match else None


def _bom(data: bytes) -> bytes:
    return next((b for b in _BOMS if data.startswith(b)), b"")


def _strip_bom(data: bytes) -> bytes:
    return data[len(_bom(data)) :]


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, max(offset, 0)) + 1


def _string(value: Any) -> str | None:
    """A stripped, non-empty string, or ``None``. Lone UTF-16 surrogates (which JSON escapes
    such as ``"\\ud800"`` can produce and no file or database can store) become U+FFFD."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _SURROGATE_RE.sub("\ufffd", value.strip())


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
