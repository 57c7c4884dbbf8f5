"""Streaming reader for GeoNames dump files (``UA.zip``, ``allCountries.zip``, ``cities500.zip``).

The files are the ones published at https://download.geonames.org/export/dump/ : a zip holding
one tab-separated UTF-8 text file without a header (plus, for country files, a ``readme.txt``),
or that text file unzipped. Each line has 19 columns::

    geonameid, name, asciiname, alternatenames (comma-separated), latitude, longitude,
    feature class, feature code, country code, cc2, admin1 code, admin2 code, admin3 code,
    admin4 code, population, elevation, dem, timezone, modification date

:func:`iter_dump` reads the file line by line (``allCountries`` is some 13 million lines, 1.5 GB
unzipped), so memory stays flat whatever the file's size. :func:`kind_of` maps a row's feature
class and code to a gazetteer kind, and :func:`alternate_names` picks the names worth indexing.
"""

from __future__ import annotations

import logging
import math
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

from geodata.errors import InputError
from geodata.normalize import is_latin

__all__ = [
    "COLUMNS",
    "DumpFormatError",
    "DumpRow",
    "alternate_names",
    "iter_dump",
    "kind_of",
]

logger = logging.getLogger(__name__)

#: The columns of a GeoNames dump line, in order.
COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
)
_N_COLUMNS = len(COLUMNS)

#: How many non-empty lines may be malformed, with no good one among them, before the file is
#: declared not to be a GeoNames dump.
_SNIFF_LINES = 100
#: Bytes between two ``progress`` calls.
_PROGRESS_STEP = 1 << 20

_EXPECTED = (
    f"a GeoNames dump (.txt or .zip from download.geonames.org/export/dump/: UTF-8, "
    f"{_N_COLUMNS} tab-separated columns starting geonameid, name, asciiname, alternatenames, "
    "latitude, longitude)"
)


class DumpFormatError(InputError, ValueError):
    """The file is missing, or is not a GeoNames dump (the message names the file)."""


@dataclass(frozen=True, slots=True)
class DumpRow:
    """The columns of one dump line that the gazetteer uses.

    ``alternates`` is the raw ``alternatenames`` column split on commas, in every script; use
    :func:`alternate_names` for the names worth indexing.
    """

    geonameid: int
    name: str
    asciiname: str
    alternates: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country: str
    admin1: str
    admin2: str
    population: int


# ---------------------------------------------------------------------------------------------
# Feature class/code -> gazetteer kind
# ---------------------------------------------------------------------------------------------

#: Kind of each feature class when its code is not in :data:`_KIND_BY_CODE`.
#: Hydrographic (H) and hypsographic (T) features are all named natural features worth a place in
#: the index; the other classes hold many codes we skip, so only their listed codes count.
_KIND_BY_CLASS: dict[str, str | None] = {
    "A": None,  # country, state, region, ...
    "H": "region",  # stream, lake, ...
    "L": None,  # parks, area, ...
    "P": None,  # city, village, ...
    "R": None,  # road, railroad
    "S": None,  # spot, building, farm
    "T": "region",  # mountain, hill, rock, ...
    "U": None,  # undersea
    "V": None,  # forest, heath, ...
}

#: Kind of a feature by "class.code"; ``None`` skips a code its class would otherwise take.
_KIND_BY_CODE: dict[str, str | None] = {
    # Populated places. Historical, abandoned and destroyed places are skipped.
    "P.PPL": "city",  # populated place
    "P.PPLA": "city",  # seat of a first-order administrative division
    "P.PPLA2": "city",
    "P.PPLA3": "city",
    "P.PPLA4": "city",
    "P.PPLA5": "city",
    "P.PPLC": "city",  # capital of a political entity
    "P.PPLG": "city",  # seat of government
    "P.PPLL": "city",  # populated locality
    "P.PPLS": "city",  # populated places
    "P.PPLF": "city",  # farm village
    "P.PPLR": "city",  # religious populated place
    "P.STLMT": "city",  # israeli settlement
    "P.PPLX": "district",  # section of populated place
    "P.PPLH": None,  # historical populated place
    "P.PPLQ": None,  # abandoned populated place
    "P.PPLW": None,  # destroyed populated place
    "P.PPLCH": None,  # historical capital
    # Political entities and administrative divisions (historical ones, *H, are skipped).
    "A.PCLI": "country",  # independent political entity
    "A.PCLD": "country",  # dependent political entity
    "A.PCLF": "country",  # freely associated state
    "A.PCLS": "country",  # semi-independent political entity
    "A.PCLIX": "country",  # section of independent political entity
    "A.TERR": "country",  # territory
    "A.ADM1": "adm1",
    "A.ADM2": "adm2",
    "A.ADM3": "district",
    "A.ADM4": "district",
    "A.ADM5": "district",
    "A.ADMD": "district",  # administrative division of unspecified level
    # Areas.
    "L.CONT": "continent",
    "L.RGN": "region",
    "L.RGNE": "region",  # economic region
    "L.RGNL": "region",  # lake region
    "L.AREA": "region",
    "L.PRK": "region",  # park
    "L.RES": "region",  # reserve
    "L.RESF": "region",  # forest reserve
    "L.RESN": "region",  # nature reserve
    "L.RESV": "region",  # reservation
    "L.RESW": "region",  # wildlife reserve
    # Landmarks that news names as places.
    "S.AIRP": "region",  # airport
    "S.SQR": "region",  # square
    "S.MNMT": "region",  # monument
    "S.CSTL": "region",  # castle
    "S.PAL": "region",  # palace
    "S.STDM": "region",  # stadium
    "S.BDG": "region",  # bridge
    "S.DAM": "region",  # dam
    # Hydrographic features too small or gone to be worth indexing.
    "H.WLL": None,  # well
    "H.WLLS": None,  # wells
    "H.WLLQ": None,  # abandoned well
    "H.SPNG": None,  # spring
    "H.SPNS": None,  # springs
    "H.SPNT": None,  # hot spring
    "H.WTRH": None,  # waterhole
    "H.STMQ": None,  # abandoned watercourse
    "H.CNLQ": None,  # abandoned canal
}

_AIRPORT_CODES = frozenset({"AIRP", "AIRF", "AIRH", "AIRB"})


def kind_of(row: DumpRow) -> str | None:
    """The gazetteer kind of a row, or ``None`` when the feature is not indexed.

    Parameters
    ----------
    row
        A parsed dump row.

    Returns
    -------
    str or None
        One of ``country``, ``adm1``, ``adm2``, ``district``, ``city``, ``region``,
        ``continent``; ``None`` for skipped features (historical places, buildings, roads, ...).
    """
    key = f"{row.feature_class}.{row.feature_code}"
    if key in _KIND_BY_CODE:
        return _KIND_BY_CODE[key]
    return _KIND_BY_CLASS.get(row.feature_class)


# ---------------------------------------------------------------------------------------------
# Alternate names
# ---------------------------------------------------------------------------------------------

_MAX_NAME_LENGTH = 60
_CODE_LIKE = re.compile(r"[A-Z]{3,4}")  # IATA (KBP) / ICAO (UKBB) airport codes
_URL_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)


def _is_latin_word(name: str) -> bool:
    if name.isascii():  # the quick answer for most names
        return any(c.isalpha() for c in name)
    return is_latin(name)


def alternate_names(row: DumpRow) -> list[str]:
    """The names a row can be found by: its name, its ASCII name and its Latin-script alternates.

    Alternates are skipped when they have no letter (``"12"``), look like an airport code
    (3-4 upper-case letters, kept for airports and countries), are links, are longer than 60
    characters or are written in another script. Duplicates are dropped, keeping the first
    occurrence.

    Parameters
    ----------
    row
        A parsed dump row.

    Returns
    -------
    list of str
        ``row.name`` first, then ``row.asciiname`` if it differs, then the kept alternates.
    """
    # airports keep their IATA/ICAO codes, countries their abbreviations ("USA", "UAE")
    airport = row.feature_code in _AIRPORT_CODES or kind_of(row) == "country"
    seen: set[str] = set()
    out: list[str] = []
    for name in (row.name, row.asciiname):
        if name and name not in seen:
            seen.add(name)
            out.append(name)
    for alt in row.alternates:
        if alt in seen or not alt or len(alt) > _MAX_NAME_LENGTH:
            continue
        if _URL_LIKE.match(alt) or not _is_latin_word(alt):
            continue
        if not airport and _CODE_LIKE.fullmatch(alt):
            continue
        seen.add(alt)
        out.append(alt)
    return out


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def _pick_member(zf: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    """The dump inside a zip: ``<stem>.txt``, else the only ``.txt`` that is not the readme."""
    texts = [
        info
        for info in zf.infolist()
        if not info.is_dir() and info.filename.lower().endswith(".txt")
    ]
    wanted = f"{path.stem}.txt".lower()
    for info in texts:
        if Path(info.filename).name.lower() == wanted:
            return info
    data = [info for info in texts if Path(info.filename).name.lower() != "readme.txt"]
    if len(data) == 1:
        return data[0]
    names = ", ".join(info.filename for info in zf.infolist()) or "nothing"
    raise DumpFormatError(
        f"expected {_EXPECTED}: the zip should hold {path.stem}.txt or a single .txt file, "
        f"but holds {names}",
        source=str(path),
    )


def _parse(line: str) -> DumpRow | str:
    """A row, or why ``line`` is malformed."""
    cols = line.split("\t")
    if len(cols) != _N_COLUMNS:
        return f"expected {_N_COLUMNS} tab-separated columns, found {len(cols)}"
    try:
        geonameid = int(cols[0])
        lat = float(cols[4])
        lon = float(cols[5])
        population = int(cols[14]) if cols[14] else 0
    except ValueError as exc:
        return f"bad number ({exc})"
    if not 0 < geonameid < 2**32:  # GeoNames ids are positive 32-bit numbers
        return f"geonameid out of range ({cols[0]})"
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return f"coordinates out of range ({cols[4]}, {cols[5]})"
    if not cols[1]:
        return "empty name"
    alternates = tuple(filter(None, cols[3].split(","))) if cols[3] else ()
    return DumpRow(
        geonameid=geonameid,
        name=cols[1],
        asciiname=cols[2],
        alternates=alternates,
        lat=lat,
        lon=lon,
        feature_class=cols[6],
        feature_code=cols[7],
        country=cols[8],
        admin1=cols[10],
        admin2=cols[11],
        population=population,
    )


def iter_dump(
    path: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[DumpRow]:
    """Stream the rows of a GeoNames dump, one line at a time.

    Parameters
    ----------
    path
        A ``.txt`` dump (``UA.txt``, ``allCountries.txt``) or the ``.zip`` it is published in;
        in a zip, the member named like the zip (``UA.txt`` in ``UA.zip``) is read, else the only
        ``.txt`` member that is not ``readme.txt``.
    progress
        Called as ``progress(bytes_read, total_bytes)`` about every megabyte of (unzipped) text
        and once at the end, with ``bytes_read == total_bytes`` when the whole file was read.

    Yields
    ------
    DumpRow
        One per well-formed line. Malformed lines (wrong column count, bad numbers, invalid
        UTF-8) are skipped; their count is logged as a warning at the end.

    Raises
    ------
    DumpFormatError
        At the call, when ``path`` does not exist, is not a ``.txt``/``.zip`` or is a zip with no
        dump inside; while iterating, when the file is empty, none of its first 100 non-empty
        lines is a well-formed dump line, the zip turns out damaged (a truncated download) or
        the file cannot be read.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".txt", ".zip"):
        raise DumpFormatError(
            f"expected {_EXPECTED}; this file is neither .txt nor .zip", source=str(p)
        )
    if not p.is_file():
        what = "is a directory" if p.is_dir() else "does not exist"
        raise DumpFormatError(f"expected {_EXPECTED}; the file {what}", source=str(p))
    member: str | None = None
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(p) as zf:
                member = _pick_member(zf, p).filename
        except zipfile.BadZipFile as exc:
            raise DumpFormatError(
                f"expected {_EXPECTED}; this is not a readable zip file ({exc})", source=str(p)
            ) from exc
    return _rows(p, member, progress)


def _rows(
    path: Path, member: str | None, progress: Callable[[int, int], None] | None
) -> Iterator[DumpRow]:
    source = f"{path}!{member}" if member is not None else str(path)
    try:
        if member is None:
            with open(path, "rb") as stream:
                total = os.fstat(stream.fileno()).st_size
                yield from _read(stream, total, source, progress)
        else:
            with zipfile.ZipFile(path) as zf:
                info = zf.getinfo(member)
                with zf.open(info) as stream:
                    yield from _read(stream, info.file_size, source, progress)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        # a download cut short or damaged: found only when the bad part is reached
        raise DumpFormatError(
            f"the zip is damaged ({exc}); download it again", source=source
        ) from exc
    except OSError as exc:
        raise DumpFormatError(f"cannot read the file ({exc})", source=source) from exc


def _read(
    stream: BinaryIO,
    total: int,
    source: str,
    progress: Callable[[int, int], None] | None,
) -> Iterator[DumpRow]:
    """Parse binary lines from ``stream`` (decoded one by one, so byte counts are exact)."""
    bytes_read = 0
    reported = 0
    good = 0
    bad = 0
    first_bad: tuple[int, str] | None = None
    for lineno, raw in enumerate(stream, start=1):
        bytes_read += len(raw)
        if progress is not None and bytes_read - reported >= _PROGRESS_STEP:
            progress(bytes_read, total)
            reported = bytes_read
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            parsed: DumpRow | str = f"not UTF-8 ({exc.reason} at byte {exc.start})"
        else:
            if lineno == 1:
                line = line.removeprefix("\ufeff")
            line = line.rstrip("\r\n")
            if not line or line.isspace():
                continue
            parsed = _parse(line)
        if isinstance(parsed, DumpRow):
            good += 1
            yield parsed
            continue
        bad += 1
        if first_bad is None:
            first_bad = (lineno, parsed)
        if good == 0 and bad >= _SNIFF_LINES:
            _not_a_dump(source, bad, first_bad)
    if good == 0:
        if first_bad is None:
            raise DumpFormatError(f"expected {_EXPECTED}; the file has no lines", source=source)
        _not_a_dump(source, bad, first_bad)
    if bad and first_bad is not None:
        logger.warning(
            "%s: skipped %d malformed line(s) of %d; first at line %d: %s",
            source,
            bad,
            good + bad,
            first_bad[0],
            first_bad[1],
        )
    if progress is not None and bytes_read != reported:
        progress(bytes_read, total)


def _not_a_dump(source: str, bad: int, first_bad: tuple[int, str]) -> NoReturn:
    lineno, reason = first_bad
    raise DumpFormatError(
        f"not a GeoNames dump: none of the first {bad} non-empty lines is a dump line "
        f"(line {lineno}: {reason}); expected {_EXPECTED}",
        source=source,
    )
