"""HTML to text for :mod:`extract.sources.readers`: trafilatura's boilerplate removal, and a stdlib
fallback that keeps the visible text block by block."""

from __future__ import annotations

import logging
from html.parser import HTMLParser

__all__ = ["html_to_text", "trafilatura_extract"]

logger = logging.getLogger(__name__)

_warned_trafilatura = False


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


def trafilatura_extract(html: str, *, source: str) -> dict[str, str | None] | None:
    """Main text, title, date and URL of a page by trafilatura; ``None`` when it finds none."""
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
