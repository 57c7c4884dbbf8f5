"""Input readers: files, uploads and standard input → records for :func:`extract.extract_article`.

Every reader yields plain ``dict`` records::

    {"id": str, "text": str, "source": str, "line": int | None,
     "published": str?, "title": str?, "url": str?, "mentions": [{"start", "end"}, ...]?}

``source`` and ``line`` say where the record came from, for error messages. Optional keys are
present only when the input gives them.

Supported inputs, chosen by file extension (case-insensitive):

``.txt``, ``.md``
    The whole file is one document; its id is the file stem.
``.html``, ``.htm``
    One document; boilerplate is removed with trafilatura, which also supplies the title, date and
    URL when the page has them. A stdlib HTML-to-text conversion is used when trafilatura finds
    nothing (or is not installed).
``.jsonl``
    One JSON object per line with at least ``"text"``. A bad line is reported (with its line
    number) and skipped; the other lines are still read.
``-``
    Standard input: JSON Lines when its first non-empty line is a JSON object, otherwise one plain
    text document.

:func:`read_sources` (used by ``python -m extract parse`` and ``ingest``) also reads collections
(see :mod:`extract.sources._formats` and :data:`FORMATS`):

``.csv``, ``.tsv``
    A table with a header row, one document per row; the column names are set with
    :class:`ReadOptions` (defaults ``text``, ``published``, ``title``, ``url``, ``id``).
``.xml``, ``.rss``, ``.atom``
    A feed, one document per item, read by :func:`extract.sources.feeds.parse_feed`
    (feedparser behind a defusedxml safety check; a JSON Feed is read too). A truncated or
    malformed feed gives the items that could be recovered, and its problem is reported.
``.zip``
    An archive of any of these (not of other archives), read in memory with size caps.
a folder
    Every file with a known extension below it (recursively; hidden files are skipped).

Records from feeds carry ``"item"`` (1-based item number); :func:`describe` formats a record's
origin for messages.

Unusable input raises :class:`geodata.errors.InputError` naming the input and, where it makes
sense, the line.

Limits, so that no input crashes or hangs a run (each is refused with a message saying what to
do, never truncated silently):

* one document: :data:`MAX_DOCUMENT_CHARS` characters (500,000, about 80,000 words). Place
  resolution is quadratic in the number of place names: a 500,000-character article takes
  seconds, a 10 MB one would take hours, so it is refused at once ("split it into articles");
  in a JSONL, CSV or feed only that record is refused, the others are read;
* one HTML page: :data:`MAX_HTML_CHARS`; above 1 MiB its visible text is measured (quickly)
  before trafilatura runs, so a book-length page is refused in a second;
* one file or standard input: ``ReadOptions.max_file_bytes`` (512 MiB), read a chunk at a time;
* zip archives: see :mod:`extract.sources._zip` (never written to disk; sizes capped);
* :func:`fetch_url`: http(s) only, a deadline for the whole download, a size cap.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from extract.errors import InputError
from extract.sources._fetch import FETCH_TIMEOUT, MAX_FETCH_BYTES, Fetched, fetch_url, human_size
from extract.sources._formats import (
    MAX_DOCUMENT_CHARS,
    ReadOptions,
    check_text,
    read_csv,
    read_jsonl,
    validate_published,
)
from extract.sources._html import html_to_text, trafilatura_extract
from extract.sources._zip import iter_zip
from extract.sources.feeds import parse_feed

__all__ = [
    "FORMATS",
    "FETCH_TIMEOUT",
    "MAX_DOCUMENT_CHARS",
    "MAX_FEED_FILE_ITEMS",
    "MAX_FETCH_BYTES",
    "MAX_HTML_CHARS",
    "STDIN",
    "SUFFIXES",
    "ErrorHandler",
    "ReadOptions",
    "decode_bytes",
    "describe",
    "fetch_url",
    "Fetched",
    "html_to_text",
    "read_any",
    "read_source",
    "read_sources",
    "validate_published",
]

logger = logging.getLogger(__name__)

#: The input name that means standard input.
STDIN = "-"
#: File extensions of text and JSON Lines input, by format (:data:`FORMATS` adds the rest).
SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}
#: Every file extension understood by :func:`read_sources`, by format.
FORMATS: dict[str, str] = {
    **SUFFIXES,
    ".csv": "csv",
    ".tsv": "tsv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".zip": "zip",
}
#: Called with each recoverable, per-record error (the record is skipped).
ErrorHandler = Callable[[InputError], None]

#: Largest HTML page read, in characters (pages saved with their images inlined can be large).
MAX_HTML_CHARS = 64 * 1024 * 1024
#: Most items read from one feed file (a feed on the web has tens; a file may be an archive of
#: years); the rest is reported, not read.
MAX_FEED_FILE_ITEMS = 100_000

_STDIN_NAME = "<stdin>"
_CHUNK = 1024 * 1024
# Above this size, a page's visible text is measured (quickly) before trafilatura runs on it.
_HTML_PRECHECK_CHARS = 1024 * 1024
_MAX_TITLE = 200
# C0 control characters other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, *, source: str) -> str:
    """Decode a text file's bytes.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are accepted;
    Windows-1252 is the fallback, used only when it decodes cleanly (no undefined bytes, no control
    characters).

    Parameters
    ----------
    data
        The raw bytes.
    source
        The input's name, for messages.

    Raises
    ------
    InputError
        For binary data (NUL bytes) and bytes that no accepted encoding decodes.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError("UTF-32 text is not supported; save it as UTF-8", source=source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                "cannot decode: starts with a UTF-16 byte-order mark but is not valid UTF-16",
                source=source,
            ) from None
    else:
        if b"\x00" in data:
            hint = (
                ": it looks like UTF-16 text without a byte-order mark; save it as UTF-8"
                if _looks_utf16(data)
                else "; expected text"
            )
            raise InputError(
                f"binary file (contains NUL bytes){hint}", source=source, line=_line_of(data)
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = _decode_cp1252(data, exc, source=source)
    if "\x00" in text:
        raise InputError("binary file (contains NUL characters); expected text", source=source)
    return text


def read_sources(
    inputs: Iterable[str | Path],
    *,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[dict[str, Any]]:
    """Read several inputs of any supported kind in turn; see :func:`read_source`.

    With ``on_error``, an input that cannot be read at all is reported to it and skipped too.
    """
    for name in inputs:
        try:
            yield from read_source(name, options=options, stdin=stdin, on_error=on_error)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)


def read_source(
    name: str | Path,
    *,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[dict[str, Any]]:
    """Read one input: a file in any format of :data:`FORMATS`, a folder, or ``"-"``.

    Parameters
    ----------
    name
        A path, or ``"-"`` for standard input (JSON Lines or one text document).
    options
        CSV column names and zip limits; the defaults of :class:`ReadOptions` when omitted.
    stdin
        Binary stream read for ``"-"``; ``sys.stdin.buffer`` by default.
    on_error
        Receives each bad record (line, row, feed item, zip member) or unreadable file in a
        folder, which is then skipped. Without it, the first one raises.

    Raises
    ------
    InputError
        When the input as a whole cannot be used (missing, unsupported, empty folder, not a
        feed, unsafe archive...).
    """
    options = options or ReadOptions()
    if str(name) == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = _read_stream(stream, options.max_file_bytes)
        yield from _read_stdin(data, on_error=on_error)
        return
    path = Path(name)
    source = str(name)
    if path.is_dir():
        yield from _read_folder(path, options=options, on_error=on_error)
        return
    if not path.exists():
        raise InputError("no such file", source=source)
    _format_of(source, FORMATS)
    data = _read_file(path, options.max_file_bytes)
    yield from read_any(data, name=source, options=options, on_error=on_error)


def read_any(
    data: bytes,
    *,
    name: str,
    options: ReadOptions | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[dict[str, Any]]:
    """Read the content of a file called ``name`` in any format of :data:`FORMATS`.

    Its extension gives the format (:data:`FORMATS`: text, HTML, JSON Lines, tables, feeds and
    zip archives); see :func:`read_source`.
    """
    options = options or ReadOptions()
    fmt = _format_of(name, FORMATS)
    stem = PurePosixPath(name.rsplit("!", 1)[-1].replace("\\", "/")).stem or name
    if fmt == "zip":
        members = frozenset(s for s, f in FORMATS.items() if f != "zip")
        found = reported = False

        def member_error(exc: InputError) -> None:
            nonlocal reported
            reported = True
            assert on_error is not None  # iter_zip raises instead when there is no handler
            on_error(exc)

        for member, content in iter_zip(
            data,
            source=name,
            suffixes=members,
            options=options,
            on_error=member_error if on_error is not None else None,
        ):
            found = True
            try:
                yield from read_any(
                    content, name=f"{name}!{member}", options=options, on_error=on_error
                )
            except InputError as exc:
                if on_error is None:
                    raise
                on_error(exc)
        if not found and not reported:
            raise InputError(f"no readable files in the archive ({_known()})", source=name)
    elif fmt == "feed":
        if not data.strip():
            raise InputError("empty file", source=name)
        yield from _read_feed(data, source=name, on_error=on_error)
    elif fmt in ("csv", "tsv"):
        text = decode_bytes(data, source=name)
        yield from read_csv(
            text,
            source=name,
            stem=stem,
            options=options,
            on_error=on_error,
            delimiter="\t" if fmt == "tsv" else ",",
        )
    else:
        text = decode_bytes(data, source=name)
        if fmt == "jsonl":
            yield from read_jsonl(text, source=name, stem=stem, on_error=on_error)
        elif fmt == "html":
            yield _read_html(text, source=name, doc_id=stem)
        else:
            yield _text_record(text, source=name, doc_id=stem)


def describe(record: dict[str, Any]) -> str:
    """Where a record came from, for messages: ``file:line``, ``file: item 3`` or ``file``."""
    where = str(record.get("source") or "?")
    if record.get("line"):
        return f"{where}:{record['line']}"
    if record.get("item"):
        return f"{where}: item {record['item']}"
    return where


def _too_big(size: int, limit: int, *, source: str) -> InputError:
    return InputError(
        f"too large: {human_size(size)}, more than the limit of {human_size(limit)} for one input;"
        " split it into several files (a folder of files is read as one input)",
        source=source,
    )


def _read_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, refused when over ``limit`` (checked before reading too)."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise _too_big(size, limit, source=source)
        with path.open("rb") as stream:
            data = stream.read(size + 1)
            if len(data) > size:  # growing, or not a regular file (a FIFO, /dev/zero...)
                data = _read_capped(stream, limit, source=source, first=data)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    return data


def _read_stream(stream: BinaryIO, limit: int) -> bytes:
    return _read_capped(stream, limit, source=_STDIN_NAME)


def _read_capped(stream: BinaryIO, limit: int, *, source: str, first: bytes = b"") -> bytes:
    """The rest of ``stream`` after ``first``, read a chunk at a time up to ``limit`` bytes."""
    data = bytearray(first)
    while len(data) <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - len(data)))
        if not chunk:
            return bytes(data)
        data += chunk
    raise InputError(
        f"too large: more than the limit of {human_size(limit)} for one input;"
        " split it into several files",
        source=source,
    )


def _known() -> str:
    return ", ".join(s for s in FORMATS if s != ".zip")


def _read_folder(
    folder: Path, *, options: ReadOptions, on_error: ErrorHandler | None
) -> Iterator[dict[str, Any]]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):  # does not follow symlinked folders
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(
            Path(root, n)
            for n in names
            if not n.startswith(".") and Path(n).suffix.lower() in FORMATS
        )
    if not files:
        raise InputError(f"no readable files in the folder ({_known()}, .zip)", source=str(folder))
    for path in sorted(files):
        try:
            yield from read_source(path, options=options, on_error=on_error)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)


def _format_of(name: str, formats: dict[str, str] = SUFFIXES) -> str:
    suffix = Path(name).suffix.lower()
    try:
        return formats[suffix]
    except KeyError:
        kind = f"file type {suffix!r}" if suffix else "file without an extension"
        known = list(formats)
        raise InputError(
            f"unsupported {kind}; expected {', '.join(known[:-1])} or {known[-1]}"
            " (or - for standard input)",
            source=name,
        ) from None


def _line_of(data: bytes, offset: int | None = None) -> int:
    if offset is None:
        offset = data.find(b"\x00")
    return data.count(b"\n", 0, max(offset, 0)) + 1


def _looks_utf16(data: bytes) -> bool:
    """Whether ``data`` is mostly ASCII-range UTF-16 (one byte of every two is NUL)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return False
    half = len(sample) // 2
    return max(sample[0::2].count(0), sample[1::2].count(0)) >= 0.9 * half


def _decode_cp1252(data: bytes, utf8_error: UnicodeDecodeError, *, source: str) -> str:
    line = _line_of(data, utf8_error.start)
    bad = data[utf8_error.start]
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or _CONTROL_RE.search(text):
        raise InputError(
            f"cannot decode: not UTF-8 (invalid byte 0x{bad:02x}) and not Windows-1252 text;"
            " save the file as UTF-8",
            source=source,
            line=line,
        )
    logger.warning("%s:%d: not valid UTF-8; decoded as Windows-1252", source, line)
    return text


def _first_line_title(text: str) -> str | None:
    for raw in text.splitlines():
        line = raw.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= _MAX_TITLE else None
    return None


def _text_record(text: str, *, source: str, doc_id: str) -> dict[str, Any]:
    text = check_text(text, source=source, what="the file")
    record: dict[str, Any] = {
        "id": doc_id,
        "text": text,
        "source": source,
        "line": None,
    }
    title = _first_line_title(text)
    if title:
        record["title"] = title
    return record


def _read_stdin(data: bytes, *, on_error: ErrorHandler | None) -> Iterator[dict[str, Any]]:
    text = decode_bytes(data, source=_STDIN_NAME)
    if not text.strip():
        raise InputError("no input on standard input", source=_STDIN_NAME)
    first = next(line for line in text.split("\n") if line.strip())
    try:
        looks_jsonl = isinstance(json.loads(first), dict)
    except ValueError:
        looks_jsonl = False
    if looks_jsonl:
        yield from read_jsonl(text, source=_STDIN_NAME, stem="stdin", on_error=on_error)
    else:
        yield _text_record(text, source=_STDIN_NAME, doc_id="stdin")


def _read_feed(
    data: bytes, *, source: str, on_error: ErrorHandler | None
) -> Iterator[dict[str, Any]]:
    """Records from a feed file, one per item with text; see :mod:`extract.sources.feeds`.

    An item's id is its feed key (GUID, else canonical link, else a content hash) and its
    ``url`` its absolute http(s) link. An item without text, or too long, is reported and
    skipped; so is, after the items, each problem of the feed (truncated, malformed, too many
    items, repeated ids).
    """
    feed = parse_feed(data, source=source, max_items=MAX_FEED_FILE_ITEMS)
    if not feed.items and not feed.problems:
        raise InputError("no items in the feed", source=source)
    for item in feed.items:
        where = f"item {item.index}" + (f" ({item.title[:60]!r})" if item.title else "")
        try:
            if not item.text:
                raise InputError(f"{where}: no description or content", source=source)
            text = check_text(item.text, source=f"{source}: {where}", what="the item")
        except InputError as exc:
            _report(exc, on_error)
            continue
        record: dict[str, Any] = {
            "id": item.key,
            "text": text,
            "source": source,
            "line": None,
            "item": item.index,
        }
        if item.title:
            record["title"] = item.title
        if item.link:
            record["url"] = item.link
        if item.published:
            record["published"] = item.published.isoformat()
        yield record
    for problem in feed.problems:
        _report(InputError(problem, source=source), on_error)


def _report(exc: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise exc
    on_error(exc)


def _read_html(html: str, *, source: str, doc_id: str) -> dict[str, Any]:
    if len(html) > MAX_HTML_CHARS:
        raise InputError(
            f"web page too large: {len(html):,} characters of HTML, more than the limit of"
            f" {MAX_HTML_CHARS:,}",
            source=source,
        )
    fallback = None
    if len(html) > _HTML_PRECHECK_CHARS:  # refuse a book-length page before trafilatura reads it
        fallback = html_to_text(html)
        if len(fallback["text"] or "") > MAX_DOCUMENT_CHARS:
            check_text(fallback["text"] or "", source=source, what="the page")
    meta = trafilatura_extract(html, source=source)
    if meta is None or not (meta.get("text") or "").strip():
        logger.debug("%s: trafilatura found no main text; using plain HTML-to-text", source)
        fallback = fallback or html_to_text(html)
        meta = {k: (meta or {}).get(k) or v for k, v in fallback.items()}
        meta["text"] = fallback["text"]
    text = meta.get("text") or ""
    if not text.strip():
        raise InputError("empty document (the page has no text)", source=source)
    text = check_text(text, source=source, what="the page")
    record: dict[str, Any] = {
        "id": doc_id,
        "text": text,
        "source": source,
        "line": None,
    }
    try:
        published = validate_published(meta.get("published"), source=source)
    except InputError:
        logger.debug("%s: ignoring page date %r", source, meta.get("published"))
        published = None
    if published:
        record["published"] = published
    for key in ("title", "url"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            record[key] = value.strip()
    return record
