"""Full GeoNames dumps added to the gazetteer: every village, admin area, island, water body.

The built-in index (:mod:`geodata.gazetteer._build`) knows the 235,000 places of at least 500
people. A user who needs every village downloads a dump from https://download.geonames.org/export/dump/
(a country file such as ``UA.zip``, or ``allCountries.zip``) and runs
``python -m geodata gazetteer add UA.zip``, which calls :func:`add_dump`.

How a dump is merged:

* a row whose geonameid is a built-in entry (or an admin-1 row whose code is one,
  ``adm1:UA.07``) adds only the names that entry lacks;
* any other row that :func:`geodata.gazetteer.geonames_dump.kind_of` keeps becomes a new entry
  ``gn:<geonameid>`` with its Latin-script names, population as given (0 for most villages)
  and the admin-1 name the built-in index uses for its area.

Each dump is compiled into its own *shard* under ``<cache>/added/`` (see
:mod:`geodata.gazetteer._shards`): the built-in index is not rebuilt, and
:func:`geodata.gazetteer.index.load_gazetteer` merges the shards on load. The rows are streamed and
the name tries built in chunks, so memory stays bounded for ``allCountries`` (13 M rows). A shard
is built in a temporary folder and published by atomically replacing the manifest, so an
interrupted or failed add leaves the previous state as it was; adding a file of the same name
again replaces its shard.
"""

from __future__ import annotations

import array
import fcntl
import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from geodata.errors import GazetteerError
from geodata.gazetteer import _shards
from geodata.gazetteer.geonames_dump import DumpRow, alternate_names, iter_dump, kind_of
from geodata.gazetteer.index import (
    _KIND_CODE,
    Gazetteer,
    default_cache_dir,
    index_dir,
    load_gazetteer,
)
from geodata.normalize import name_key, skeleton_key

__all__ = ["AddReport", "Source", "add_dump", "list_sources", "remove_source", "sources_token"]

logger = logging.getLogger(__name__)

#: Trie records held in memory before they are written out as one trie. A record costs about
#: 150 bytes of Python objects while held, so this bounds the add's memory (~400 MB of them).
CHUNK_RECORDS = 2_500_000
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_U32_MAX = 2**32 - 1


@dataclass(frozen=True, slots=True)
class AddReport:
    """What :func:`add_dump` merged."""

    name: str
    source: str
    rows: int
    new_entries: int
    merged_entries: int
    new_names: int
    skipped_rows: int
    by_kind: dict[str, int]
    seconds: float
    replaced: bool

    def summary(self) -> str:
        """One line for the command line: counts of what was read and added."""
        kinds = ", ".join(f"{n:,} {k}" for k, n in sorted(self.by_kind.items(), key=_by_count))
        return (
            f"{self.name}: {self.rows:,} rows read in {self.seconds:.1f}s; "
            f"{self.new_entries:,} new places ({kinds or 'none'}); "
            f"{self.new_names:,} new names for {self.merged_entries:,} built-in places; "
            f"{self.skipped_rows:,} rows skipped (features not indexed)"
            + (" — replaced the earlier copy" if self.replaced else "")
        )


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


@dataclass(frozen=True, slots=True)
class Source:
    """One source of the gazetteer, as :func:`list_sources` reports it."""

    name: str
    #: ``"package"`` (a built-in PyPI source) or ``"dump"`` (added with :func:`add_dump`)
    kind: str
    #: package version, or the dump file's path
    detail: str
    #: entries the source contributes (the whole built-in index for packages, if built)
    entries: int | None = None
    #: when the dump was added (ISO 8601, UTC), for dumps
    added: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Building a shard
# ---------------------------------------------------------------------------------------------


class _ShardBuilder:
    """Accumulates one dump's rows into shard files under ``tmp``."""

    def __init__(self, base: Gazetteer, tmp: Path, *, chunk_records: int) -> None:
        self.base = base
        self.tmp = tmp
        self.chunk_records = chunk_records
        gids = base._gid
        nz = np.flatnonzero(gids)
        self.base_by_gid = dict(zip(gids[nz].tolist(), nz.tolist(), strict=True))
        # "CC.CODE" -> the admin-1 name built-in entries of that area carry
        self.a1_known: dict[str, str] = {}
        self.adm1_by_code: dict[str, int] = {}
        for i in np.flatnonzero(base._kind == _KIND_CODE["adm1"]).tolist():
            eid = base._ids[i]
            if eid.startswith("adm1:"):
                self.adm1_by_code[eid[5:]] = i
                self.a1_known[eid[5:]] = base.admin1(i)
        self.votes: dict[str, Counter] = defaultdict(Counter)
        self.dump_a1: dict[str, str] = {}
        self.cols = {
            "gid": array.array("I"),
            "lat": array.array("f"),
            "lon": array.array("f"),
            "pop": array.array("I"),
            "kind": array.array("B"),
            "cc": array.array("H"),
            "a1": array.array("I"),
            "capital": array.array("B"),
        }
        self.cc_pos: dict[str, int] = {"": 0}
        self.code_pos: dict[str, int] = {"": 0}
        self.text = open(tmp / "text.bin", "wb", buffering=1 << 20)  # noqa: SIM115 - closed in finish
        self.text_off = array.array("Q", [0])
        self.links: list[str] = []
        self.link_alternates: dict[str, list[str]] = {}
        self.keys: list[tuple[str, tuple[int]]] = []
        self.skels: list[tuple[str, tuple[int]]] = []
        self.n_tries = 0
        self.rows = self.skipped = self.new_names = 0
        self.by_kind: Counter = Counter()

    def add(self, row: DumpRow) -> None:
        self.rows += 1
        kind = kind_of(row)
        if kind is None:
            self.skipped += 1
            return
        code = f"{row.country}.{row.admin1}" if row.admin1 else ""
        if kind == "adm1" and code:
            self.dump_a1.setdefault(code, row.name)
        base_idx = self.base_by_gid.get(row.geonameid)
        if base_idx is None and kind == "adm1":
            base_idx = self.adm1_by_code.get(code)
        if base_idx is not None:
            self._merge(base_idx, row, code)
            return
        names = alternate_names(row)
        keys = {name_key(n) for n in names}
        keys.discard("")
        if not keys:
            self.skipped += 1
            return
        slot = len(self.cols["gid"])
        if slot >= _shards.LINK_BIT:  # pragma: no cover - 2 G places: far beyond GeoNames
            raise GazetteerError("too many places in one dump")
        c = self.cols
        c["gid"].append(row.geonameid)
        c["lat"].append(row.lat)
        c["lon"].append(row.lon)
        c["pop"].append(min(max(row.population, 0), _U32_MAX))
        c["kind"].append(_KIND_CODE[kind])
        c["cc"].append(self.cc_pos.setdefault(row.country, len(self.cc_pos)))
        c["a1"].append(self.code_pos.setdefault(code, len(self.code_pos)))
        c["capital"].append(row.feature_code == "PPLC")
        data = "\t".join(names).encode("utf-8")
        self.text.write(data)
        self.text_off.append(self.text_off[-1] + len(data))
        self.by_kind[kind] += 1
        self._index(keys, slot)

    def _merge(self, base_idx: int, row: DumpRow, code: str) -> None:
        """Names a built-in entry lacks, keyed to it; its admin-1 name votes for its code's."""
        base = self.base
        if code and base.kind(base_idx) == "city" and base.admin1(base_idx):
            self.votes[code][base.admin1(base_idx)] += 1
        new: list[str] = []
        keys: set[str] = set()
        for n in alternate_names(row):
            k = name_key(n)
            if k and k not in keys and base_idx not in base.indices(k):
                keys.add(k)
                new.append(n)
        if not new:
            return
        slot = len(self.links)
        self.links.append(base._ids[base_idx])
        self.link_alternates[str(slot)] = new
        self.new_names += len(new)
        self._index(keys, slot | _shards.LINK_BIT)

    def _index(self, keys: set[str], value: int) -> None:
        record = (value,)
        for k in keys:
            self.keys.append((k, record))
        for s in {skeleton_key(k) for k in keys}:
            if len(s) >= 4:  # as the built-in index: short skeletons match too much
                self.skels.append((s, record))
        if len(self.keys) + len(self.skels) >= self.chunk_records:
            self._flush()

    def _flush(self) -> None:
        """Write the held records as one more pair of tries and let them go."""
        import marisa_trie

        if not self.keys and not self.skels and self.n_tries:
            return
        n = self.n_tries
        marisa_trie.RecordTrie("<I", self.keys).save(str(self.tmp / f"keys-{n:03d}.marisa"))
        self.keys.clear()
        marisa_trie.RecordTrie("<I", self.skels).save(str(self.tmp / f"skel-{n:03d}.marisa"))
        self.skels.clear()
        self.n_tries += 1
        logger.debug("wrote trie chunk %d after %d rows", n, self.rows)

    def finish(self, meta: dict[str, Any]) -> dict[str, Any]:
        """Write the columns, strings and meta; return the meta."""
        if self.keys or self.skels or not self.n_tries:
            self._flush()
        self.text.close()
        # each area code -> the name built-in entries use, else the dump's own ADM1 row's name
        codes = sorted(self.code_pos, key=self.code_pos.__getitem__)
        a1_list = [
            self.a1_known.get(code)
            or (self.votes[code].most_common(1)[0][0] if self.votes.get(code) else "")
            or self.dump_a1.get(code, "")
            for code in codes
        ]
        dtypes = dict(_shards.COLUMNS)
        for name, values in self.cols.items():
            np.save(self.tmp / f"{name}.npy", np.frombuffer(values, dtype=dtypes[name]))
        np.save(self.tmp / "text_off.npy", np.frombuffer(self.text_off, dtype="u8"))
        strings = {
            "cc_list": sorted(self.cc_pos, key=self.cc_pos.__getitem__),
            "a1_list": a1_list,
            "links": self.links,
            "link_alternates": self.link_alternates,
            "common": self._common_words(),
        }
        (self.tmp / "strings.json").write_text(json.dumps(strings), encoding="utf-8")
        meta = meta | {
            "format": _shards.SHARD_FORMAT,
            "tries": self.n_tries,
            "rows": self.rows,
            "new_entries": len(self.cols["gid"]),
            "merged_entries": len(self.links),
            "new_names": self.new_names,
            "skipped_rows": self.skipped,
            "by_kind": dict(self.by_kind),
        }
        (self.tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        return meta

    def _common_words(self) -> dict[str, float]:
        """English words among the new one-word names ("Bank", "Mill"), which the recognizer
        needs to see as words first, as it does for the built-in names."""
        import marisa_trie

        from geodata.gazetteer._word_stats import build_word_stats

        tmp = self.tmp

        class _Keys:
            def keys(self) -> Iterator[str]:
                for path in sorted(tmp.glob("keys-*.marisa")):
                    trie = marisa_trie.RecordTrie("<I")
                    trie.mmap(str(path))
                    yield from trie.iterkeys()

        common, _ = build_word_stats(_Keys())
        known = self.base.common_words
        return {w: z for w, z in common.items() if w not in known}

    def abort(self) -> None:
        self.text.close()


def _source_name(path: Path) -> str:
    """``UA.zip`` → ``UA``; ``allCountries.txt`` → ``allCountries``."""
    return _NAME_CHARS.sub("_", path.stem).strip("._") or "dump"


def add_dump(
    path: str | os.PathLike[str],
    *,
    cache_dir: Path | str | None = None,
    name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_records: int = CHUNK_RECORDS,
) -> AddReport:
    """Merge a GeoNames dump into the gazetteer of ``cache_dir``.

    Parameters
    ----------
    path
        ``UA.zip``, ``UA.txt``, ``allCountries.zip``... as downloaded from
        https://download.geonames.org/export/dump/.
    cache_dir
        The gazetteer's cache directory (default :func:`default_cache_dir`); the built-in
        index is built there first if needed.
    name
        The source's name in :func:`list_sources` (default: the file's stem, ``UA``). A source
        of that name is replaced.
    progress
        Called as ``progress(bytes_read, total_bytes)`` while the file is read.
    chunk_records
        Trie records held in memory at most (see :data:`CHUNK_RECORDS`).

    Returns
    -------
    AddReport
        The counts of what was read, added and skipped.

    Raises
    ------
    DumpFormatError
        The file is missing or not a GeoNames dump; nothing was changed.
    GazetteerError
        The cache directory cannot be written; nothing was changed.
    """
    t0 = time.perf_counter()
    src = Path(path)
    rows = iter_dump(src, progress=progress)
    # a file that is no dump fails here, on its first lines, before the slow work
    rows = itertools.chain([next(rows)], rows)
    root = Path(cache_dir) if cache_dir else default_cache_dir()
    label = _NAME_CHARS.sub("_", name).strip("._") if name else _source_name(src)
    base = load_gazetteer(cache_dir=root, added=False)
    added = root / _shards.ADDED_DIR
    try:
        added.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=added))
    except OSError as exc:
        raise GazetteerError(f"cannot write added sources under {added}: {exc}") from exc
    builder: _ShardBuilder | None = None
    try:
        builder = _ShardBuilder(base, tmp, chunk_records=chunk_records)
        for row in rows:
            builder.add(row)
        stat = src.stat()
        meta = builder.finish(
            {
                "name": label,
                "source": str(src.resolve()),
                "source_bytes": stat.st_size,
                "added": datetime.now(UTC).isoformat(timespec="seconds"),
                "base_fingerprint": index_dir(root).name,
                "seconds": round(time.perf_counter() - t0, 1),
            }
        )
        final = added / f"{label}-{os.urandom(4).hex()}"
        tmp.rename(final)
        replaced = _publish(root, label, final.name)
    except BaseException:
        if builder is not None:
            builder.abort()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report = AddReport(
        name=label,
        source=str(src),
        rows=meta["rows"],
        new_entries=meta["new_entries"],
        merged_entries=meta["merged_entries"],
        new_names=meta["new_names"],
        skipped_rows=meta["skipped_rows"],
        by_kind=meta["by_kind"],
        seconds=round(time.perf_counter() - t0, 1),
        replaced=replaced,
    )
    logger.info("%s", report.summary())
    return report


# ---------------------------------------------------------------------------------------------
# The manifest: which shards are in use
# ---------------------------------------------------------------------------------------------


@contextmanager
def _locked(added: Path) -> Iterator[None]:
    """One writer of the manifest at a time (two adds may build at once, not publish)."""
    with open(added / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_manifest(added: Path, sources: list[dict[str, Any]]) -> None:
    """Replace the manifest atomically: readers see the old list or the new, never a mix."""
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=added)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"format": _shards.SHARD_FORMAT, "sources": sources}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, added / "manifest.json")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _publish(root: Path, name: str, dirname: str) -> bool:
    """List shard ``dirname`` as source ``name``; drop the shard it replaces. Returns whether
    one was replaced."""
    added = root / _shards.ADDED_DIR
    with _locked(added):
        sources = _shards.read_manifest(_shards.manifest_token(root))
        old = [s for s in sources if s["name"].lower() == name.lower()]
        kept: list[dict[str, Any]] = []
        for s in sources:  # a replaced source keeps its place in the order
            if s not in old:
                kept.append(s)
            elif s is old[0]:
                kept.append({"name": name, "dir": dirname})
        if not old:
            kept.append({"name": name, "dir": dirname})
        _write_manifest(added, kept)
    for s in old:
        shutil.rmtree(added / s["dir"], ignore_errors=True)
    return bool(old)


def remove_source(name: str, *, cache_dir: Path | str | None = None) -> Source:
    """Remove the added dump ``name`` (as :func:`list_sources` names it).

    Raises
    ------
    GazetteerError
        No added source has that name.
    """
    root = Path(cache_dir) if cache_dir else default_cache_dir()
    added = root / _shards.ADDED_DIR
    listed = {s.name.lower(): s for s in list_sources(cache_dir=root) if s.kind == "dump"}
    found = listed.get(name.lower())
    if found is None:
        have = ", ".join(s.name for s in listed.values()) or "none"
        raise GazetteerError(f"no added gazetteer source named {name!r} (added: {have})")
    with _locked(added):
        sources = _shards.read_manifest(_shards.manifest_token(root))
        gone = [s for s in sources if s["name"].lower() == name.lower()]
        _write_manifest(added, [s for s in sources if s not in gone])
    for s in gone:
        shutil.rmtree(added / s["dir"], ignore_errors=True)
    return found


def sources_token(*, cache_dir: Path | str | None = None) -> str:
    """A string that changes whenever a dump is added or removed (a cache key)."""
    return _shards.manifest_token(Path(cache_dir) if cache_dir else default_cache_dir())


def list_sources(*, cache_dir: Path | str | None = None) -> list[Source]:
    """The gazetteer's sources: the built-in PyPI packages, then each added dump.

    Cheap: reads package metadata and small JSON files, never the index itself.
    """
    from geodata.gazetteer._build_sources import SOURCE_PACKAGES

    root = Path(cache_dir) if cache_dir else default_cache_dir()
    entries = None
    try:
        entries = json.loads((index_dir(root) / "meta.json").read_text("utf-8"))["entries"]
    except (OSError, ValueError, KeyError):
        pass  # not built yet
    out = []
    for pkg in SOURCE_PACKAGES:
        try:
            version = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            version = "missing"
        out.append(Source(name=pkg, kind="package", detail=version, entries=entries))
    for s in _shards.read_manifest(_shards.manifest_token(root)):
        try:
            meta = json.loads(
                (root / _shards.ADDED_DIR / s["dir"] / "meta.json").read_text("utf-8")
            )
        except (OSError, ValueError) as exc:
            meta = {"problem": f"unreadable ({exc})"}
        out.append(
            Source(
                name=s["name"],
                kind="dump",
                detail=meta.get("source", "?"),
                entries=meta.get("new_entries"),
                added=meta.get("added"),
                extra=meta,
            )
        )
    return out
