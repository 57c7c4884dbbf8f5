"""Issue 14's recognition and resolution rules with the real gazetteer: names listed before a
plural type word, a province named like a city abroad, and their counter-cases.

The sentences are written for these tests (real, well-known places; invented events).
"""

from __future__ import annotations

import pytest

from extract import extract_article
from geodata.gazetteer.index import Gazetteer
from geodata.records import Article, Place


def run(text: str, real: Gazetteer) -> Article:
    article = extract_article(text, gazetteer=real, incidents=False)
    for p in article.places:
        assert text[p.start : p.end] == p.text
    return article


def one(article: Article, surface: str) -> Place:
    found = [p for p in article.places if p.text == surface]
    assert len(found) == 1, [(p.text, p.name) for p in article.places]
    return found[0]


# --- "A, B and C counties" ------------------------------------------------------------------


def test_counties_listed_bare_take_the_state_named_later(real: Gazetteer) -> None:
    article = run("Wildfires burned in Marion, Polk and Benton counties in Oregon overnight.", real)
    for name in ("Marion", "Polk", "Benton"):
        p = one(article, name)
        assert (p.kind, p.country, p.admin1) == ("adm2", "US", "Oregon"), (name, p.name, p.admin1)
        assert p.name == f"{name} County"


def test_a_county_whose_name_is_a_word(real: Gazetteer) -> None:
    text = "Voters in Cook County backed the plan, while Lake and DuPage counties rejected it."
    article = run(text, real)
    for name in ("Lake", "DuPage"):
        p = one(article, name)
        assert (p.kind, p.admin1) == ("adm2", "Illinois"), (name, p.name, p.admin1)


def test_the_state_before_a_county_list_stays_the_state(real: Gazetteer) -> None:
    article = run("Officials in Texas, Harris and Fort Bend counties opened shelters.", real)
    assert one(article, "Texas").kind == "adm1"
    assert one(article, "Fort Bend").name == "Fort Bend County"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Drones hit the Kharkiv and Sumy regions overnight.", ("Kharkiv", "Sumy")),
        ("Airstrikes hit Aleppo and Idlib governorates on Tuesday.", ("Aleppo", "Idlib")),
    ],
)
def test_regions_listed_bare_are_areas_not_their_cities(
    real: Gazetteer, text: str, names: tuple[str, ...]
) -> None:
    article = run(text, real)
    for name in names:
        assert one(article, name).kind == "adm1", name


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Leaders of the Gulf states met in Riyadh on Monday.", "Gulf"),
        ("He toured the Balkan states last spring.", "Balkan"),
        ("Arab states condemned the raid.", "Arab"),
    ],
)
def test_a_world_region_before_states_is_no_list_of_provinces(
    real: Gazetteer, text: str, surface: str
) -> None:
    found = [p for p in run(text, real).places if p.text == surface]
    assert all(p.kind in ("region", "continent", "country") for p in found), found


def test_the_united_states_is_still_the_country(real: Gazetteer) -> None:
    assert one(
        run("The United States and Canada signed the deal.", real), "United States"
    ).kind == ("country")


# --- a province named like a city abroad ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Aid trucks entered Gaza on Sunday.",
        "Protesters in London marched in solidarity with Gaza.",
    ],
)
def test_gaza_is_the_palestinian_city(real: Gazetteer, text: str) -> None:
    assert one(run(text, real), "Gaza").country == "PS"


def test_gaza_province_is_the_mozambican_province(real: Gazetteer) -> None:
    p = one(run("Floods hit Gaza province in southern Mozambique.", real), "Gaza")
    assert (p.country, p.kind) == ("MZ", "adm1")


# --- features the index lacks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Barges were stranded on the Ohio River near Louisville.", "Ohio"),
        ("Barges were stranded on the Ohio river near Louisville.", "Ohio"),
        ("Flooding from the Ohio and Wabash rivers reached Louisville.", "Ohio"),
        ("A fire spread across Mount Kenya forest near Nanyuki.", "Kenya"),
        ("The ferry to Vancouver Island left Seattle late.", "Vancouver"),
        ("The ferry to Vancouver Island left Seattle late.", "Island"),
    ],
)
def test_a_name_inside_a_missing_feature_is_not_the_place(
    real: Gazetteer, text: str, absent: str
) -> None:
    assert absent not in [p.text for p in run(text, real).places]


def test_the_river_city_keeps_its_state(real: Gazetteer) -> None:
    article = run("Barges were stranded on the Ohio River near Louisville.", real)
    assert one(article, "Louisville").admin1 == "Kentucky"


def test_features_listed_before_a_plural_are_the_features(real: Gazetteer) -> None:
    article = run("Tourists returned to the Canary and Balearic islands this spring.", real)
    assert one(article, "Canary").name == "Canary Islands"
    assert one(article, "Balearic").name == "Balearic Islands"


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("A drone struck Kherson airport on Monday.", "Kherson", "UA"),
        ("Troops crossed the Dnipro River near Kherson.", "Dnipro River", "UA"),
        ("A boat capsized on Lake Victoria near Kisumu.", "Kisumu", "KE"),
    ],
)
def test_airports_and_indexed_features_keep_their_places(
    real: Gazetteer, text: str, surface: str, cc: str
) -> None:
    assert one(run(text, real), surface).country == cc


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("Barges were stranded on the Ohio River near Louisville.", "Ohio River", "US"),
        ("A fire spread across Mount Kenya forest near Nanyuki.", "Mount Kenya", "KE"),
        ("The ferry to Vancouver Island carried 300 people.", "Vancouver Island", "CA"),
    ],
)
def test_a_missing_feature_is_kept_whole_near_its_namesake(
    real: Gazetteer, text: str, surface: str, cc: str
) -> None:
    p = one(run(text, real), surface)
    assert (p.kind, p.country, p.precision) == ("region", cc, "approximate")
    assert p.geonameid is None


# --- "<Name> State <body>" -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("An Iowa State University student was arrested in Ames.", "Iowa", "adm1"),
        ("The crash closed lanes near Lincoln, Nebraska State Patrol said.", "Nebraska", "adm1"),
        ("The Moscow State University choir sang in Paris.", "Moscow", None),
    ],
)
def test_state_belongs_to_the_body_not_the_place(
    real: Gazetteer, text: str, surface: str, kind: str | None
) -> None:
    article = run(text, real)
    assert not any(p.text.endswith("State") for p in article.places)
    p = one(article, surface)
    assert kind is None or p.kind == kind


def test_oaxaca_state_is_still_one_name(real: Gazetteer) -> None:
    p = one(run("Floods hit Oaxaca State on Monday.", real), "Oaxaca State")
    assert (p.kind, p.country) == ("adm1", "MX")


# --- evidence that is no evidence ----------------------------------------------------------------


def test_a_dateline_city_does_not_make_the_country_its_alias(real: Gazetteer) -> None:
    text = "MEXICO CITY (AP) — Mexico's Senate passed a resolution on Tuesday."
    article = run(text, real)
    assert one(article, "Mexico").kind == "country"
    assert one(article, "MEXICO CITY").kind == "city"


def test_a_state_abbreviation_still_supports_the_state(real: Gazetteer) -> None:
    text = "HELENA, Mont. (AP) — Montana and the prison company are at an impasse."
    p = one(run(text, real), "Montana")
    assert (p.kind, p.country) == ("adm1", "US")


@pytest.mark.parametrize(
    "text",
    [
        "Two dozen Western countries expelled diplomats on Monday.",
        "They tried to bring in that Southern influence in the design.",
    ],
)
def test_a_compass_adjective_before_a_noun_is_no_province(real: Gazetteer, text: str) -> None:
    assert run(text, real).places == []


def test_a_compass_province_with_its_type_word_is_kept(real: Gazetteer) -> None:
    p = one(run("Floods hit Western Province in Sri Lanka on Monday.", real), "Western Province")
    assert (p.kind, p.country) == ("adm1", "LK")


def test_english_towns_do_not_pull_washington_to_england(real: Gazetteer) -> None:
    text = (
        "Britain expelled 23 diplomats after the attack in Salisbury. London said more "
        "measures would follow. In Washington, officials said the United States would act."
    )
    p = one(run(text, real), "Washington")
    assert (p.country, p.kind) == ("US", "city")


def test_a_local_story_sure_of_its_country_keeps_the_small_town(real: Gazetteer) -> None:
    text = (
        "The Floyd County school board met Tuesday in Rome. Board members said buses would "
        "run late, and Cartersville parents complained."
    )
    p = one(run(text, real), "Rome")
    assert (p.country, p.admin1) == ("US", "Georgia")


def test_rome_alone_is_the_capital(real: Gazetteer) -> None:
    assert one(run("Pilgrims gathered in Rome on Sunday.", real), "Rome").country == "IT"


# --- ISO codes after a comma --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "cc", "codes"),
    [
        ("The company moved its offices to Kingston, ON, in 2019.", "Kingston", "CA", ["ON"]),
        ("The office is in Leeds, ENG, GB.", "Leeds", "GB", ["ENG", "GB"]),
        ("She works in Winterthur, ZH, CH.", "Winterthur", "CH", ["ZH", "CH"]),
        ("Shipments left Lyon, FR, on Monday.", "Lyon", "FR", ["FR"]),
    ],
)
def test_iso_codes_after_a_city_qualify_it(
    real: Gazetteer, text: str, place: str, cc: str, codes: list[str]
) -> None:
    article = run(text, real)
    assert one(article, place).country == cc
    for code in codes:
        assert one(article, code).country == cc


def test_letters_after_a_city_with_no_reading_there_are_no_code(real: Gazetteer) -> None:
    article = run("Talks were held in Kyiv, AP, last week.", real)
    assert [p.text for p in article.places] == ["Kyiv"]


# --- figures of speech -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The town has become a Mecca for surfers and tourists.",
        "Critics said the vote would be his Waterloo.",
    ],
)
def test_a_city_as_a_figure_of_speech_is_no_place(real: Gazetteer, text: str) -> None:
    assert run(text, real).places == []


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("A Paris, Tenn., man was arrested on Friday.", "Paris"),
        ("Zhang, a Beijing-based analyst, disagreed.", "Beijing"),
        ("She rented a Kyiv apartment for the winter.", "Kyiv"),
    ],
)
def test_an_article_before_a_literal_place_keeps_it(
    real: Gazetteer, text: str, surface: str
) -> None:
    assert one(run(text, real), surface).kind == "city"


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("Turkish guns shelled Qamishli on Tuesday.", "Qamishli", "SY"),
        ("Strikes hit the port of Hodeidah overnight.", "Hodeidah", "YE"),
    ],
)
def test_an_arabic_name_without_its_article(
    real: Gazetteer, text: str, surface: str, cc: str
) -> None:
    assert one(run(text, real), surface).country == cc


# --- diseases named after places -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A patient died of Lassa fever in a hospital.",
        "The Marburg virus outbreak was declared over.",
        "Cases of West Nile virus rose this summer.",
        "The Spanish flu killed millions in 1918.",
        "Middle East respiratory syndrome cases were reported.",
        "The Crimean-Congo hemorrhagic fever case was the first this year.",
        "The patient had St. Louis encephalitis.",
    ],
)
def test_a_disease_named_after_a_place_is_no_place(real: Gazetteer, text: str) -> None:
    assert run(text, real).places == []


def test_the_place_of_an_outbreak_is_kept(real: Gazetteer) -> None:
    article = run(
        "Ross River virus cases jumped in Queensland, and Lassa fever spread in Edo.", real
    )
    assert [p.text for p in article.places] == ["Queensland", "Edo"]


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        (
            "Police in Dublin said a man was arrested at a grocery on Sawmill Road. Columbus "
            "officers assisted.",
            "Dublin",
            "Ohio",
        ),
        (
            "Lebanon firefighters put out a house fire on Tuesday. Warren County officials "
            "praised the crew, and Mason residents donated food.",
            "Lebanon",
            "Ohio",
        ),
    ],
)
def test_neighbouring_names_decide_a_small_homonym(
    real: Gazetteer, text: str, surface: str, admin1: str
) -> None:
    p = one(run(text, real), surface)
    assert (p.country, p.admin1) == ("US", admin1)


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("Protesters marched in Dublin on Saturday, and rallies followed in Cork.", "Dublin", "IE"),
        ("Lebanon's president met Syrian officials in Beirut.", "Lebanon", "LB"),
    ],
)
def test_the_well_known_place_stays_without_neighbours(
    real: Gazetteer, text: str, surface: str, cc: str
) -> None:
    assert one(run(text, real), surface).country == cc


# --- a town inside a county the story names -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        # the capital of France loses to the small town in the county named
        (
            "A Paris man was charged with arson after a barn fire, Henry County deputies said.",
            "Paris",
            "Tennessee",
        ),
        ("A Moscow man was sentenced in Latah County court on Friday.", "Moscow", "Idaho"),
        (
            "The Hamilton County sheriff said two Cleveland men were arrested.",
            "Cleveland",
            "Tennessee",
        ),
    ],
)
def test_a_town_inside_the_county_named_is_that_town(
    real: Gazetteer, text: str, surface: str, admin1: str
) -> None:
    p = one(run(text, real), surface)
    assert (p.country, p.admin1) == ("US", admin1)


def test_a_county_elsewhere_does_not_move_the_capital(real: Gazetteer) -> None:
    # no Paris lies in any Orange County: the capital stays
    text = "Tourists from Orange County flocked to Paris this summer."
    assert one(run(text, real), "Paris").country == "FR"


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("A Lexington woman was hurt in a crash in Fayette County.", "Kentucky"),
        ("Lexington police said a man fled into Rockbridge County.", "Virginia"),
    ],
)
def test_the_county_named_picks_among_homonyms(real: Gazetteer, text: str, admin1: str) -> None:
    p = one(run(text, real), "Lexington")
    assert (p.country, p.admin1) == ("US", admin1)


# --- "X district": the district, or the town it is named after ------------------------------


def test_district_cue_takes_the_admin2_area(real: Gazetteer) -> None:
    text = "Fighting was reported in Nad Ali district of Helmand."
    p = one(run(text, real), "Nad Ali district")
    assert (p.country, p.kind) == ("AF", "adm2")


# --- "from A to B": the ends are no evidence of each other's state ------------------------


def test_the_far_end_of_a_move_does_not_pull_a_homonym(real: Gazetteer) -> None:
    article = run("The firm moved its headquarters from Paris to Dallas.", real)
    assert one(article, "Paris").country == "FR"
    assert one(article, "Dallas").admin1 == "Texas"


def test_the_far_end_of_a_trip_is_no_evidence_of_the_country(real: Gazetteer) -> None:
    article = run("I traveled from Oxford to Ottawa last year.", real)
    assert one(article, "Oxford").country == "GB"
    assert one(article, "Ottawa").country == "CA"


def test_a_third_place_still_gives_its_state(real: Gazetteer) -> None:
    text = "He drove from Paris to Dallas on Friday, stopping in Sulphur Springs."
    assert one(run(text, real), "Paris").admin1 == "Texas"


# --- a country code that is also a state's postal code ------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "entry"),
    [
        ("The office is in Toronto, CA.", "CA", "CA"),  # no Toronto in California
        ("The office is in Fresno, CA.", "CA", "US"),
        ("He moved to Vancouver, WA.", "WA", "US"),
    ],
)
def test_code_after_a_city_is_the_area_that_holds_it(
    real: Gazetteer, text: str, surface: str, entry: str
) -> None:
    p = one(run(text, real), surface)
    assert p.country == entry


# --- things named after places, and holidays ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The restaurant serves Peking duck and Brussels sprouts.", set()),
        ("He wore a Panama hat and Bermuda shorts in Lisbon.", {"Lisbon"}),
        ("Fans ate Buffalo wings before the game in Denver.", {"Denver"}),
        ("Families celebrated Christmas and Easter in Halifax.", {"Halifax"}),
    ],
)
def test_a_thing_or_a_day_named_like_a_place_is_no_place(
    real: Gazetteer, text: str, kept: set[str]
) -> None:
    assert {p.text for p in run(text, real).places} == kept


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Flights to Christmas Island resumed on Monday.", "Christmas Island"),
        ("Snow fell in Buffalo on the night before the game.", "Buffalo"),
        ("Ducks were seen near Peking University in Beijing.", "Beijing"),
    ],
)
def test_the_places_themselves_stay(real: Gazetteer, text: str, surface: str) -> None:
    assert surface in {p.text for p in run(text, real).places}


# --- "St." and "Saint" in an area's name ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Floodwaters reached St. Bernard Parish overnight.", "St. Bernard Parish"),
        ("The St Tammany Parish sheriff closed two roads.", "St Tammany Parish"),
        ("Deputies in Saint Louis County arrested a man.", "Saint Louis County"),
    ],
)
def test_a_saints_name_in_an_area_either_way(real: Gazetteer, text: str, surface: str) -> None:
    p = one(run(text, real), surface)
    assert (p.kind, p.country) == ("adm2", "US")


# --- the state a sentence sets its scene in -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        ("In Ohio, officials in Lebanon said the plant would close.", "Lebanon", "Ohio"),
        ("Storms moved across Texas and hit Paris overnight.", "Paris", "Texas"),
    ],
)
def test_a_town_in_the_state_the_sentence_is_set_in(
    real: Gazetteer, text: str, surface: str, admin1: str
) -> None:
    p = one(run(text, real), surface)
    assert (p.country, p.admin1) == ("US", admin1)


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("Ohio's governor flew to Lebanon for talks.", "Lebanon", "LB"),
        ("In Texas, the governor met the president of France in Paris.", "Paris", "FR"),
    ],
)
def test_a_state_named_otherwise_sets_no_scene(
    real: Gazetteer, text: str, surface: str, cc: str
) -> None:
    assert one(run(text, real), surface).country == cc


# --- large islands and regions that are no admin area ---------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("Floods hit Java and Sumatra on Monday.", "Sumatra", "ID"),
        ("A strong quake struck Mindanao overnight.", "Mindanao", "PH"),
        ("Fighting in Darfur displaced thousands.", "Darfur", "SD"),
    ],
)
def test_large_islands_and_regions(real: Gazetteer, text: str, surface: str, cc: str) -> None:
    p = one(run(text, real), surface)
    assert (p.kind, p.country) == ("region", cc)


# --- lower-case and elided words inside a name ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("Aid reached Port-au-Prince on Monday.", "Port-au-Prince", "HT"),
        ("Talks in Côte d'Ivoire resumed on Friday.", "Côte d'Ivoire", "CI"),
        ("Snow closed the roads to Val d'Isère.", "Val d'Isère", "FR"),
    ],
)
def test_names_with_inner_particles(real: Gazetteer, text: str, surface: str, cc: str) -> None:
    assert one(run(text, real), surface).country == cc


# --- a name at a sentence's start before its people ("Kent police said") --------------------


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("Kent police said a man was arrested on the motorway.", "Kent", "GB"),
        (
            "Lebanon residents gathered at the fire hall, Warren County officials said.",
            "Lebanon",
            "US",
        ),
    ],
)
def test_a_sentence_initial_name_before_its_people(
    real: Gazetteer, text: str, surface: str, cc: str
) -> None:
    assert one(run(text, real), surface).country == cc


@pytest.mark.parametrize(
    "text", ["Police officials said the road was closed.", "May residents voted on Tuesday."]
)
def test_a_word_before_people_stays_a_word(real: Gazetteer, text: str) -> None:
    assert run(text, real).places == []


# --- "the Atlantic": a sea before a town --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Forecasters expect an active Atlantic hurricane season, said officials in Miami.",
        "Warm water in the tropical Atlantic fuels storms that reach Florida.",
    ],
)
def test_an_ocean_after_an_article_is_the_ocean(real: Gazetteer, text: str) -> None:
    p = one(run(text, real), "Atlantic")
    assert p.kind == "region" and p.country is None


def test_the_town_with_its_state_stays_the_town(real: Gazetteer) -> None:
    p = one(run("He lives in Atlantic, Iowa, with his family.", real), "Atlantic")
    assert (p.kind, p.admin1) == ("city", "Iowa")


# --- acronyms, brands and phenomena that match a town's alias -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The MoD said troops were deployed overnight.",
        "The European Commission fined Google on Tuesday.",
        "La Niña conditions are expected to persist into spring.",
    ],
)
def test_no_town_behind_an_acronym_brand_or_phenomenon(real: Gazetteer, text: str) -> None:
    assert not [p for p in run(text, real).places if p.kind == "city"]


@pytest.mark.parametrize(
    ("text", "surface"),
    [("Floods hit McAllen on Monday.", "McAllen"), ("Police in DeKalb said.", "DeKalb")],
)
def test_a_town_written_in_camel_case_stays(real: Gazetteer, text: str, surface: str) -> None:
    assert one(run(text, real), surface).country == "US"


# --- "<State> State's": a university's team, unless the state is called so --------------------


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Ohio State's coach praised the defense after the game.", "Ohio"),
        ("Washington State's attorney general sued the company.", "Washington State"),
    ],
)
def test_a_state_possessive_after_state(real: Gazetteer, text: str, surface: str) -> None:
    p = one(run(text, real), surface)
    assert (p.kind, p.country) == ("adm1", "US")
