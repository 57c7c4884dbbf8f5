"""Clean and derive the names of places while the gazetteer is built.

The source packages name places in many scripts and styles: this module keeps the Latin-script
alternates worth matching (:func:`clean_alternates`), strips and adds type words ("Kursk
Oblast" / "Kursk", "Helmand Province"), spells saints' names both ways ("Saint Louis County" /
"St. Louis County") and leaves out generic names ("North", "Sector 2") that would match
ordinary words. It decides names only; which entries exist is :mod:`geodata.gazetteer._build`'s
task.
"""

from __future__ import annotations

import re

from geodata.gazetteer import _facts
from geodata.gazetteer._build_sources import Unit
from geodata.normalize import is_latin, name_key

__all__ = [
    "clean_alternates",
    "is_generic",
    "saint_spellings",
    "strip_admin_suffix",
    "unit_names",
]

# Type words stripped from admin-1 names so "Kursk Oblast" and "Kursk" share a key.
_ADMIN_SUFFIXES = tuple(
    " " + w
    for w in (
        "oblast|oblast'|region|province|governorate|prefecture|state|voivodeship|county|"
        "krai|kray|republic|autonomous okrug|district|department|municipality|territory|"
        "raion|rayon|parish|sub-county|local government area|emirate|division|oblysy|"
        "vilayeti|ili|muhafazat|ostan|sheng|shi"
    ).split("|")
)


def clean_alternates(names: list[str], *, main: str) -> list[str]:
    """Latin-script alternates, without airport codes, links and duplicates.

    Parameters
    ----------
    names
        Candidate alternate names, in order of preference.
    main
        The entry's main name: an alternate with its key is a duplicate.

    Returns
    -------
    list of str
        The names kept, first spelling of each key only.
    """
    seen = {name_key(main)}
    out = []
    for alt in names:
        if not alt or len(alt) > 60 or "http" in alt or "," in alt:
            continue
        if alt.isupper() and len(alt) <= 4:  # IATA/ICAO-style codes
            continue
        if alt[0].islower() and not alt.startswith(("la ", "le ", "el ", "al-")):
            continue
        if not (alt.isascii() and any(c.isalpha() for c in alt) or is_latin(alt)):
            continue  # (ASCII with a letter is Latin: the quick answer for most names)
        key = name_key(alt)
        if key and key not in seen:
            seen.add(key)
            out.append(alt)
    return out


_SAINT = re.compile(r"^(Saint|Sainte|St\.?|Ste\.?) (?=\S)")
_SAINT_FORMS = {"Saint": ("St.", "St"), "Sainte": ("Ste.", "Ste")}


def saint_spellings(names: list[str]) -> list[str]:
    """The other spellings of a saint's name that opens an area's name, which news writes
    either way ("Saint Bernard Parish" / "St. Bernard Parish", "St. Louis County" / "Saint
    Louis County"); towns have theirs among GeoNames' alternates.

    Parameters
    ----------
    names
        An area's name and alternates.

    Returns
    -------
    list of str
        The spellings not among ``names`` yet.
    """
    have = {name_key(n) for n in names}
    out: list[str] = []
    for n in names:
        m = _SAINT.match(n)
        if m is None:
            continue
        word = m.group(1).rstrip(".")
        full = "Sainte" if word in ("Sainte", "Ste") else "Saint"
        rest = n[m.end() :]
        for form in (full, *_SAINT_FORMS[full]):
            alt = f"{form} {rest}"
            if name_key(alt) not in have:
                have.add(name_key(alt))
                out.append(alt)
    return out


def strip_admin_suffix(name: str) -> str:
    """An area's name without its type word ("Kursk Oblast" → "Kursk", "Province of Rome" →
    "Rome"); other names unchanged."""
    low = name.lower()
    for suffix in _ADMIN_SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return name[: len(name) - len(suffix)].strip()
    for prefix in ("Province of ", "State of ", "Region of ", "Oblast "):
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def unit_names(
    unit: Unit, *, taken: set[str] | frozenset[str] = frozenset(), typed_only: bool = False
) -> list[str]:
    """A unit's name and aliases, each also without its type word ("Nawa District" → "Nawa"),
    and its name with its type ("Helmand Province").

    Left out: generic names ("North", "Sector 2"); names whose key is in ``taken``, the places
    inside the unit ("Barcelona" is the city, "Barcelona Province" the unit, as an oblast named
    after its centre is its city when named alone); names without a type word ("Acadia" is not
    Acadia Parish) with ``typed_only`` or when the unit's own name starts with its type
    ("Municipio Catatumbo", "Amphoe Pa Daet": see ``_facts.ADMIN2_TYPE_PREFIXES``).
    """
    names = [unit.name, *unit.aliases]
    if unit.type and " " not in unit.type:
        names.append(f"{strip_admin_suffix(unit.name)} {unit.type}")
    typed_only = typed_only or _type_first(unit.name)
    out = []
    for n in names + [strip_admin_suffix(n) for n in names]:
        key = name_key(n)
        if key in taken or is_generic(n):
            continue
        if typed_only and key == name_key(strip_admin_suffix(n)) and not _type_first(n):
            continue
        out.append(n)
    return clean_alternates(out, main="")  # Latin names only, no codes ("GRU")


def _type_first(name: str) -> bool:
    """Whether a name starts with a type word ("Municipio Zamora", "Powiat będziński")."""
    return name_key(name).split(" ", 1)[0] in _facts.ADMIN2_TYPE_PREFIXES


def is_generic(name: str) -> bool:
    """Whether a name is made of generic words only ("North", "Sector 2")."""
    return all(w in _facts.ADMIN_GENERIC_WORDS or w.isdigit() for w in name_key(name).split())
