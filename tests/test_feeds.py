"""Tests of the feed parser (:mod:`extract.sources.feeds`): RSS 0.91 and 2.0, Atom, JSON Feed,
item keys and versions, dates, encodings, broken and hostile feeds (XML bombs, XXE, web pages),
the item cap, canonical URLs (:mod:`extract.sources.urls`), and the feed-file reader built on
it. Every feed here is written by hand."""

from __future__ import annotations

import logging
import socket
import time
import urllib.request
from datetime import date, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from extract.errors import InputError
from extract.sources.feeds import FeedError, ParsedFeed, parse_feed
from extract.sources.readers import read_any
from extract.sources.urls import TRACKING_PARAMETERS, canonical_url

NOW = datetime(2024, 11, 10, 12, 0)  # naive: UTC


def _rss(items: str, *, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"><channel>'
        f"<title>Wire</title>{items}</channel></rss>"
    ).encode()


def _item(n: int, *, guid: bool = True, body: str = "Shelling in Kharkiv.") -> str:
    guid_tag = f"<guid>g-{n}</guid>" if guid else ""
    return (
        f"<item>{guid_tag}<title>Story {n}</title><link>https://e.com/{n}</link>"
        f"<description>{body}</description></item>"
    )


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to reach the network is recorded and fails."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


# --- RSS, Atom, JSON Feed -----------------------------------------------------------------


def test_rss_091_with_the_netscape_doctype_and_latin_1() -> None:
    data = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        '<rss version="0.91"><channel><title>Caf\xe9 news</title><link>http://e.com/</link>'
        "<description>d</description><language>fr</language>"
        "<item><title>Gr\xe8ve \xe0 Lyon</title><link>/2024/greve</link>"
        "<description>Les cheminots &amp; les pilotes.</description></item>"
        "</channel></rss>"
    ).encode("latin-1")
    feed = parse_feed(data, url="http://e.com/rss.xml", now=NOW)
    assert (feed.kind, feed.title, feed.problems) == ("rss", "Café news", [])
    (item,) = feed.items
    assert item.title == "Grève à Lyon" and item.text == "Les cheminots & les pilotes."
    assert item.link == "http://e.com/2024/greve" == item.key  # no guid: the link
    assert item.published is None and item.version.startswith("sha256:")


RSS_20 = _rss(
    "<item><guid isPermaLink='false'>urn:wire:1</guid><title>Strike on Kharkiv</title>"
    "<link>https://e.com/1?utm_source=rss&amp;utm_medium=feed</link>"
    "<description>Short summary.</description>"
    "<content:encoded><![CDATA[<p>A missile hit <b>Kharkiv</b> &amp; Kyiv.</p>"
    "<script>alert(1)</script><p>Second<br/>paragraph &eacute;t&eacute;.</p>"
    "<ul><li>one</li><li>two</li></ul>]]></content:encoded>"
    "<pubDate>Tue, 05 Nov 2024 23:30:00 -0500</pubDate></item>"
    "<item><title>Only a description</title><link>https://e.com/2</link>"
    "<description>&lt;p&gt;Kyiv &amp;amp; Odesa.&lt;/p&gt;</description>"
    "<dc:date>2024-11-06T08:00:00+02:00</dc:date></item>",
    head="",
).replace(
    b'<rss version="2.0">',
    b'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/">',
)


def test_rss_20_content_encoded_wins_and_becomes_plain_paragraphs() -> None:
    feed = parse_feed(RSS_20, url="https://e.com/feed", now=NOW)
    assert (feed.kind, feed.title, feed.problems) == ("rss", "Wire", [])
    full, short = feed.items
    assert full.text == "A missile hit Kharkiv & Kyiv.\n\nSecond\nparagraph été.\n\none\n\ntwo"
    assert full.key == "urn:wire:1" and full.index == 1
    assert full.link == "https://e.com/1?utm_source=rss&utm_medium=feed"
    assert full.canonical == "https://e.com/1"
    assert full.published == date(2024, 11, 5)  # the date as written, not UTC's Nov 6
    assert short.text == "Kyiv & Odesa." and short.key == "https://e.com/2"
    assert short.published == date(2024, 11, 6)  # dc:date


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example.org/world/">
<title type="html">World &lt;i&gt;desk&lt;/i&gt;</title>
<entry><id>tag:news.example.org,2024:1</id>
  <title type="html">Clashes &lt;b&gt;near&lt;/b&gt; Kursk</title>
  <link rel="self" href="/api/1.xml"/><link rel="alternate" href="2024/11/kursk.html"/>
  <published>2024-11-04T12:00:00Z</published><updated>2024-11-05T12:00:00+01:00</updated>
  <summary>Fighting near Kursk.</summary>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Heavy fighting near
  <b>Kursk</b>.</p><p>More later.</p></div></content></entry>
<entry xml:base="/europe/"><id>tag:news.example.org,2024:2</id><title>Two</title>
  <link href="vote.html"/><updated>2024-11-03T09:00:00Z</updated>
  <summary type="text">Polls open &amp; close.</summary></entry>
<entry><id>tag:news.example.org,2024:3</id><title>No page</title>
  <link rel="enclosure" href="audio.mp3"/><summary>Audio only.</summary></entry>
</feed>"""


def test_atom_with_xml_base_and_relative_links() -> None:
    feed = parse_feed(ATOM, url="https://news.example.org/feed.atom", now=NOW)
    assert (feed.kind, feed.title, feed.problems) == ("atom", "World desk", [])
    first, second, third = feed.items
    assert first.link == "https://news.example.org/world/2024/11/kursk.html"  # not rel=self
    assert first.key == "tag:news.example.org,2024:1" and first.title == "Clashes near Kursk"
    assert first.text == "Heavy fighting near Kursk.\n\nMore later."  # content, not summary
    assert first.published == date(2024, 11, 4)  # published before updated
    assert first.version == "2024-11-05T11:00:00Z"  # the updated time, in UTC
    assert second.link == "https://news.example.org/europe/vote.html"  # the entry's xml:base
    assert second.text == "Polls open & close." and second.published == date(2024, 11, 3)
    assert third.link is None and third.canonical is None  # an enclosure is not the page


JSON_FEED = b"""{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Wire (JSON)",
  "feed_url": "https://e.com/feed.json",
  "items": [
    {"id": 101, "url": "/a?fbclid=x", "title": "Drones over Odesa",
     "content_html": "<p>Drones struck <b>Odesa</b>.</p><p>Two injured.</p>",
     "summary": "ignored", "date_published": "2024-11-05T10:00:00+03:00",
     "date_modified": "2024-11-05T12:00:00+03:00"},
    {"id": "b", "external_url": "https://other.org/b", "content_text": "Line one.\\n\\nLine two.",
     "date_published": "not a date"},
    {"id": "c", "summary": "Only a summary &amp; more.", "url": "javascript:alert(1)"},
    "not an object"
  ]
}"""


def test_json_feed_1_1(caplog: pytest.LogCaptureFixture) -> None:
    feed = parse_feed(JSON_FEED, url="https://e.com/feed.json", now=NOW)
    assert (feed.kind, feed.title) == ("json", "Wire (JSON)")
    assert feed.problems == ["1 item not a JSON object: skipped"]
    a, b, c = feed.items
    assert (a.key, a.link, a.canonical) == ("101", "https://e.com/a?fbclid=x", "https://e.com/a")
    assert a.text == "Drones struck Odesa.\n\nTwo injured." and a.title == "Drones over Odesa"
    assert a.published == date(2024, 11, 5) and a.version == "2024-11-05T09:00:00Z"
    assert b.link == "https://other.org/b" and b.text == "Line one.\n\nLine two."
    assert b.published is None and "unreadable date 'not a date'" in caplog.text
    assert c.link is None and c.text == "Only a summary & more."  # no javascript: link


def test_json_feed_detected_by_content_type_and_version_1() -> None:
    data = b' \n{"version": "https://jsonfeed.org/version/1", "items": [{"id": "1",' + (
        b' "content_text": "Kyiv."}]}'
    )
    feed = parse_feed(data, content_type="application/feed+json; charset=utf-8")
    assert feed.kind == "json" and [i.text for i in feed.items] == ["Kyiv."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"items": []}', r'nor a JSON Feed: the JSON has no "version"'),
        (b'{"version": "https://jsonfeed.org/version/2", "items": []}', r"unsupported JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', r'it has no "items" list'),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', r"malformed or trunc"),
    ],
)
def test_json_that_is_no_json_feed(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(data, source="f.json")


# --- keys and versions ----------------------------------------------------------------------


def test_items_without_guid_are_keyed_by_canonical_link_else_content() -> None:
    items = (
        "<item><title>A</title><link>HTTPS://E.com:443/a?utm_campaign=x&amp;b=1#c</link>"
        "<description>Kyiv.</description></item>"
        "<item><title>B</title><description>Odesa.</description></item>"
    )
    first = parse_feed(_rss(items)).items
    again = parse_feed(_rss(items)).items
    reordered = parse_feed(
        _rss(items.split("</item>", 1)[1] + items.split("</item>")[0] + "</item>")
    )
    assert first[0].key == "https://e.com/a?b=1"
    assert first[1].key.startswith("sha256:") and first[1].link is None
    assert [i.key for i in first] == [i.key for i in again]
    assert {i.key for i in reordered.items} == {i.key for i in first}  # position plays no part
    assert [i.version for i in first] == [i.version for i in again]
    edited = parse_feed(_rss(items.replace("Odesa.", "Odesa, updated."))).items
    assert edited[1].version != first[1].version  # the text changed: a new version
    assert edited[1].key != first[1].key  # (a content key changes with it: no better identity)
    assert edited[0].version == first[0].version


def test_a_tracking_parameter_that_changes_each_poll_is_no_new_version() -> None:
    polls = [
        parse_feed(_rss(_item(1, guid=False).replace("/1<", f"/1?utm_term={n}&amp;p=2<")))
        for n in (1, 2)
    ]
    first, second = (feed.items[0] for feed in polls)
    assert first.link != second.link
    assert (first.key, first.version) == (second.key, second.version)
    assert first.key == "https://e.com/1?p=2"


def test_duplicate_guids() -> None:
    items = (
        _item(1)
        + _item(1)  # an exact repeat
        + "<item><guid>shared</guid><title>X</title><link>https://e.com/x</link>"
        "<description>One story.</description></item>"
        "<item><guid>shared</guid><title>Y</title><link>https://e.com/y</link>"
        "<description>Another story.</description></item>"
        "<item><guid>shared</guid><title>Z</title><description>A third.</description></item>"
    )
    feed = parse_feed(_rss(items))
    assert [i.title for i in feed.items] == ["Story 1", "X", "Y", "Z"]
    assert [i.key for i in feed.items[:3]] == ["g-1", "https://e.com/x", "https://e.com/y"]
    assert feed.items[3].key.startswith("sha256:")
    assert len({i.key for i in feed.items}) == 4
    assert feed.problems == [
        "1 item repeated an earlier item exactly (same id, link, title and text): read once",
        "3 different items share an id ('shared'); they are told apart by their link or"
        " content instead",
    ]


# --- dates ------------------------------------------------------------------------------------


def test_future_dates_are_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    items = "".join(
        f"<item><guid>{n}</guid><title>T{n}</title><description>Kyiv.</description>"
        f"<pubDate>{day}</pubDate></item>"
        for n, day in enumerate(
            [
                "Mon, 11 Nov 2024 09:00:00 GMT",  # tomorrow: within a day of a skewed clock
                "Wed, 13 Nov 2024 09:00:00 GMT",  # three days ahead
                "Sat, 01 Jan 2033 00:00:00 GMT",
            ]
        )
    )
    with caplog.at_level(logging.WARNING):
        feed = parse_feed(_rss(items), source="wire.rss", now=NOW)
    assert [i.published for i in feed.items] == [date(2024, 11, 11), None, None]
    assert "wire.rss: item 2 ('T1'): ignoring date 2024-11-13, more than a day in the future" in (
        caplog.text
    )
    assert feed.problems == []  # a wrong date loses no item


# --- encodings --------------------------------------------------------------------------------


def test_windows_1252_declared_and_undeclared(caplog: pytest.LogCaptureFixture) -> None:
    body = "<item><guid>1</guid><title>\u201cPeace\u201d talks \u2013 \u20ac5bn</title>"
    body += "<description>Caf\u00e9 na\u00efve.</description></item>"
    declared = _rss(body).replace(b"utf-8", b"windows-1252").decode().encode("cp1252")
    undeclared = declared.replace(b' encoding="windows-1252"', b"")  # so UTF-8 by default
    for data in (declared, undeclared):
        (item,) = parse_feed(data).items
        assert item.title == "\u201cPeace\u201d talks \u2013 \u20ac5bn"
        assert item.text == "Café naïve."
    assert "windows-1252" in caplog.text  # the undeclared one is read so, and logged


def test_bom_utf16_shift_jis_and_http_charset() -> None:
    body = "<item><guid>1</guid><title>Kyiv \u2014 \u041a\u0438\u0457\u0432</title>"
    body += "<description>\u6771\u4eac</description></item>"
    text = _rss(body).decode()
    utf16 = text.replace("utf-8", "utf-16").encode("utf-16")  # with a BOM
    sjis = (
        text.replace("utf-8", "shift_jis").replace(" \u2014 \u041a\u0438\u0457\u0432", "")
    ).encode("shift_jis")
    koi8 = _rss("<item><guid>1</guid><description>\u041a\u0438\u0435\u0432</description></item>")
    koi8 = koi8.replace(b' encoding="utf-8"', b"").decode().encode("koi8-r")  # declares none
    assert parse_feed(utf16).items[0].title == "Kyiv \u2014 \u041a\u0438\u0457\u0432"
    assert parse_feed(sjis).items[0].text == "\u6771\u4eac"  # expat reads no Shift_JIS itself
    koi = parse_feed(koi8, content_type="text/xml; charset=KOI8-R").items[0]
    assert koi.text == "\u041a\u0438\u0435\u0432"


def test_an_unreadable_declared_encoding_is_refused() -> None:
    with pytest.raises(FeedError, match=r"declares an encoding that cannot be read .*bogus"):
        parse_feed(b'<?xml version="1.0" encoding="bogus"?><rss/>')


# --- broken, empty and hostile input -----------------------------------------------------------


def test_truncated_feed_keeps_the_complete_items() -> None:
    data = _rss("".join(_item(n) for n in range(1, 5)))
    cut = data[: data.index(b"Shelling", data.index(b"Story 3"))]  # inside item 3
    feed = parse_feed(cut, source="wire.rss")
    assert [i.key for i in feed.items] == ["g-1", "g-2"]  # not the half of item 3
    (problem,) = feed.problems
    assert problem.startswith("the feed is truncated: 2 items read before the error (")
    with pytest.raises(FeedError, match=r"^wire\.rss:1: not an RSS or Atom feed: .*not well-form"):
        parse_feed(data[: data.index(b"<guid>")], source="wire.rss")  # no complete item


def test_every_cut_of_a_feed_keeps_only_whole_items() -> None:
    """A download may stop anywhere: in a tag, a CDATA section or a multi-byte character
    (which would make feedparser read the whole feed as Windows-1252)."""
    items = "".join(
        f"<item><guid>g-{n}</guid><title>\u041a\u0438\u0457\u0432 {n}</title>"
        f"<content:encoded><![CDATA[<p>Text {n} \u2014 \u0442\u0435\u043a\u0441\u0442.</p>]]>"
        f"</content:encoded><!-- x --></item>"
        for n in (1, 2)
    )
    data = RSS_20.replace(RSS_20[RSS_20.index(b"<item>") : RSS_20.rindex(b"</channel>")], b"")
    data = data.replace(b"</channel>", items.encode() + b"</channel>")
    whole = {item.key: item for item in parse_feed(data).items}
    assert len(whole) == 2
    outcomes = set()
    for cut in range(data.index(b"<item>"), len(data)):
        try:
            feed = parse_feed(data[:cut])
        except FeedError:
            outcomes.add("error")
            continue
        assert all(whole[item.key] == item for item in feed.items), cut
        outcomes.add(len(feed.items))
    assert outcomes == {"error", 1, 2}


def test_malformed_feed_is_read_leniently_and_says_so() -> None:
    data = _rss(_item(1, body="Kyiv&nbsp;today.") + _item(2))  # &nbsp; is HTML, not XML
    feed = parse_feed(data)
    assert [i.text for i in feed.items] == ["Kyiv today.", "Shelling in Kharkiv."]
    (problem,) = feed.problems
    assert problem.startswith("the feed is not well-formed XML (undefined entity")
    assert "2 items recovered" in problem


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"^empty document: expected an RSS, Atom or JSON feed"),
        (b" \n\t ", r"^empty document"),
        (b"\xef\xbb\xbf", r"^empty document"),
        (
            b"Kyiv was shelled.",
            r"^line 1: not an RSS or Atom feed: the file is not well-formed XML",
        ),
        (b"\x00\x01\x02\xff binary", r"not an RSS or Atom feed: the file is not well-formed"),
        (b"<urlset><url><loc>https://e.com/</loc></url></urlset>", r"root element is <urlset>"),
        (b"[1, 2]", r"not an RSS or Atom feed: the file is not well-formed XML"),
    ],
)
def test_empty_and_non_feed_bytes(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message) as raised:
        parse_feed(data)
    assert isinstance(raised.value, InputError)  # reported like any bad input


def test_an_empty_feed_is_no_error() -> None:
    feed = parse_feed(_rss(""))
    assert (feed.kind, feed.items, feed.problems) == ("rss", [], [])


@pytest.mark.parametrize(
    ("data", "content_type", "evidence"),
    [
        (
            b'<!DOCTYPE html>\n<html lang="en"><head><title>News</title><link rel="alternate"'
            b' type="application/rss+xml" href="/feed.xml"><meta charset="utf-8"></head>'
            b"<body><p>Kyiv<br></p></body></html>",
            "text/html",
            "the root element is <html>",
        ),
        (b"<!doctype html><p>Kyiv", "", "it starts with <!DOCTYPE html>"),
        (b"<div><p>Kyiv</p>", "text/html; charset=utf-8", "it is served as text/html"),
    ],
)
def test_a_web_page_is_no_feed(data: bytes, content_type: str, evidence: str) -> None:
    with pytest.raises(FeedError) as raised:
        parse_feed(data, url="https://e.com/news", content_type=content_type)
    message = str(raised.value)
    assert message.startswith(f"https://e.com/news: not an RSS or Atom feed ({evidence})")
    assert "this is a web page, not a feed (RSS, Atom or JSON Feed)" in message
    if b"feed.xml" in data:
        assert "the page names its feed: https://e.com/feed.xml" in message


def test_a_web_page_names_only_http_feeds() -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        b'<link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>'
    )
    with pytest.raises(FeedError) as raised:
        parse_feed(page)  # no URL: the relative address is shown as it is
    assert "javascript" not in str(raised.value)
    assert "the page names its feed: atom.xml;" in str(raised.value)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>'
)
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
    b'<rss version="2.0"><channel><item><title>'
    + b"&a;" * 50_000
    + b"</title></item></channel></rss>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>'
)
PARAMETER_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd">'
    b'%remote;]><rss version="2.0"><channel></channel></rss>'
)
HIDDEN_AFTER_BREAKAGE = (  # not well-formed before the DTD: the check cannot parse that far
    b'<?xml version="1.0"?>&broken;<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>'
)


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        QUADRATIC,
        XXE,
        PARAMETER_XXE,
        HIDDEN_AFTER_BREAKAGE,
        XXE.decode().encode("utf-16"),
    ],
    ids=["billion-laughs", "quadratic", "xxe", "parameter-entity", "after-breakage", "utf-16"],
)
def test_xml_bombs_and_xxe_are_refused_before_feedparser(
    data: bytes, monkeypatch: pytest.MonkeyPatch, offline: list[str]
) -> None:
    def must_not_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("feedparser saw a refused document")

    monkeypatch.setattr(feedparser, "parse", must_not_run)
    started = time.perf_counter()
    with pytest.raises(FeedError, match=r"^evil\.xml: refused: the feed declares XML entities"):
        parse_feed(data, source="evil.xml")
    assert time.perf_counter() - started < 1.0  # nothing was expanded
    assert offline == []


def test_nothing_is_fetched_or_opened(tmp_path: Path, offline: list[str]) -> None:
    secret = tmp_path / "secret.dtd"
    secret.write_text('<!ENTITY secret "TOPSECRET">', encoding="utf-8")
    for system_id in (secret.as_uri(), "http://127.0.0.1:9/rss.dtd"):
        data = _rss(_item(1, body="a &amp; b"), head=f'<!DOCTYPE rss SYSTEM "{system_id}">')
        data = data.replace(b"Story 1", b"Story &secret; 1")
        feed = parse_feed(data, url="https://e.com/feed")
        assert "TOPSECRET" not in repr(feed)  # the external DTD was not read
        assert feed.items[0].text == "a & b"
    # bytes that name a feed file or a feed URL are bytes, not a place to read from
    good = tmp_path / "good.rss"
    good.write_bytes(_rss(_item(1)))
    for name in (str(good), good.as_uri(), "http://127.0.0.1:9/feed.xml"):
        with pytest.raises(FeedError, match="not well-formed XML"):
            parse_feed(name.encode())
    assert offline == []


# --- limits ------------------------------------------------------------------------------------


def test_a_5000_item_feed_is_capped() -> None:
    data = _rss("".join(f"<item><guid>{n}</guid><title>T{n}</title></item>" for n in range(5000)))
    feed = parse_feed(data)
    assert len(feed.items) == 500 and feed.items[-1].key == "499"
    assert feed.problems == [
        "the feed has 5,000 items; only the first 500 were read (the limit for one feed)"
    ]
    thirty = _rss("".join(_item(n) for n in range(30)))
    assert [i.key for i in parse_feed(thirty, max_items=20).items][-1] == "g-19"
    with pytest.raises(ValueError, match="max_items"):
        parse_feed(data, max_items=0)


# --- canonical URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.COM/World/Story.html", "https://news.example.com/World/Story.html"),
        ("http://e.com:80/a", "http://e.com/a"),
        ("https://e.com:443/a", "https://e.com/a"),
        ("https://e.com:8443/a", "https://e.com:8443/a"),
        ("https://e.com", "https://e.com/"),
        ("https://e.com/a#comments", "https://e.com/a"),
        ("https://e.com/a?utm_source=rss&utm_medium=feed&id=7", "https://e.com/a?id=7"),
        ("https://e.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&igshid=5", "https://e.com/a"),
        ("https://e.com/a?_ga=1&yclid=2&ref_src=twsrc&UTM_Campaign=x", "https://e.com/a"),
        ("https://e.com/a?z=1&b=2&a=3", "https://e.com/a?a=3&b=2&z=1"),
        ("https://e.com/a?tag=b&x=1&tag=a", "https://e.com/a?tag=b&tag=a&x=1"),
        ("https://e.com/a?gallery=2&page=3&ref=home", "https://e.com/a?gallery=2&page=3&ref=home"),
        ("https://e.com/a/./b/../c", "https://e.com/a/c"),
        ("https://e.com/a+b;v=1/(x)", "https://e.com/a+b;v=1/(x)"),
        ("https://e.com/%7euser/caf%c3%a9", "https://e.com/~user/caf%C3%A9"),
        ("https://e.com/café?q=a b", "https://e.com/caf%C3%A9?q=a%20b"),
        ("https://bücher.de/", "https://xn--bcher-kva.de/"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
        ("  https://e.com/a  ", "https://e.com/a"),
        ("/relative/path", "/relative/path"),
        ("not a url", "not a url"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical  # already canonical: unchanged


@pytest.mark.parametrize("name", sorted(TRACKING_PARAMETERS))
def test_every_tracking_parameter_of_the_table_is_dropped(name: str) -> None:
    param = name.replace("*", "campaign")
    assert canonical_url(f"https://e.com/a?id=7&{param}=x") == "https://e.com/a?id=7"


# --- the feed-file reader -------------------------------------------------------------------


def test_the_file_reader_reports_a_truncated_feed_and_reads_json_feed() -> None:
    data = _rss("".join(_item(n) for n in range(1, 4)))
    cut = data[: data.index(b"<title>Story 3")]
    errors: list[str] = []
    records = list(read_any(cut, name="wire.rss", on_error=lambda e: errors.append(str(e))))
    assert [(r["id"], r["item"], r["url"]) for r in records] == [
        ("g-1", 1, "https://e.com/1"),
        ("g-2", 2, "https://e.com/2"),
    ]
    assert len(errors) == 1 and errors[0].startswith("wire.rss: the feed is truncated: 2 items")
    records = list(read_any(JSON_FEED, name="wire.xml", on_error=errors.append))
    assert [r["id"] for r in records] == ["101", "b", "c"]


def test_the_file_reader_keeps_only_http_links() -> None:
    data = _rss(
        "<item><guid>1</guid><title>A</title><link>javascript:alert(1)</link>"
        "<description>Kyiv.</description></item>"
    )
    (record,) = read_any(data, name="x.rss")
    assert "url" not in record and record["id"] == "1"


def test_parsed_feed_is_what_the_watcher_stores() -> None:
    feed = parse_feed(RSS_20, now=NOW)
    assert isinstance(feed, ParsedFeed)
    with pytest.raises(AttributeError):
        feed.items[0].key = "other"  # type: ignore[misc]  # frozen: keys are not rewritten
