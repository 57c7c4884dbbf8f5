"""Text for Streamlit elements: Markdown escaping and article text with its places marked."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from geodata.maps.basemap import ROLE_COLORS
from geodata.maps.incidents import EVENT_COLORS, highlight_html
from geodata.maps.layers import OTHER_COLOR

__all__ = [
    "count_label",
    "ROLE_HELP",
    "escape_markdown",
    "event_legend_html",
    "marked_text_html",
    "role_legend_html",
]

ROLE_HELP: dict[str, str] = {
    "literal": "a location where something is or happens",
    "associative": "a place standing for its government or people (“Kyiv said”)",
    "demonym": "an adjective or people name (“Ukrainian”)",
}

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def count_label(n: int, noun: str = "incident", *, bold: bool = False) -> str:
    """``"1 incident"``, ``"2,041 incidents"`` (the number in Markdown bold with ``bold``)."""
    number = f"**{n:,}**" if bold else f"{n:,}"
    return f"{number} {noun}{'' if n == 1 else 's'}"


def escape_markdown(text: Any) -> str:
    """``text`` as literal Markdown: every ASCII punctuation mark backslash-escaped.

    Streamlit renders Markdown (and ``$…$`` math, ``:color[…]``) in captions and labels, so
    article text must pass through this before it is put into one.
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))


def _dot(color: str) -> str:
    return (
        f'<span style="display:inline-block;width:0.8em;height:0.8em;border-radius:50%;'
        f'background:{color};margin-right:0.3em;vertical-align:-0.05em"></span>'
    )


def event_legend_html(types: Iterable[str] | None = None) -> str:
    """The event-type colour legend (fixed strings and escaped type names only)."""
    import html

    names = list(types) if types is not None else list(EVENT_COLORS)
    items = "".join(
        f'<span style="white-space:nowrap;margin-right:0.9em">'
        f"{_dot(EVENT_COLORS.get(t, OTHER_COLOR))}{html.escape(t)}</span>"
        for t in names
    )
    return f'<div style="font-size:0.85rem;line-height:1.6">{items}</div>'


def role_legend_html() -> str:
    items = "".join(
        f'<span style="white-space:nowrap;margin-right:0.9em">'
        f'<mark class="dl-{role}">{role}</mark></span>'
        for role in ROLE_COLORS
    )
    return f"{_ROLE_CSS}<div>{items}</div>"


_ROLE_CSS = (
    "<style>"
    + "".join(
        f".dl-text mark.dl-{role},mark.dl-{role}{{background:{color}33;"
        f"border-bottom:2px solid {color};padding:0 .1em;color:inherit}}"
        for role, color in ROLE_COLORS.items()
    )
    + ".dl-text{white-space:pre-wrap;line-height:1.55;font-size:0.95rem;max-height:28rem;"
    "overflow:auto;padding:.5rem .75rem;border:1px solid #ddd;border-radius:.4rem}"
    "</style>"
)


def marked_text_html(text: str, places: Iterable[Mapping[str, Any]]) -> str:
    """The article text (escaped) with each place mention marked by its role's colour; the
    mark's title gives the place it was resolved to."""
    spans = []
    for p in places:
        role = p.get("role") if p.get("role") in ROLE_COLORS else "literal"
        where = ", ".join(str(x) for x in (p.get("name"), p.get("country")) if x)
        title = f"{role}: {where}" if where else role
        spans.append((int(p["start"]), int(p["end"]), f"dl-{role}", title))
    return f'{_ROLE_CSS}<div class="dl-text">{highlight_html(text, spans)}</div>'
