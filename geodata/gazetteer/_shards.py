"""Read side of added gazetteer sources: open a shard and merge shards into one gazetteer.

A shard is the compiled form of one GeoNames dump (see :mod:`geodata.gazetteer.added_sources`, which
writes it). It holds

* new entries, as compact columns (``*.npy``, memory-mapped while merging) and a text blob with
  each entry's name and alternates (``text.bin`` + ``text_off.npy``, read on demand);
* *links*: ids of base entries the dump knows under more names;
* name tries (``keys-NNN.marisa``, ``skel-NNN.marisa``; several when the dump is big, since a
  trie is built in memory) whose values are shard *slots*: a slot with :data:`LINK_BIT` set is
  ``links[slot & ~LINK_BIT]``, any other is new entry ``slot``.

Links are stored as ids, not table positions, so a shard stays valid when the base index is
rebuilt. :func:`merge` returns a :class:`~geodata.gazetteer.index.Gazetteer` whose first
``len(base)`` entries are the base's, in the same order, so base indices keep their meaning.
"""

from __future__ import annotations

import bisect
import json
import logging
import mmap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from geodata.errors import GazetteerError

__all__ = [
    "ADDED_DIR",
    "COLUMNS",
    "LINK_BIT",
    "MAX_PER_KIND",
    "SHARD_FORMAT",
    "Shard",
    "manifest_token",
    "merge",
    "read_manifest",
    "shard_dirs",
]

logger = logging.getLogger(__name__)

#: Version of the shard layout; a shard of another version is skipped with a warning.
SHARD_FORMAT = 1
#: Marks a trie value that points to a link (a base entry), not to a new entry.
LINK_BIT = 1 << 31
#: New entries of one kind a shard answers for one key at most, the most populous (capitals
#: first; on a tie the later row, as the resolver breaks ties). allCountries has hundreds of
#: zero-population "Mill Creek"s and "San José"s; the resolver keeps only its 12 best
#: candidates by prior, in which population and kind are what tells same-named dump entries
#: apart, so the others could never win but cost every lookup of the name.
MAX_PER_KIND = 12
#: Lookups remembered per merged trie: news repeats its words, and a miss asks every trie.
_CACHE_SIZE = 1 << 16
#: Split text rows of new entries remembered per shard (names are read for each candidate).
_TEXT_CACHE_SIZE = 1 << 16
#: Column files of a shard, with their dtype.
COLUMNS = {
    "gid": "u4",
    "lat": "f4",
    "lon": "f4",
    "pop": "u4",
    "kind": "u1",
    "cc": "u2",
    "a1": "u4",
    "capital": "u1",
}


#: Folder of the cache directory that holds added sources and their manifest.
ADDED_DIR = "added"
_MANIFEST = "manifest.json"


def manifest_token(root: Path) -> str:
    """The manifest's text (``""`` when nothing was ever added): a cheap key for caches.

    The manifest is replaced atomically, so its text names exactly the shards in use.
    """
    try:
        return (root / ADDED_DIR / _MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        logger.warning("cannot read the added-sources manifest under %s: %s", root, exc)
        return ""


def read_manifest(token: str) -> list[dict[str, Any]]:
    """The sources a manifest text lists, in the order they were added."""
    if not token:
        return []
    try:
        sources = json.loads(token)["sources"]
        return [s for s in sources if isinstance(s, dict) and "name" in s and "dir" in s]
    except (ValueError, KeyError, TypeError) as exc:
        logger.warning("the added-sources manifest is damaged (%s): ignoring it", exc)
        return []


def shard_dirs(root: Path, token: str) -> list[Path]:
    """The shard directories a manifest text lists."""
    return [root / ADDED_DIR / s["dir"] for s in read_manifest(token)]


class Shard:
    """One compiled dump, opened read-only (columns memory-mapped)."""

    def __init__(self, path: Path) -> None:
        import marisa_trie

        self.path = path
        try:
            self.meta: dict[str, Any] = json.loads((path / "meta.json").read_text("utf-8"))
            if self.meta.get("format") != SHARD_FORMAT:
                raise ValueError(f"shard format {self.meta.get('format')} != {SHARD_FORMAT}")
            strings = json.loads((path / "strings.json").read_text("utf-8"))
            self.cols = {name: np.load(path / f"{name}.npy", mmap_mode="r") for name in COLUMNS}
            # a memoryview answers item reads with plain ints, ~20x faster than a memmap
            self.text_off = memoryview(np.load(path / "text_off.npy", mmap_mode="r"))
            self.tries: list[tuple[Any, Any]] = []
            for i in range(int(self.meta["tries"])):
                keys = marisa_trie.RecordTrie("<I")
                keys.mmap(str(path / f"keys-{i:03d}.marisa"))
                skel = marisa_trie.RecordTrie("<I")
                skel.mmap(str(path / f"skel-{i:03d}.marisa"))
                self.tries.append((keys, skel))
        except (OSError, ValueError, KeyError) as exc:
            raise GazetteerError(
                f"the added gazetteer source at {path} is unreadable ({exc}); "
                "remove it with `python -m geodata gazetteer remove` and add it again"
            ) from exc
        self.cc_list: list[str] = strings["cc_list"]
        self.a1_list: list[str] = strings["a1_list"]
        self.links: list[str] = strings["links"]
        #: link slot (as a string, JSON keys) -> the names the dump adds to that base entry
        self.link_alternates: dict[str, list[str]] = strings["link_alternates"]
        self.common: dict[str, float] = strings.get("common", {})
        self._text: mmap.mmap | bytes | None = None
        self._rows: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self.cols["gid"])

    def text(self, i: int) -> list[str]:
        """Name then alternates of new entry ``i`` (the caller must not change the list)."""
        row = self._rows.get(i)
        if row is not None:
            return row
        if self._text is None:
            with open(self.path / "text.bin", "rb") as fh:
                size = fh.seek(0, 2)
                self._text = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        row = self._text[self.text_off[i] : self.text_off[i + 1]].decode("utf-8").split("\t")
        if len(self._rows) >= _TEXT_CACHE_SIZE:
            self._rows.clear()
        self._rows[i] = row
        return row


# ---------------------------------------------------------------------------------------------
# Merged views. Each answers for the base first, then for the shards, so the base keeps its
# behaviour; they hold references, not copies, of the shards' big columns.
# ---------------------------------------------------------------------------------------------


class _Segments:
    """Where each shard's new entries sit in the merged table."""

    def __init__(self, n_base: int, shards: Sequence[Shard]) -> None:
        self.n_base = n_base
        self.shards = list(shards)
        self.starts = np.cumsum([n_base] + [len(s) for s in shards])  # len(shards) + 1
        self._starts: list[int] = self.starts.tolist()  # bisect on ints: no numpy per call

    def locate(self, idx: int) -> tuple[Shard, int]:
        k = bisect.bisect_right(self._starts, idx) - 1
        if idx < self.n_base or k >= len(self.shards):
            raise IndexError(idx)
        return self.shards[k], idx - self._starts[k]


class _Merged(Sequence[str]):
    """A per-entry string column of a merged table: the base's values, then each shard's."""

    def __init__(self, base: Sequence[str], seg: _Segments, total: int) -> None:
        self._base, self._seg, self._total = base, seg, total

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, idx: int) -> str:  # type: ignore[override]
        if idx < 0:
            idx += self._total
        if idx < self._seg.n_base:
            return self._base[idx]
        shard, i = self._seg.locate(idx)
        return self._of(shard, i)

    def _of(self, shard: Shard, i: int) -> str:
        raise NotImplementedError


class _Ids(_Merged):
    def _of(self, shard: Shard, i: int) -> str:
        return f"gn:{int(shard.cols['gid'][i])}"


class _Names(_Merged):
    def _of(self, shard: Shard, i: int) -> str:
        return shard.text(i)[0]


class _Alternates:
    """``Gazetteer._alternates`` for a merged table: base alternates plus what dumps add."""

    def __init__(self, base: Any, seg: _Segments, extra: dict[int, tuple[str, ...]]) -> None:
        self._base, self._seg, self._extra = base, seg, extra
        self._total = int(seg.starts[-1])

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, idx: int) -> tuple[str, ...]:
        if idx < self._seg.n_base:
            return tuple(self._base.alternates(idx)) + self._extra.get(idx, ())
        shard, i = self._seg.locate(idx)
        return tuple(shard.text(i)[1:])

    def __setitem__(self, idx: int, value: object) -> None:
        """Ignored: ``Gazetteer.alternates`` caches split rows; ours are split already."""


class _IdIndex:
    """``Gazetteer._by_id`` for a merged table: base ids, then ``gn:<id>`` of new entries."""

    def __init__(self, base: dict[str, int], seg: _Segments, redirect: dict[int, int]) -> None:
        self._base, self._seg, self._redirect = base, seg, redirect
        self._sorted: list[tuple[np.ndarray, np.ndarray]] | None = None

    def _by_gid(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per shard, its gids sorted and the order that sorts them (on first use: sorting
        10 M ids takes a second, and most runs look places up by name only)."""
        if self._sorted is None:
            self._sorted = []
            for shard in self._seg.shards:
                gid = np.asarray(shard.cols["gid"])
                order = np.argsort(gid, kind="stable")
                self._sorted.append((gid[order], order))
        return self._sorted

    def get(self, entry_id: str, default: int | None = None) -> int | None:
        idx = self._base.get(entry_id)
        if idx is not None or not entry_id.startswith("gn:"):
            return default if idx is None else idx
        try:
            gid = int(entry_id[3:])
        except ValueError:
            return default
        for k, (gids, order) in enumerate(self._by_gid()):
            pos = int(np.searchsorted(gids, gid))
            if pos < len(gids) and int(gids[pos]) == gid:
                idx = int(self._seg.starts[k]) + int(order[pos])
                return self._redirect.get(idx, idx)
        return default


class _MergedTrie:
    """The name tries of the base and of every shard, answering as one ``RecordTrie``.

    A shard answers for a key with its links (base entries, all kept) and its new entries, at
    most :data:`MAX_PER_KIND` of each kind (see there), in row order. Answers are cached: a key
    costs a lookup in every trie of every shard, and articles ask for the same words again.
    """

    def __init__(
        self,
        base: Any,
        parts: list[tuple[list[Any], np.ndarray, int]],
        redirect: dict[int, int],
        rank: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> None:
        # parts, one per shard: (its tries, global index of each link slot (-1: gone), global
        # start of its new entries)
        # rank: the merged table's kind, population and capital columns, for the cap
        self._base = base
        self._parts = parts
        self._redirect = redirect
        self._rank = rank
        self._found: dict[str, list[tuple[int]]] = {}
        self._has: dict[str, bool] = {}

    def _translate(self, records, links: np.ndarray, start: int) -> Iterator[int]:
        for (slot,) in records:
            idx = int(links[slot & ~LINK_BIT]) if slot & LINK_BIT else start + slot
            if idx >= 0:
                yield self._redirect.get(idx, idx)

    def _shard_answer(self, records: list[tuple[int]], links: np.ndarray, start: int) -> list[int]:
        """Global indices of a shard's records for one key: links, then capped new entries."""
        linked = [(slot,) for (slot,) in records if slot & LINK_BIT]
        new = sorted(slot for (slot,) in records if not slot & LINK_BIT)
        if self._rank is not None and len(new) > MAX_PER_KIND:
            kind, pop, capital = self._rank
            idx = np.asarray(new, "i8") + start
            # per kind, capitals then the most populous, later rows first on a tie
            order = np.lexsort((idx, pop[idx], capital[idx], kind[idx]))[::-1]
            kinds = kind[idx][order]
            rank_in_kind = np.arange(len(order)) - np.searchsorted(-kinds, -kinds, side="left")
            keep = np.sort(order[rank_in_kind < MAX_PER_KIND])
            new = [new[i] for i in keep.tolist()]
        return list(self._translate(linked, links, start)) + list(
            self._translate([(slot,) for slot in new], links, start)
        )

    def get(self, key: str, default: Any = None) -> Any:
        found = self._found.get(key)
        if found is None:
            found = list(self._base.get(key, ()))
            seen = {r[0] for r in found}
            for tries, links, start in self._parts:
                records = [r for trie in tries for r in trie.get(key, ())]
                if records:
                    for idx in self._shard_answer(records, links, start):
                        if idx not in seen:
                            seen.add(idx)
                            found.append((idx,))
            if len(self._found) >= _CACHE_SIZE:
                self._found.clear()
            self._found[key] = found
        return list(found) or default

    def __contains__(self, key: str) -> bool:
        has = self._has.get(key)
        if has is None:
            has = key in self._base or any(
                key in trie for tries, _, _ in self._parts for trie in tries
            )
            if len(self._has) >= _CACHE_SIZE:
                self._has.clear()
            self._has[key] = has
        return has

    def items(self, prefix: str = "") -> Iterator[tuple[str, tuple[int]]]:
        """Keys starting with ``prefix`` and their entries, lazily: a short prefix matches
        millions of keys once a big dump is added, and callers stop early."""
        yield from self._base.items(prefix)
        for tries, links, start in self._parts:
            for trie in tries:
                for key, record in trie.iteritems(prefix):
                    for i in self._translate([record], links, start):
                        yield key, (i,)


def merge(base: Any, shards: Sequence[Shard]) -> Any:
    """One gazetteer of ``base`` (a :class:`~geodata.gazetteer.index.Gazetteer`) and ``shards``.

    Entries keep their base indices; each shard's new entries follow, in shard order. A place
    that several shards hold as new (a country file and ``allCountries``) is found once: the
    first holder answers for it.
    """
    n_base = len(base)
    seg = _Segments(n_base, shards)
    total = int(seg.starts[-1])
    cc_list, a1_list = list(base._cc_list), list(base._a1_list)
    cc_pos = {s: i for i, s in enumerate(cc_list)}
    a1_pos = {s: i for i, s in enumerate(a1_list)}

    def remap(values: list[str], pos: dict[str, int], out: list[str]) -> np.ndarray:
        table = np.zeros(max(len(values), 1), "i8")
        for i, s in enumerate(values):
            if s not in pos:
                pos[s] = len(out)
                out.append(s)
            table[i] = pos[s]
        return table

    cols: dict[str, list[np.ndarray]] = {
        k: [base_col]
        for k, base_col in (
            ("lat", base._lat),
            ("lon", base._lon),
            ("pop", base._pop),
            ("gid", base._gid),
            ("kind", base._kind),
            ("cc", base._cc),
            ("a1", base._a1),
            ("capital", base._capital),
        )
    }
    for shard in shards:
        for name in ("lat", "lon", "pop", "gid", "kind", "capital"):
            cols[name].append(np.asarray(shard.cols[name]))
        cols["cc"].append(remap(shard.cc_list, cc_pos, cc_list)[shard.cols["cc"]])
        cols["a1"].append(remap(shard.a1_list, a1_pos, a1_list)[shard.cols["a1"]])
    arrays = {
        name: np.concatenate(parts).astype(parts[0].dtype, copy=False)
        for name, parts in cols.items()
    }
    if len(a1_list) >= 2**32 or len(cc_list) >= 2**16:  # pragma: no cover - far beyond GeoNames
        raise GazetteerError("too many distinct countries or admin-1 names to index")

    # a place already in the base or an earlier shard is answered by that holder
    redirect: dict[int, int] = {}
    holder = {int(g): i for i, g in enumerate(base._gid.tolist()) if g}
    for k, shard in enumerate(shards):
        gid = np.asarray(shard.cols["gid"])
        seen = np.fromiter(holder.keys(), "i8", len(holder))
        dup = np.flatnonzero(np.isin(gid, seen))
        start = int(seg.starts[k])
        for i in dup.tolist():
            redirect[start + i] = holder[int(gid[i])]
        if k + 1 < len(shards):  # the last shard's gids are never looked up here
            holder.update((int(g), start + i) for i, g in enumerate(gid.tolist()))

    extra: dict[int, tuple[str, ...]] = {}
    parts_keys, parts_skel = [], []
    common = dict(base.common_words)
    for k, shard in enumerate(shards):
        links = np.array([base._by_id.get(x, -1) for x in shard.links] or [0], "i8")
        links = links[: len(shard.links)]
        gone = int((links < 0).sum())
        if gone:
            logger.warning("%s: %d linked base entries no longer exist", shard.path, gone)
        for slot, names in shard.link_alternates.items():
            idx = int(links[int(slot)])
            if idx >= 0:
                extra[idx] = extra.get(idx, ()) + tuple(
                    n for n in names if n not in extra.get(idx, ())
                )
        start = int(seg.starts[k])
        parts_keys.append(([keys for keys, _ in shard.tries], links, start))
        parts_skel.append(([skel for _, skel in shard.tries], links, start))
        for word, zipf in shard.common.items():
            common.setdefault(word, zipf)

    rank = (arrays["kind"], arrays["pop"], arrays["capital"])
    gaz = type(base)(  # the base's class: this module does not import the index's
        arrays=arrays,
        strings={
            "ids": _Ids(base._ids, seg, total),
            "names": _Names(base._names, seg, total),
            "cc_list": cc_list,
            "a1_list": a1_list,
        },
        keys=_MergedTrie(base._keys, parts_keys, redirect, rank),
        skeletons=_MergedTrie(base._skeletons, parts_skel, redirect, rank),
        demonyms=base._demonyms,
        qualifiers=base._qualifiers,
        alternates=_Alternates(base, seg, extra),  # type: ignore[arg-type]
        common=common,
        given_names=base.given_names,
        english_given_names=base.english_given_names,
        english_words=base.english_words,
        id_index=_IdIndex(base._by_id, seg, redirect),
    )
    # a dump's "country" rows (territories, sections) never displace the base's countries
    gaz._country_index = dict(base._country_index) | {
        cc: idx for cc, idx in gaz._country_index.items() if cc not in base._country_index
    }
    gaz.sources = [dict(s.meta) for s in shards]
    return gaz
