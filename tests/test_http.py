"""The feed watcher's HTTP client (:mod:`extract.sources.http`) against a local server that
misbehaves on request (:mod:`tests.http_support`): addresses, redirects, conditional GET,
decoding and size caps, timeouts and the deadline, politeness per host, connection errors."""

from __future__ import annotations

import random
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from email.utils import formatdate
from typing import Any
from urllib.parse import urlsplit

import pytest

from extract.errors import DatelineError, InputError
from extract.sources.http import USER_AGENT, FetchError, PoliteClient, Response
from tests.http_support import (
    FaultServer,
    Reply,
    Seen,
    free_port,
    gzip_bomb,
    html,
    redirect,
    stalled_port,
    zeros,
)

MiB = 2**20


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def make_client() -> Iterator[Callable[..., PoliteClient]]:
    """A factory of clients with test-sized limits (closed at the end)."""
    made: list[PoliteClient] = []

    def make(**options: Any) -> PoliteClient:
        settings: dict[str, Any] = {
            "connect_timeout": 0.5,
            "read_timeout": 0.5,
            "total_timeout": 1.5,
            "max_bytes": MiB,
            "min_delay": 0.0,
        }
        settings.update(options)
        made.append(PoliteClient(**settings))
        return made[-1]

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., PoliteClient]) -> PoliteClient:
    return make_client()


def fails(client: PoliteClient, url: str, **options: Any) -> tuple[FetchError, float]:
    """The FetchError ``client.get(url)`` raises, and the seconds it took."""
    start = time.monotonic()
    with pytest.raises(FetchError) as caught:
        client.get(url, **options)
    return caught.value, time.monotonic() - start


class FakeClock:
    """A clock that only moves when slept on (or told to): politeness without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


# --- addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://127.0.0.1/feed.xml", "only http and https addresses are fetched (this one is ftp:"),
        ("file:///etc/passwd", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("127.0.0.1/feed.xml", "only http and https"),
        ("http://user:secret@127.0.0.1:{port}/a", "user name or password"),
        ("http://@127.0.0.1:{port}/a", "user name or password"),
        ("http:///a", "no host"),
        ("http://127.0.0.1:99999/a", "not a valid address"),
        ("http://[::1/a", "not a valid address"),
        ("http://127.0.0.1:{port}/a\r\nX-Injected: 1", "control characters"),
    ],
)
def test_refuses_addresses_that_are_not_plain_http(
    server: FaultServer, client: PoliteClient, url: str, words: str
) -> None:
    server.route("/a", Reply(body=b"never"))
    error, _ = fails(client, url.format(port=server.port))
    assert words in error.reason
    assert error.permanent and error.status is None
    assert server.seen() == []  # refused without any access


def test_error_is_an_input_error_naming_the_url(server: FaultServer, client: PoliteClient) -> None:
    url = server.url("/missing")
    error, _ = fails(client, url)
    assert isinstance(error, InputError) and isinstance(error, DatelineError)
    assert str(error) == f"{url}: the server answered 404 Not Found"
    assert error.url == url


# --- plain answers -----------------------------------------------------------------------------


def test_get_returns_body_and_headers_and_names_dateline(
    server: FaultServer, client: PoliteClient
) -> None:
    url = server.route("/feed.xml", Reply(body=b"<rss/>", content_type="application/rss+xml"))
    got = client.get(url)
    assert got == Response(url, 200, b"<rss/>", "application/rss+xml", None, None)
    assert not got.not_modified and not got.moved_permanently
    (seen,) = server.seen("/feed.xml")
    assert "Dateline" in USER_AGENT and seen.headers["user-agent"] == USER_AGENT
    assert seen.headers["accept-encoding"] == "gzip, deflate"
    assert seen.headers["accept"] == "*/*"
    assert "if-none-match" not in seen.headers and "if-modified-since" not in seen.headers


def test_html_page_with_accept_header(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/story", html("<html><body><p>Kyiv</p></body></html>"))
    got = client.get(url, accept="text/html, */*;q=0.5")
    assert got.content_type == "text/html; charset=utf-8"
    assert got.body == b"<html><body><p>Kyiv</p></body></html>"
    assert server.seen("/story")[0].headers["accept"] == "text/html, */*;q=0.5"


def test_connection_is_kept_alive_between_requests(
    server: FaultServer, client: PoliteClient
) -> None:
    url = server.route("/a", Reply(body=b"a"))
    for _ in range(3):
        client.get(url)
    assert len({s.client_port for s in server.seen("/a")}) == 1  # one pooled connection


def test_closed_client_refuses_more_requests(server: FaultServer) -> None:
    url = server.route("/a", Reply(body=b"a"))
    with PoliteClient(min_delay=0) as client:
        assert client.get(url).body == b"a"
    with pytest.raises(ValueError, match="closed"):
        client.get(url)


# --- conditional GET ---------------------------------------------------------------------------


def test_etag_gives_304_until_the_feed_changes(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/feed", Reply(body=b"v1", etag='"v1"'))
    first = client.get(url)
    assert (first.body, first.etag) == (b"v1", '"v1"')

    again = client.get(url, etag=first.etag)
    assert again.not_modified and again.status == 304 and again.body == b""
    assert server.seen("/feed")[1].headers["if-none-match"] == '"v1"'

    server.route("/feed", Reply(body=b"v2", etag='"v2"'))  # the feed changes
    changed = client.get(url, etag=first.etag)
    assert (changed.status, changed.body, changed.etag) == (200, b"v2", '"v2"')


def test_last_modified_gives_304(server: FaultServer, client: PoliteClient) -> None:
    stamp = "Tue, 05 Nov 2024 10:00:00 GMT"
    url = server.route("/feed", Reply(body=b"items", last_modified=stamp))
    first = client.get(url)
    assert first.last_modified == stamp
    again = client.get(url, last_modified=first.last_modified)
    assert again.not_modified
    assert server.seen("/feed")[1].headers["if-modified-since"] == stamp


# --- error statuses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "words", "permanent"),
    [
        (400, "400 Bad Request", True),
        (403, "403 Forbidden", True),
        (404, "404 Not Found", True),
        (410, "410 Gone", True),
        (429, "429 Too Many Requests", False),
        (500, "500 Internal Server Error", False),
        (503, "503 Service Unavailable", False),
    ],
)
def test_error_statuses(
    server: FaultServer, client: PoliteClient, status: int, words: str, permanent: bool
) -> None:
    url = server.route("/x", Reply(status, b"an error page"))
    error, _ = fails(client, url)
    assert error.reason == f"the server answered {words}"
    assert (error.status, error.permanent, error.retry_after) == (status, permanent, None)


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [("120", 120, 120), ("in a while", None, None), ("in 90 s as a date", 80, 91)],
)
def test_retry_after(
    server: FaultServer, client: PoliteClient, value: str, low: float | None, high: float | None
) -> None:
    if value == "in 90 s as a date":  # built now, not when the tests were collected
        value = formatdate(time.time() + 90)
    url = server.route("/busy", Reply(503, headers={"Retry-After": value}))
    error, _ = fails(client, url)
    if low is None:
        assert error.retry_after is None
    else:
        assert error.retry_after is not None and low <= error.retry_after <= high


def test_no_retries_inside_get(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/flaky", Reply(503), Reply(body=b"fine"))
    error, _ = fails(client, url)
    assert error.status == 503
    assert len(server.seen("/flaky")) == 1  # asked once: backing off is the caller's job
    assert client.get(url).body == b"fine"


# --- decoding and size caps --------------------------------------------------------------------


def test_gzip_and_deflate_are_decoded(server: FaultServer, client: PoliteClient) -> None:
    text = b"<rss>" + b"<item>Kharkiv</item>" * 500 + b"</rss>"
    gz = server.route("/gz", Reply(body=text, gzip=True))
    deflate = server.route(
        "/deflate", Reply(body=zlib.compress(text), headers={"Content-Encoding": "deflate"})
    )
    assert client.get(gz).body == text
    assert client.get(deflate).body == text


def test_gzip_bomb_stops_at_the_cap_without_expanding(
    server: FaultServer, client: PoliteClient
) -> None:
    url = server.route("/bomb", gzip_bomb(50 * 10**6))  # 50 MB of zeros in about 50 KB
    tracemalloc.start()
    try:
        error, took = fails(client, url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "the body is over 1.0 MiB" and error.permanent
    assert peak < 4 * MiB, f"{peak / MiB:.1f} MiB held while decoding"
    assert took < 1.0


def test_a_50_mb_body_is_read_only_up_to_the_cap(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/huge", zeros(50 * 10**6))  # no Content-Length: found out by reading
    tracemalloc.start()
    try:
        error, took = fails(client, url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "the body is over 1.0 MiB"
    assert peak < 4 * MiB and took < 1.0
    assert server.wait_idle()
    assert server.seen("/huge")[0].sent < 20 * 10**6  # the client hung up long before the end


def test_declared_length_over_the_cap_is_refused_before_reading(
    server: FaultServer, client: PoliteClient
) -> None:
    url = server.route("/huge", zeros(50 * 10**6, declare=True))
    error, took = fails(client, url)
    assert error.reason == "the server declares a body of 47.7 MiB, over 1.0 MiB"
    assert error.permanent and took < 0.5


def test_cap_per_request_is_exact(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/k", Reply(body=b"x" * 1000, content_length=None))  # no early refusal
    assert len(client.get(url, max_bytes=1000).body) == 1000
    error, _ = fails(client, url, max_bytes=999)
    assert error.reason == "the body is over 999 bytes"


def test_cap_holds_for_the_bytes_as_sent_too(server: FaultServer, client: PoliteClient) -> None:
    # random bytes do not compress: gzip sends more than it decodes to
    data = random.Random(17).randbytes(MiB)
    url = server.route("/noise", Reply(body=data, gzip=True, chunked=True))
    assert client.get(url, max_bytes=2 * MiB).body == data
    error, _ = fails(client, url, max_bytes=MiB)  # decoded: exactly the cap; as sent: over it
    assert error.reason == "the body is over 1.0 MiB"


def test_encoding_not_asked_for_is_refused(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/br", Reply(body=b"\x1b\x00\x00", headers={"Content-Encoding": "br"}))
    error, _ = fails(client, url)
    assert error.reason == "the body is encoded as 'br', which was not asked for"
    assert error.permanent


def test_corrupt_gzip(server: FaultServer, client: PoliteClient) -> None:
    url = server.route(
        "/bad", Reply(body=b"\x1f\x8bnot gzip", headers={"Content-Encoding": "gzip"})
    )
    error, _ = fails(client, url)
    assert error.reason == "the body cannot be decompressed (Content-Encoding: gzip)"


# --- broken connections ------------------------------------------------------------------------


def test_content_length_longer_than_the_body(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/short", Reply(body=b"0123456789", content_length=100))
    error, took = fails(client, url)
    assert error.reason == "the connection closed after 10 bytes, before the end of the body"
    assert not error.permanent and took < 0.5


def test_content_length_shorter_than_the_body(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/long", Reply(body=b"0123456789", content_length=4))
    assert client.get(url).body == b"0123"  # what was declared, nothing of the rest
    assert client.get(url).body == b"0123"  # and the leftovers do not spoil the next answer


def test_connection_closed_mid_body(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/cut", Reply(body=b"x" * 5000, close_after=1000, piece=500))
    error, _ = fails(client, url)
    assert error.reason == "the connection closed after 1,000 bytes, before the end of the body"


def test_connection_closed_without_answering(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/gone", Reply(raw=b""))
    error, _ = fails(client, url)
    assert error.reason == "the server closed the connection without answering"
    assert not error.permanent


def test_answer_that_is_not_http(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/junk", Reply(raw=b"SSH-2.0-OpenSSH_9.6\r\n\r\n"))
    error, _ = fails(client, url)
    assert error.reason == "the answer is not valid HTTP (BadStatusLine)"


def test_connection_refused(client: PoliteClient) -> None:
    error, took = fails(client, f"http://127.0.0.1:{free_port()}/feed")
    assert error.reason == "connection refused"
    assert not error.permanent and took < 0.5


# --- timeouts and the deadline -----------------------------------------------------------------


def test_connect_timeout(make_client: Callable[..., Any]) -> None:
    with stalled_port() as port:
        if port is None:
            pytest.skip("this system accepts every connection into the queue")
        error, took = fails(make_client(connect_timeout=0.3), f"http://127.0.0.1:{port}/feed")
    assert error.reason == "timed out after 0.3 s connecting"
    assert not error.permanent and 0.25 < took < 0.8


def test_slow_answer_times_out(server: FaultServer, make_client: Callable[..., Any]) -> None:
    url = server.route("/slow", Reply(body=b"late", delay=1.5))
    error, took = fails(make_client(read_timeout=0.3, total_timeout=5), url)
    assert error.reason == "timed out after 0.3 s waiting for an answer"
    assert not error.permanent and 0.25 < took < 0.8


def test_body_that_hangs_midway_times_out_reading(
    server: FaultServer, make_client: Callable[..., Any]
) -> None:
    url = server.route("/hang", Reply(body=b"x" * 1000, hang_after=100))
    error, took = fails(make_client(read_timeout=0.3, total_timeout=5), url)
    assert error.reason == "timed out after 0.3 s reading the body"
    assert 0.25 < took < 0.8


def test_body_that_hangs_midway_meets_the_deadline(
    server: FaultServer, make_client: Callable[..., Any]
) -> None:
    url = server.route("/hang", Reply(body=b"x" * 1000, hang_after=100))
    error, took = fails(make_client(read_timeout=5, total_timeout=0.6), url)
    assert error.reason.startswith("timed out")
    assert 0.5 < took < 1.1  # the deadline, not the 5 s read timeout


def test_trickled_body_meets_the_deadline(
    server: FaultServer, make_client: Callable[..., Any]
) -> None:
    # a byte every 0.05 s: each read is in time, the whole never is
    url = server.route("/drip", Reply(body=b"x" * 1000, piece=1, pace=0.05))
    error, took = fails(make_client(read_timeout=0.5, total_timeout=0.6), url)
    assert error.reason == "timed out: no complete answer within 0.6 s"
    assert not error.permanent and 0.55 < took < 1.1


def test_trickled_headers_meet_the_deadline(
    server: FaultServer, make_client: Callable[..., Any]
) -> None:
    headers = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: yes\r\n" * 200 + b"\r\nbody"
    url = server.route("/drip", Reply(raw=headers, piece=5, pace=0.05))
    error, took = fails(make_client(read_timeout=0.5, total_timeout=0.6), url)
    assert error.reason == "timed out: no complete answer within 0.6 s"
    assert 0.55 < took < 1.1


def test_the_deadline_covers_every_redirect(
    server: FaultServer, make_client: Callable[..., Any]
) -> None:
    for n in range(4):
        server.route(f"/hop{n}", Reply(302, headers={"Location": f"/hop{n + 1}"}, delay=0.25))
    server.route("/hop4", Reply(body=b"there"))
    error, took = fails(make_client(read_timeout=1, total_timeout=0.6), server.url("/hop0"))
    assert error.reason.startswith("timed out")
    assert took < 1.1
    assert len(server.seen()) <= 3  # never reached the end


# --- redirects ---------------------------------------------------------------------------------


def test_redirect_chain_is_followed(server: FaultServer, client: PoliteClient) -> None:
    server.route("/old", redirect("/older", 301))
    server.route("/older", redirect(server.url("/new"), 308))
    url = server.url("/old")
    server.route("/new", Reply(body=b"here", etag='"e"'))
    got = client.get(url, etag='"stale"')
    assert got.url == server.url("/new") and got.body == b"here"
    assert got.redirects == ((301, url), (308, server.url("/older")))
    assert got.moved_permanently
    # the conditional header goes along, to the address that answers
    assert server.seen("/new")[0].headers["if-none-match"] == '"stale"'


def test_redirect_keeps_the_connection(server: FaultServer, client: PoliteClient) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", Reply(body=b"b"))
    assert client.get(server.url("/a")).body == b"b"
    assert len({s.client_port for s in server.seen()}) == 1  # the redirect's body was drained


def test_a_temporary_redirect_is_not_a_move(server: FaultServer, client: PoliteClient) -> None:
    server.route("/a", redirect("/b", 301))
    server.route("/b", redirect("/c", 302))
    server.route("/c", Reply(body=b"c"))
    got = client.get(server.url("/a"))
    assert [s for s, _ in got.redirects] == [301, 302] and not got.moved_permanently


@pytest.mark.parametrize(
    ("location", "final"),
    [
        ("next", "/dir/next"),
        ("../up", "/up"),
        ("/root", "/root"),
        ("?page=2", "/dir/start?page=2"),
        ("//127.0.0.1:{port}/other", "/other"),
        ("/with space", "/with%20space"),
    ],
)
def test_relative_redirects(
    server: FaultServer, client: PoliteClient, location: str, final: str
) -> None:
    location = location.format(port=server.port)
    server.route(urlsplit(final).path, Reply(body=b"arrived"))  # as sent: "%20"

    def start(seen: Seen) -> Reply:  # "?page=2" comes back here: the second time, arrive
        return redirect(location) if seen.n == 0 else Reply(body=b"arrived")

    server.route("/dir/start", start)
    got = client.get(server.url("/dir/start"))
    assert (got.url, got.body) == (server.url(final), b"arrived")
    assert got.redirects == ((302, server.url("/dir/start")),)


def test_redirect_loop(server: FaultServer, client: PoliteClient) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))
    error, _ = fails(client, server.url("/a"))
    assert error.reason == f"redirect loop: {server.url('/b')} sends back to {server.url('/a')}"
    assert error.permanent and len(server.seen()) == 2


def test_too_many_redirects(server: FaultServer, make_client: Callable[..., Any]) -> None:
    for n in range(3):
        server.route(f"/r{n}", redirect(f"/r{n + 1}"))
    server.route("/r3", Reply(body=b"end"))
    client = make_client(max_redirects=2)
    assert client.get(server.url("/r1")).body == b"end"  # two: fine
    error, _ = fails(client, server.url("/r0"))  # three: too many
    assert error.reason == "more than 2 redirects" and error.permanent
    assert [s.path for s in server.seen()[3:]] == ["/r0", "/r1", "/r2"]  # not /r3


@pytest.mark.parametrize(
    "target",
    ["ftp://127.0.0.1/feed.xml", "file:///etc/passwd", "http://user:pw@127.0.0.1:{port}/ok"],
)
def test_redirect_to_other_schemes_is_refused(
    server: FaultServer, client: PoliteClient, target: str
) -> None:
    target = target.format(port=server.port)
    server.route("/ok", Reply(body=b"should not be fetched"))
    url = server.route("/jump", redirect(target))
    error, _ = fails(client, url)
    assert error.reason.startswith(f"redirect to {target} refused: ")
    if "@" not in target:
        assert error.reason.endswith("refused: only http and https")
    assert error.permanent and error.url == url
    assert [s.path for s in server.seen()] == ["/jump"]


def test_redirect_without_location(server: FaultServer, client: PoliteClient) -> None:
    url = server.route("/nowhere", Reply(302))
    error, _ = fails(client, url)
    assert error.reason == "the server answered 302 Found without a Location"


# --- politeness --------------------------------------------------------------------------------


def test_min_delay_between_requests_to_a_host(
    server: FaultServer, make_client: Callable[..., Any]
) -> None:
    clock = FakeClock()
    client = make_client(min_delay=1.0, clock=clock, sleep=clock.sleep)
    a = server.route("/a", Reply(body=b"a"))
    server.route("/missing", Reply(404))
    client.get(a)
    assert clock.sleeps == []  # the first request to a host waits for nothing
    client.get(a)
    assert clock.sleeps == [1.0]
    clock.now += 0.4  # the caller did something else meanwhile
    client.get(a)
    assert clock.sleeps == [1.0, 0.6]
    with pytest.raises(FetchError):
        client.get(server.url("/missing"))  # a failed request counts too
    client.get(a)
    assert clock.sleeps == [1.0, 0.6, 1.0, 1.0]
    client.get(server.url("/a", host="localhost"))  # another host: no wait
    assert clock.sleeps == [1.0, 0.6, 1.0, 1.0]


def test_redirect_hops_are_spaced_too(server: FaultServer, make_client: Callable[..., Any]) -> None:
    clock = FakeClock()
    client = make_client(min_delay=2.0, clock=clock, sleep=clock.sleep)
    server.route("/a", redirect("/b"))
    server.route("/b", Reply(body=b"b"))
    assert client.get(server.url("/a")).body == b"b"
    assert clock.sleeps == [2.0]


def test_one_request_at_a_time_per_host_across_threads(
    server: FaultServer, make_client: Callable[..., Any]
) -> None:
    client = make_client(min_delay=0.1)
    url = server.route("/slow", Reply(body=b"s", delay=0.1))
    errors: list[BaseException] = []

    def fetch() -> None:
        try:
            client.get(url)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert errors == []
    seen = sorted(server.seen("/slow"), key=lambda s: s.started)
    assert len(seen) == 4 and server.peak_concurrency == 1
    gaps = [b.started - a.ended for a, b in zip(seen, seen[1:], strict=False)]
    assert min(gaps) >= 0.1, gaps  # the end of one to the start of the next


def test_different_hosts_are_fetched_in_parallel(
    server: FaultServer, make_client: Callable[..., Any]
) -> None:
    # min_delay would serialise everything if the two hosts shared a turn
    client = make_client(min_delay=5.0, read_timeout=2, total_timeout=3)
    server.route("/slow", Reply(body=b"s", delay=0.4))
    urls = [server.url("/slow"), server.url("/slow", host="localhost")]
    bodies: list[bytes] = []
    threads = [threading.Thread(target=lambda u=u: bodies.append(client.get(u).body)) for u in urls]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert bodies == [b"s", b"s"]
    assert server.peak_concurrency == 2 and time.monotonic() - start < 0.75


def test_route_function_sees_each_request(server: FaultServer, client: PoliteClient) -> None:
    # the support server's route functions: how the watcher's tests change a page later
    def page(seen: Seen) -> Reply:
        return html(f"<p>version {seen.n + 1}</p>")

    url = server.route("/article", page)
    assert client.get(url).body == b"<p>version 1</p>"
    assert client.get(url).body == b"<p>version 2</p>"
