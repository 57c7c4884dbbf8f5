"""A feed's bytes before feedparser reads them, for :mod:`extract.sources.feeds`: the
encoding made readable (a character cut at the end dropped, the HTTP charset used when the
document declares none, legacy multi-byte encodings converted to UTF-8 so that both parsers
read the same characters), then the defusedxml safety check, which refuses any entity
declaration (XML bombs, XXE) and notes the root element, the complete items and the first XML
error; and that error told in words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extract.sources._feed_items import FeedError

__all__ = [
    "XmlCheck",
    "check_xml",
    "decodable",
    "describe_error",
    "error_line",
    "is_truncation",
    "sax_error",
    "strip_bom",
]

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_DECLARES_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
# expat errors that mean the document stops early (a truncated download or file)
_TRUNCATED_ERRORS = frozenset(
    {"no element found", "unclosed token", "unclosed CDATA section", "partial character"}
)
_ITEM_TAGS = frozenset({"item", "entry"})


@dataclass(frozen=True, slots=True)
class XmlCheck:
    """What the safety check found in a document that declares no entities."""

    data: bytes  # the bytes feedparser is to read (converted to UTF-8 when expat cannot)
    root: str | None  # the root element's local name, when the parser got that far
    complete_items: int  # items and entries closed before the end or the first error
    error: Exception | None  # why the document is not well-formed XML, if it is not


class _Probe:
    """ElementTree parser target that builds nothing: it notes the root and counts items."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.items = 0

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        if self.root is None:
            self.root = _local(tag)

    def end(self, tag: str) -> None:
        if _local(tag) in _ITEM_TAGS:
            self.items += 1

    def close(self) -> None:
        return None


def decodable(data: bytes, charset: str | None) -> bytes:
    """``data``, made readable as what it claims to be, when it is (or defaults to) UTF-8.

    * A download cut inside a multi-byte character would make feedparser read the whole feed
      as Windows-1252: the incomplete bytes at the end are dropped.
    * A document that declares no encoding and is not UTF-8 is converted with the HTTP
      ``charset``, if that reads it. The document's own BOM or declaration comes first:
      servers often send a wrong default charset.
    """
    declared = _declared_encoding(data)
    if _bom(data) not in (b"", b"\xef\xbb\xbf") or (
        declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8")
    ):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            return data[: exc.start]
    if charset and not declared:
        try:
            return data.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    return data  # feedparser falls back to Windows-1252 and says so


def check_xml(data: bytes, *, where: str | None) -> XmlCheck:
    """The defusedxml pre-check: refuse entity declarations before feedparser sees them."""
    try:
        return _probe(data, where=where)
    except ValueError as exc:  # expat reads UTF-8, UTF-16 and one-byte encodings only
        declared = _declared_encoding(data)
        try:
            text = data.decode(declared or "")
        except (LookupError, UnicodeDecodeError):
            raise _unreadable_encoding(exc, where=where) from None
        # Shift_JIS, GB2312, Big5…: check and parse the same characters, as UTF-8
        converted = _XML_ENCODING.sub(
            lambda m: m.group(0).replace(m.group(1), b"utf-8"), text.encode("utf-8"), count=1
        )
        try:
            return _probe(converted, where=where)
        except ValueError:
            raise _unreadable_encoding(exc, where=where) from None


def _probe(data: bytes, *, where: str | None) -> XmlCheck:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    probe = _Probe()
    parser = DefusedXMLParser(
        target=probe, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    error: Exception | None = None
    try:
        parser.feed(data)
        parser.close()
    except DefusedXmlException as exc:
        raise _refused(type(exc).__name__, where=where) from None
    except ParseError as exc:
        # The parser may have stopped before a DTD later in the text: refuse any entity
        # declaration at all (NULs removed, so that UTF-16 and UTF-32 are searched too).
        if _DECLARES_ENTITY.search(data.replace(b"\x00", b"")):
            raise _refused("entity declaration in a malformed document", where=where) from None
        error = exc
    except LookupError as exc:  # encoding="bogus"
        raise _unreadable_encoding(exc, where=where) from None
    return XmlCheck(data=data, root=probe.root, complete_items=probe.items, error=error)


def _refused(reason: str, *, where: str | None) -> FeedError:
    return FeedError(
        f"refused: the feed declares XML entities or a DTD ({reason}); such feeds are not"
        " read, for safety (XML bombs, or entities that read local files)",
        source=where,
    )


def _unreadable_encoding(exc: Exception, *, where: str | None) -> FeedError:
    return FeedError(
        f"not a readable feed: the XML declares an encoding that cannot be read ({exc});"
        " save it as UTF-8",
        source=where,
    )


def _declared_encoding(data: bytes) -> str | None:
    match = _XML_ENCODING.match(data[:1024].removeprefix(b"\xef\xbb\xbf"))
    return match.group(1).decode("ascii") if match else None


def sax_error(bozo: Any) -> Exception | None:
    from xml.sax import SAXParseException

    return bozo if isinstance(bozo, SAXParseException) else None


def is_truncation(error: Exception) -> bool:
    message = error.getMessage() if hasattr(error, "getMessage") else str(error)
    return any(message.startswith(m) for m in _TRUNCATED_ERRORS)


def describe_error(error: Exception) -> str:
    if hasattr(error, "getMessage"):  # SAXParseException
        line, column = error.getLineNumber(), error.getColumnNumber()
        return f"{error.getMessage()}: line {line}, column {column}"
    return str(error)


def error_line(error: Exception) -> int | None:
    if hasattr(error, "getLineNumber"):
        return error.getLineNumber()
    position = getattr(error, "position", None)
    return position[0] if position else None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _bom(data: bytes) -> bytes:
    return next((b for b in _BOMS if data.startswith(b)), b"")


def strip_bom(data: bytes) -> bytes:
    return data[len(_bom(data)) :]
