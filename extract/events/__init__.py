"""Incidents in text: the ACLED codebook as tables (``cues.tsv``, ``codebook.tsv``;
:mod:`~extract.events.codebook`), event typing (:mod:`~extract.events.classify`), actors,
casualty figures, time expressions (:mod:`~extract.events.timex`), placing each event at one of
the resolved places (:mod:`~extract.events.placement`, :mod:`~extract.events.localities`), and
merging the reports of one event (:mod:`~extract.events.dedup`).
:func:`~extract.events.incidents.extract_incidents` runs them over an article.
"""

__all__: list[str] = []
