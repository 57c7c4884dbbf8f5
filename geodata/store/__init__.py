"""The event store (DuckDB): articles, their places, incidents with their sources,
corrections and snapshots. :class:`~geodata.store.event_store.Store` reads with an
:class:`~geodata.view.IncidentFilter`; writes go through transactions
(:mod:`~geodata.store._storetx`, bulk writes in :mod:`~geodata.store._bulk`) on the schema of
:mod:`~geodata.store._schema`.
"""

__all__: list[str] = []
