"""Hostile input is refused without harm: zip bombs and path traversal
(:mod:`extract.sources._zip`), URLs (:func:`extract.sources.readers.fetch_url`, against a local
HTTP server: no internet), the Streamlit server settings (uploads bounded, XSRF protection on)
and the source itself (no ``eval``/``exec``/``pickle`` of user data). Plain bad input is
``tests/test_bad_input.py``.
"""

from __future__ import annotations

import ast
import http.server
import threading
import time
import tomllib
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extract.sources._fetch import fetch_url
from extract.sources._formats import ReadOptions
from extract.sources.readers import read_any
from geodata.errors import InputError
from tests.ingest_support import declare_size, read_all, write_zip

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
KHARKIV = "A Russian missile strike on Kharkiv killed three people on Monday, officials said."


# --- zip bombs and path traversal -----------------------------------------------------------------


def test_real_zip_bomb_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("a.txt", "w", force_zip64=True) as member:
            chunk = b" " * MiB
            for _ in range(200):  # 200 MiB of spaces
                member.write(chunk)
    assert bomb.stat().st_size < 400_000  # a ratio of more than 500:1
    tracemalloc.start()
    try:
        records, errors = read_all(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert records == []
    assert errors == [
        f"{bomb}: member 'a.txt' declares 209,715,200 bytes uncompressed, more than the limit"
        " of 134,217,728; refusing the archive (possible zip bomb)"
    ]
    assert peak < 5 * MiB


def test_zip_bomb_lying_about_its_size_stops_at_the_cap(tmp_path: Path) -> None:
    plain = write_zip(tmp_path / "p.zip", {"a.txt": b"Kyiv " + b" " * (8 * MiB)})
    lying = tmp_path / "lying.zip"
    lying.write_bytes(declare_size(plain.read_bytes(), 100))  # says 100 bytes
    tracemalloc.start()
    try:
        records, errors = read_all(lying, max_zip_member_bytes=MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert records == [] and len(errors) == 1
    assert errors[0].startswith(f"{lying}!a.txt: ")
    assert peak < 4 * MiB  # stopped near the 1 MiB cap, not at 8 MiB


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "/etc/passwd", "..\\..\\evil.txt", "C:\\evil.txt", "a/../../x.txt"],
)
def test_zip_path_traversal_writes_nothing(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_extract(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("zip members must never be extracted to disk")

    monkeypatch.setattr(zipfile.ZipFile, "extract", no_extract)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", no_extract)
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    archive = write_zip(tmp_path / "evil.zip", {"ok.txt": KHARKIV, name: "pwned"})
    before = sorted(tmp_path.rglob("*"))
    records, errors = read_all(archive)
    assert records == []
    assert errors == [
        f"{archive}: unsafe member name {name!r} (absolute path or '..'); refusing the archive"
    ]
    assert sorted(tmp_path.rglob("*")) == before


# --- URLs -----------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    release = threading.Event()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass

    def _send(self, body: bytes, *, ctype: str = "text/html", length: int | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the base's name
        try:
            if self.path == "/page":
                self._send(f"<html><title>T</title><body><p>{KHARKIV}</p></body></html>".encode())
            elif self.path == "/slow":  # no answer for a long time
                self.release.wait(10)
            elif self.path == "/drip":  # headers at once, then one byte at a time
                self._send(b"", length=1000)
                for _ in range(1000):
                    if self.release.wait(0.05):
                        break
                    self.wfile.write(b"x")
                    self.wfile.flush()
            elif self.path == "/declared-huge":
                self._send(b"", length=50 * MiB)
            elif self.path == "/huge":  # no Content-Length: read until the server closes
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b"Kyiv " * (MiB // 5))
            elif self.path == "/ftp-redirect":
                self.send_response(302)
                self.send_header("Location", "ftp://127.0.0.1/etc/passwd")
                self.end_headers()
            else:
                self.send_error(404, "Not Found")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _Handler.release.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("file:///etc/passwd", "file:"),
        ("javascript:alert(1)", "javascript:"),
        ("ftp://127.0.0.1/x.txt", "ftp:"),
        ("data:text/html,<p>Kyiv</p>", "data:"),
        ("about:blank", "about:"),
        ("http://", "http:"),
    ],
)
def test_only_http_urls_are_fetched(url: str, scheme: str) -> None:
    with pytest.raises(InputError) as info:
        fetch_url(url)
    assert str(info.value) == (
        f"{url}: only http:// and https:// addresses can be fetched (got {scheme})"
    )


def test_fetching_a_page(server: str) -> None:
    got = fetch_url(f"{server}/page")
    assert got.content_type == "text/html" and got.url == f"{server}/page"
    (record,) = read_any(got.data, name="page.html")
    assert record["text"] == KHARKIV and record["title"] == "T"


@pytest.mark.parametrize(
    ("path", "timeout", "message"),
    [
        ("/slow", 0.5, "timed out: no answer within 0.5 s"),
        ("/drip", 0.5, "timed out: the download took more than 0.5 s"),
        ("/declared-huge", 5, "too large: the body is 50.0 MiB; the limit is 1.0 MiB; not read"),
        ("/huge", 5, "too large: the body is more than 1.0 MiB; the limit is 1.0 MiB; not read"),
        ("/missing", 5, "the server answered HTTP 404 (Not Found)"),
        ("/ftp-redirect", 5, "redirected to 'ftp://127.0.0.1/etc/passwd', which is not an"),
    ],
)
def test_bad_urls(server: str, path: str, timeout: float, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        fetch_url(f"{server}{path}", timeout=timeout, max_bytes=MiB)
    assert str(info.value).startswith(f"{server}{path}: {message}"), str(info.value)
    assert time.perf_counter() - started < 2 * timeout + 1


def test_unreachable_url() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(InputError, match=rf"^http://127\.0\.0\.1:{port}/: cannot connect: "):
        fetch_url(f"http://127.0.0.1:{port}/", timeout=2)


def test_app_fetch_refuses_bad_urls(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import ingest_view

    for url in ("file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x"):
        records, errors = ingest_view.fetch_url(url)
        assert records == [] and len(errors) == 1 and "http" in errors[0]
    monkeypatch.setattr(ingest_view, "FETCH_TIMEOUT", 0.5)
    started = time.perf_counter()
    records, errors = ingest_view.fetch_url(f"{server}/slow")
    assert records == [] and len(errors) == 1 and "timed out" in errors[0]
    assert time.perf_counter() - started < 3
    monkeypatch.setattr(ingest_view, "MAX_FETCH_BYTES", MiB)
    records, errors = ingest_view.fetch_url(f"{server}/huge")
    assert records == [] and len(errors) == 1 and "too large" in errors[0]


# --- the app's server settings --------------------------------------------------------------------


def test_streamlit_config_bounds_uploads_and_keeps_xsrf_protection() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    server = config.get("server", {})
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True  # XSRF protection needs CORS protection
    size = server.get("maxUploadSize")
    assert isinstance(size, int) and 0 < size <= 200
    assert size * MiB <= ReadOptions().max_file_bytes
    launch = (ROOT / "run.sh").read_text("utf-8")
    assert "enableXsrfProtection" not in launch and "maxUploadSize" not in launch


# --- no eval/exec/pickle of user data -------------------------------------------------------------

_UNSAFE_MODULES = {
    "pickle": {"load", "loads", "Unpickler"},
    "cPickle": {"load", "loads", "Unpickler"},
    "dill": {"load", "loads"},
    "marshal": {"load", "loads"},
    "shelve": {"open"},
    "yaml": {"load", "load_all", "unsafe_load", "full_load", "Loader", "UnsafeLoader"},
}


def _unsafe_calls(source: str, filename: str = "<src>") -> list[str]:
    """``file:line: what`` for each eval/exec/compile call and unsafe deserializer use."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename)):
        what = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("eval", "exec", "compile", "__import__"):
                what = f"{node.func.id}()"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in _UNSAFE_MODULES.get(node.value.id, ()):
                what = f"{node.value.id}.{node.attr}"
            elif node.attr in ("read_pickle", "eval") and node.value.id in ("pd", "pandas"):
                what = f"{node.value.id}.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module in _UNSAFE_MODULES:
            bad = [a.name for a in node.names if a.name in _UNSAFE_MODULES[node.module]]
            what = f"from {node.module} import {', '.join(bad)}" if bad else None
        if what:
            found.append((node.lineno, f"{filename}:{node.lineno}: {what}"))
    return [text for _, text in sorted(found)]


def _project_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("extract", "geodata", "ui", "pages", "scripts"):
        files.extend(sorted((ROOT / folder).rglob("*.py")))
    return [f for f in files if f.exists()]


def test_no_eval_exec_or_pickle_in_the_project() -> None:
    files = _project_files()
    assert len(files) > 20 and ROOT / "extract" / "sources" / "readers.py" in files
    found = [hit for f in files for hit in _unsafe_calls(f.read_text("utf-8"), str(f))]
    assert found == []


def test_the_unsafe_call_scan_finds_what_it_looks_for() -> None:
    source = (
        "import pickle, yaml\nfrom marshal import loads\n"
        "x = eval(s)\nexec(code)\npickle.loads(b)\nyaml.load(t)\n"
        "js = 'eval(1); exec(2); pickle.load(f)'\n"  # strings do not count
        "ok = yaml.safe_load(t)\nobj.eval()\n"
    )
    assert _unsafe_calls(source) == [
        "<src>:2: from marshal import loads",
        "<src>:3: eval()",
        "<src>:4: exec()",
        "<src>:5: pickle.loads",
        "<src>:6: yaml.load",
    ]


@pytest.mark.parametrize(
    ("typed", "fetched"),
    [
        ("www.example.org/news?id=1", "https://www.example.org/news?id=1"),
        ("  example.org:8080/a  ", "https://example.org:8080/a"),
        ("127.0.0.1/page", "https://127.0.0.1/page"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", "javascript:alert(1)"),  # still refused by the scheme check
        ("Kyiv news", "Kyiv news"),
    ],
)
def test_a_bare_address_is_fetched_over_https(typed: str, fetched: str) -> None:
    from extract.sources._fetch import with_scheme

    assert with_scheme(typed) == fetched
