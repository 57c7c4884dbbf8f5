"""Streamlit glue for the Dateline app: the only package that imports ``streamlit``.

* :mod:`ui.resources` — cached resources (gazetteer, event store, basemap, static assets);
* :mod:`ui.data` — cached store reads keyed by the filters and the store's version;
* :mod:`ui.state` — every session-state key and its sync with the URL's query parameters;
* :mod:`ui.sidebar` — the sidebar shared by every page (filters, map layers, legend);
* :mod:`ui.explorer` — the Map page: time scrubber, map, clicked incident, timeline;
* :mod:`ui.incidents_view` — the Incidents page: table, details, downloads;
* :mod:`ui.ingest_view` — the Add articles page: inputs, ingest, results, place fixes;
* :mod:`ui.details`, :mod:`ui.text` — an incident's details; escaping and marked text.
"""

from __future__ import annotations

__all__ = [
    "data",
    "details",
    "explorer",
    "incidents_view",
    "ingest_view",
    "resources",
    "sidebar",
    "state",
    "text",
]
