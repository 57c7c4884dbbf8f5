"""Acceptance on the bundled sample article and hard cases, with the real gazetteer.

The expectations are embedded below (from ``shared/seed/expected.json``, facts checked against
the article and GeoNames) and cross-checked with that file when it is present next to the repo.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import extract_article
from geodata.distance import km_apart as km
from geodata.gazetteer.index import Gazetteer
from geodata.records import Article, Place
from geodata.sample import SAMPLE_PATH, SAMPLE_PUBLISHED, sample_article

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_FILE = ROOT.parent / "shared" / "seed" / "expected.json"

# (text, first offset, [lat, lon], tolerance km, country) of the places an extractor must get
MUST_POINTS: list[tuple[str, int, tuple[float, float], float, str]] = [
    ("Kursk", 59, (51.727, 36.185), 161, "RU"),
    ("Kharkiv", 258, (49.982, 36.255), 25, "UA"),
    ("Shevchenkivskyi district", 193, (49.982, 36.255), 25, "UA"),
    ("Zaporizhzhia", 1026, (47.852, 35.117), 25, "UA"),
    ("Pyongyang", 84, (39.034, 125.754), 25, "KP"),
    ("Moscow", 663, (55.752, 37.618), 25, "RU"),
    ("Kyiv", 73, (50.455, 30.524), 25, "UA"),
    ("Washington", 2818, (38.895, -77.036), 25, "US"),
]
# (text, country) of the countries an extractor must get
MUST_COUNTRIES: list[tuple[str, str]] = [
    ("Russia", "RU"),
    ("Ukraine", "UA"),
    ("North Korea", "KP"),
    ("South Korea", "KR"),
    ("Lithuania", "LT"),
    ("Poland", "PL"),
    ("Germany", "DE"),
    ("Britain", "GB"),
    ("Canada", "CA"),
    ("Japan", "JP"),
    ("US", "US"),
]
# expected from a good extractor ("should"); kept here as a regression guard
SHOULD_POINTS: list[tuple[str, int, tuple[float, float], float, str]] = [
    ("Donbas", 3035, (48.3, 38.5), 161, "UA"),
]
SHOULD_COUNTRIES: list[tuple[str, str]] = [("Australia", "AU"), ("New Zealand", "NZ")]


@pytest.fixture(scope="module")
def article(real: Gazetteer) -> Article:
    sample = sample_article()
    return extract_article(
        sample["text"],
        published=sample["published"],
        gazetteer=real,
        doc_id=sample["id"],
        title=sample["title"],
    )


def mentions(article: Article, surface: str) -> list[Place]:
    return [p for p in article.places if p.text == surface]


# --- the embedded table against the seed file -----------------------------------------------


@pytest.mark.skipif(not EXPECTED_FILE.exists(), reason="no shared/seed/expected.json here")
def test_embedded_table_matches_the_seed_file() -> None:
    expected = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
    assert expected["published"] == SAMPLE_PUBLISHED
    points = {
        (p["text"], p["first_offset"], tuple(p["latlon"]), p["tolerance_km"], p["country"])
        for p in expected["places"]
        if "latlon" in p and p["must"]
    }
    countries = {
        (p["text"], p["country"])
        for p in expected["places"]
        if p.get("feature") == "country" and p["must"]
    }
    assert points == set(MUST_POINTS)
    assert countries == set(MUST_COUNTRIES)
    should_points = {
        (p["text"], p["first_offset"], tuple(p["latlon"]), p["tolerance_km"], p["country"])
        for p in expected["places"]
        if "latlon" in p and not p["must"]
    }
    assert should_points == set(SHOULD_POINTS)


@pytest.mark.skipif(
    not (EXPECTED_FILE.parent / "kursk-clashes.txt").exists(), reason="no shared seed text"
)
def test_bundled_sample_is_the_seed_text() -> None:
    seed = (EXPECTED_FILE.parent / "kursk-clashes.txt").read_text(encoding="utf-8")
    assert SAMPLE_PATH.read_text(encoding="utf-8") == seed


@pytest.mark.parametrize(("surface", "offset"), [(p[0], p[1]) for p in MUST_POINTS + SHOULD_POINTS])
def test_table_offsets_point_at_the_names(surface: str, offset: int) -> None:
    text = sample_article()["text"]
    assert text[offset : offset + len(surface)] == surface
    assert text.find(surface) == offset  # the first occurrence


# --- the sample article ---------------------------------------------------------------------


def test_article_record(article: Article) -> None:
    assert article.id == "kursk-clashes"
    assert article.published == "2024-11-05"
    assert article.title.startswith("Ukrainian and North Korean troops")
    text = article.text
    for p in article.places:
        assert text[p.start : p.end] == p.text
    starts = [p.start for p in article.places]
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    ("surface", "offset", "latlon", "tolerance", "country"),
    MUST_POINTS,
    ids=[p[0] for p in MUST_POINTS],
)
def test_must_place(
    article: Article,
    surface: str,
    offset: int,
    latlon: tuple[float, float],
    tolerance: float,
    country: str,
) -> None:
    first = [p for p in article.places if p.start == offset]
    assert first and first[0].text == surface, f"no mention {surface!r} at {offset}"
    every = mentions(article, surface)
    for p in every:
        assert p.lat is not None and p.lon is not None, p
        d = km((p.lat, p.lon), latlon)
        assert d <= tolerance, f"{surface} at {p.start} resolved to {p.name} {d:.0f} km away"
        assert p.country == country, p


@pytest.mark.parametrize(("surface", "cc"), MUST_COUNTRIES, ids=[c[0] for c in MUST_COUNTRIES])
def test_must_country(article: Article, surface: str, cc: str) -> None:
    found = mentions(article, surface)
    assert found, f"{surface!r} not found"
    for p in found:
        assert (p.kind, p.country) == ("country", cc), p


@pytest.mark.parametrize(
    ("surface", "offset", "latlon", "tolerance", "country"),
    SHOULD_POINTS,
    ids=[p[0] for p in SHOULD_POINTS],
)
def test_should_place(
    article: Article,
    surface: str,
    offset: int,
    latlon: tuple[float, float],
    tolerance: float,
    country: str,
) -> None:
    (p,) = [p for p in article.places if p.start == offset]
    assert p.text == surface
    assert km((p.lat, p.lon), latlon) <= tolerance
    assert p.country == country


@pytest.mark.parametrize(("surface", "cc"), SHOULD_COUNTRIES, ids=[c[0] for c in SHOULD_COUNTRIES])
def test_should_country(article: Article, surface: str, cc: str) -> None:
    found = mentions(article, surface)
    assert found and all((p.kind, p.country) == ("country", cc) for p in found)


def test_specific_entries(article: Article) -> None:
    """The GeoNames entries named in the expectations' references."""
    assert {p.geonameid for p in mentions(article, "Kharkiv")} == {706483}
    assert {p.geonameid for p in mentions(article, "Zaporizhzhia")} == {687700}
    assert {p.geonameid for p in mentions(article, "Pyongyang")} == {1871859}
    assert {p.geonameid for p in mentions(article, "Moscow")} == {524901}
    assert {p.geonameid for p in mentions(article, "Kyiv")} == {703448}
    assert {p.geonameid for p in mentions(article, "Washington")} == {4140963}
    district = mentions(article, "Shevchenkivskyi district")
    assert len(district) == 2  # the photo caption is repeated
    assert all(p.kind == "district" and p.precision == "district" for p in district)


def test_kursk_region_mentions_are_the_oblast(article: Article) -> None:
    text = article.text
    for phrase in ["Russia’s Kursk region", "in Kursk region"]:
        start = text.index(phrase) + phrase.index("Kursk")
        (p,) = [p for p in article.places if p.start == start]
        assert (p.entry_id, p.kind) == ("adm1:RU.41", "adm1"), phrase


# --- forbidden outcomes ---------------------------------------------------------------------


def test_zaporizhzhia_is_never_the_village(article: Article) -> None:
    assert all(p.geonameid != 687684 for p in article.places)
    assert len(mentions(article, "Zaporizhzhia")) == 2


def test_moscow_is_never_outside_russia(article: Article) -> None:
    moscow = mentions(article, "Moscow")
    assert len(moscow) == article.text.count("Moscow") == 7
    assert all(p.country == "RU" for p in moscow)


ASSOCIATIVE = [
    pytest.param("Kyiv says", "Kyiv", id="Kyiv says (headline)"),
    pytest.param("Kyiv said Ukrainian", "Kyiv", id="Kyiv said"),
    pytest.param("Washington suspects", "Washington", id="Washington suspects"),
    pytest.param(
        "Moscow and Pyongyang often hail",
        "Moscow",
        id="Moscow (and Pyongyang) often hail",
    ),
    pytest.param(
        "Pyongyang often hail",
        "Pyongyang",
        id="(Moscow and) Pyongyang often hail",
    ),
]


@pytest.mark.parametrize(("phrase", "surface"), ASSOCIATIVE)
def test_government_mentions_are_associative(article: Article, phrase: str, surface: str) -> None:
    start = article.text.index(phrase) + phrase.index(surface)
    (p,) = [p for p in article.places if p.start == start]
    assert p.text == surface
    assert p.role == "associative"


def test_literal_mentions_stay_literal(article: Article) -> None:
    text = article.text
    for phrase, surface in [
        ("Monday in Kharkiv", "Kharkiv"),
        ("city of Zaporizhzhia in", "Zaporizhzhia"),
        ("talks in Moscow", "Moscow"),
        ("Shevchenkivskyi district after", "Shevchenkivskyi district"),
    ]:
        start = text.index(phrase) + phrase.index(surface)
        (p,) = [p for p in article.places if p.start == start]
        assert p.role == "literal", phrase


def test_demonyms_are_not_places(article: Article) -> None:
    for word in ["Ukrainian", "North Korean", "Russian", "Lithuanian"]:
        found = mentions(article, word)
        assert found and all(p.role == "demonym" for p in found), word


def test_person_names_are_not_places(article: Article) -> None:
    names = ["Rustem Umerov", "Andriy Kovalenko", "Vladimir Putin", "Choe Son Hui"]
    names += ["Daniel McLaughlin", "Denys Klymenko", "Mikhail Tereshchenko"]
    text = article.text
    for name in names:
        pos = text.find(name)
        assert pos >= 0
        while pos >= 0:
            end = pos + len(name)
            assert not [p for p in article.places if p.start < end and pos < p.end], name
            pos = text.find(name, end)


def test_extraction_is_deterministic(real: Gazetteer, article: Article) -> None:
    again = extract_article(article.text, published=SAMPLE_PUBLISHED, gazetteer=real)
    assert [p.to_dict() for p in again.places] == [p.to_dict() for p in article.places]


# --- hard cases with the real gazetteer -----------------------------------------------------


def run(text: str, real: Gazetteer) -> Article:
    article = extract_article(text, gazetteer=real)
    for p in article.places:
        assert text[p.start : p.end] == p.text
    return article


def test_all_caps_wire_copy(real: Gazetteer) -> None:
    text = (
        "KYIV, Nov 5 (Reuters) - RUSSIAN DRONES STRUCK KHARKIV OVERNIGHT, KILLING TWO PEOPLE "
        "AND DAMAGING A SUPERMARKET, OFFICIALS SAID ON TUESDAY.\n"
        "Ukraine's air force said it shot down most of the drones."
    )
    article = run(text, real)
    assert [(p.text, p.entry_id, p.role) for p in article.places] == [
        ("KYIV", "gn:703448", "literal"),
        ("RUSSIAN", "gn:2017370", "demonym"),
        ("KHARKIV", "gn:706483", "literal"),
        ("Ukraine", "gn:690791", "literal"),
    ]


def test_all_caps_headline_over_body(real: Gazetteer) -> None:
    text = (
        "ZAPORIZHZHIA STRIKE KILLS SIX AS MOSCOW PRESSES OFFENSIVE\n"
        "A Russian missile hit the southeastern city of Zaporizhzhia on Tuesday."
    )
    article = run(text, real)
    got = {(p.text, p.entry_id) for p in article.places}
    assert ("ZAPORIZHZHIA", "gn:687700") in got
    assert ("MOSCOW", "gn:524901") in got
    assert ("Zaporizhzhia", "gn:687700") in got
    assert not {"STRIKE", "KILLS", "SIX", "PRESSES", "OFFENSIVE"} & {t for t, _ in got}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks in Moscow ended on Monday without an agreement.", "gn:524901"),
        ("Students gathered in Moscow, Idaho, after the killings.", "gn:5601538"),
        (
            "Four University of Idaho students were found dead in Moscow, a college town in "
            "northern Idaho.",
            "gn:5601538",
        ),
    ],
)
def test_moscow_russia_or_idaho(real: Gazetteer, text: str, expected: str) -> None:
    (p,) = [p for p in run(text, real).places if p.text == "Moscow"]
    assert p.entry_id == expected


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Washington said it would send more aid to Kyiv.", "Washington", "gn:4140963"),
        ("Floods hit Washington State on Monday.", "Washington State", "adm1:US.WA"),
        ("Floods hit Washington state on Monday.", "Washington", "adm1:US.WA"),
        ("Storms hit Seattle, Washington, on Monday.", "Washington", "adm1:US.WA"),
        ("Rallies were held in Washington, D.C., on Saturday.", "Washington", "gn:4140963"),
        (
            "Wildfires spread across Washington on Monday, forcing evacuations near Seattle "
            "and Spokane.",
            "Washington",
            "adm1:US.WA",
        ),
    ],
)
def test_washington_dc_or_state(real: Gazetteer, text: str, surface: str, expected: str) -> None:
    (p,) = [p for p in run(text, real).places if p.text == surface]
    assert p.entry_id == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Protesters rallied in Tbilisi on Sunday as Georgia's ruling party claimed victory.",
            "gn:614540",
        ),
        (
            "Storms knocked out power across Georgia on Friday, and Atlanta's airport closed.",
            "adm1:US.GA",
        ),
        ("Storms hit Atlanta, Georgia, on Friday and closed the airport.", "adm1:US.GA"),
        ("Georgian troops were deployed near Tbilisi and across Georgia.", "gn:614540"),
    ],
)
def test_georgia_country_or_state(real: Gazetteer, text: str, expected: str) -> None:
    (p,) = [p for p in run(text, real).places if p.text == "Georgia"]
    assert p.entry_id == expected


def test_lemay_mo(real: Gazetteer) -> None:
    article = run("The man was arrested in Lemay, MO, on Friday after a chase.", real)
    assert [(p.text, p.entry_id) for p in article.places] == [
        ("Lemay", "gn:4394905"),
        ("MO", "adm1:US.MO"),
    ]


def test_common_words_months_and_people_with_real_word_lists(real: Gazetteer) -> None:
    text = (
        "Police said the attack on Kharkiv in March killed two. May brought more strikes, "
        "and Michael Smith said Kharkiv would rebuild."
    )
    assert [p.text for p in run(text, real).places] == ["Kharkiv", "Kharkiv"]


def test_lone_given_name_is_not_a_hamlet(real: Gazetteer) -> None:
    text = "Officials said Michael visited Kharkiv on Monday."
    assert [p.text for p in run(text, real).places] == ["Kharkiv"]
