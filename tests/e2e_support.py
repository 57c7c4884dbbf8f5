"""Helpers of the end-to-end tests: a ``streamlit run app.py`` server on a free port, and a
Chromium page (Debian's, through Playwright) that records every request and page error."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from bench.app_server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    AppServerError,
    app_server,
    position_in_url,
)
from geodata.maps.incidents import INCIDENT_CLASS

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension", "chrome"}
MAP_TIMEOUT_MS = 240_000  # the app's first run may build the gazetteer index


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in LOCAL_SCHEMES:
        return True
    return parsed.scheme in {"http", "https", "ws", "wss"} and parsed.hostname in LOCAL_HOSTS


def require_chromium() -> str:
    """The system Chromium; skip without it (fail under CI, where it must be installed)."""
    if not CHROMIUM.exists():
        message = "/usr/bin/chromium is missing: apt-get install -y chromium (./test.sh does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(CHROMIUM)


@contextmanager
def streamlit_server(
    db: Path, *, log_name: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run the app on a free local port with the store ``db``; yield its URL (a test fails
    when it does not start)."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(app_server(db, log_name=log_name, env=env))
        except AppServerError as exc:
            pytest.fail(str(exc))
        yield url


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
        self.wait_map_settled()
        return frame

    def wait_map_settled(self, timeout_s: float = 30.0) -> None:
        """Wait until the map's position is in the URL and no run is going on.

        Once drawn, the map reports where it is (a rerun that writes ``center``/``zoom`` into
        the URL). A click sent before that rerun has ended may be undone by the widget values
        the report carried, as in any Streamlit app, so tests act only after it.
        """
        _, inner = self.map_frame()
        deadline = time.monotonic() + timeout_s
        search = ""
        while time.monotonic() < deadline:
            pos, zoom = inner.evaluate("[window.map.getCenter(), window.map.getZoom()]")
            search = self.page.evaluate("location.search")
            settled = position_in_url(search, pos, zoom)
            if settled and self.page.get_by_test_id("stStatusWidget").count() == 0:
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the map's position never reached the URL: {search}")

    def map_frame(self) -> Any:
        handle = self.page.locator('iframe[src*="st_folium"]').element_handle()
        return handle, handle.content_frame()

    def slider_day(self) -> str:
        return self.page.get_by_role("slider", name="Date").get_attribute("aria-valuetext") or ""

    def check_offline(self) -> None:
        assert self.requests, "no request recorded"
        outside = sorted({u for u in self.requests if not _is_local(u)})
        assert outside == [], f"requests left this machine: {outside}"
        assert self.errors == [], self.errors

    def close(self) -> None:
        self.browser.close()


@contextmanager
def open_browser(chromium: str) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = Browser(p, chromium)
        try:
            yield b
        finally:
            b.close()


def wait_idle(page: Any) -> None:
    """Wait until the app has no run going on (a click during a run may be lost)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )


def choose_option(page: Any, opener: Any, wanted: Any, *, what: str) -> None:
    """Click ``opener`` (a select box) and then the option ``wanted`` (locators), as a user
    does; a rerun that ends meanwhile may close the list, so it is opened again (5 tries)."""
    for _ in range(5):
        wait_idle(page)
        opener.click()
        try:
            wanted.wait_for(timeout=5_000)
        except Exception:  # noqa: BLE001 - the list closed: try again
            page.keyboard.press("Escape")
            continue
        wanted.click()
        return
    raise AssertionError(f"could not choose {what}")
