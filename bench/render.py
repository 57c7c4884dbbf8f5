"""Map rendering speed: server-side build of the incident map, and a slider step in a browser.

SYNTHETIC DATA: the incidents are random (``bench/query.py``'s generator: real city
coordinates jittered, random types, dates over 2023-2024); they are not real events.

1. **Server side**, for each size (default 1,000 and 10,000 incidents): build a fresh
   :func:`geodata.maps.basemap.base_map` with the country outlines, add :func:`geodata.maps.basemap.
   incident_layer`, render the whole page to HTML, and produce the feature-group script that
   ``st_folium`` sends to the browser on every rerun. Median and best of ``--runs`` runs, plus
   the payload size.
2. **Browser** (unless ``--no-browser``): ``streamlit run app.py`` on a free port with a
   synthetic store of ``--store-incidents`` incidents, driven by ``/usr/bin/chromium`` through
   Playwright. For the "week" window (about ``store/104`` markers) and the "up to date"
   window (capped at 10,000 markers), it clicks ◀/▶ alternately and measures the wall time
   from the click until the map's script has swapped the markers (``window.dateline.renders``
   increments) and two animation frames have passed (painted). Median of ``--steps`` steps.

Usage::

    .venv/bin/python bench/render.py                       # 1k and 10k; browser on a 100k store
    .venv/bin/python bench/render.py --no-browser --runs 9
    .venv/bin/python bench/render.py --sizes 1000 5000 10000 --store-incidents 20000
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geodata.maps import assets, basemap  # noqa: E402
from geodata.maps import incidents as inc_map  # noqa: E402

__all__ = ["browser_steps", "main", "server_side", "synthetic_rows"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_TYPES = list(inc_map.EVENT_COLORS)


def synthetic_rows(n: int, *, seed: int = 5) -> list[dict[str, Any]]:
    """``n`` synthetic incident rows shaped like ``Store.incidents`` rows."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        lat, lon = rng.uniform(-40, 60), rng.uniform(-110, 150)
        rows.append(
            {
                "id": f"syn{i:09d}",
                "event_type": rng.choice(_TYPES),
                "sub_event_type": "Synthetic sub-type",
                "date": "2024-06-01",
                "date_precision": "day",
                "date_start": "2024-06-01",
                "date_end": "2024-06-01",
                "location": "Synthville",
                "admin1": "Synth Province",
                "country": "XX",
                "lat": lat,
                "lon": lon,
                "geo_precision": 1,
                "actor1": "Synthetic forces",
                "actor2": "Civilians",
                "fatalities": rng.choice([None, 0, 1, 3, 12, 40]),
                "injured": rng.choice([None, 2, 9]),
                "sentence": "Synthetic: an event was reported in Synthville on Saturday, "
                "killing several people, officials said (benchmark data, not a real report).",
                "title": f"Synthetic report {i}",
                "url": f"https://example.org/synthetic/{i}",
                "n_sources": rng.choice([1, 1, 2]),
            }
        )
    return rows


def server_side(n: int, runs: int) -> dict[str, float]:
    """Seconds to build map + layer + HTML, and to build the st_folium payload."""
    from streamlit_folium import _get_feature_group_string

    rows = synthetic_rows(n)
    outlines = assets.country_outlines()
    html_times, payload_times = [], []
    size = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        m = basemap.base_map(outlines=outlines, markercluster=True)
        inc_map.incident_layer(rows).add_to(m)
        m.get_root().render()
        html_times.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        m = basemap.base_map(outlines=outlines, markercluster=True)
        m.get_root().render()
        script = _get_feature_group_string(inc_map.incident_layer(rows), m)
        payload_times.append(time.perf_counter() - t0)
        size = len(script)
    return {
        "html_median": statistics.median(html_times),
        "html_best": min(html_times),
        "payload_median": statistics.median(payload_times),
        "payload_best": min(payload_times),
        "payload_mb": size / 1e6,
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(db: Path, log: Any) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    env = {**os.environ, "DATELINE_DB": str(db)}
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("streamlit did not become healthy in 90 s")


def browser_steps(url: str, window: str, steps: int) -> dict[str, float]:
    """Median seconds from a ◀/▶ click to the new markers painted, and the marker count."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
            page.goto(f"{url}/?window={window}&date=2024-12-31", wait_until="domcontentloaded")
            frame_el = page.locator('iframe[src*="st_folium"]')
            frame_el.wait_for(timeout=240_000)
            inner = frame_el.element_handle().content_frame()
            inner.wait_for_function("window.dateline && window.dateline.incidents", timeout=240_000)
            page.wait_for_timeout(1000)
            times, counts = [], []
            for i in range(steps):
                renders = inner.evaluate("window.dateline.renders")
                button = page.get_by_role("button", name="◀" if i % 2 == 0 else "▶")
                t0 = time.perf_counter()
                button.click()
                inner.wait_for_function(
                    f"window.dateline.renders > {renders}", timeout=120_000, polling=10
                )
                inner.evaluate(
                    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
                )
                times.append(time.perf_counter() - t0)
                counts.append(inner.evaluate("window.dateline.incidents.count"))
                page.wait_for_timeout(300)
        finally:
            browser.close()
    return {
        "median": statistics.median(times),
        "best": min(times),
        "markers": statistics.mean(counts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--store-incidents", type=int, default=100_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)

    print(f"Command: .venv/bin/python bench/render.py {' '.join(argv or sys.argv[1:])}".rstrip())
    print("\nServer side (SYNTHETIC incidents): base map + incident layer\n")
    print(
        "| incidents | map + layer → HTML, median (best) "
        "| st_folium payload, median (best) | payload |"
    )
    print("|---:|---:|---:|---:|")
    for n in args.sizes:
        r = server_side(n, args.runs)
        print(
            f"| {n:,} | {r['html_median']:.3f} s ({r['html_best']:.3f}) "
            f"| {r['payload_median']:.3f} s ({r['payload_best']:.3f}) | {r['payload_mb']:.1f} MB |"
        )
    if args.no_browser:
        return 0
    if not Path(CHROMIUM).exists():
        print(f"\n{CHROMIUM} is missing: browser timings skipped", file=sys.stderr)
        return 1
    from bench.query import build_synthetic_store

    with tempfile.TemporaryDirectory(prefix="dateline-render-") as tmp:
        db = Path(tmp) / "bench.duckdb"
        build_synthetic_store(db, n_incidents=args.store_incidents)
        with (Path(tmp) / "streamlit.log").open("w") as log:
            proc, url = _start_server(db, log)
            try:
                rows = [(w, browser_steps(url, w, args.steps)) for w in ("week", "all")]
            finally:
                proc.terminate()
                proc.wait(timeout=15)
    print(
        f"\nBrowser (Chromium, headless): slider step ◀/▶ → markers swapped and painted, "
        f"store of {args.store_incidents:,} SYNTHETIC incidents, median of {args.steps} steps\n"
    )
    print("| window | markers on the map | step → painted, median (best) |")
    print("|---|---:|---:|")
    for window, r in rows:
        print(f"| {window} | {r['markers']:,.0f} | {r['median']:.2f} s ({r['best']:.2f}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
