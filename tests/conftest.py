"""Fixtures shared by the test modules: the tiny and the real gazetteer, a private store
holding the sample article with no browser to be found, and the system Chromium driven by
Playwright for the browser tests. Helpers that are not fixtures live in the
``*_support.py`` and ``*_helpers.py`` modules beside them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geodata.gazetteer.index import Gazetteer, load_gazetteer
from geodata.maps import snapshot
from tests.e2e_support import Browser, open_browser, require_chromium
from tests.fixtures_gazetteer import tiny_gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    """The tiny hand-made gazetteer of the unit tests (a fresh one per module)."""
    return tiny_gazetteer()


@pytest.fixture(scope="session")
def real() -> Gazetteer:
    """The real gazetteer (the default cache; built once if missing)."""
    return load_gazetteer()


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private store holding the sample article."""
    from tests.app_support import copy_store, sample_store_template  # Streamlit: only here

    return copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path / "store")


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Chromium anywhere: no DATELINE_CHROMIUM and nothing on the PATH."""
    monkeypatch.delenv("DATELINE_CHROMIUM", raising=False)
    monkeypatch.setattr(snapshot.shutil, "which", lambda *a, **k: None)


@pytest.fixture(scope="session")
def world_map() -> Path:
    """QGIS's world map from Debian's qgis-common, the admin-1 polygons of the real basemap
    (a test fails without it under CI, where ./test.sh installs it, and skips elsewhere)."""
    import os

    from geodata.maps.boundaries import QGIS_WORLD_MAP

    if not QGIS_WORLD_MAP.is_file():
        message = (
            f"{QGIS_WORLD_MAP} is missing: apt-get install --no-install-recommends qgis-common"
            " (./test.sh does)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return QGIS_WORLD_MAP


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium (a browser test fails without it under CI, skips elsewhere)."""
    return require_chromium()


@pytest.fixture
def browser(chromium: str) -> Iterator[Browser]:
    """A fresh Playwright browser on :func:`chromium`, closed after the test."""
    with open_browser(chromium) as b:
        yield b
