"""An item's text for :mod:`extract.sources.feeds`: a field of a feed (a title, a summary, an
item's HTML content) made into plain text, HTML blocks turned into paragraphs and ``<br>`` into
line breaks, scripts and styles dropped, entities decoded, and stray UTF-16 surrogates
replaced, so that what reaches the app is clean text."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

__all__ = ["clean_string", "html_text", "one_line", "plain_text", "text_of"]

_TAG_RE = re.compile(r"<[A-Za-z!/]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def text_of(value: Any) -> str | None:
    """An item's field as plain text: HTML when it has tags, otherwise text with entities."""
    if not isinstance(value, str):
        return None
    return html_text(value) if _TAG_RE.search(value) else plain_text(value)


def one_line(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def plain_text(value: Any) -> str | None:
    """Plain text with its paragraphs; entities left over (double-escaped feeds) decoded."""
    if not isinstance(value, str):
        return None
    return _paragraphs(unescape(value).replace("\r\n", "\n").replace("\r", "\n"))


def html_text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    parser = _FragmentText()
    parser.feed(value)
    parser.close()
    return _paragraphs(parser.text())


def clean_string(value: Any) -> str | None:
    """A stripped, non-empty string, or ``None``. Lone UTF-16 surrogates (which JSON escapes
    such as ``"\\ud800"`` can produce and no file or database can store) become U+FFFD."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _SURROGATE_RE.sub("\ufffd", value.strip())


def _paragraphs(text: str) -> str | None:
    """Spaces collapsed within lines, blank lines between paragraphs, one blank line at most."""
    out: list[str] = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            out.append(paragraph)
    return "\n\n".join(out) or None


class _FragmentText(HTMLParser):
    """Text of an HTML fragment (an item's content): blocks become paragraphs, ``<br>`` a line
    break, scripts and styles are dropped, entities decoded."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})
    _BLOCK = frozenset(
        {"p", "div", "section", "article", "header", "footer", "aside", "main", "nav"}
        | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption"}
        | {"ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "hr", "address", "details"}
    )
    _CELL = frozenset({"td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "br":
            self._parts.append("\n")
        elif tag in self._BLOCK:
            self._parts.append("\n\n")
            if tag == "pre":
                self._pre += 1
        elif tag in self._CELL:
            self._parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._SKIP:  # a self-closing <svg/> opens nothing to skip
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self._parts.append("\n\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            # outside <pre>, a newline in HTML source is a space
            self._parts.append(data if self._pre else data.replace("\n", " "))

    def text(self) -> str:
        return "".join(self._parts)
