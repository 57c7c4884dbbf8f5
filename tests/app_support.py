"""Helpers shared by the app's AppTest modules (no tests here).

Every app test runs against its own temporary event store (``DATELINE_DB``), made by copying
a store into which the bundled sample article was ingested once per session.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 180  # seconds per AppTest run (the gazetteer is loaded by the seeding before)
INCIDENTS_MARK = "/*dateline-incidents*/"

_TEMPLATE: dict[str, Path] = {}


def sample_store_template(base: Path) -> Path:
    """A store holding the ingested sample article (built once per test session)."""
    if "path" not in _TEMPLATE:
        from extract.sources.ingest import ingest_records
        from geodata.gazetteer.index import load_gazetteer
        from geodata.sample import sample_article
        from geodata.store.event_store import Store

        load_gazetteer()
        path = base / "sample-template.duckdb"
        stats = ingest_records([sample_article()], store=Store(path))
        assert stats.new == 1 and stats.incidents_new >= 8, stats.summary()
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


def copy_store(template: Path, folder: Path) -> Path:
    """A private copy of ``template`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / "dateline.duckdb"
    shutil.copyfile(template, dest)
    wal = template.with_name(template.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dest.with_name(dest.name + ".wal"))
    return dest


def _navigation_app_test() -> None:
    """Make AppTest rerun ``app.py`` like the real server does.

    AppTest (1.67) resets ``PagesManager.uses_pages_directory`` before every run; as a
    ``pages/`` folder lies beside ``app.py``, the second run then takes the old multipage
    path and runs the page script alone (no sidebar, no ``st.navigation``). In the server the
    flag stays ``False`` once ``st.navigation`` has run. Patched once per process.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager.__init__, "_dateline_patched", False):
        return
    original = PagesManager.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init._dateline_patched = True  # type: ignore[attr-defined]
    PagesManager.__init__ = init  # type: ignore[method-assign]


def run_app(page: str | None = None, **query: str | list[str]) -> AppTest:
    """Run the app once (optionally switched to ``page``, e.g. ``"pages/incidents.py"``)
    with the given query parameters; fail on any exception."""
    _navigation_app_test()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def map_args(at: AppTest) -> dict[str, Any]:
    """The arguments the st_folium component received (what the browser gets)."""
    maps = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    assert len(maps) == 1, len(maps)
    return json.loads(maps[0].proto.json_args)


def layer_features(args: dict[str, Any], kind: str = "incidents") -> list[dict[str, Any]]:
    """The GeoJSON features of one layer (incidents, cells, faint) sent to the map."""
    script = args["feature_group"] or ""
    marker = f"/*dateline-{kind}*/"
    start = script.find(marker)
    if start < 0:
        return []
    data, _ = json.JSONDecoder().raw_decode(script, start + len(marker))
    return data["features"]


def map_ids(at: AppTest) -> set[str]:
    """Ids of the incidents drawn on the map."""
    return {f["properties"]["id"] for f in layer_features(map_args(at))}


def stored_ids(db: Path, **filters: Any) -> set[str]:
    """Ids of the stored incidents the map draws (a date and coordinates) that match
    ``filters``."""
    from geodata.store.event_store import Store

    return {
        r["id"]
        for r in Store(db).incidents(**filters)
        if r["lat"] is not None and r["date"] is not None
    }
