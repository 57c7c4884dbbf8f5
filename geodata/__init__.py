"""Geographic data for Dateline: the offline gazetteer, country data and map builders.

Import the submodules directly (they are not loaded here, to keep ``import geodata`` light):

* :mod:`geodata.gazetteer.index` — ``load_gazetteer()``, the cached place-name index;
* :mod:`geodata.gazetteer.added_sources` — full GeoNames dumps merged into the index (every
village);
* :mod:`geodata.maps.basemap` — folium map builders that need no network;
* :mod:`geodata.sample` — the bundled sample article;
* :mod:`geodata.errors` — the data layer's exceptions.
"""

from __future__ import annotations

__all__: list[str] = []
