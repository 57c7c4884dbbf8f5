"""End to end, the time scrubber: the date on the screen is the date of the link, and a click on
a timeline bar sets the date, in Debian's Chromium through Playwright.

A user report: open the map, press Home and then → twice on the date slider (1.5 s apart)
right after it loads; the slider showed one date while the address bar (and so a copied link)
held the day before. Two races were behind it, both between a run's URL update (or slider
value) on its way to the browser and an event the browser sent meanwhile, the map's position
report:

* each run starts from the query string the browser sent; the report's run wrote the map's
  position into that stale string and sent the day before back to the address bar;
* every event carries the slider's value; a report sent before a ◀/▶ step reached the browser
  brought the date from before the step, which the map and the URL took while the slider kept
  the step's date.

The tests press keys and buttons as a user does, and then (to make the races certain, not
lucky) with every message to the browser held back 0.8 s while the map reports a pan. After
the app settles, the slider's value, its label, the summary above the map, the address bar and
the "Copy link" popover must all show one date.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e_support import MAP_TIMEOUT_MS, Browser, streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FIRST_DAY = "2024-07-31"  # the sample's oldest incident: where Home goes
LAST_DAY = "2024-11-05"  # its newest: the date the map opens on
#: Every message from the server reaches the page this much later (in order), as over a slow
#: link or from a busy server: a run's URL update is then still on its way when the map reports.
SLOW_LINK_MS = 800
_SLOW_LINK = """
(() => {
  const Native = window.WebSocket;
  function Slow(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    const add = ws.addEventListener.bind(ws);
    const later = (fn) => (ev) => setTimeout(() => fn.call(ws, ev), %(ms)d);
    ws.addEventListener = (type, fn, opts) =>
      add(type, type === 'message' ? later(fn) : fn, opts);
    let onmessage = null;
    const set = (fn) => { onmessage = fn; };
    Object.defineProperty(ws, 'onmessage', {get: () => onmessage, set});
    add('message', later((ev) => onmessage && onmessage.call(ws, ev)));
    return ws;
  }
  Slow.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Slow[k] = Native[k];
  window.WebSocket = Slow;
})();
"""
_BAR = re.compile(r"^(?:day|week from): (\w{3} \d{2}, \d{4});")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from geodata.gazetteer.index import load_gazetteer

    load_gazetteer()  # built before the server's first page load needs it
    db = tmp_path_factory.mktemp("e2e-scrubber") / "dateline.duckdb"  # empty: the app seeds it
    with streamlit_server(db, log_name="streamlit-e2e-scrubber.log") as url:
        yield url


def _url_day(page: Any) -> str:
    # Streamlit changes the URL with history.pushState: read it from the page itself
    return parse_qs(urlsplit(page.evaluate("location.href")).query).get("date", [""])[0]


def _copied_day(page: Any) -> str:
    page.get_by_role("button", name="Copy link").click()
    code = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode").first
    code.wait_for(timeout=10_000)
    link = re.sub(r"\s+", "", code.inner_text())
    page.keyboard.press("Escape")
    return parse_qs(urlsplit(link).query).get("date", [""])[0]


def _settle(browser: Browser, *, quiet_s: float = 3.0, timeout_s: float = 90.0) -> None:
    """Wait until no run is going on and the slider and the URL have not changed for
    ``quiet_s`` (longer than a message takes over the slow link)."""
    page = browser.page
    deadline = time.monotonic() + timeout_s
    last: tuple[str, str] | None = None
    since = time.monotonic()
    while time.monotonic() < deadline:
        running = page.get_by_test_id("stStatusWidget").count() > 0
        now = (browser.slider_day(), page.evaluate("location.search"))
        if running or now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the app did not settle: {last}")


def _assert_one_date(browser: Browser) -> str:
    """The slider, its label, the summary, the address bar and the copied link show one date;
    return it."""
    page = browser.page
    shown = browser.slider_day()
    assert page.get_by_test_id("stSliderThumbValue").first.inner_text() == shown
    assert _url_day(page) == shown, (shown, page.evaluate("location.search"))
    assert page.get_by_text(f"up to {shown}").count() >= 1  # the map's window: its date
    assert _copied_day(page) == shown
    return shown


def _open_right_away(browser: Browser, url: str) -> Any:
    """Open the app and return the date slider as soon as it is drawn (the map may not be)."""
    browser.page.goto(url, wait_until="domcontentloaded")
    slider = browser.page.get_by_role("slider", name="Date")
    slider.wait_for(timeout=MAP_TIMEOUT_MS)
    return slider


def _pan_the_map(browser: Browser) -> None:
    """Move the map as a drag would: it reports its position to the app 0.25 s later."""
    _, inner = browser.map_frame()
    inner.evaluate("window.map.panBy([60, 0], {animate: false})")


@pytest.mark.parametrize("pause_s", [1.5, 0.3])
def test_home_then_right_twice_right_after_loading(
    server: str, browser: Browser, pause_s: float
) -> None:
    """The user report, as it was done: keys on the slider while the map is still loading."""
    page = browser.page
    slider = _open_right_away(browser, server + "/")
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(2):
        page.wait_for_timeout(pause_s * 1000)
        page.keyboard.press("ArrowRight")
    _settle(browser)
    assert _assert_one_date(browser) == "2024-08-02"  # Home is the first day; two days on


@pytest.mark.parametrize("pause_s", [1.5, 0.3])
def test_step_buttons_keep_the_link_and_the_screen_equal(
    server: str, browser: Browser, pause_s: float
) -> None:
    page = browser.page
    browser.open_map(server + "/")
    for name in ["◀", "◀", "▶"]:
        page.get_by_role("button", name=name).click()
        page.wait_for_timeout(pause_s * 1000)
    _settle(browser)
    assert _assert_one_date(browser) == "2024-10-29"  # a week back, two, and one forward


def test_a_map_report_right_after_a_key_keeps_the_day_in_the_link(
    server: str, browser: Browser
) -> None:
    """The report's run starts from the query string the browser had: the day before."""
    page = browser.page
    page.add_init_script(_SLOW_LINK % {"ms": SLOW_LINK_MS})
    browser.open_map(server + "/")
    page.get_by_role("slider", name="Date").focus()
    page.keyboard.press("Home")
    page.wait_for_timeout(1500)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1500)
    page.keyboard.press("ArrowRight")
    _pan_the_map(browser)  # its report leaves before the step's URL arrives
    _settle(browser)
    assert _assert_one_date(browser) == "2024-08-02"


def test_a_map_report_right_after_a_step_leaves_one_date(server: str, browser: Browser) -> None:
    """The report carries the slider's date from before the ◀ step. Streamlit cannot tell it
    from a move, so the step may be undone (click again), but the slider then shows the date
    the map and the link use."""
    page = browser.page
    page.add_init_script(_SLOW_LINK % {"ms": SLOW_LINK_MS})
    browser.open_map(server + "/")
    page.get_by_role("button", name="◀").click()
    _pan_the_map(browser)  # its report leaves before the step reaches the slider
    _settle(browser)
    assert _assert_one_date(browser) in {LAST_DAY, "2024-10-29"}


def test_a_click_on_a_timeline_bar_sets_its_day(server: str, browser: Browser) -> None:
    """The timeline's bars (SVG paths, labelled with their day by Vega) select their day with
    a click: the slider, the map and the link go there. (Over more than
    ``WEEKLY_ABOVE_DAYS`` days a bar is a week, labelled with its Monday, where it goes.)"""
    page = browser.page
    browser.open_map(server + "/")
    assert browser.slider_day() == LAST_DAY
    bars = page.get_by_test_id("stVegaLiteChart").locator("g.mark-rect path[aria-label]")
    bars.first.wait_for(timeout=30_000)
    days: dict[date, int] = {}
    for i, label in enumerate(bars.evaluate_all("ps => ps.map(p => p.getAttribute('aria-label'))")):
        found = _BAR.match(label or "")
        if found:
            days.setdefault(datetime.strptime(found.group(1), "%b %d, %Y").date(), i)
    assert len(days) >= 3, days
    inner = sorted(days)[1:-1]  # neither end: not where the map is, not where Home goes
    day = inner[len(inner) // 2]
    bar = bars.nth(days[day])
    bar.scroll_into_view_if_needed()
    bar.click()
    deadline = time.monotonic() + 30
    while browser.slider_day() != day.isoformat() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    _settle(browser)
    assert _assert_one_date(browser) == day.isoformat()
