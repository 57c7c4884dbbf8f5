"""A small in-memory gazetteer with real facts, for fast unit tests of lookup and extraction.

Ids, coordinates and populations follow GeoNames (and the real index built by
:mod:`geodata.gazetteer._build`), so a test that passes here describes the real world, not a toy.
Build it with :func:`tiny_gazetteer`; it is cached, so every test module shares one instance.

Not a ``conftest.py`` on purpose: import :func:`tiny_gazetteer` and wrap it in a fixture.
"""

from __future__ import annotations

from functools import lru_cache

from geodata.gazetteer._raw_entry import RawEntry
from geodata.gazetteer.index import Gazetteer

__all__ = ["COMMON", "DEMONYMS", "ENTRIES", "GIVEN_NAMES", "tiny_gazetteer"]


def _country(gid: int, name: str, cc: str, lat: float, lon: float, pop: int, *alts: str):
    return RawEntry(
        id=f"gn:{gid}",
        geonameid=gid,
        name=name,
        kind="country",
        lat=lat,
        lon=lon,
        country=cc,
        population=pop,
        alternates=list(alts),
    )


def _city(
    gid: int,
    name: str,
    cc: str,
    admin1: str,
    lat: float,
    lon: float,
    pop: int,
    *alts: str,
    capital: bool = False,
):
    return RawEntry(
        id=f"gn:{gid}",
        geonameid=gid,
        name=name,
        kind="city",
        lat=lat,
        lon=lon,
        country=cc,
        admin1=admin1,
        population=pop,
        alternates=list(alts),
        capital=capital,
    )


def _adm1(
    code: str,
    name: str,
    lat: float,
    lon: float,
    pop: int,
    *alts: str,
    gid: int | None = None,
    postal: str | None = None,
):
    cc = code.split(".")[0]
    return RawEntry(
        id=f"adm1:{code}",
        geonameid=gid,
        name=name,
        kind="adm1",
        lat=lat,
        lon=lon,
        country=cc,
        admin1=name,
        population=pop,
        alternates=list(alts),
        qualifier_only=[postal] if postal else [],
    )


ENTRIES: list[RawEntry] = [
    # countries
    _country(690791, "Ukraine", "UA", 49.0, 32.0, 44622516, "Ukrayina"),
    _country(2017370, "Russia", "RU", 60.0, 100.0, 144478050, "Russian Federation"),
    _country(
        6252001,
        "United States",
        "US",
        38.0,
        -97.0,
        327167434,
        "US",
        "U.S.",
        "USA",
        "America",
        "United States",
        "United States of America",
    ),
    _country(614540, "Georgia", "GE", 42.0, 43.5, 3704500, "Sakartvelo"),
    _country(798544, "Poland", "PL", 52.0, 20.0, 37978548, "Republic of Poland"),
    _country(1835841, "South Korea", "KR", 37.0, 127.5, 51635256, "Republic of Korea"),
    _country(1873107, "North Korea", "KP", 40.0, 127.0, 25549819, "DPRK"),
    _country(248816, "Jordan", "JO", 31.0, 36.0, 9956011),
    _country(3017382, "France", "FR", 46.0, 2.0, 66987244),
    # first-level divisions
    _adm1("RU.41", "Kursk", 51.70038, 36.23517, 797689, "Kursk Oblast", "Kurskaya oblast'"),
    _adm1("UA.07", "Kharkiv", 49.6, 36.5, 2711000, "Kharkiv Oblast"),
    _adm1("US.GA", "Georgia", 32.85487, -83.18726, 4835606, "Ga.", gid=4197000, postal="GA"),
    _adm1("US.WA", "Washington", 47.30136, -120.67073, 6544495, "Wash.", gid=5815135, postal="WA"),
    _adm1("US.ID", "Idaho", 45.36993, -114.06965, 1216149, gid=5596512, postal="ID"),
    _adm1("US.MO", "Missouri", 38.28046, -92.41517, 4264690, "Mo.", gid=4398678, postal="MO"),
    # cities
    _city(538560, "Kursk", "RU", "Kursk", 51.72689, 36.18457, 448733, "Koursk"),
    _city(706483, "Kharkiv", "UA", "Kharkiv", 49.98177, 36.25475, 1421125, "Kharkov", "Charkiw"),
    _city(
        687700,
        "Zaporizhzhya",
        "UA",
        "Zaporizhia",
        47.85167,
        35.11714,
        710052,
        "Zaporizhzhia",
        "Zaporozhye",
    ),
    # the 656-person village that shares the city's name
    _city(687684, "Zaporizhzhia", "UA", "Zaporizhia", 46.96173, 35.04281, 656, "Zaporizhzhya"),
    _city(524901, "Moscow", "RU", "Moscow", 55.75204, 37.61781, 10381222, "Moskva", capital=True),
    _city(5601538, "Moscow", "US", "Idaho", 46.73239, -117.00017, 25060),
    _city(
        4140963,
        "Washington",
        "US",
        "District of Columbia",
        38.89511,
        -77.03637,
        689545,
        "Washington, D.C.",
        "Washington DC",
        "D.C.",
        capital=True,
    ),
    _city(703448, "Kyiv", "UA", "Kyiv City", 50.45466, 30.5238, 2952301, "Kiev", capital=True),
    _city(4180439, "Atlanta", "US", "Georgia", 33.749, -84.38798, 510823),
    _city(611717, "Tbilisi", "GE", "T'bilisi", 41.69143, 44.83412, 1049498, capital=True),
    _city(5809844, "Seattle", "US", "Washington", 47.60621, -122.33207, 780995),
    _city(5811696, "Spokane", "US", "Washington", 47.65966, -117.42908, 208916),
    _city(1871859, "Pyongyang", "KP", "Pyongyang", 39.03385, 125.75432, 3222000, capital=True),
    _city(2988507, "Paris", "FR", "Ile-de-France", 48.85341, 2.3488, 2138551, capital=True),
    _city(4394905, "Lemay", "US", "Missouri", 38.53339, -90.27928, 16645),
    # a district of Kyiv that GeoNames lists as a populated place; Kharkiv has one of the
    # same name that the gazetteer lacks
    _city(13546521, "Shevchenkivskyi", "UA", "Kyiv City", 50.46408, 30.46576, 220077),
    # homonyms and qualifiers: a district of Helmand that the gazetteer lacks (only a Syrian
    # town has the name), a Kenyan coast village that shares its name with a town in Papua New
    # Guinea, an oblast named apart from its centre city, a Spanish town that is also a surname,
    # and a Turkish village whose other name is an armed group's
    _country(1149361, "Afghanistan", "AF", 33.0, 65.0, 37172386),
    _country(192950, "Kenya", "KE", 1.0, 38.0, 51393010, "Republic of Kenya"),
    _adm1("AF.10", "Helmand", 31.43886, 64.06696, 144909, "Helmand Province"),
    _adm1("KE.30", "Lamu", -2.22259, 40.77506, 43826, "Lamu Region"),
    _adm1("UA.04", "Dnipropetrovsk", 48.32802, 35.28792, 3074286, "Dnipropetrovsk Oblast"),
    _adm1("US.IN", "Indiana", 39.82519, -86.31305, 4629607, "Ind.", gid=4921868, postal="IN"),
    _city(166365, "Nawá", "SY", "Daraa", 32.88646, 36.03905, 47066),
    _city(2093846, "Kiunga", "PG", "Western Province", -6.12193, 141.29061, 11536),
    _city(186325, "Mokowe", "KE", "Lamu", -2.23679, 40.84555, 4249),
    _city(184745, "Nairobi", "KE", "Nairobi Area", -1.28333, 36.81667, 4397073, capital=True),
    _city(709930, "Dnipro", "UA", "Dnipropetrovsk", 48.46664, 35.04066, 968502, "Dnepr"),
    _city(3117814, "Lugo", "ES", "Galicia", 43.00992, -7.55602, 98025),
    _city(320635, "Bozhüyük", "TR", "Siirt", 37.981, 41.41328, 1140, "Taliban"),
    RawEntry(
        id="region:dnipro-river",
        name="Dnipro River",
        kind="region",
        lat=47.5,
        lon=34.0,
        country="UA",
        alternates=["Dnipro", "Dnieper"],
    ),
    # small places whose names are English words
    _city(3088462, "Police", "PL", "Greater Poland Voivodeship", 52.36522, 18.46991, 520),
    _city(13645568, "May", "IN", "Gujarat", 23.43039, 70.39481, 2523),
]

DEMONYMS: dict[str, str] = {
    "Ukrainian": "gn:690791",
    "Ukrainians": "gn:690791",
    "Russian": "gn:2017370",
    "Russians": "gn:2017370",
    "North Korean": "gn:1873107",
    "North Koreans": "gn:1873107",
    "Georgian": "gn:614540",
    "American": "gn:6252001",
    "Kenyan": "gn:192950",
    "Afghan": "gn:1149361",
}

COMMON: dict[str, float] = {"police": 5.3}

GIVEN_NAMES: list[str] = ["michael", "paris", "theresa", "leandro", "anselmo", "baltasar", "may"]


@lru_cache(maxsize=1)
def tiny_gazetteer() -> Gazetteer:
    """The fixture gazetteer (built once per process; it is read-only)."""
    return Gazetteer.from_entries(
        ENTRIES, demonyms=DEMONYMS, common=COMMON, given_names=GIVEN_NAMES
    )
