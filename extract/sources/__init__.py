"""Where articles come from and how they reach the store: readers for files, uploads,
feeds and archives (:mod:`~extract.sources.readers`), fetching a URL, and batch ingestion
(:mod:`~extract.sources.ingest`) through the one extraction runner
(:mod:`~extract.sources._distributed`: this process, a process pool or a Dask cluster) with
cross-article dedup of each batch.
"""

__all__: list[str] = []
