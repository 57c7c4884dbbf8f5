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

Unusable input raises :class:`geodata.errors.InputError` naming the input and, where it makes
sense, the line.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from extract.errors import InputError

__all__ = [
    "STDIN",
    "SUFFIXES",
    "ErrorHandler",
    "decode_bytes",
    "html_to_text",
    "read_bytes",
    "read_input",
    "read_inputs",
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
#: Called with each recoverable, per-record error (the record is skipped).
ErrorHandler = Callable[[InputError], None]

_STDIN_NAME = "<stdin>"
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_TITLE = 200
# C0 control characters other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_warned_trafilatura = False


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
    if value is None or value == "":
        return None
    if isinstance(value, str) and _DATE_RE.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise InputError(
        f"invalid published date {value!r}: expected a date written YYYY-MM-DD",
        source=source,
        line=line,
    )


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
        yield from _read_jsonl(text, source=name, stem=stem, on_error=on_error)
    elif fmt == "html":
        yield _read_html(text, source=name, doc_id=stem)
    else:
        yield _text_record(text, source=name, doc_id=stem)


def html_to_text(html: str) -> dict[str, str | None]:
    """Convert HTML to text with the standard library only (no boilerplate removal).

    Returns
    -------
    dict
        ``{"text", "title", "published", "url"}``; the last three from ``<title>`` and ``<meta>``
        tags when present, else ``None``.
    """
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser.result()


def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    try:
        return SUFFIXES[suffix]
    except KeyError:
        kind = f"file type {suffix!r}" if suffix else "file without an extension"
        raise InputError(
            f"unsupported {kind}; expected .txt, .md, .html, .htm or .jsonl"
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
        yield from _read_jsonl(text, source=_STDIN_NAME, stem="stdin", on_error=on_error)
    else:
        yield _text_record(text, source=_STDIN_NAME, doc_id="stdin")


def _read_jsonl(
    text: str, *, source: str, stem: str, on_error: ErrorHandler | None
) -> Iterator[dict[str, Any]]:
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
    if not text.strip():
        raise InputError('empty document ("text" is blank)', source=source, line=line)
    doc_id = obj.get("id")
    if doc_id is None or doc_id == "":
        doc_id = default_id
    elif isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
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
        record[key] = value
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


def _read_html(html: str, *, source: str, doc_id: str) -> dict[str, Any]:
    meta = _trafilatura(html, source=source)
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


def _trafilatura(html: str, *, source: str) -> dict[str, str | None] | None:
    global _warned_trafilatura
    try:
        import trafilatura
    except ImportError as exc:
        if not _warned_trafilatura:
            _warned_trafilatura = True
            logger.warning("trafilatura is unavailable (%s); using plain HTML-to-text", exc)
        return None
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True)
    except Exception as exc:  # noqa: BLE001 - a third-party parser must not sink the input
        logger.debug("%s: trafilatura failed: %s", source, exc)
        return None
    if doc is None:
        return None
    return {
        "text": getattr(doc, "text", None),
        "title": getattr(doc, "title", None),
        "published": getattr(doc, "date", None),
        "url": getattr(doc, "url", None),
    }


class _HTMLText(HTMLParser):
    """Text of an HTML page: visible text by block, ``<title>``, date and URL from ``<meta>``."""

    _SKIP = frozenset(
        {"script", "style", "noscript", "template", "svg", "nav", "header", "footer"}
        | {"aside", "form", "button", "iframe", "select", "head"}
    )
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
        | {"table", "section", "article", "blockquote", "pre", "dd", "dt", "figcaption"}
        | {"main", "hr"}
    )
    _DATE_META = (
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "date",
    )
    _URL_META = ("og:url",)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._skip_depth = 0
        self._in_title = False
        self._parts: list[str] = []
        self._title: list[str] = []
        self._meta: dict[str, str] = {}
        self._canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self._meta.setdefault(key, a["content"])
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self._canonical = a.get("href") or None
        elif tag == "title":
            self._in_title = True
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag in self._BLOCK:
            self._parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._SKIP:  # a self-closing <svg/> opens nothing to skip
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self._BLOCK:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self._skip_depth:
            self._parts.append(data)

    def result(self) -> dict[str, str | None]:
        lines = (" ".join(line.split()) for line in "".join(self._parts).split("\n"))
        text = "\n".join(line for line in lines if line)
        title = " ".join("".join(self._title).split()) or None
        published = next((self._meta[k] for k in self._DATE_META if self._meta.get(k)), None)
        if published:
            published = published.strip()[:10]
        url = next(
            (self._meta[k] for k in self._URL_META if self._meta.get(k)),
            self._canonical,
        )
        return {"text": text, "title": title, "published": published, "url": url}
