"""The gazetteer index's table: entry records compiled into the arrays, strings and name tries
that :class:`~geodata.gazetteer.index.Gazetteer` looks up (used when the index is built and for
the small in-memory gazetteers of tests).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from geodata.normalize import name_key, skeleton_key

__all__ = ["KINDS", "KIND_CODE", "compile_table"]

#: The kinds of entry, in the order of their codes in the ``kind`` array.
KINDS = ("country", "adm1", "adm2", "city", "district", "region", "continent")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}


def compile_table(entries: Sequence, demonyms: dict[str, str]) -> dict:
    """Arrays, strings and tries for a list of entry records."""
    import marisa_trie

    n = len(entries)
    cc_list: list[str] = [""]
    a1_list: list[str] = [""]
    cc_pos = {"": 0}
    a1_pos = {"": 0}
    arrays = {
        "lat": np.zeros(n, "f8"),
        "lon": np.zeros(n, "f8"),
        "pop": np.zeros(n, "i8"),
        "gid": np.zeros(n, "i8"),
        "kind": np.zeros(n, "u1"),
        "cc": np.zeros(n, "u2"),
        "a1": np.zeros(n, "u4"),
        "capital": np.zeros(n, "u1"),
    }
    key_items: list[tuple[str, tuple[int]]] = []
    skel_items: list[tuple[str, tuple[int]]] = []
    qualifiers: dict[str, list[int]] = {}
    alternates: list[tuple[str, ...]] = []
    for i, e in enumerate(entries):
        arrays["lat"][i] = e.lat
        arrays["lon"][i] = e.lon
        arrays["pop"][i] = e.population or 0
        arrays["gid"][i] = e.geonameid or 0
        arrays["kind"][i] = KIND_CODE[e.kind]
        arrays["capital"][i] = bool(getattr(e, "capital", False))
        cc = e.country or ""
        if cc not in cc_pos:
            cc_pos[cc] = len(cc_list)
            cc_list.append(cc)
        arrays["cc"][i] = cc_pos[cc]
        a1 = e.admin1 or ""
        if a1 not in a1_pos:
            a1_pos[a1] = len(a1_list)
            a1_list.append(a1)
        arrays["a1"][i] = a1_pos[a1]
        alts = tuple(e.alternates or ())
        alternates.append(alts)
        keys = {name_key(e.name)} | {name_key(a) for a in alts}
        keys.discard("")
        for k in keys:
            key_items.append((k, (i,)))
        for s in {skeleton_key(k) for k in keys}:
            if len(s) >= 4:
                skel_items.append((s, (i,)))
        for q in getattr(e, "qualifier_only", ()) or ():
            qualifiers.setdefault(q, []).append(i)
    ids = [e.id for e in entries]
    by_id = {x: i for i, x in enumerate(ids)}
    dem: dict[str, int] = {}
    for word, target in demonyms.items():
        if target in by_id:
            dem[name_key(word)] = by_id[target]
    return {
        "arrays": arrays,
        "strings": {
            "ids": ids,
            "names": [e.name for e in entries],
            "cc_list": cc_list,
            "a1_list": a1_list,
        },
        "keys": marisa_trie.RecordTrie("<I", key_items),
        "skeletons": marisa_trie.RecordTrie("<I", skel_items),
        "demonyms": dem,
        "qualifiers": qualifiers,
        "alternates": alternates,
    }


# -- the real gazetteer: build, save, load ------------------------------------------------------
