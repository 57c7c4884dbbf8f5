"""Streamlit glue for the Dateline app: the only package that imports ``streamlit``.

* :mod:`ui.resources` — cached resources (gazetteer, sample extraction, static assets);
* :mod:`ui.state` — session-state keys and their sync with the URL's query parameters;
* :mod:`ui.sidebar` — the sidebar shared by every page;
* :mod:`ui.map_view` — the map and places table of the Map page.
"""

from __future__ import annotations

__all__ = ["map_view", "resources", "sidebar", "state"]
