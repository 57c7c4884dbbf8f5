"""End to end: a real ``streamlit run app.py`` driven by Debian's Chromium through Playwright.

Checks that the map renders with no network: Leaflet draws the sample's markers, and no
request leaves this machine. Saves ``artifacts/map.png``. Without ``/usr/bin/chromium`` the
test is skipped locally but fails under CI (``CI`` set).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from extract import extract_article
from geodata.maps import MARKER_CLASS, place_features
from geodata.sample import sample_article

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension", "chrome"}
MAP_TIMEOUT_MS = 240_000  # the app's first run may build the gazetteer index


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
def expected_markers() -> int:
    """Markers the map should show: one per resolved place and role (builds the gazetteer)."""
    record = sample_article()
    article = extract_article(record["text"], published=record["published"])
    return len(place_features(article.places))


@pytest.fixture(scope="module")
def server(expected_markers: int) -> Iterator[str]:
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log = (ARTIFACTS / "streamlit-e2e.log").open("w")
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
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


def test_map_renders_offline_in_chromium(server: str, chromium: str, expected_markers: int) -> None:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1100})
            context.on("request", lambda r: requests.append(r.url))  # all frames and pages
            page = context.new_page()
            page.on("websocket", lambda ws: requests.append(ws.url))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server + "/", wait_until="domcontentloaded")

            frame = page.frame_locator('iframe[src*="st_folium"]')
            frame.locator(".leaflet-container").wait_for(timeout=MAP_TIMEOUT_MS)
            markers = frame.locator(f"path.{MARKER_CLASS}")
            markers.first.wait_for(timeout=60_000)
            count = markers.count()
            assert count == expected_markers
            assert count >= 8
            # country outlines drawn (the offline basemap), and no tile images
            assert frame.locator(".leaflet-overlay-pane path").count() > count + 100
            assert frame.locator("img.leaflet-tile").count() == 0

            # the popup works without jQuery and shows the place's details
            markers.last.click(force=True)
            popup = frame.locator(".leaflet-popup-content")
            popup.wait_for(timeout=10_000)
            assert "Mentioned as" in popup.inner_text()

            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
        finally:
            browser.close()

    assert requests, "no request recorded"
    outside = sorted({u for u in requests if not _is_local(u)})
    assert outside == [], f"requests left this machine: {outside}"
    assert errors == [], errors
