"""The Add articles page under AppTest, and its input readers: paste → ingest → marked text
and incidents → fix a place (stored as a correction); uploads, URL fetching (offline: a clear
message), size limits and escaping."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.app_support import (
    copy_store,
    map_ids,
    rerun,
    run_app,
    sample_store_template,
    stored_ids,
)
from ui import ingest_view, state

PAGE = "pages/add.py"
ARTICLE = (
    "KHARKIV, 12 March 2025 (Reuters) - Russian drones struck Kharkiv overnight, killing three "
    "people and injuring 11, regional governor Oleh Syniehubov said. In Odesa, police arrested "
    "two men suspected of sabotage. Kyiv said the attacks would not break Ukrainian resolve."
)
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Drones hit Kharkiv</title><link>https://example.org/1</link>
<pubDate>Wed, 12 Mar 2025 08:00:00 GMT</pubDate>
<description>Russian drones struck Kharkiv overnight, killing three people.</description></item>
<item><title>Arrests in Odesa</title><link>https://example.org/2</link>
<description>In Odesa, police arrested two men suspected of sabotage.</description></item>
</channel></rss>"""


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    path = copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path)
    monkeypatch.setenv("DATELINE_DB", str(path))
    return path


def _paste(at, text: str):
    at.text_area(key=state.ADD_TEXT_KEY).input(text)
    at.button(key="dl_read_text").click()
    return rerun(at)


def _html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_paste_ingest_show_and_map(db: Path) -> None:
    from geodata.store.event_store import Store, article_id

    at = run_app(PAGE)
    assert at.title[0].value == "Add articles"
    assert [t.label for t in at.tabs] == ["Paste text", "Upload files", "Fetch a URL", "RSS/Atom"]
    _paste(at, ARTICLE)
    assert any("Read **1** article" in s.value for s in at.success)
    # the publication date is pre-filled from the dateline
    assert at.date_input(key=state.ADD_DATE_KEY).value == date(2025, 3, 12)

    at.button(key="dl_ingest").click()
    rerun(at)
    store = Store(db)
    assert store.stats()["articles"] == 2
    aid = article_id(ARTICLE)
    assert store.article(aid)["published"] == "2025-03-12"
    assert any("1 new" in i.value for i in at.success)
    html = _html(at)
    assert '<mark class="dl-literal" title="literal: Kharkiv, UA">KHARKIV</mark>' in html
    assert 'class="dl-associative"' in html and 'class="dl-demonym"' in html
    incidents = at.dataframe[0].value
    assert {"Kharkiv", "Odesa"} <= set(incidents["place"])
    assert incidents.loc[incidents["place"] == "Kharkiv", "fatalities"].tolist() == ["3"]

    # the new incidents are on the map at once (the store's version changed)
    at.switch_page("pages/map.py")
    rerun(at)
    assert map_ids(at) == stored_ids(db)
    assert stored_ids(db, start="2025-03-12", end="2025-03-12") <= map_ids(at)


def test_fix_and_drop_a_place(db: Path) -> None:
    from geodata.store.event_store import Store, article_id

    at = run_app(PAGE)
    _paste(at, ARTICLE)
    at.button(key="dl_ingest").click()
    rerun(at)
    aid = article_id(ARTICLE)
    store = Store(db)
    (before,) = [i for i in store.article_incidents(aid) if i["location"] == "Odesa"]
    mentions = at.selectbox(key=f"dl_fix_mention_{aid}")
    odesa = next(i for i, o in enumerate(mentions.options) if o.startswith("“Odesa”"))
    mentions.select_index(odesa)
    rerun(at)
    at.text_input(key=f"dl_fix_query_{aid}_157_162").input("Odessa")
    rerun(at)
    entries = at.selectbox(key=f"dl_fix_entry_{aid}_157_162")
    us = next(i for i, o in enumerate(entries.options) if ", US (" in o and "Odessa" in o)
    entries.select_index(us)
    rerun(at)
    at.button(key=f"dl_fix_save_{aid}_157_162").click()
    rerun(at)
    fixes = store.corrections(aid)
    assert [(f["start"], f["end"]) for f in fixes] == [(157, 162)]
    assert fixes[0]["entry_id"] and fixes[0]["entry_id"] != "gn:698740"
    assert any("extracted again" in s.value for s in at.success)
    assert 'title="literal: Odessa, US"' in _html(at)  # the stored places show the fix
    # the store moved the incident: the map, the table and exports read it from there
    (after,) = [i for i in store.article_incidents(aid) if i["id"] == before["id"]]
    assert after["country"] == "US" and before["country"] == "UA"
    assert abs(after["lon"] - before["lon"]) > 50

    kyiv = next(i for i, o in enumerate(at.selectbox(key=f"dl_fix_mention_{aid}").options)
                if o.startswith("“Kyiv”"))  # fmt: skip
    at.selectbox(key=f"dl_fix_mention_{aid}").select_index(kyiv)
    rerun(at)
    at.button(key=f"dl_fix_drop_{aid}_211_215").click()
    rerun(at)
    dropped = [f for f in store.corrections(aid) if f["entry_id"] is None]
    assert [(f["start"], f["end"]) for f in dropped] == [(211, 215)]
    assert ">Kyiv</mark>" not in _html(at)
    assert "Kyiv" not in [p["text"] for p in store.places(aid)]


def test_the_fix_form_follows_the_mention_it_edits(db: Path) -> None:
    from geodata.store.event_store import article_id

    at = run_app(PAGE)
    _paste(at, ARTICLE)
    at.button(key="dl_ingest").click()
    rerun(at)
    aid = article_id(ARTICLE)
    mentions = at.selectbox(key=f"dl_fix_mention_{aid}")
    odesa = next(i for i, o in enumerate(mentions.options) if o.startswith("“Odesa”"))
    mentions.select_index(odesa)
    rerun(at)
    at.text_input(key=f"dl_fix_query_{aid}_157_162").input("Odessa")
    rerun(at)
    # another mention: its own query box, pre-filled with its own text, and no entry chosen
    kyiv = next(i for i, o in enumerate(at.selectbox(key=f"dl_fix_mention_{aid}").options)
                if o.startswith("“Kyiv”"))  # fmt: skip
    at.selectbox(key=f"dl_fix_mention_{aid}").select_index(kyiv)
    rerun(at)
    assert at.text_input(key=f"dl_fix_query_{aid}_211_215").value == "Kyiv"
    assert at.selectbox(key=f"dl_fix_entry_{aid}_211_215").value is None
    assert at.button(key=f"dl_fix_save_{aid}_211_215").disabled


def test_pasted_html_is_escaped(db: Path) -> None:
    at = run_app(PAGE)
    _paste(at, "<script>alert(1)</script> " + ARTICLE)
    at.button(key="dl_ingest").click()
    rerun(at)
    html = _html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_empty_paste_says_what_to_do(db: Path) -> None:
    at = run_app(PAGE)
    _paste(at, "   ")
    assert any("Paste the text" in e.value for e in at.error)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("http://dateline-test.invalid/news", "If this machine is offline"),
    ],
)
def test_fetch_errors_are_clear_messages(db: Path, url: str, message: str) -> None:
    at = run_app(PAGE)
    at.text_input(key=state.ADD_URL_KEY).input(url)
    at.button(key="dl_fetch").click()
    rerun(at)
    errors = [e.value.replace("\\", "") for e in at.error]  # Markdown-escaped
    assert any(message in e for e in errors), errors
    assert not at.success


def test_fetch_url_reads_a_page() -> None:
    from extract.sources._fetch import Fetched

    page = (
        "<html><head><title>Drones hit Kharkiv</title></head><body><article><h1>Drones hit "
        f"Kharkiv</h1><p>{ARTICLE}</p></article></body></html>"
    ).encode()
    seen = []

    def fetcher(url, *, timeout, max_bytes):
        seen.append((url, timeout, max_bytes))
        return Fetched(page, "text/html; charset=utf-8", "https://example.org/final")

    records, errors = ingest_view.fetch_url(" https://example.org/a ", fetcher=fetcher)
    assert errors == [] and len(records) == 1
    assert "Russian drones struck Kharkiv" in records[0]["text"]
    assert records[0]["url"] == "https://example.org/final"
    assert seen == [
        ("https://example.org/a", ingest_view.FETCH_TIMEOUT, ingest_view.MAX_FETCH_BYTES)
    ]


def test_read_upload_formats_and_limits(monkeypatch) -> None:
    records, errors = ingest_view.read_upload("a.txt", ARTICLE.encode())
    assert len(records) == 1 and not errors

    lines = [json.dumps({"id": "1", "text": ARTICLE}), "{not json", json.dumps({"text": "Kyiv."})]
    records, errors = ingest_view.read_upload("b.jsonl", "\n".join(lines).encode())
    assert len(records) == 2 and len(errors) == 1 and "b.jsonl:2" in errors[0]

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("one.txt", ARTICLE)
        zf.writestr("two.md", "Protesters gathered in Tbilisi.")
        zf.writestr("skip.exe", b"MZ")
    records, errors = ingest_view.read_upload("c.zip", buf.getvalue())
    assert sorted(r["id"] for r in records) == ["one", "two"]

    records, errors = ingest_view.read_upload(
        "d.csv", b"text,published\n" + b'"Kyiv.",2024-01-02\n'
    )
    assert records[0]["published"] == "2024-01-02"

    records, errors = ingest_view.read_upload("e.rss", RSS)
    assert [r["title"] for r in records] == ["Drones hit Kharkiv", "Arrests in Odesa"]
    assert records[0]["published"] == "2025-03-12"

    records, errors = ingest_view.read_upload("f.txt", b"\x00\x01binary")
    assert records == [] and "binary" in errors[0]

    records, errors = ingest_view.read_upload("g.exe", b"hello")
    assert records == [] and "unsupported" in errors[0]

    monkeypatch.setattr(ingest_view, "MAX_UPLOAD_BYTES", 100)
    records, errors = ingest_view.read_upload("h.txt", b"x" * 200)
    assert records == [] and "too large" in errors[0] and "limit" in errors[0]


def test_ingest_many_with_progress(db: Path) -> None:
    from geodata.store.event_store import Store
    from ui import data

    records, _ = ingest_view.read_upload("e.rss", RSS)
    records.append({"id": "x", "text": ARTICLE})
    view = data.StoreView(Store(db), Store(db).stats())
    steps: list[tuple[float, str]] = []
    result = ingest_view.ingest_pending(
        view, records, date(2025, 3, 13), progress=lambda f, t: steps.append((f, t))
    )
    assert result["new"] == 3 and len(result["ids"]) == 3
    assert len(steps) == 3 and steps[-1] == (1.0, "3 of 3 articles")
    published = {Store(db).article(i)["published"] for i in result["ids"]}
    assert published == {"2025-03-12", "2025-03-13"}  # the feed's date wins; the field fills in
    again = ingest_view.ingest_pending(view, records, None)
    assert again["new"] == 0  # duplicates are skipped


def test_a_too_long_paste_is_refused_at_read(db: Path) -> None:
    """The reader's size limit applies when the text is read, not only at "Extract"."""
    from extract.sources._formats import MAX_DOCUMENT_CHARS

    at = run_app(PAGE)
    _paste(at, "Kyiv was shelled. " * (MAX_DOCUMENT_CHARS // 18 + 10))
    errors = [e.value for e in at.error]
    assert any("document too long" in e for e in errors), errors
    assert not at.success  # nothing waits to be extracted
