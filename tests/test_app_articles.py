"""The Articles page under AppTest: the list of stored articles, an article reopened, a fix
that re-extracts it (the store and the map follow), re-extraction of many, deletion."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.app_support import (
    copy_store,
    layer_features,
    map_args,
    rerun,
    run_app,
    sample_store_template,
)
from tests.ingest_support import dump
from ui import state

PAGE = "pages/articles.py"
SECOND = (
    "ODESA, 3 November 2024 - A Russian drone attack on Odesa injured four people on Sunday, "
    "the regional governor said."
)


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    path = copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path)
    monkeypatch.setenv("DATELINE_DB", str(path))
    return path


def _add_second(db: Path) -> str:
    from extract.sources.ingest import ingest_records
    from geodata.store.event_store import Store, article_id
    from ui import resources

    ingest_records(
        [{"id": "x", "text": SECOND, "title": "Drone attack on Odesa"}],
        store=Store(db),
        loader=resources.gazetteer,
    )
    return article_id(SECOND)


def _open(at, aid: str):
    at.session_state[state.ARTICLE_OPEN_KEY] = aid
    return rerun(at)


def test_the_list_shows_and_searches_the_stored_articles(db: Path) -> None:
    second = _add_second(db)
    at = run_app(PAGE)
    assert at.title[0].value == "Articles"
    assert any("2 articles, the last added first" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert table["title"].tolist()[0] == "Drone attack on Odesa"  # the last added first
    assert table["incidents"].tolist()[0] >= 1
    at.text_input(key=state.ARTICLES_SEARCH_KEY).input("drone attack")
    rerun(at)
    assert at.dataframe[0].value["title"].tolist() == ["Drone attack on Odesa"]
    at.text_input(key=state.ARTICLES_SEARCH_KEY).input(second[:8])
    rerun(at)
    assert len(at.dataframe[0].value) == 1
    at.text_input(key=state.ARTICLES_SEARCH_KEY).input("no such words anywhere")
    rerun(at)
    assert any("No stored article matches" in i.value for i in at.info)


def test_an_article_reopens_as_stored_and_a_fix_moves_its_incident(db: Path) -> None:
    from geodata.store.event_store import Store

    aid = _add_second(db)
    store = Store(db)
    (before,) = store.article_incidents(aid)
    at = _open(run_app(PAGE), aid)
    assert any("Drone attack on Odesa" in m.value for m in at.markdown)
    html = " ".join(h.proto.body for h in at.get("html"))
    assert ">Odesa</mark>" in html
    mentions = at.selectbox(key=f"{state.FIX_MENTION_KEY_PREFIX}{aid}")
    pick = next(i for i, o in enumerate(mentions.options) if o.startswith("“Odesa” at 51"))
    mentions.select_index(pick)
    rerun(at)
    at.text_input(key=f"{state.FIX_QUERY_KEY_PREFIX}{aid}_51_56").input("Odessa")
    rerun(at)
    entries = at.selectbox(key=f"{state.FIX_ENTRY_KEY_PREFIX}{aid}_51_56")
    texas = next(i for i, o in enumerate(entries.options) if "Odessa, Texas, US (" in o)
    entries.select_index(texas)
    rerun(at)
    at.button(key=f"{state.FIX_SAVE_KEY_PREFIX}{aid}_51_56").click()
    rerun(at)

    assert any("extracted again" in s.value for s in at.success)
    (after,) = store.article_incidents(aid)
    assert after["id"] == before["id"] and after["country"] == "US"
    # the map draws it at its new place
    at.switch_page("pages/map.py")
    rerun(at)
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 3))
    rerun(at)
    drawn = {f["properties"]["id"]: f for f in layer_features(map_args(at))}
    lon, lat = drawn[after["id"]]["geometry"]["coordinates"]
    assert (lat, lon) == pytest.approx((after["lat"], after["lon"])) and lon < -90


def test_a_phrase_with_no_match_is_searched_word_by_word() -> None:
    from tests.fixtures_gazetteer import tiny_gazetteer
    from ui.articles_view import gazetteer_choices

    gaz = tiny_gazetteer()
    found = gazetteer_choices(gaz, "the Kursk region", "the Kursk region")
    assert {e.id for e in found} >= {"adm1:RU.41", "gn:538560"}
    assert gazetteer_choices(gaz, "Kursk", "") and not gazetteer_choices(gaz, "Zzz", "Zzz qq")


def test_re_extracting_the_filters_articles_or_all_keeps_unchanged_rows(db: Path) -> None:
    _add_second(db)
    before = dump(db)
    at = run_app(PAGE)
    at.sidebar.multiselect(key=state.TYPES_KEY).select("Battles")
    rerun(at)
    scope = at.radio(key=f"{state.REEXTRACT_SCOPE_KEY}_2")
    assert scope.value == "The 1 article behind the sidebar's filters"
    assert scope.options[1] == "All 2 stored articles"
    at.button(key=f"{state.REEXTRACT_KEY_PREFIX}many").click()
    rerun(at)
    assert any("articles\\: 1 re\\-extracted" in s.value for s in at.success), [
        (s.value) for s in at.success
    ] + [e.value for e in at.error]
    scope = at.radio(key=f"{state.REEXTRACT_SCOPE_KEY}_2")
    scope.set_value(scope.options[1])
    rerun(at)
    at.button(key=f"{state.REEXTRACT_KEY_PREFIX}many").click()
    rerun(at)
    assert any("articles\\: 2 re\\-extracted" in s.value for s in at.success)
    assert dump(db) == before


def test_an_article_can_be_deleted(db: Path) -> None:
    from geodata.store.event_store import Store

    aid = _add_second(db)
    at = _open(run_app(PAGE), aid)
    at.button(key=f"{state.DELETE_ARTICLE_KEY_PREFIX}{aid}").click()
    rerun(at)
    assert Store(db).article(aid) is None
    assert any("Deleted “Drone attack on Odesa”" in s.value.replace("\\", "") for s in at.success)
    assert (
        at.session_state[state.ARTICLE_OPEN_KEY]
        if state.ARTICLE_OPEN_KEY in at.session_state
        else True
    )
    assert len(at.dataframe[0].value) == 1


def test_a_read_only_store_offers_no_changes(db: Path, monkeypatch) -> None:
    from geodata.store.event_store import Store

    (article,) = Store(db).articles()
    monkeypatch.setattr(Store, "writable", lambda self: False)
    at = _open(run_app(PAGE), article["id"])
    aid = article["id"]
    assert at.button(key=f"{state.REEXTRACT_KEY_PREFIX}one_{aid}").disabled
    assert at.button(key=f"{state.REEXTRACT_KEY_PREFIX}many").disabled
    first = Store(db).places(aid)[0]  # the mention the fix form starts with
    assert at.button(
        key=f"{state.FIX_DROP_KEY_PREFIX}{aid}_{first['start']}_{first['end']}"
    ).disabled
    popovers = [p.proto.popover for p in at.get("popover") if p.proto.popover.label == "Delete"]
    assert len(popovers) == 1 and popovers[0].disabled


def test_an_incidents_details_open_its_article(db: Path) -> None:
    from geodata.store.event_store import Store

    store = Store(db)
    (article,) = store.articles()
    row = store.article_incidents(article["id"])[0]
    at = run_app("pages/incidents.py")
    at.session_state[state.SELECTED_KEY] = row
    rerun(at)
    at.button(key=f"{state.OPEN_ARTICLE_KEY_PREFIX}{row['id']}_{article['id']}").click()
    rerun(at)
    assert at.title[0].value == "Articles"
    assert at.session_state[state.ARTICLE_OPEN_KEY] == article["id"]
    assert at.selectbox(key=f"{state.FIX_MENTION_KEY_PREFIX}{article['id']}") is not None
