"""The app on a free local port, for the browser tests and the load benchmark: start it with a
store, wait until it is healthy, stop it afterwards; and the system Chromium's flags.

Kept in ``bench/`` so that benchmarks need nothing from ``tests/``; the tests' own helpers
(:mod:`tests.e2e_support`) build on it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs

__all__ = [
    "ARTIFACTS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "ROOT",
    "AppServerError",
    "app_server",
    "free_port",
    "position_in_url",
]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class AppServerError(RuntimeError):
    """The app did not start, or did not become healthy in time."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def position_in_url(search: str, center: dict[str, float], zoom: int) -> bool:
    """Whether the query string ``search`` holds the map's ``center`` (``{"lat", "lng"}``) and
    ``zoom``, as the app writes them (``center=LAT,LON&zoom=Z``, 4 decimals)."""
    params = parse_qs(search.lstrip("?"))
    shown = params.get("center", [""])[0].split(",")
    try:
        lat, lon = (float(v) for v in shown)
    except ValueError:
        return False
    near = abs(lat - center["lat"]) < 2e-4 and abs(lon - center["lng"]) < 2e-4
    return near and params.get("zoom") == [str(zoom)]


@contextmanager
def app_server(db: Path, *, log_name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the app on a free local port with the store ``db``; yield its URL.

    Raises
    ------
    AppServerError
        If Streamlit exits or is not healthy within 60 s (its log is ``artifacts/<log_name>``).
    """
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = (ARTIFACTS / log_name).open("w")
    env = {**os.environ, "DATELINE_DB": str(db), **(env or {})}
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
                message = f"streamlit exited with {proc.returncode}; see {log.name}"
                raise AppServerError(message)
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AppServerError(f"streamlit did not become healthy in 60 s; see {log.name}")
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
