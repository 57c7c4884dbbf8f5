"""Place names in text (the geoparser): tokenize, recognize candidate names against the
gazetteer and keep the ones that are places (:mod:`~extract.geoparse.recognize`), then resolve
each to one gazetteer entry using the document's evidence — qualifiers, neighbours, the scene,
the country in focus (:mod:`~extract.geoparse.resolve`). The cue-word tables an analyst may
review are :mod:`~extract.geoparse._cue_words`.
"""

__all__: list[str] = []
