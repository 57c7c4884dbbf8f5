"""The gazetteer: every named place Dateline can geocode, in a compact index built once.

The index is built from installed PyPI packages (see :mod:`geodata.gazetteer._build`) into a
versioned directory under the cache directory and rebuilt when the format version or a source
package's version changes. Loading maps the name tries and reads a few arrays: well under a second.

Tests build small gazetteers in memory with :meth:`Gazetteer.from_entries`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from geodata.errors import GazetteerError
from geodata.gazetteer import _shards
from geodata.gazetteer._table import KIND_CODE as _KIND_CODE
from geodata.gazetteer._table import KINDS, compile_table
from geodata.normalize import name_key, skeleton_key

__all__ = [
    "FORMAT_VERSION",
    "KINDS",
    "Entry",
    "Gazetteer",
    "default_cache_dir",
    "index_dir",
    "index_ready",
    "load_gazetteer",
]

logger = logging.getLogger(__name__)

FORMAT_VERSION = 3


@dataclass(frozen=True, slots=True)
class Entry:
    """One place in the gazetteer."""

    index: int
    id: str
    geonameid: int | None
    name: str
    kind: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int
    capital: bool
    alternates: tuple[str, ...] = ()


#: The modules whose code decides the index's content: a change to any of them rebuilds it.
_BUILD_CODE = (
    "_facts.py",
    "_table.py",
    "_build.py",
    "_features.py",
    "_build_sources.py",
    "_build_names.py",
    "_build_areas.py",
    "_raw_entry.py",
    "_word_stats.py",
)


def default_cache_dir() -> Path:
    """``$DATELINE_CACHE``, else ``$XDG_CACHE_HOME/dateline``, else ``~/.cache/dateline``."""
    env = os.environ.get("DATELINE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dateline"


def _source_fingerprint() -> str:
    from geodata.gazetteer._build_sources import SOURCE_PACKAGES

    parts = [f"format={FORMAT_VERSION}"]
    for pkg in SOURCE_PACKAGES:
        try:
            parts.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{pkg}=missing")
    # the hand-kept facts and the build's code are part of the source too
    code = b"".join(Path(__file__).with_name(f).read_bytes() for f in _BUILD_CODE)
    parts.append(hashlib.sha1(code).hexdigest()[:12])
    return hashlib.sha1(";".join(parts).encode()).hexdigest()[:16]


class Gazetteer:
    """Name → entries lookups over a fixed table of places.

    Use :func:`load_gazetteer` for the real one and :meth:`from_entries` for small ones.
    """

    def __init__(
        self,
        *,
        arrays: dict[str, np.ndarray],
        strings: dict[str, list],
        keys,
        skeletons,
        demonyms: dict[str, int],
        qualifiers: dict[str, list[int]],
        alternates_path: Path | None = None,
        alternates: list[tuple[str, ...] | str] | None = None,
        common: dict[str, float] | None = None,
        given_names: Iterable[str] = (),
        english_given_names: Iterable[str] = (),
        english_words: dict[str, float] | None = None,
        id_index: Mapping[str, int] | None = None,
    ) -> None:
        self._lat = arrays["lat"]
        self._lon = arrays["lon"]
        self._pop = arrays["pop"]
        self._gid = arrays["gid"]
        self._kind = arrays["kind"]
        self._cc = arrays["cc"]
        self._a1 = arrays["a1"]
        self._capital = arrays["capital"]
        self._ids: list[str] = strings["ids"]
        self._names: list[str] = strings["names"]
        self._cc_list: list[str] = strings["cc_list"]
        self._a1_list: list[str] = strings["a1_list"]
        self._keys = keys
        self._skeletons = skeletons
        self._demonyms = demonyms
        self._qualifiers = qualifiers
        self._alternates_path = alternates_path
        self._alternates = alternates
        self._own_keys: dict[int, str] = {}
        #: scratch space for callers' per-index caches (a reloaded index starts empty)
        self.memo: dict[str, dict] = {}
        self._by_id = id_index if id_index is not None else {i: n for n, i in enumerate(self._ids)}
        #: the GeoNames dumps merged in (their ``meta.json``; see
        #: :mod:`geodata.gazetteer.added_sources`)
        self.sources: list[dict] = []
        #: lowercase word → Zipf frequency, for place-name keys that are also English words
        self.common_words: dict[str, float] = dict(common or {})
        #: lowercase given names, to tell "Michael Jordan" from Jordan
        self.given_names: frozenset[str] = frozenset(given_names)
        #: the given names in use in Britain, Ireland or the US ("Keith", not "Singa")
        self.english_given_names: frozenset[str] = frozenset(english_given_names)
        #: every lowercase English dictionary word → Zipf frequency (≥ 3), place key or not
        self.english_words: dict[str, float] = (english_words or {}) | self.common_words
        self._country_index: dict[str, int] = {}
        for n in np.flatnonzero(self._kind == _KIND_CODE["country"]):
            self._country_index[self._cc_list[self._cc[n]]] = int(n)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_entries(
        cls,
        entries: Sequence,
        *,
        demonyms: dict[str, str] | None = None,
        common: dict[str, float] | None = None,
        given_names: Iterable[str] = (),
        english_given_names: Iterable[str] = (),
        english_words: dict[str, float] | None = None,
    ) -> Gazetteer:
        """Build an in-memory gazetteer from entry records.

        Parameters
        ----------
        entries
            Objects with ``id, name, kind, lat, lon, country, admin1, population, geonameid,
            alternates`` and optionally ``capital`` and ``qualifier_only`` attributes
            (e.g. :class:`geodata.gazetteer._raw_entry.RawEntry`).
        demonyms
            Word → entry id ("Ukrainian" → "gn:690791").
        """
        parts = compile_table(entries, demonyms or {})
        return cls(
            **parts,
            common=common,
            given_names=given_names,
            english_given_names=english_given_names,
            english_words=english_words,
        )

    # -- lookups ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    def lookup(self, name: str, *, loose: bool = False) -> list[Entry]:
        """Entries whose name or an alternate matches ``name`` (case/accents ignored).

        ``loose=True`` adds entries matching under transliteration folding.
        """
        return [self.entry(i) for i in self.indices(name_key(name), loose=loose)]

    def own_key(self, idx: int) -> str:
        """:func:`~geodata.normalize.name_key` of an entry's own name, folded once."""
        key = self._own_keys.get(idx)
        if key is None:
            key = self._own_keys[idx] = name_key(self._names[idx])
        return key

    def indices(self, key: str, *, loose: bool = False) -> list[int]:
        """Entry indices for an already normalized key (see :func:`geodata.normalize.name_key`)."""
        found = [r[0] for r in self._keys.get(key, ())]
        if loose:
            skel = skeleton_key(key)
            if skel:
                extra = [r[0] for r in self._skeletons.get(skel, ())]
                found += [i for i in extra if i not in found]
        return found

    def has_key(self, key: str) -> bool:
        return key in self._keys

    def qualifier(self, token: str) -> list[int]:
        """Entries for a postal abbreviation ("TX") valid only after "City, "."""
        return self._qualifiers.get(token, [])

    def demonym(self, word: str) -> Entry | None:
        """The place a demonym or language name refers to ("Ukrainians" → Ukraine)."""
        idx = self._demonyms.get(name_key(word))
        return None if idx is None else self.entry(idx)

    def demonym_index(self, key: str) -> int | None:
        return self._demonyms.get(key)

    def demonym_keys(self) -> dict[str, int]:
        """Every demonym key ("ukrainian") → the table position of its place (a copy)."""
        return dict(self._demonyms)

    def get(self, entry_id: str) -> Entry | None:
        """The entry with a given id ("gn:703448", "adm1:RU.41"), or ``None``."""
        idx = self._by_id.get(entry_id)
        return None if idx is None else self.entry(idx)

    def country(self, code: str) -> Entry | None:
        """The country entry for an ISO alpha-2 code."""
        idx = self._country_index.get(code)
        return None if idx is None else self.entry(idx)

    def entry(self, idx: int) -> Entry:
        """The entry at table position ``idx``."""
        return _entry(self, idx)

    # fast column access for the resolver
    def name(self, idx: int) -> str:
        """The entry's own name."""
        return self._names[idx]

    def kind(self, idx: int) -> str:
        return KINDS[self._kind[idx]]

    def population(self, idx: int) -> int:
        return int(self._pop[idx])

    def country_code(self, idx: int) -> str:
        return self._cc_list[self._cc[idx]]

    def admin1(self, idx: int) -> str:
        return self._a1_list[self._a1[idx]]

    def point(self, idx: int) -> tuple[float, float]:
        return float(self._lat[idx]), float(self._lon[idx])

    def is_capital(self, idx: int) -> bool:
        return bool(self._capital[idx])

    def admin1_areas(self) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
        """(country, admin-1 code) → the admin-1 entry, and → the population of its biggest
        city; built once per gazetteer (kept in :attr:`memo`)."""
        cached = self.memo.get("admin1_areas")
        if cached is None:
            cached = self.memo["admin1_areas"] = {"tables": self._admin1_tables()}
        return cached["tables"]

    def _admin1_tables(self) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
        areas: dict[tuple[str, str], int] = {}
        for idx in np.flatnonzero(self._kind == _KIND_CODE["adm1"]).tolist():
            areas.setdefault((self.country_code(idx), self.admin1(idx)), idx)
        cities = np.flatnonzero(self._kind == _KIND_CODE["city"])
        codes = self._cc[cities].astype(np.int64) * 1_000_003 + self._a1[cities].astype(np.int64)
        order = np.lexsort((self._pop[cities], codes))  # by area, the biggest city last
        last = np.r_[codes[order][1:] != codes[order][:-1], True]
        biggest: dict[tuple[str, str], int] = {}
        for idx in cities[order][last].tolist():
            biggest[(self.country_code(idx), self.admin1(idx))] = self.population(idx)
        return areas, biggest

    def alternates(self, idx: int) -> tuple[str, ...]:
        """Alternate names of entry ``idx`` (read from disk on first use, split per entry)."""
        if self._alternates is None and self._alternates_path is not None:
            self._alternates = self._alternates_path.read_text(encoding="utf-8").split("\n")
        if not self._alternates or idx >= len(self._alternates):
            return ()
        row = self._alternates[idx]
        if isinstance(row, str):
            row = tuple(x for x in row.split("\t") if x)
            self._alternates[idx] = row
        return row

    def search(self, prefix: str, *, limit: int = 20) -> list[Entry]:
        """Entries whose names start with ``prefix``, most populous first (for pickers)."""
        key = name_key(prefix)
        if not key:
            return []
        seen: set[int] = set()
        for _, (idx,) in self._keys.items(key):
            seen.add(idx)
            if len(seen) > 2000:
                break
        # a place whose own name starts so comes before one that only has such an alias
        # ("Kyi": the city Kyiv, then the region whose names include "Kyiv")
        ranked = sorted(
            seen,
            key=lambda i: (
                not name_key(self._names[i]).startswith(key),
                -_kind_rank(self.kind(i)),
                -int(self._pop[i]),
            ),
        )
        return [self.entry(i) for i in ranked[:limit]]


def _kind_rank(kind: str) -> int:
    # a town before an airport or a district of the same name and size ("Kyi": Kyiv first)
    return {"country": 3, "continent": 3, "adm1": 2, "region": 2, "city": 1}.get(kind, 0)


def _entry(gaz: Gazetteer, idx: int) -> Entry:
    gid = int(gaz._gid[idx])
    return Entry(
        index=idx,
        id=gaz._ids[idx],
        geonameid=gid or None,
        name=gaz._names[idx],
        kind=KINDS[gaz._kind[idx]],
        lat=round(float(gaz._lat[idx]), 5),
        lon=round(float(gaz._lon[idx]), 5),
        country=gaz._cc_list[gaz._cc[idx]],
        admin1=gaz._a1_list[gaz._a1[idx]],
        population=int(gaz._pop[idx]),
        capital=bool(gaz._capital[idx]),
        alternates=gaz.alternates(idx),
    )


def index_dir(cache_dir: Path) -> Path:
    return cache_dir / f"gazetteer-v{FORMAT_VERSION}-{_source_fingerprint()}"


def build_index(target: Path) -> Path:
    """Build the full gazetteer from the source packages into ``target`` (a directory)."""
    from geodata.gazetteer._build import build_demonyms, build_entries

    t0 = time.perf_counter()
    entries = build_entries()
    demonyms = build_demonyms(entries)
    parts = compile_table(entries, demonyms)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        np.savez(tmp / "arrays.npz", **parts["arrays"])
        (tmp / "strings.json").write_text(json.dumps(parts["strings"]), encoding="utf-8")
        parts["keys"].save(str(tmp / "keys.marisa"))
        parts["skeletons"].save(str(tmp / "skeletons.marisa"))
        (tmp / "alternates.txt").write_text(
            "\n".join("\t".join(a) for a in parts["alternates"]), encoding="utf-8"
        )
        from geodata.gazetteer._word_stats import (
            build_word_stats,
            english_given_names,
            english_word_frequencies,
        )

        common, given = build_word_stats(parts["keys"])
        (tmp / "lookups.json").write_text(
            json.dumps(
                {
                    "demonyms": parts["demonyms"],
                    "qualifiers": parts["qualifiers"],
                    "common": common,
                    "given_names": given,
                    "given_names_en": english_given_names(),
                    "english_words": english_word_frequencies(),
                }
            ),
            encoding="utf-8",
        )
        meta = {
            "format": FORMAT_VERSION,
            "fingerprint": _source_fingerprint(),
            "entries": len(entries),
            "build_seconds": round(time.perf_counter() - t0, 1),
        }
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)  # atomic: a half-built index is never seen
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    logger.info("built gazetteer index %s in %.1fs", target, time.perf_counter() - t0)
    return target


def _open_index(path: Path) -> Gazetteer:
    import marisa_trie

    with np.load(path / "arrays.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    strings = json.loads((path / "strings.json").read_text(encoding="utf-8"))
    lookups = json.loads((path / "lookups.json").read_text(encoding="utf-8"))
    keys = marisa_trie.RecordTrie("<I")
    keys.mmap(str(path / "keys.marisa"))
    skeletons = marisa_trie.RecordTrie("<I")
    skeletons.mmap(str(path / "skeletons.marisa"))
    return Gazetteer(
        arrays=arrays,
        strings=strings,
        keys=keys,
        skeletons=skeletons,
        demonyms=lookups["demonyms"],
        qualifiers=lookups["qualifiers"],
        alternates_path=path / "alternates.txt",
        common=lookups.get("common", {}),
        given_names=lookups.get("given_names", []),
        english_given_names=lookups.get("given_names_en", []),
        english_words=lookups.get("english_words", {}),
    )


def load_gazetteer(
    *, cache_dir: Path | str | None = None, rebuild: bool = False, added: bool = True
) -> Gazetteer:
    """Load the real gazetteer, building its index first if it is missing or stale.

    Parameters
    ----------
    cache_dir
        Where index directories live (default :func:`default_cache_dir`).
    rebuild
        Build even if a current index exists.
    added
        Merge the GeoNames dumps added with ``python -m geodata gazetteer add`` (see
        :mod:`geodata.gazetteer.added_sources`). ``False`` gives the built-in index alone.

    Notes
    -----
    Results are cached per directory and per list of added dumps, so adding or removing one
    takes effect on the next call.
    """
    root = str(Path(cache_dir) if cache_dir else default_cache_dir())
    token = _shards.manifest_token(Path(root)) if added else ""
    if not token:
        return _load_cached(root, rebuild)
    return _load_merged(root, rebuild, token)


@lru_cache(maxsize=1)  # one merged table at a time: with allCountries it is ~0.5 GB
def _load_merged(cache_dir: str, rebuild: bool, token: str) -> Gazetteer:
    """The base index with the added dumps ``token`` (the manifest's text) lists."""
    base = _load_cached(cache_dir, rebuild)
    shards = []
    for path in _shards.shard_dirs(Path(cache_dir), token):
        try:
            shards.append(_shards.Shard(path))
        except GazetteerError as exc:  # one bad shard must not take the gazetteer down
            logger.warning("skipping an added gazetteer source: %s", exc)
    if not shards:
        return base
    t0 = time.perf_counter()
    gaz = _shards.merge(base, shards)
    logger.info(
        "merged %d added source(s), %d entries in all, in %.2fs",
        len(shards),
        len(gaz),
        time.perf_counter() - t0,
    )
    return gaz


def index_ready(*, cache_dir: Path | str | None = None) -> bool:
    """Whether the built-in index for the installed sources exists, so that loading it is
    quick (a command line says "building …" before a first run's build otherwise)."""
    root = Path(cache_dir) if cache_dir else default_cache_dir()
    return (index_dir(root) / "meta.json").exists()


@lru_cache(maxsize=4)
def _load_cached(cache_dir: str, rebuild: bool) -> Gazetteer:
    root = Path(cache_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GazetteerError(
            f"cannot create the gazetteer cache directory {root}: {exc}. "
            "Set DATELINE_CACHE to a writable directory."
        ) from exc
    path = index_dir(root)
    if rebuild or not (path / "meta.json").exists():
        logger.info("building gazetteer index in %s (first run takes a while)", path)
        _build_locked(path, force=rebuild)
        for old in root.glob("gazetteer-v*"):
            if old != path and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    try:
        return _open_index(path)
    except (OSError, ValueError, KeyError) as exc:
        raise GazetteerError(
            f"the gazetteer index at {path} is unreadable ({exc}); delete it to rebuild"
        ) from exc


def _build_locked(path: Path, *, force: bool = False) -> None:
    """Build once even when several processes start together."""
    import fcntl

    lock_path = path.parent / ".build.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if force or not (path / "meta.json").exists():
                build_index(path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def iter_entries(gaz: Gazetteer) -> Iterable[Entry]:
    """Every entry of a gazetteer (for exports and checks)."""
    for i in range(len(gaz)):
        yield gaz.entry(i)
