"""Maps that work with no network: the base map and place layer
(:mod:`~geodata.maps.basemap`), incident markers, clusters and the density grid
(:mod:`~geodata.maps.incidents`), the locally served Leaflet files
(:mod:`~geodata.maps.assets`), and frozen views drawn to HTML, PNG or GeoJSON
(:mod:`~geodata.maps.snapshot`).
"""

__all__: list[str] = []
