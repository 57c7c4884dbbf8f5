"""Safe reading of zip archives for :mod:`extract.sources.readers`: in memory, with caps on the
number of entries and on declared and actual uncompressed sizes, and no path traversal."""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from extract.sources._formats import ReadOptions
from geodata.errors import InputError

__all__ = ["iter_zip"]

logger = logging.getLogger(__name__)

_ErrorHandler = Callable[[InputError], None]
_SKIP_MEMBER = re.compile(r"(?:^|/)(?:__MACOSX|\.[^/]*)(?:/|$)")


def iter_zip(
    data: bytes,
    *,
    source: str,
    suffixes: frozenset[str] | set[str],
    options: ReadOptions,
    on_error: _ErrorHandler | None,
) -> Iterator[tuple[str, bytes]]:
    """The members of a zip archive worth reading, as ``(member name, bytes)``, in archive order.

    The archive is checked before anything is read; it is refused as a whole when a member name
    is absolute or climbs out with ``..``, when it has more than ``options.max_zip_members``
    entries, or when the declared uncompressed sizes exceed ``options.max_zip_member_bytes`` for
    one member or ``options.max_zip_bytes`` in total (the sizes actually decompressed are
    capped too). Directories, hidden files, ``__MACOSX`` entries and members whose extension is
    not in ``suffixes`` are skipped; nested archives and encrypted members are reported.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise InputError(f"not a valid zip archive ({exc})", source=source) from None
    infos = archive.infolist()
    if len(infos) > options.max_zip_members:
        raise InputError(
            f"the archive has {len(infos)} entries, more than the limit of"
            f" {options.max_zip_members}; refusing it (possible zip bomb)",
            source=source,
        )
    for info in infos:
        if _unsafe_name(info.filename):
            raise InputError(
                f"unsafe member name {info.filename!r} (absolute path or '..');"
                " refusing the archive",
                source=source,
            )
        if info.file_size > options.max_zip_member_bytes:
            raise InputError(
                f"member {info.filename!r} declares {info.file_size:,} bytes uncompressed, more"
                f" than the limit of {options.max_zip_member_bytes:,}; refusing the archive"
                " (possible zip bomb)",
                source=source,
            )
    declared = sum(info.file_size for info in infos)
    if declared > options.max_zip_bytes:
        raise InputError(
            f"the members declare {declared:,} bytes uncompressed, more than the limit of"
            f" {options.max_zip_bytes:,}; refusing the archive (possible zip bomb)",
            source=source,
        )
    budget = options.max_zip_bytes
    for info in infos:
        name = info.filename
        member = f"{source}!{name}"
        if info.is_dir() or _SKIP_MEMBER.search(name):
            continue
        suffix = PurePosixPath(name).suffix.lower()
        if suffix == ".zip":
            _report(InputError("nested zip archives are not read", source=member), on_error)
            continue
        if suffix not in suffixes:
            logger.debug("%s: skipping member with unsupported extension", member)
            continue
        if info.flag_bits & 0x1:
            _report(InputError("encrypted member; cannot read it", source=member), on_error)
            continue
        limit = min(options.max_zip_member_bytes, budget)
        try:
            content = _read_member(archive, info, limit=limit, source=member)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            _report(InputError(f"cannot decompress: {exc}", source=member), on_error)
            continue
        budget -= len(content)
        yield name, content


def _unsafe_name(name: str) -> bool:
    normal = name.replace("\\", "/")
    if "\x00" in normal or normal.startswith("/") or re.match(r"[A-Za-z]:", normal):
        return True
    return ".." in normal.split("/")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int, source: str):
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise InputError(
                    f"expands beyond {limit:,} bytes; refusing the archive (possible zip bomb)",
                    source=source,
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _report(exc: InputError, on_error: _ErrorHandler | None) -> None:
    if on_error is None:
        raise exc
    on_error(exc)
