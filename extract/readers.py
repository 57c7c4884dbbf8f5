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
(see :mod:`extract._formats` and :data:`FORMATS`):

``.csv``, ``.tsv``
    A table with a header row, one document per row; the column names are set with
    :class:`ReadOptions` (defaults ``text``, ``published``, ``title``, ``url``, ``id``).
``.xml``, ``.rss``, ``.atom``
    An RSS or Atom feed, one document per item (parsed with defusedxml).
``.zip``
    An archive of any of these (not of other archives), read in memory with size caps.
a folder
    Every file with a known extension below it (recursively; hidden files are skipped).

Records from feeds carry ``"item"`` (1-based item number); :func:`describe` formats a record's
origin for messages.

Unusable input raises :class:`geodata.errors.InputError` naming the input and, where it makes
sense, the line.
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

from extract._formats import ReadOptions, read_csv, read_feed, read_jsonl, validate_published
from extract._html import html_to_text, trafilatura_extract
from extract._zip import iter_zip
from extract.errors import InputError

__all__ = [
    "FORMATS",
    "STDIN",
    "SUFFIXES",
    "ErrorHandler",
    "ReadOptions",
    "decode_bytes",
    "describe",
    "html_to_text",
    "read_any",
    "read_bytes",
    "read_input",
    "read_inputs",
    "read_source",
    "read_sources",
    "validate_published",
]

logger = logging.getLogger(__name__)

#: The input name that means standard input.
STDIN = "-"
#: File extensions understood by :func:`read_input`, by format.
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

_STDIN_NAME = "<stdin>"
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
            raise InputError(
                "binary file (contains NUL bytes); expected text",
                source=source,
                line=_line_of(data),
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = _decode_cp1252(data, exc, source=source)
    if "\x00" in text:
        raise InputError("binary file (contains NUL characters); expected text", source=source)
    return text


def read_inputs(
    inputs: Iterable[str | Path],
    *,
    stdin: BinaryIO | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[dict[str, Any]]:
    """Read several inputs in turn; see :func:`read_input`.

    With ``on_error``, an input that cannot be read at all is reported to it and skipped too.
    """
    for name in inputs:
        try:
            yield from read_input(name, stdin=stdin, on_error=on_error)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)


def read_input(
    name: str | Path,
    *,
    stdin: BinaryIO | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[dict[str, Any]]:
    """Read one input: a file path, or ``"-"`` for standard input.

    Parameters
    ----------
    name
        A path with a supported extension (see :data:`SUFFIXES`), or ``"-"``.
    stdin
        Binary stream read for ``"-"``; ``sys.stdin.buffer`` by default.
    on_error
        Receives the error of each bad JSONL line, which is then skipped. Without it, the first
        bad line raises.

    Yields
    ------
    dict
        Records (see the module docstring).

    Raises
    ------
    InputError
        When the input as a whole cannot be used: missing, unreadable, unsupported extension,
        binary, undecodable or empty.
    """
    if str(name) == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _read_stdin(stream.read(), on_error=on_error)
        return
    path = Path(name)
    source = str(name)
    if not path.exists():
        raise InputError("no such file", source=source)
    if path.is_dir():
        raise InputError("is a directory, not a file", source=source)
    _format_of(source)  # unsupported extension: fail before reading
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    yield from read_bytes(data, name=source, on_error=on_error)


def read_bytes(
    data: bytes, *, name: str, on_error: ErrorHandler | None = None
) -> Iterator[dict[str, Any]]:
    """Read the content of a file called ``name`` (an upload); its extension gives the format.

    Parameters
    ----------
    data
        The file's bytes.
    name
        Its name: the extension chooses the format, the stem is the default id.
    on_error
        As in :func:`read_input`.
    """
    fmt = _format_of(name)
    text = decode_bytes(data, source=name)
    stem = Path(name).stem or name
    if fmt == "jsonl":
        yield from read_jsonl(text, source=name, stem=stem, on_error=on_error)
    elif fmt == "html":
        yield _read_html(text, source=name, doc_id=stem)
    else:
        yield _text_record(text, source=name, doc_id=stem)


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
    if str(name) == STDIN:
        yield from read_input(name, stdin=stdin, on_error=on_error)
        return
    options = options or ReadOptions()
    path = Path(name)
    source = str(name)
    if path.is_dir():
        yield from _read_folder(path, options=options, on_error=on_error)
        return
    if not path.exists():
        raise InputError("no such file", source=source)
    _format_of(source, FORMATS)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    yield from read_any(data, name=source, options=options, on_error=on_error)


def read_any(
    data: bytes,
    *,
    name: str,
    options: ReadOptions | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[dict[str, Any]]:
    """Read the content of a file called ``name`` in any format of :data:`FORMATS`.

    Like :func:`read_bytes` (which knows only :data:`SUFFIXES`), plus tables, feeds and zip
    archives; see :func:`read_source`.
    """
    options = options or ReadOptions()
    fmt = _format_of(name, FORMATS)
    stem = PurePosixPath(name.rsplit("!", 1)[-1].replace("\\", "/")).stem or name
    if fmt == "zip":
        members = frozenset(s for s, f in FORMATS.items() if f != "zip")
        found = False
        for member, content in iter_zip(
            data, source=name, suffixes=members, options=options, on_error=on_error
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
        if not found:
            raise InputError(f"no readable files in the archive ({_known()})", source=name)
    elif fmt == "feed":
        if not data.strip():
            raise InputError("empty file", source=name)
        yield from read_feed(
            data, source=name, stem=stem, on_error=on_error, html_to_text=html_to_text
        )
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
    if not text.strip():
        raise InputError("empty document (no text)", source=source)
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


def _read_html(html: str, *, source: str, doc_id: str) -> dict[str, Any]:
    meta = trafilatura_extract(html, source=source)
    if meta is None or not (meta.get("text") or "").strip():
        logger.debug("%s: trafilatura found no main text; using plain HTML-to-text", source)
        fallback = html_to_text(html)
        meta = {k: (meta or {}).get(k) or v for k, v in fallback.items()}
        meta["text"] = fallback["text"]
    text = meta.get("text") or ""
    if not text.strip():
        raise InputError("empty document (the page has no text)", source=source)
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
