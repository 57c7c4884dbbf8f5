"""Incidents out of the store as files: CSV, GeoJSON, GeoPackage and GeoParquet
(:mod:`~geodata.export.incident_files`) and a month-partitioned GeoParquet dataset
(:mod:`~geodata.export.parquet_dataset`).
"""

__all__: list[str] = []
