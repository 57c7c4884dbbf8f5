"""The Add articles page's parts: read input (paste, upload, URL, feed), ingest it with a
progress bar, and name the articles added.

Input is read with :mod:`extract.sources.readers` into records that wait in the session until the
user ingests them (:func:`extract.sources.ingest.ingest_records`, a chunk at a time for the progress
bar). The page then shows each new article as stored, with the place-fix form
(:func:`ui.articles_view.render_article`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from extract.sources import readers
from extract.sources._formats import check_text
from geodata.errors import DatelineError
from ui import data, resources, state
from ui.text import escape_markdown

__all__ = [
    "FETCH_TIMEOUT",
    "MAX_FETCH_BYTES",
    "MAX_UPLOAD_BYTES",
    "UPLOAD_TYPES",
    "fetch_url",
    "ingest_pending",
    "pending",
    "read_upload",
    "render_inputs",
    "render_pending",
    "render_results",
]

logger = logging.getLogger(__name__)

#: Largest accepted upload (each file).
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
#: Largest page or feed fetched from a URL.
MAX_FETCH_BYTES = 10 * 1024 * 1024
#: Seconds to wait for a URL.
FETCH_TIMEOUT = 10.0
UPLOAD_TYPES = ["txt", "md", "html", "htm", "jsonl", "csv", "tsv", "zip"]
FEED_TYPES = ["rss", "atom", "xml"]


# --- reading input -----------------------------------------------------------------------------


def pending() -> list[dict[str, Any]]:
    """The records read and waiting to be ingested."""
    return list(st.session_state.get(state.ADD_PENDING_KEY) or [])


def _set_pending(records: list[dict[str, Any]], errors: list[str]) -> None:
    st.session_state[state.ADD_PENDING_KEY] = records
    st.session_state[state.ADD_ERRORS_KEY] = errors
    first = next((r.get("published") for r in records if r.get("published")), None)
    st.session_state[state.ADD_DATE_KEY] = date.fromisoformat(first) if first else None


def read_upload(name: str, content: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """Records of one uploaded file, and messages about what could not be read."""
    from extract.sources.readers import read_any

    if len(content) > MAX_UPLOAD_BYTES:
        mib = len(content) / 2**20
        return [], [
            f"{name}: too large ({mib:.1f} MiB); the limit is {MAX_UPLOAD_BYTES // 2**20} MiB."
            " Split it, or use `python -m extract ingest` for big collections."
        ]
    errors: list[str] = []
    try:
        records = list(read_any(content, name=name, on_error=lambda e: errors.append(str(e))))
    except DatelineError as exc:
        return [], [str(exc)]
    return records, errors


def _text_record(text: str, title: str) -> tuple[list[dict[str, Any]], list[str]]:
    from extract.events.timex import dateline_date

    if not text.strip():
        return [], ["Paste the text of an article first."]
    try:  # the limits every reader applies, checked now rather than at "Extract"
        text = check_text(text, source="pasted text", what="the pasted text")
    except DatelineError as exc:
        return [], [str(exc)]
    record: dict[str, Any] = {"id": "pasted", "text": text, "source": "pasted text"}
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    record["title"] = title.strip() or first_line[:200]
    found = dateline_date(text)
    if found is not None:
        record["published"] = found.isoformat()
    return [record], []


def _fetch_name(url: str, content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if "html" in kind:
        return "page.html"
    if "xml" in kind or "rss" in kind or "atom" in kind:
        return "feed.xml"
    if kind.startswith("text/"):
        return "page.txt"
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return f"page{suffix}" if suffix.lstrip(".") in UPLOAD_TYPES + FEED_TYPES else "page.html"


def fetch_url(
    url: str, *, fetcher: Callable[..., Any] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Fetch an http(s) URL (:func:`extract.sources.readers.fetch_url`: http(s) only, a deadline for
    the whole download, a size cap) and read it as a page or feed. Never raises: problems come
    back as messages."""
    fetch = fetcher or readers.fetch_url
    try:
        got = fetch(url.strip(), timeout=FETCH_TIMEOUT, max_bytes=MAX_FETCH_BYTES)
    except DatelineError as exc:
        if "only http:// and https://" in str(exc):  # refused, not a network problem
            return [], [f"Cannot fetch: {exc}."]
        return [], [
            f"Cannot fetch: {exc}. If this machine is offline (Dateline itself needs no "
            "internet), save the page as .html and upload it instead."
        ]
    records, errors = read_upload(_fetch_name(got.url, got.content_type), got.data)
    for record in records:
        record.setdefault("url", got.url)
        record["source"] = got.url
    return records, errors


def render_inputs() -> None:
    """The four ways in, as tabs; what they read waits in :func:`pending`."""
    paste, upload, fetch, feed = st.tabs(["Paste text", "Upload files", "Fetch a URL", "RSS/Atom"])
    with paste:
        st.text_area("Article text", key=state.ADD_TEXT_KEY, height=220)
        title = st.text_input("Title (optional)", key=state.ADD_TITLE_KEY)
        if st.button("Read the text", key=state.READ_TEXT_KEY):
            _set_pending(*_text_record(st.session_state.get(state.ADD_TEXT_KEY) or "", title))
    with upload:
        files = st.file_uploader(
            "Files",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key=state.ADD_FILES_KEY,
            help=f"Text, Markdown, HTML, JSON Lines, CSV/TSV (a `text` column) or a .zip of them;"
            f" up to {MAX_UPLOAD_BYTES // 2**20} MiB each.",
        )
        if st.button("Read the files", key=state.READ_FILES_KEY, disabled=not files):
            _read_files(files or [])
    with fetch:
        st.text_input("Address (http or https)", key=state.ADD_URL_KEY, placeholder="https://…")
        if st.button("Fetch", key=state.FETCH_KEY):
            with st.spinner("Fetching…"):
                _set_pending(*fetch_url(st.session_state.get(state.ADD_URL_KEY) or ""))
    with feed:
        feeds = st.file_uploader(
            "Feed file", type=FEED_TYPES, accept_multiple_files=True, key=state.ADD_FEEDS_KEY
        )
        if st.button("Read the feed", key=state.READ_FEED_KEY, disabled=not feeds):
            _read_files(feeds or [])


def _read_files(files: list[Any]) -> None:
    records: list[dict[str, Any]] = []
    errors: list[str] = []
    for upload in files:
        found, problems = read_upload(upload.name, upload.getvalue())
        records.extend(found)
        errors.extend(problems)
    _set_pending(records, errors)


# --- ingesting ---------------------------------------------------------------------------------


def ingest_pending(
    view: data.StoreView,
    records: list[dict[str, Any]],
    published: date | None,
    *,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """Ingest ``records`` a chunk at a time; ``published`` is the date of a single record,
    or the default for records without one. Returns ``{"ids", "summary", "errors"}``."""
    from extract.sources.ingest import ingest_records
    from extract.sources.store_writer import IngestStats
    from geodata.store.event_store import article_id

    day = published.isoformat() if published else None
    if len(records) == 1 and day:
        records = [{**records[0], "published": day}]
    errors: list[str] = []
    stats = IngestStats()
    chunk = max(1, min(50, len(records) // 20 or 1))
    for i in range(0, len(records), chunk):
        part = records[i : i + chunk]
        ingest_records(
            part,
            store=view.handle,
            published=day,
            loader=resources.gazetteer,
            on_error=errors.append,
            stats=stats,
            batch_size=max(chunk, 1),
        )
        if progress is not None:
            done = i + len(part)
            progress(done / len(records), f"{done} of {len(records)} articles")
    ids = list(dict.fromkeys(article_id(r["text"]) for r in records))
    return {"ids": ids, "summary": stats.summary(), "errors": errors, "new": stats.new}


def render_pending(view: data.StoreView) -> None:
    """What was read, the publication date field, and the button that ingests it."""
    for message in st.session_state.get(state.ADD_ERRORS_KEY) or []:
        st.error(escape_markdown(message))
    records = pending()
    if not records:
        return
    n = len(records)
    titles = ", ".join(escape_markdown(r.get("title") or r.get("id") or "?") for r in records[:3])
    st.success(f"Read **{n}** article{'s' if n != 1 else ''}: {titles}{' …' if n > 3 else ''}")
    label = "Publication date" if n == 1 else "Publication date for articles without one"
    st.date_input(
        label,
        key=state.ADD_DATE_KEY,
        format="YYYY-MM-DD",
        help="Relative dates (“on Monday”) are resolved against it. Pre-filled from the "
        "article's metadata or dateline when found.",
    )
    read_only = resources.read_only_notice(view.handle) is not None
    if st.button(
        "Extract and add to the store",
        type="primary",
        key=state.INGEST_KEY,
        disabled=read_only,
        help="The store is read-only (see the sidebar)." if read_only else None,
    ):
        bar = st.progress(0.0, text=f"0 of {n} articles")
        try:
            result = ingest_pending(
                view,
                records,
                st.session_state.get(state.ADD_DATE_KEY),
                progress=lambda f, t: bar.progress(f, text=t),
            )
        except DatelineError as exc:
            data.show_error(exc, "Could not add the articles")
            return
        st.session_state[state.ADD_RESULT_KEY] = result
        st.session_state[state.ADD_PENDING_KEY] = []
        st.session_state[state.ADD_ERRORS_KEY] = []
        st.rerun()


# --- results -----------------------------------------------------------------------------------


def render_results(view: data.StoreView) -> str | None:
    """The last ingest: its summary, then one article's marked text and incidents. Returns
    the id of the article shown."""
    result = st.session_state.get(state.ADD_RESULT_KEY)
    if not result:
        return None
    summary = escape_markdown(result["summary"])
    if result.get("errors") and not result.get("new"):
        st.error(summary, icon=":material/error:")  # nothing was added
    elif result.get("errors"):
        st.warning(summary, icon=":material/warning:")
    else:
        st.success(summary, icon=":material/task_alt:")
    for message in result.get("errors") or []:
        st.error(escape_markdown(message))
    ids = [i for i in result["ids"] if data.article(view, i) is not None]
    if not ids:
        return None

    def label(aid: str) -> str:
        art = data.article(view, aid) or {}
        return f"{art.get('title') or aid} ({art.get('published') or 'undated'})"

    aid = st.selectbox("Article", ids, format_func=label, key=state.ADD_ARTICLE_KEY)
    st.caption("Stored articles can be opened again on the Articles page.")
    return aid
