"""An incident's details (beside the map, under the table): fields, sentence, every source."""

from __future__ import annotations

import html
from typing import Any

import streamlit as st

from geodata.maps.incidents import (
    event_color,
    find_mention,
    highlight_html,
    place_name,
    safe_url,
)
from ui import data, state
from ui.text import escape_markdown

__all__ = ["incident_details", "source_html"]

_GEO = {1: "town or district", 2: "near a town / part of a region", 3: "region or country"}


def _md(value: Any, empty: str = "—") -> str:
    return escape_markdown(value) if value not in (None, "") else empty


def _count(value: Any) -> str:
    return "not stated" if value is None else str(value)


def source_html(source: dict[str, Any], *, place: str | None = None) -> str:
    """One source: linked title (http/https only), date, the sentence with the place marked."""
    title = html.escape(str(source.get("title") or "untitled article"))
    url = safe_url(source.get("url"))
    head = (
        f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{title}</a>"
        if url
        else f"<b>{title}</b>"
    )
    published = source.get("published")
    when = f' <span style="color:#777">({html.escape(str(published))})</span>' if published else ""
    sentence = str(source.get("sentence") or "")
    span = find_mention(sentence, place)
    quote = highlight_html(sentence, [span] if span else [])
    return (
        f'<div style="margin:.3rem 0 .6rem 0;font-size:.9rem">{head}{when}'
        f'<blockquote style="margin:.2rem 0;padding:.1rem .5rem;border-left:3px solid #ccc">'
        f"{quote}</blockquote></div>"
    )


def incident_details(view: data.StoreView, row: dict[str, Any], *, sources: bool = True) -> None:
    """Show one incident: type, date, place, actors, casualties, sentence, sources."""
    color = event_color(row.get("event_type"))
    heading = _md(row.get("sub_event_type") or row.get("event_type"))
    st.markdown(
        f'<span style="display:inline-block;width:.8em;height:.8em;border-radius:50%;'
        f'background:{color}"></span> **{heading}**',
        unsafe_allow_html=True,
    )
    st.caption(_md(row.get("event_type")))
    precision = row.get("date_precision") or "unknown"
    rng = ""
    if row.get("date_start") and row.get("date_end") and row["date_start"] != row["date_end"]:
        rng = f": {row['date_start']} – {row['date_end']}"
    gp = row.get("geo_precision")
    place = ", ".join(
        dict.fromkeys(str(p) for p in (place_name(row), row.get("admin1"), row.get("country")) if p)
    )
    actors = " vs ".join(str(a) for a in (row.get("actor1"), row.get("actor2")) if a)
    lines = [
        f"**When:** {_md(row.get('date'), 'unknown')} ({escape_markdown(precision + rng)})",
        f"**Where:** {_md(place, 'unknown')}"
        + (f" (precision {gp}: {_GEO[gp]})" if gp in _GEO else ""),
        f"**Actors:** {_md(actors)}",
        f"**Fatalities:** {_count(row.get('fatalities'))} · "
        f"**Injured:** {_count(row.get('injured'))}",
        f"**Confidence:** {float(row.get('confidence') or 0):.2f}",
    ]
    st.markdown("  \n".join(lines))
    st.caption(f"Incident {escape_markdown(row.get('id') or '')}")
    if not sources:
        return
    found = data.incident_sources(view, str(row.get("id") or ""))
    # counted as the table counts them (n_sources): articles, not their sentences
    articles = len({s.get("article_id") for s in found})
    label = "Sources"
    if found:
        label += f" ({articles} article{'s' if articles != 1 else ''}"
        label += f", {len(found)} sentences)" if len(found) != articles else ")"
    st.markdown(f"**{label}**")
    if not found:
        st.caption("No source recorded.")
        return
    st.html("".join(source_html(s, place=row.get("location")) for s in found))
    # a wrong place is fixed in its article: open it on the Articles page
    for aid, title in dict.fromkeys((s["article_id"], s.get("title")) for s in found):
        label = "Open the article to fix its places"
        if articles > 1:
            label = f"Open “{_short(title or aid)}”"
        if st.button(
            label,
            key=f"{state.OPEN_ARTICLE_KEY_PREFIX}{row.get('id')}_{aid}",
            icon=":material/edit_location_alt:",
            type="tertiary",
        ):
            st.session_state[state.ARTICLE_OPEN_KEY] = aid
            st.switch_page("pages/articles.py")


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
