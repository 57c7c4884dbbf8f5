"""End to end: a real ``streamlit run app.py`` driven by Debian's Chromium through Playwright.

The server gets an empty temporary store (``DATELINE_DB``), so its first page load ingests the
bundled sample. Checks, with no network: Leaflet draws one marker per sample incident; a ◀ step
swaps the markers without reloading the map's iframe; Play advances the date; clustering and
the density grid draw; no request (any frame, websockets included) leaves this machine.
Screenshots and the server log go to ``artifacts/``. Without ``/usr/bin/chromium`` the tests
are skipped locally but fail under CI (``CI`` set).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from geodata.maps import CELL_CLASS, FAINT_CLASS, INCIDENT_CLASS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension", "chrome"}
MAP_TIMEOUT_MS = 240_000  # the app's first run may build the gazetteer index
LAST_DAY = "2024-11-05"  # the sample's publication date: its newest incidents
STEP_BACK_DAY = "2024-10-29"  # one ◀ step (a week in the "up to date" window)


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in LOCAL_SCHEMES:
        return True
    return parsed.scheme in {"http", "https", "ws", "wss"} and parsed.hostname in LOCAL_HOSTS


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chromium() -> str:
    if not CHROMIUM.exists():
        message = "/usr/bin/chromium is missing: apt-get install -y chromium (./test.sh does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Marker counts the map should show, from the sample ingested into a separate store
    (this also builds/loads the gazetteer before the server starts)."""
    from extract.ingest import ingest_records
    from geodata.sample import sample_article
    from geodata.store import Store

    store = Store(tmp_path_factory.mktemp("expected") / "sample.duckdb")
    ingest_records([sample_article()], store=store)

    def located(**filters: Any) -> int:
        return sum(1 for r in store.incidents(**filters) if r["lat"] is not None)

    return {
        "all": located(),
        "step": located(end=STEP_BACK_DAY),
        "week_aug": located(start="2024-08-25", end="2024-08-31"),
    }


@pytest.fixture(scope="module")
def server(expected: dict[str, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log = (ARTIFACTS / "streamlit-e2e.log").open("w")
    db = tmp_path_factory.mktemp("e2e-store") / "dateline.duckdb"  # empty: the app seeds it
    env = {**os.environ, "DATELINE_DB": str(db)}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy in 60 s; see {log.name}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


class Browser:
    """One Chromium page recording every request (all frames, websockets) and page error."""

    def __init__(self, playwright: Any, chromium: str) -> None:
        self.browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = self.browser.new_context(viewport={"width": 1400, "height": 1250})
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("websocket", lambda ws: self.requests.append(ws.url))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def open_map(self, url: str) -> Any:
        """Go to ``url`` and wait for the map's first incident marker; return the frame."""
        self.page.goto(url, wait_until="domcontentloaded")
        frame = self.page.frame_locator('iframe[src*="st_folium"]')
        frame.locator(".leaflet-container").wait_for(timeout=MAP_TIMEOUT_MS)
        frame.locator(f"path.{INCIDENT_CLASS}, .marker-cluster").first.wait_for(timeout=60_000)
        return frame

    def map_frame(self) -> Any:
        handle = self.page.locator('iframe[src*="st_folium"]').element_handle()
        return handle, handle.content_frame()

    def slider_day(self) -> str:
        return self.page.get_by_role("slider").get_attribute("aria-valuetext") or ""

    def check_offline(self) -> None:
        assert self.requests, "no request recorded"
        outside = sorted({u for u in self.requests if not _is_local(u)})
        assert outside == [], f"requests left this machine: {outside}"
        assert self.errors == [], self.errors

    def close(self) -> None:
        self.browser.close()


@pytest.fixture
def browser(chromium: str) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = Browser(p, chromium)
        try:
            yield b
        finally:
            b.close()


def test_map_renders_the_sample_incidents_offline(
    server: str, browser: Browser, expected: dict[str, int]
) -> None:
    frame = browser.open_map(server + "/")
    markers = frame.locator(f"path.{INCIDENT_CLASS}")
    assert markers.count() == expected["all"]
    assert expected["all"] >= 8
    # country outlines drawn (the offline basemap), and no tile images
    assert frame.locator(".leaflet-overlay-pane path").count() > expected["all"] + 100
    assert frame.locator("img.leaflet-tile").count() == 0
    _, inner = browser.map_frame()
    assert inner.evaluate("window.dateline.incidents.count") == expected["all"]

    # the popup (Leaflet alone, no jQuery) shows the details, the place marked in the sentence
    markers.last.click(force=True)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "When:" in text and "Where:" in text and re.search(r"Incident #\w+", text)
    assert popup.locator("mark").count() == 1
    # the click also shows the incident with its sources beside the map
    browser.page.get_by_text(re.compile(r"^Sources \(\d+\)$")).wait_for(timeout=20_000)

    browser.page.wait_for_timeout(500)
    browser.page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    browser.check_offline()


def test_a_step_swaps_markers_without_reloading_the_map(
    server: str, browser: Browser, expected: dict[str, int]
) -> None:
    frame = browser.open_map(server + "/")
    assert browser.slider_day() == LAST_DAY
    handle, inner = browser.map_frame()
    inner.evaluate("window.__dateline_e2e = 'kept'")
    renders = inner.evaluate("window.dateline.renders")

    browser.page.get_by_role("button", name="◀").click()
    inner.wait_for_function(f"window.dateline.renders > {renders}", timeout=30_000)
    markers = frame.locator(f"path.{INCIDENT_CLASS}")
    assert markers.count() == expected["step"] < expected["all"]
    assert browser.slider_day() == STEP_BACK_DAY
    # the same iframe and document: the markers were swapped in place
    assert handle.evaluate("e => e.isConnected")
    assert inner.evaluate("window.__dateline_e2e") == "kept"
    assert browser.page.locator('iframe[src*="st_folium"]').count() == 1
    assert f"date={STEP_BACK_DAY}" in browser.page.url

    browser.page.get_by_role("button", name="▶").click()
    inner.wait_for_function(f"window.dateline.renders > {renders + 1}", timeout=30_000)
    assert markers.count() == expected["all"]
    assert inner.evaluate("window.__dateline_e2e") == "kept"
    browser.page.screenshot(path=str(ARTIFACTS / "map-step.png"), full_page=True)
    browser.check_offline()


def test_play_advances_the_date(server: str, browser: Browser, expected: dict[str, int]) -> None:
    frame = browser.open_map(server + "/?date=2024-08-31&window=week")
    assert browser.slider_day() == "2024-08-31"
    assert frame.locator(f"path.{INCIDENT_CLASS}").count() == expected["week_aug"]
    _, inner = browser.map_frame()
    inner.evaluate("window.__dateline_e2e = 'kept'")

    browser.page.get_by_role("button", name="Play").click()
    seen = ["2024-08-31"]
    deadline = time.monotonic() + 30
    while len(seen) < 3 and time.monotonic() < deadline:
        day = browser.slider_day()
        if day != seen[-1]:
            seen.append(day)
        browser.page.wait_for_timeout(200)
    assert seen == ["2024-08-31", "2024-09-07", "2024-09-14"], seen
    assert frame.locator(f"path.{INCIDENT_CLASS}").count() == 0  # nothing in those weeks
    assert inner.evaluate("window.__dateline_e2e") == "kept"

    browser.page.get_by_role("button", name="Pause").click()
    browser.page.get_by_role("button", name="Play").wait_for(timeout=10_000)
    stopped = browser.slider_day()
    browser.page.wait_for_timeout(4_000)  # more than two Play intervals
    assert browser.slider_day() == stopped
    browser.check_offline()


def test_cluster_heat_and_faint_layers(server: str, browser: Browser) -> None:
    frame = browser.open_map(server + "/?cluster=1&heat=1&places=1")
    frame.locator(".marker-cluster").first.wait_for(timeout=30_000)
    assert frame.locator(".marker-cluster").count() >= 1
    assert frame.locator(f"path.{CELL_CLASS}").count() >= 1
    assert frame.locator(f"path.{FAINT_CLASS}").count() >= 1
    browser.page.screenshot(path=str(ARTIFACTS / "map-layers.png"), full_page=True)
    browser.check_offline()


def test_other_pages_render(server: str, browser: Browser) -> None:
    browser.open_map(server + "/")
    browser.page.get_by_role("link", name="Incidents").click()
    browser.page.get_by_role("heading", name="Incidents").wait_for(timeout=30_000)
    browser.page.get_by_text("GeoParquet").wait_for(timeout=30_000)
    browser.page.get_by_role("link", name="Add articles").click()
    browser.page.get_by_role("heading", name="Add articles").wait_for(timeout=30_000)
    browser.page.get_by_role("tab", name="Fetch a URL").click()
    # .invalid never resolves (RFC 2606), with or without internet
    browser.page.get_by_label("Address (http or https)").fill("https://dateline-e2e.invalid/")
    browser.page.get_by_role("button", name="Fetch").click()
    # the server cannot reach it: a clear message, and no request from the browser outside
    browser.page.get_by_text(re.compile("Cannot fetch")).wait_for(timeout=30_000)
    browser.check_offline()
