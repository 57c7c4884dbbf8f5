"""The offline gazetteer: the index built once from installed packages
(:mod:`~geodata.gazetteer._build` and its helpers, hand-kept facts in
:mod:`~geodata.gazetteer._facts`), loaded and looked up through
:class:`~geodata.gazetteer.index.Gazetteer` (:func:`~geodata.gazetteer.index.load_gazetteer`,
the one cache), and the GeoNames dumps a user adds (:mod:`~geodata.gazetteer.added_sources`).
"""

__all__: list[str] = []
