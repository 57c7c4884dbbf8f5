"""Stored articles: the list, one article as the store holds it, fixing its places, and
re-extraction (one article, the sidebar filter's articles, or all) with a progress bar.

What an article shows is what the map, the incidents table and the exports show: its stored
places and incidents. A saved fix (:meth:`geodata.store.event_store.Store.add_correction`)
re-extracts the article at once (:func:`extract.sources.reextract.reextract`), so the fix
moves its incidents everywhere, and applies again to every later re-extraction.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from geodata.errors import DatelineError
from geodata.maps.incidents import place_name, safe_url
from ui import data, resources, state
from ui.text import escape_markdown, marked_text_html, role_legend_html

__all__ = [
    "PAGE_SIZE",
    "gazetteer_choices",
    "incident_rows",
    "open_article",
    "opened_article",
    "render_article",
    "render_article_list",
    "render_done",
    "render_reextract",
    "run_reextract",
]

#: Articles listed a page at a time.
PAGE_SIZE = 50
ARTICLES_PAGE = "articles"

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def open_article(article_id: str) -> None:
    """Show ``article_id`` on the Articles page (next run)."""
    st.session_state[state.ARTICLE_OPEN_KEY] = article_id


def opened_article() -> str | None:
    """The article the Articles page shows, if any."""
    return st.session_state.get(state.ARTICLE_OPEN_KEY)


def render_done() -> None:
    """What the last re-extraction of many articles, or a deletion, did (once)."""
    message = _pop(state.REEXTRACT_DONE_KEY)
    if message:
        st.success(escape_markdown(message), icon=":material/task_alt:")


# --- the list ---------------------------------------------------------------------------------


def render_article_list(view: data.StoreView) -> str | None:
    """A searchable, paged table of the stored articles; a selected row opens its article.
    Returns the id of the article open."""
    search = st.text_input(
        "Search the stored articles",
        key=state.ARTICLES_SEARCH_KEY,
        placeholder="words of the title, text, source or address, or an article id",
    )
    _, total = data.articles(view, search=search, limit=0)
    if not total:
        st.info("No stored article matches." if search.strip() else "No article is stored yet.")
        return opened_article()
    pages = max(1, -(-total // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(
            st.number_input(f"Page (of {pages})", 1, pages, key=state.ARTICLES_PAGE_KEY, step=1)
        )
    rows, total = data.articles(
        view, search=search, limit=PAGE_SIZE, offset=(min(page, pages) - 1) * PAGE_SIZE
    )
    st.caption(f"{total:,} article{'s' if total != 1 else ''}, the last added first.")
    ids = [r["id"] for r in rows]
    # keyed by the articles listed: a selection (a row position) never carries over to others
    listed = hashlib.sha1("|".join(ids).encode()).hexdigest()[:10]
    event = st.dataframe(
        [_list_row(r) for r in rows],
        key=f"{state.ARTICLES_TABLE_KEY}_{listed}",
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(rows), 330),
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "title": st.column_config.TextColumn("Title", width="large"),
            "published": st.column_config.TextColumn("Published"),
            "source": st.column_config.TextColumn("Source"),
            "places": st.column_config.NumberColumn("Places"),
            "incidents": st.column_config.NumberColumn("Incidents"),
            "fixes": st.column_config.NumberColumn("Fixes"),
            "added": st.column_config.TextColumn("Added"),
        },
    )
    picked = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if picked and 0 <= picked[0] < len(ids):
        open_article(ids[picked[0]])
    return opened_article()


def _list_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": row.get("title") or f"untitled ({row['id'][:10]})",
        "published": row.get("published") or "—",
        "source": row.get("source") or "—",
        "places": row.get("places"),
        "incidents": row.get("incidents"),
        "fixes": row.get("corrections"),
        "added": str(row.get("ingested_at") or "")[:10] or "—",
    }


# --- one article --------------------------------------------------------------------------------


def render_article(view: data.StoreView, aid: str, *, actions: bool = True) -> bool:
    """One stored article: its text with the places marked, its incidents, the place-fix form
    and (with ``actions``) "Re-extract" and "Delete". Returns whether it is stored."""
    art = data.article(view, aid)
    if art is None:
        st.warning("That article is no longer stored.")
        return False
    places = data.article_places(view, aid)
    incidents = data.article_incidents(view, aid)
    st.markdown(f"#### {escape_markdown(art.get('title') or 'Untitled article')}")
    facts = [f"published {art['published']}" if art.get("published") else "undated"]
    url = safe_url(art.get("url"))
    if url:
        facts.append(f"[{escape_markdown(url)}]({url})")
    elif art.get("source"):
        facts.append(escape_markdown(art["source"]))
    facts.append(f"{_n(len(places), 'place')} · {_n(len(incidents), 'incident')} · id `{aid}`")
    st.caption(" · ".join(facts))
    message = _pop(state.FIX_DONE_KEY)
    if message:
        st.success(escape_markdown(message), icon=":material/task_alt:")
    st.markdown("**Places found** (colour = role; hover a name for the place chosen)")
    st.html(role_legend_html())
    st.html(marked_text_html(art["text"], places))
    st.markdown(f"**Incidents: {len(incidents)}**")
    if incidents:
        st.dataframe(incident_rows(incidents), hide_index=True, width="stretch")
    render_fix_place(view, aid, places)
    if actions:
        _render_actions(view, aid, art.get("title") or aid)
    return True


def incident_rows(incidents: list[dict[str, Any]]) -> pd.DataFrame:
    """An article's incidents as table rows: the place as the article wrote it, "—" where a
    value is missing (a count not stated is not 0)."""
    frame = pd.DataFrame(
        {
            "date": [i.get("date") for i in incidents],
            "type": [i.get("event_type") for i in incidents],
            "sub-type": [i.get("sub_event_type") for i in incidents],
            "place": [place_name(i) for i in incidents],
            "country": [i.get("country") for i in incidents],
            "actors": [
                " vs ".join(a for a in (i.get("actor1"), i.get("actor2")) if a) for i in incidents
            ],
            "fatalities": [i.get("fatalities") for i in incidents],
            "injured": [i.get("injured") for i in incidents],
            "sentence": [i.get("sentence") for i in incidents],
        }
    )
    for col in ("fatalities", "injured"):  # "not stated" is not 0: text, so "—" can show it
        frame[col] = [str(int(v)) if pd.notna(v) else None for v in frame[col]]
    for col in frame.columns:
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "—")
        frame[col] = frame[col].replace("", "—")
    return frame


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _pop(key: str) -> str | None:
    return st.session_state.pop(key, None)


def _read_only(view: data.StoreView) -> bool:
    return resources.read_only_notice(view.handle) is not None


def _render_actions(view: data.StoreView, aid: str, art_title: str) -> None:
    read_only = _read_only(view)
    why = "The store is read-only (see the sidebar)." if read_only else None
    again, delete, _ = st.columns([1.3, 1.3, 4])
    if again.button(
        "Re-extract",
        key=f"{state.REEXTRACT_KEY_PREFIX}one_{aid}",
        disabled=read_only,
        help=why
        or "Extract this article again with this Dateline and its fixes; its incidents"
        " are replaced on the map, in the table and in exports.",
    ):
        if run_reextract(view, [aid], what="this article"):
            st.rerun()
    with delete.popover("Delete", disabled=read_only, help=why):
        st.caption(
            "Remove the article, its places and fixes; incidents that only it reports go too."
        )
        if st.button("Delete the article", key=f"{state.DELETE_ARTICLE_KEY_PREFIX}{aid}"):
            with data.data_errors("Could not delete the article", stop=False):
                done = view.handle.delete_articles([aid])
                st.session_state.pop(state.ARTICLE_OPEN_KEY, None)
                st.session_state[state.REEXTRACT_DONE_KEY] = (
                    f"Deleted “{art_title}” and {done['incidents']} incident(s) only it reported."
                )
                st.rerun()


# --- fixing a place ---------------------------------------------------------------------------


def _mention_label(place: dict[str, Any]) -> str:
    where = ", ".join(str(x) for x in (place.get("name"), place.get("country")) if x)
    return f"“{place['text']}” at {place['start']} → {where or 'unresolved'} ({place.get('role')})"


def _entry_label(entry: Any) -> str:
    parts = [entry.name, entry.admin1, entry.country]
    where = ", ".join(dict.fromkeys(str(p) for p in parts if p))
    return f"{where} ({entry.kind}, pop. {entry.population:,}) [{entry.id}]"


def gazetteer_choices(gaz: Any, mention: str, query: str, *, limit: int = 25) -> list[Any]:
    """Entries to offer for a mention: those named exactly like it, then the names starting
    with ``query``; when none does (a phrase such as "the Kursk region"), the names starting
    with each of its words, longest word first."""
    found = {e.id: e for e in gaz.lookup(mention)}
    query = query.strip()
    if query:
        hits = gaz.search(query, limit=limit)
        if not hits:
            words = sorted(set(_WORD.findall(query)), key=len, reverse=True)
            for word in (w for w in words if len(w) >= 3):
                hits += gaz.search(word, limit=10)
        found.update((e.id, e) for e in hits)
    return list(found.values())[: limit + 10]


def render_fix_place(view: data.StoreView, aid: str, places: list[dict[str, Any]]) -> None:
    """Choose a mention, then another gazetteer entry for it (or drop it). Saving stores the
    fix and re-extracts the article, so its incidents move on the map, in the table and in
    exports."""
    if not places:
        return
    st.markdown("**Fix a place**")
    mentions = {(int(p["start"]), int(p["end"])): p for p in places}
    span = st.selectbox(
        "Mention",
        list(mentions),
        format_func=lambda s: _mention_label(mentions[s]),
        key=f"{state.FIX_MENTION_KEY_PREFIX}{aid}",
    )
    if span is None or span not in mentions:
        return
    mention = mentions[span]
    suffix = f"{aid}_{span[0]}_{span[1]}"
    query = st.text_input(
        "Search the gazetteer",
        value=mention["text"],
        key=f"{state.FIX_QUERY_KEY_PREFIX}{suffix}",
        help="Names starting with this text, most populous first; places named exactly like "
        "the mention come first. A phrase with no match is searched word by word.",
    )
    entries = gazetteer_choices(resources.gazetteer(), mention["text"], query)
    read_only = _read_only(view)
    col_pick, col_save, col_drop = st.columns([5, 1.2, 1.4], vertical_alignment="bottom")
    choice = col_pick.selectbox(
        "Use this place",
        entries,
        format_func=_entry_label,
        key=f"{state.FIX_ENTRY_KEY_PREFIX}{suffix}",
        index=None,
        placeholder=f"{len(entries)} places found" if entries else "nothing found: search again",
    )
    save = col_save.button(
        "Save fix", key=f"{state.FIX_SAVE_KEY_PREFIX}{suffix}", disabled=choice is None or read_only
    )
    drop = col_drop.button(
        "Drop mention", key=f"{state.FIX_DROP_KEY_PREFIX}{suffix}", disabled=read_only
    )
    if save or drop:
        entry_id = choice.id if (save and choice is not None) else None
        with data.data_errors("Could not save the fix", stop=False):
            view.handle.add_correction(
                article_id=aid,
                start=span[0],
                end=span[1],
                entry_id=entry_id,
                note="fixed in the app",
            )
            what = f"set to {_entry_label(choice)}" if entry_id else "dropped"
            if run_reextract(view, [aid], what="the article"):
                st.session_state[state.FIX_DONE_KEY] = (
                    f"“{mention['text']}” {what}. The article was extracted again: the map, the "
                    "incidents table and exports show the fix, and later re-extractions keep it. "
                    + st.session_state[state.FIX_DONE_KEY]
                )
            st.rerun()
    fixes = data.corrections(view, aid)
    if fixes:
        st.caption(f"{len(fixes)} stored fix(es) for this article.")


# --- re-extraction ----------------------------------------------------------------------------


def run_reextract(
    view: data.StoreView, ids: list[str] | None, *, what: str, say: str = state.FIX_DONE_KEY
) -> bool:
    """Re-extract ``ids`` (all with ``None``) with a progress bar; the summary is kept under
    the session key ``say`` for the next run. Returns whether it ran (errors are shown)."""
    from extract.sources.reextract import reextract

    bar = st.progress(0.0, text=f"Re-extracting {what}…")
    errors: list[str] = []

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{done} of {total} articles")

    try:
        stats = reextract(
            ids,
            store=view.handle,
            loader=resources.gazetteer,
            progress=progress,
            on_error=errors.append,
        )
    except DatelineError as exc:
        data.show_error(exc, "Could not re-extract")
        return False
    message = f"Re-extracted {what}: {stats.summary()}"
    if errors:
        message += f" — {len(errors)} could not be extracted and kept their rows: " + "; ".join(
            errors[:3]
        )
    st.session_state[say] = message
    return True


def render_reextract(view: data.StoreView, filters: Any) -> None:
    """Re-extract the articles behind the sidebar's filter, or all, with a progress bar."""
    counted: dict[str, Callable[[], list[str] | None]] = {}
    total = int(view.stats.get("articles") or 0)
    if filters.to_dict():
        behind = data.article_ids(view, filters)
        label = f"The {len(behind):,} article{'s' if len(behind) != 1 else ''}"
        counted[f"{label} behind the sidebar's filters"] = lambda: behind
    counted[f"All {total:,} stored articles"] = lambda: None
    st.caption(
        "Extract stored articles again with this Dateline and your place fixes. Their places "
        "and incidents are replaced; articles reporting the same incident are re-extracted "
        "together. About 100 articles a second."
    )
    # keyed by the choices offered: setting a filter makes its articles the choice
    scope = st.radio("Which", list(counted), key=f"{state.REEXTRACT_SCOPE_KEY}_{len(counted)}")
    read_only = _read_only(view)
    if st.button(
        "Re-extract",
        key=f"{state.REEXTRACT_KEY_PREFIX}many",
        type="primary",
        disabled=read_only or not total,
        help="The store is read-only (see the sidebar)." if read_only else None,
    ):
        ids = counted[scope or next(iter(counted))]()
        if ids == []:
            st.info("No article reports an incident matching the filters.")
        elif run_reextract(
            view, ids, what=(scope or "the articles").lower(), say=state.REEXTRACT_DONE_KEY
        ):
            st.rerun()
