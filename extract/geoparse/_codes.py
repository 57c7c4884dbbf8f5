"""Codes written after a place's name: "Kingston, ON", "Leeds, ENG, GB", "Winterthur, ZH, CH",
"Lyon, FR".

The codes come from ISO 3166 as ``pycountry`` ships it (subdivision codes such as ``CA-ON`` and
country codes of two or three letters), not from hand lists. A code is read only when the
place before it could lie in the area it names: "ON" after Kingston is Ontario because one
Kingston is in Ontario; the same letters after a town with no reading in Canada, Namibia or
Nigeria are no code. US postal codes ("Lemay, MO") are the gazetteer's own qualifiers and are
looked up before these; a code ISO does not know may be the initials of the state the place
lies in ("Cologne, NRW, DE").
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from geodata.normalize import name_key
from geodata.records import Gazetteer

__all__ = ["code_areas"]

_AREAS = ("adm1", "adm2")


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, list[tuple[str, str]]]:
    """Subdivision code without its country prefix → [(country, name)], built once."""
    import pycountry  # ~0.1 s; only when a text has a code the gazetteer does not know

    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sd in pycountry.subdivisions:
        cc, _, code = sd.code.partition("-")
        out[code].append((cc, sd.name))
    return dict(out)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Alpha-2 and alpha-3 country codes → alpha-2 ("GB", "GBR" → "GB")."""
    import pycountry

    out = {}
    for c in pycountry.countries:
        out[c.alpha_2] = c.alpha_2
        out[c.alpha_3] = c.alpha_2
    out["UK"] = "GB"  # the code British writers use for themselves; ISO reserves it for GB
    return out


def code_areas(code: str, before: list[int], gazetteer: Gazetteer) -> list[int]:
    """Entries ``code`` can name after a place whose candidates are ``before``.

    Parameters
    ----------
    code
        The upper-case letters after "<place>, ".
    before
        The gazetteer indices the place before the code may be.
    gazetteer
        A :class:`geodata.gazetteer.index.Gazetteer`.

    Returns
    -------
    list[int]
        Admin areas and countries the code names that hold one of the place's readings;
        empty when the letters are no such code.
    """
    homes = {(gazetteer.country_code(i), gazetteer.admin1(i)) for i in before}
    countries = {cc for cc, _ in homes}
    found: list[int] = []
    for cc, name in _subdivisions().get(code, []):
        if cc not in countries:
            continue
        for idx in gazetteer.indices(name_key(name)):
            if gazetteer.kind(idx) in _AREAS and gazetteer.country_code(idx) == cc:
                if gazetteer.kind(idx) != "adm1" or (cc, gazetteer.admin1(idx)) in homes:
                    found.append(idx)
    if not found:
        # no ISO code: the initials of the state the place lies in ("Cologne, NRW" is North
        # Rhine-Westphalia, "Stuttgart, BW" Baden-Württemberg)
        for cc, a1 in homes:
            if a1 and len(code) >= 2 and _initials(a1) == code:
                found += [
                    idx
                    for idx in gazetteer.indices(name_key(a1))
                    if gazetteer.kind(idx) == "adm1" and gazetteer.country_code(idx) == cc
                ]
    cc = _countries().get(code)
    if cc in countries:
        country = gazetteer.country(cc)
        if country is not None:
            found += [
                i
                for i in gazetteer.indices(name_key(country.name))
                if gazetteer.kind(i) == "country" and gazetteer.country_code(i) == cc
            ]
    return list(dict.fromkeys(found))


def _initials(name: str) -> str:
    """Upper-case initials of a name's words, connectors left out ("North Rhine-Westphalia"
    → "NRW", "Baden-Württemberg" → "BW")."""
    words = re.split(r"[\s-]+", name)
    return "".join(w[0].upper() for w in words if w and w.lower() not in _SKIP)


_SKIP = frozenset({"of", "and", "the", "de", "del", "la", "y"})
