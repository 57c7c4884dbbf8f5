"""Re-extraction of stored articles (:mod:`extract.sources.reextract`) and the store's article
methods it relies on (groups of linked articles, deleting articles, the article list)."""

from __future__ import annotations

import csv
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest

import extract
from extract.errors import GazetteerError
from extract.sources.ingest import ingest_records
from extract.sources.reextract import reextract
from geodata.errors import StoreError
from geodata.export.incident_files import export_incidents
from geodata.store.event_store import Store, article_id
from geodata.view import IncidentFilter
from tests.fixtures_gazetteer import tiny_gazetteer
from tests.ingest_support import corpus, dump

STRIKE = "A Russian missile strike on Kharkiv killed 3 people on Monday, officials said."
SAME = "Three people were killed when a Russian missile hit Kharkiv on Monday, the governor said."
RALLY = "Protesters rallied in Paris on Tuesday against the government."


def _store(tmp_path: Path, texts: list[str], name: str = "s.duckdb") -> Store:
    store = Store(tmp_path / name)
    records = [{"id": f"a{i}", "text": t, "published": "2024-11-13"} for i, t in enumerate(texts)]
    ingest_records(records, store=store, loader=tiny_gazetteer, batch_size=1)
    return store


def _span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def _other_entry(name: str, chosen: str | None) -> Any:
    return next(e for e in tiny_gazetteer().lookup(name) if e.id != chosen)


def test_reextracting_unchanged_articles_leaves_every_row_as_it_was(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.duckdb")
    ingest_records(corpus(60), store=store, loader=tiny_gazetteer, batch_size=25)
    before = dump(store.path)
    assert before["incidents"] and any(n > 1 for n in (r for r in _n_sources(store)))

    stats = reextract(store=store, loader=tiny_gazetteer, batch_size=7)

    assert dump(store.path) == before
    assert stats.articles == 60 and stats.failed == 0
    assert stats.before == stats.after == len(before["incidents"])
    assert (stats.added, stats.removed, stats.changed) == (0, 0, 0)
    # one article: its group only, still the same rows
    some = article_id(corpus(60)[13]["text"])
    assert reextract([some], store=store, loader=tiny_gazetteer).articles >= 1
    assert dump(store.path) == before


def _n_sources(store: Store) -> list[int]:
    return [int(i["n_sources"]) for i in store.incidents()]


def test_a_fix_moves_the_incident_in_the_store_and_the_csv(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE, RALLY])
    aid = article_id(STRIKE)
    (old,) = [i for i in store.incidents() if i["article_id"] == aid]
    place = next(p for p in store.places(aid) if p["text"] == "Kharkiv")
    target = _other_entry("Kharkiv", place["entry_id"])
    start, end = _span(STRIKE, "Kharkiv")
    store.add_correction(article_id=aid, start=start, end=end, entry_id=target.id)

    stats = reextract([aid], store=store, loader=tiny_gazetteer)

    (new,) = [i for i in store.incidents() if i["article_id"] == aid]
    assert new["id"] == old["id"]  # the same incident, moved: a selection by id holds
    assert (new["lat"], new["lon"]) == pytest.approx((target.lat, target.lon))
    assert (old["lat"], old["lon"]) != pytest.approx((target.lat, target.lon))
    assert next(p for p in store.places(aid) if p["text"] == "Kharkiv")["entry_id"] == target.id
    assert (stats.articles, stats.changed, stats.added, stats.removed) == (1, 1, 0, 0)
    out = tmp_path / "out.csv"
    export_incidents(store, out, format="csv")
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert float(rows[old["id"]]["lat"]) == pytest.approx(target.lat)
    # the other article was not touched
    assert len(store.incidents()) == 2


def test_a_dropped_mention_takes_its_incident_away(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE, RALLY])
    aid = article_id(STRIKE)
    start, end = _span(STRIKE, "Kharkiv")
    store.add_correction(article_id=aid, start=start, end=end, entry_id=None)
    stats = reextract([aid], store=store, loader=tiny_gazetteer)
    assert [i for i in store.incidents() if i["article_id"] == aid] == []
    assert "Kharkiv" not in [p["text"] for p in store.places(aid)]
    assert (stats.before, stats.after, stats.removed) == (1, 0, 1)
    assert store.corrections(aid)  # the fix itself stays, for later re-extractions


def test_a_fix_in_one_report_of_a_merged_incident_rewrites_the_group(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE, SAME, RALLY])
    first, second = article_id(STRIKE), article_id(SAME)
    (merged,) = [i for i in store.incidents() if i["location"] and "Kharkiv" in i["location"]]
    assert merged["n_sources"] == 2
    place = next(p for p in store.places(first) if p["text"] == "Kharkiv")
    target = _other_entry("Kharkiv", place["entry_id"])
    store.add_correction(
        article_id=first,
        start=_span(STRIKE, "Kharkiv")[0],
        end=_span(STRIKE, "Kharkiv")[1],
        entry_id=target.id,
    )

    stats = reextract([first], store=store, loader=tiny_gazetteer)

    assert stats.articles == 2  # the second report of the incident came along
    by_article = {i["article_id"]: i for i in store.incidents()}
    assert (by_article[first]["lat"], by_article[first]["lon"]) == pytest.approx(
        (target.lat, target.lon)
    )
    assert by_article[second]["lat"] == pytest.approx(merged["lat"])
    assert by_article[first]["n_sources"] == by_article[second]["n_sources"] == 1
    assert [s["article_id"] for s in store.incident_sources(by_article[second]["id"])] == [second]


def test_a_failed_extraction_keeps_the_old_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path, [STRIKE, RALLY])
    before = dump(store.path)
    real = extract.extract_article

    def failing(text: str, **kw: Any) -> Any:
        if "Paris" in text:
            raise ValueError("boom")
        return real(text, **kw)

    monkeypatch.setattr(extract, "extract_article", failing)
    errors: list[str] = []
    stats = reextract(store=store, loader=tiny_gazetteer, on_error=errors.append)
    assert stats.failed == 1 and stats.articles == 1
    assert len(errors) == 1 and "boom" in errors[0] and "kept" in errors[0]
    assert dump(store.path) == before


def test_a_gazetteer_that_cannot_load_changes_nothing(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE])
    before = dump(store.path)

    def broken() -> Any:
        raise GazetteerError("no index here")

    with pytest.raises(GazetteerError, match="no index"):
        reextract(store=store, loader=broken)
    assert dump(store.path) == before


def test_a_read_only_store_is_refused(tmp_path: Path) -> None:
    _store(tmp_path, [STRIKE])
    with pytest.raises(StoreError, match="read-only"):
        reextract(store=Store(tmp_path / "s.duckdb", read_only=True), loader=tiny_gazetteer)


def test_progress_counts_articles(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE, SAME, RALLY])
    seen: list[tuple[int, int]] = []
    reextract(
        store=store, loader=tiny_gazetteer, batch_size=1, progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]  # a report a batch, then one write


# --- the store's article methods --------------------------------------------------------------


def test_linked_articles_are_grouped_by_shared_incidents(tmp_path: Path) -> None:
    store = _store(tmp_path, [RALLY, STRIKE, SAME])
    rally, first, second = (article_id(t) for t in (RALLY, STRIKE, SAME))
    with store.transaction() as tx:
        every = [[a["id"] for a in g] for g in tx.linked_articles()]
        one = [[a["id"] for a in g] for g in tx.linked_articles([second])]
        none = tx.linked_articles(["not-stored"])
        text = tx.linked_articles([first])[0][0]["text"]
    assert every == [[rally], [first, second]]  # ingest order, within and across groups
    assert one == [[first, second]]
    assert none == [] and text == STRIKE


def test_deleting_one_report_keeps_the_incident_with_the_other(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE, SAME])
    first, second = article_id(STRIKE), article_id(SAME)
    (merged,) = store.incidents()
    store.add_correction(article_id=first, start=0, end=1, entry_id=None)

    assert store.delete_articles([first]) == {"articles": 1, "incidents": 0}

    (kept,) = store.incidents()
    assert kept["id"] == merged["id"] and kept["n_sources"] == 1
    assert kept["article_id"] == second
    assert [(s["article_id"]) for s in store.incident_sources(kept["id"])] == [second]
    assert store.article(first) is None and store.places(first) == []
    assert store.corrections(first) == []
    # a new report numbers after the one left, not over it
    with store.transaction() as tx:
        tx.add_source(kept["id"], first, "again", 0, 5)
    assert [s["sentence"] for s in store.incident_sources(kept["id"])][-1] == "again"
    assert store.delete_articles([second, first])["incidents"] == 1
    assert store.incidents() == []


def test_the_article_list_pages_and_searches(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE, SAME, RALLY])
    listed = store.articles()
    assert [a["id"] for a in listed] == [article_id(t) for t in (RALLY, SAME, STRIKE)]
    rally = listed[0]
    assert rally["chars"] == len(RALLY) and rally["places"] >= 1
    assert rally["incidents"] == 1 and rally["corrections"] == 0 and "text" not in rally
    assert [a["id"] for a in store.articles(search="paris")] == [article_id(RALLY)]
    assert [a["id"] for a in store.articles(search=article_id(SAME)[:6])] == [article_id(SAME)]
    assert store.articles(search="100%_") == [] and store.count_articles(search="kharkiv") == 2
    assert [a["id"] for a in store.articles(limit=1, offset=1)] == [article_id(SAME)]
    assert store.count_articles() == 3


def test_an_articles_incidents_and_the_articles_of_a_filter(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE, SAME, RALLY])
    (inc,) = store.article_incidents(article_id(SAME))
    assert inc["sentence"] == SAME and inc["n_sources"] == 2
    assert SAME[inc["source_start"] : inc["source_end"]] == inc["sentence"]
    protests = store.article_ids(IncidentFilter(types=("Protests",)))
    assert protests == [article_id(RALLY)]
    assert store.article_ids(countries=["UA"]) == [article_id(STRIKE), article_id(SAME)]


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def tiny_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from extract.sources import _distributed

    monkeypatch.setattr(_distributed, "default_loader", tiny_gazetteer)


def test_the_command_line_reextracts_an_article_a_filter_or_all(
    tmp_path: Path, tiny_default: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from extract import cli

    store = _store(tmp_path, [STRIKE, SAME, RALLY])
    db = str(store.path)
    aid = article_id(STRIKE)
    target = _other_entry("Kharkiv", store.places(aid)[0]["entry_id"])
    start, end = _span(STRIKE, "Kharkiv")
    store.add_correction(article_id=aid, start=start, end=end, entry_id=target.id)

    assert cli.main(["reextract", "--db", db, "--country", "FR"]) == 0
    assert "articles: 1 re-extracted" in capsys.readouterr().err
    assert all(i["lat"] != pytest.approx(target.lat) for i in store.incidents())

    assert cli.main(["reextract", "--db", db, "--article", aid]) == 0
    err = capsys.readouterr().err
    assert "articles: 2 re-extracted" in err and "1 changed" in err
    assert any(i["lat"] == pytest.approx(target.lat) for i in store.incidents())
    assert cli.main(["reextract", "--db", db, "--all", "-q"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "choose the articles"),
        (["--all", "--article", "x"], "choose the articles"),
        (["--article", "nope"], "no stored article nope"),
        (["--country", "JP"], "no stored article reports"),
        (["--all", "--from", "2030-13-01"], "YYYY-MM-DD"),
    ],
)
def test_the_command_line_refuses_what_it_cannot_do(
    tmp_path: Path,
    tiny_default: None,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    from extract import cli

    store = _store(tmp_path, [STRIKE])
    with pytest.raises(SystemExit) if "YYYY" in message else nullcontext():
        code = cli.main(["reextract", "--db", str(store.path), *args])
        assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_re_extracting_a_realistic_corpus_gives_the_rows_of_a_fresh_ingest(
    tmp_path: Path, real: Any
) -> None:
    """400 synthetic news articles with the real gazetteer: many incidents merge across
    articles, and a group's incidents can match others ingested later. Re-extracting every
    article replays the ingest exactly; re-extracting some leaves the others' rows alone."""
    from bench.synth import generate
    from geodata.gazetteer.index import load_gazetteer

    records = list(generate(400, seed=7))
    store = Store(tmp_path / "r.duckdb")
    ingest_records(records, store=store, loader=load_gazetteer, batch_size=150)
    before = dump(store.path)
    assert any(n > 1 for n in _n_sources(store))

    stats = reextract(store=store, loader=load_gazetteer, batch_size=64)

    assert dump(store.path) == before
    assert (stats.articles, stats.added, stats.removed, stats.changed) == (400, 0, 0, 0)
    some = [article_id(r["text"]) for r in records[5:400:37]]
    stats = reextract(some, store=store, loader=load_gazetteer)
    assert stats.articles >= len(some) and stats.failed == 0
    after = dump(store.path)
    assert after["articles"] == before["articles"] and after["places"] == before["places"]


def test_a_changed_page_replaces_its_article_without_duplicating_incidents(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path, [STRIKE, SAME, RALLY])
    first, second = article_id(STRIKE), article_id(SAME)
    old = store.article(second)
    changed = SAME.replace("Three people were", "Five people were")
    stats = reextract(
        [],  # only the replaced article's group
        store=store,
        loader=tiny_gazetteer,
        replacements={second: {"text": changed, "title": "Updated"}},
    )
    new = article_id(changed)
    assert store.article(second) is None
    art = store.article(new)
    assert art["title"] == "Updated" and art["ingested_at"] == old["ingested_at"]
    assert [a["id"] for a in store.articles()][1] == new  # the old one's place in the list
    kharkiv = [i for i in store.incidents() if i["location"] == "Kharkiv"]
    assert len(kharkiv) == 1 and kharkiv[0]["n_sources"] == 2  # still one incident, two reports
    assert {s["article_id"] for s in store.incident_sources(kharkiv[0]["id"])} == {first, new}
    assert stats.articles == 2 and len(store.incidents()) == 2


def test_replacing_an_article_with_a_text_already_stored_keeps_one(tmp_path: Path) -> None:
    store = _store(tmp_path, [STRIKE, RALLY])
    rally = article_id(RALLY)
    reextract([], store=store, loader=tiny_gazetteer, replacements={rally: {"text": STRIKE}})
    assert store.count_articles() == 1 and store.article(rally) is None
    assert len(store.incidents()) == 1
