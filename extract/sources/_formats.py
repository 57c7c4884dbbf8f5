"""Record formats for :mod:`extract.sources.readers`: JSON Lines and CSV/TSV tables (feeds are
read by :mod:`extract.sources.feeds`).

Each parser turns one file's content into records (see :mod:`extract.sources.readers`) and reports
a bad record to ``on_error`` (which then skips it) or, without ``on_error``, raises it. A problem
with the file as a whole raises :class:`geodata.errors.InputError`.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from geodata.dates import iso_date
from geodata.errors import InputError

__all__ = [
    "MAX_DOCUMENT_CHARS",
    "ReadOptions",
    "check_text",
    "clean_string",
    "parse_date",
    "read_csv",
    "read_jsonl",
    "validate_published",
]

logger = logging.getLogger(__name__)

_ErrorHandler = Callable[[InputError], None]

_MiB = 1024 * 1024
#: Longest document accepted, in characters (about 80,000 words; a long news feature has fewer
#: than 20,000). Place resolution slows down quadratically with the number of place names, so a
#: 10 MB "article" would take hours: it is refused with a message asking to split it.
MAX_DOCUMENT_CHARS = 500_000
_CSV_FIELD_LIMIT = 64 * _MiB  # the csv module's default (128 KiB) is below a long article
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Characters that are not text: NUL and the zero-width ones (with the byte-order mark) that
# make a document look non-empty.
_INVISIBLE_RE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]*")


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How collection inputs are read.

    Parameters
    ----------
    text_column, date_column, title_column, url_column, id_column
        CSV column names. ``None`` means the default name (``text``, ``published``, ``title``,
        ``url``, ``id``), which may be absent except for ``text``; a column named explicitly
        must exist.
    max_zip_bytes
        Cap on the total uncompressed size of a zip archive's members.
    max_zip_member_bytes
        Cap on one member's uncompressed size.
    max_zip_members
        Cap on the number of entries in a zip archive.
    max_file_bytes
        Cap on the size of one input file (or standard input), read into memory whole.
    """

    text_column: str | None = None
    date_column: str | None = None
    title_column: str | None = None
    url_column: str | None = None
    id_column: str | None = None
    max_zip_bytes: int = 512 * _MiB
    max_zip_member_bytes: int = 128 * _MiB
    max_zip_members: int = 10_000
    max_file_bytes: int = 512 * _MiB


def check_text(
    text: str, *, source: str | None, line: int | None = None, what: str = "the text"
) -> str:
    """A document's text, checked: not blank, not longer than :data:`MAX_DOCUMENT_CHARS`.

    Lone UTF-16 surrogates (which JSON escapes such as ``"\\ud800"`` can produce, and which no
    file or database can store) are replaced by U+FFFD, so offsets are unchanged.

    Parameters
    ----------
    text
        The text.
    source, line
        Where it came from, for messages.
    what
        What the text is, for the "empty document" message (e.g. ``'"text"'``).

    Raises
    ------
    InputError
        If the text is blank (only whitespace or zero-width characters) or too long.
    """
    if _INVISIBLE_RE.fullmatch(text):
        raise InputError(f"empty document ({what} is blank)", source=source, line=line)
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(
            f"document too long: {len(text):,} characters, more than the limit of"
            f" {MAX_DOCUMENT_CHARS:,} (about 80,000 words); split it into articles",
            source=source,
            line=line,
        )
    return clean_string(text, source=source, line=line)


def clean_string(value: str, *, source: str | None, line: int | None = None) -> str:
    """``value`` with lone UTF-16 surrogates replaced by U+FFFD (logged as a warning)."""
    if not _SURROGATE_RE.search(value):
        return value
    where = f"{source}:{line}" if line else str(source)
    logger.warning("%s: invalid character (lone UTF-16 surrogate) replaced by U+FFFD", where)
    return _SURROGATE_RE.sub("\ufffd", value)


def validate_published(
    value: Any, *, source: str | None = None, line: int | None = None
) -> str | None:
    """Check a publication date.

    Parameters
    ----------
    value
        ``None``, ``""`` (both mean unknown) or a ``YYYY-MM-DD`` string.
    source, line
        Where the value came from, for the error message.

    Returns
    -------
    str or None
        The date, unchanged, or ``None`` when unknown.

    Raises
    ------
    InputError
        If ``value`` is not a valid calendar date written ``YYYY-MM-DD``.
    """
    parsed = iso_date(value, what="published date", source=source, line=line)
    return None if parsed is None else parsed.isoformat()


def parse_date(value: Any, *, source: str | None = None, line: int | None = None) -> str | None:
    """A publication date as ``YYYY-MM-DD``.

    Accepts ``YYYY-MM-DD``, an ISO 8601 timestamp (its date part is kept) and RFC 822 dates
    (``Tue, 05 Nov 2024 10:00:00 GMT``, as in RSS). ``None`` and blank mean unknown.

    Raises
    ------
    InputError
        For anything else.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            day = iso_date(text, timestamp=True)
        except InputError:  # not ISO: an RFC 822 date, as feeds write them
            try:
                parsed: datetime | None = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                parsed = None
            if parsed is not None:
                return parsed.date().isoformat()
        else:
            return None if day is None else day.isoformat()
    raise InputError(
        f"invalid date {value!r}: expected YYYY-MM-DD, an ISO 8601 timestamp or an RFC 822 date",
        source=source,
        line=line,
    )


# --- JSON Lines ---------------------------------------------------------------------------


def read_jsonl(
    text: str, *, source: str, stem: str, on_error: _ErrorHandler | None
) -> Iterator[dict[str, Any]]:
    """Records from JSON Lines: one object per line with at least ``"text"``."""
    n_lines = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        n_lines += 1
        try:
            yield _jsonl_record(raw, source=source, line=lineno, default_id=f"{stem}-{lineno}")
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
    if n_lines == 0:
        raise InputError("no records (the file has only blank lines)", source=source)


def _jsonl_record(raw: str, *, source: str, line: int, default_id: str) -> dict[str, Any]:
    try:
        obj = json.loads(raw)
    except ValueError as exc:
        msg = getattr(exc, "msg", str(exc))
        raise InputError(f"malformed JSON: {msg}", source=source, line=line) from None
    if not isinstance(obj, dict):
        raise InputError(
            f"expected a JSON object, got {type(obj).__name__}",
            source=source,
            line=line,
        )
    text = obj.get("text")
    if text is None:
        raise InputError('record has no "text"', source=source, line=line)
    if not isinstance(text, str):
        raise InputError('"text" must be a string', source=source, line=line)
    text = check_text(text, source=source, line=line, what='"text"')
    doc_id = obj.get("id")
    if doc_id is None or doc_id == "":
        doc_id = default_id
    elif isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool):
        doc_id = clean_string(str(doc_id), source=source, line=line)
    else:
        raise InputError('"id" must be a string or an integer', source=source, line=line)
    record: dict[str, Any] = {
        "id": doc_id,
        "text": text,
        "source": source,
        "line": line,
    }
    published = validate_published(obj.get("published"), source=source, line=line)
    if published:
        record["published"] = published
    for key in ("title", "url"):
        value = obj.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise InputError(f'"{key}" must be a string', source=source, line=line)
        record[key] = clean_string(value, source=source, line=line)
    if "mentions" in obj and obj["mentions"] is not None:
        record["mentions"] = _mentions(obj["mentions"], len(text), source=source, line=line)
    return record


def _mentions(value: Any, n_chars: int, *, source: str, line: int) -> list[dict[str, int]]:
    if not isinstance(value, list):
        raise InputError('"mentions" must be a list of {"start", "end"}', source=source, line=line)
    out: list[dict[str, int]] = []
    for i, item in enumerate(value):
        where = f"mentions[{i}]"
        if not isinstance(item, dict):
            raise InputError(f'{where}: expected {{"start", "end"}}', source=source, line=line)
        start, end = item.get("start"), item.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise InputError(
                f'{where}: "start" and "end" must be integers', source=source, line=line
            )
        if not 0 <= start < end <= n_chars:
            raise InputError(
                f"{where}: span {start}-{end} is not within the text (length {n_chars})",
                source=source,
                line=line,
            )
        out.append({"start": start, "end": end})
    return out


# --- CSV ------------------------------------------------------------------------------------


def read_csv(
    text: str,
    *,
    source: str,
    stem: str,
    options: ReadOptions,
    on_error: _ErrorHandler | None,
    delimiter: str = ",",
) -> Iterator[dict[str, Any]]:
    """Records from a CSV (or TSV) table with a header row; one record per row."""
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(min(_CSV_FIELD_LIMIT, sys.maxsize))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("empty table (no header row)", source=source) from None
    except csv.Error as exc:
        raise InputError(f"malformed header row: {exc}", source=source, line=1) from None
    columns = _columns([h.strip() for h in header], options, source=source)
    n_fields = len(header)
    n_rows = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            _report(InputError(f"malformed CSV: {exc}", source=source, line=line), on_error)
            if reader.line_num < line:  # no progress: give up on the rest of the file
                break
            continue
        if not any(cell.strip() for cell in row):
            continue
        n_rows += 1
        try:
            yield _csv_record(row, columns, n_fields, source=source, line=line, stem=stem)
        except InputError as exc:
            _report(exc, on_error)
    if n_rows == 0:
        raise InputError("no rows (the table has only a header)", source=source)


def _columns(header: list[str], options: ReadOptions, *, source: str) -> dict[str, int]:
    wanted = {
        "text": (options.text_column, "text", "--text-column"),
        "published": (options.date_column, "published", "--date-column"),
        "title": (options.title_column, "title", "--title-column"),
        "url": (options.url_column, "url", "--url-column"),
        "id": (options.id_column, "id", "--id-column"),
    }
    folded = {h.casefold(): i for i, h in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    for key, (given, default, flag) in wanted.items():
        name = given or default
        index = header.index(name) if name in header else folded.get(name.casefold())
        if index is not None:
            found[key] = index
        elif given is not None or key == "text":
            shown = ", ".join(repr(h) for h in header[:20]) or "none"
            raise InputError(
                f"no column {name!r} (columns: {shown}); name the {key} column with {flag}",
                source=source,
                line=1,
            )
    return found


def _csv_record(
    row: list[str], columns: dict[str, int], n_fields: int, *, source: str, line: int, stem: str
) -> dict[str, Any]:
    if len(row) != n_fields:
        raise InputError(
            f"expected {n_fields} fields as in the header, got {len(row)}",
            source=source,
            line=line,
        )
    text = check_text(row[columns["text"]], source=source, line=line, what="the text column")
    doc_id = row[columns["id"]].strip() if "id" in columns else ""
    record: dict[str, Any] = {
        "id": doc_id or f"{stem}-{line}",
        "text": text,
        "source": source,
        "line": line,
    }
    if "published" in columns:
        published = parse_date(row[columns["published"]], source=source, line=line)
        if published:
            record["published"] = published
    for key in ("title", "url"):
        if key in columns and row[columns[key]].strip():
            record[key] = row[columns[key]].strip()
    return record


def _report(exc: InputError, on_error: _ErrorHandler | None) -> None:
    if on_error is None:
        raise exc
    on_error(exc)
