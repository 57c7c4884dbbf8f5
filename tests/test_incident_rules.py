"""Incident rules of issue 13, end to end: :func:`extract.extract_article` with the real
gazetteer on short reports written for these tests (terse coder notes, follow-up sentences,
national totals, background, dates, unknown villages, unplaced incidents).

All the tests share one module-scoped gazetteer.
"""

from __future__ import annotations

from extract import extract_article
from geodata.distance import km_apart as km
from geodata.gazetteer.index import Gazetteer
from geodata.records import Article, Incident

PUB = "2024-03-10"  # a Sunday

DHAKA = (23.71, 90.407)
KUPIANSK = (49.71, 37.616)
GAO = (16.272, -0.045)
MOGADISHU = (2.037, 45.344)
KISMAYO = (-0.358, 42.545)


def _extract(real: Gazetteer, text: str, published: str | None = PUB, **kw) -> Article:
    return extract_article(text, published=published, gazetteer=real, doc_id="t", **kw)


def _point(inc: Incident) -> tuple[float, float]:
    assert inc.lat is not None and inc.lon is not None, inc
    return inc.lat, inc.lon


def _one(article: Article) -> Incident:
    assert len(article.incidents) == 1, [
        (i.sub_event_type, i.location, i.fatalities) for i in article.incidents
    ]
    return article.incidents[0]


# --- figures bound to their event -------------------------------------------------------------


def test_a_coder_notes_second_sentence_gives_the_first_incident_its_toll(real: Gazetteer) -> None:
    inc = _one(
        _extract(
            real,
            "Russian forces shelled Kupiansk, Kharkiv oblast, on Friday. "
            "Two civilians were killed.",
        )
    )
    assert inc.sub_event_type == "Shelling/artillery/missile attack"
    assert inc.fatalities == 2
    assert km(_point(inc), KUPIANSK) < 25
    assert (inc.date, inc.date_precision) == ("2024-03-08", "day")


def test_no_casualties_reported_is_zero_not_unknown(real: Gazetteer) -> None:
    base = "Militants attacked an army post near Gao on Saturday."
    unknown = _one(_extract(real, base))
    assert (unknown.fatalities, unknown.injured) == (None, None)
    zero = _one(_extract(real, base + " No casualties were reported."))
    assert zero.fatalities == 0
    assert zero.sub_event_type == unknown.sub_event_type == "Armed clash"
    assert km(_point(zero), GAO) < 25


def test_a_back_reference_adds_its_toll_and_no_second_incident(real: Gazetteer) -> None:
    inc = _one(
        _extract(
            real,
            "Al-Shabaab fighters attacked a military base near Kismayo on Monday. "
            "The attack killed five soldiers.",
        )
    )
    assert inc.event_type == "Battles"
    assert inc.fatalities == 5
    assert km(_point(inc), KISMAYO) < 25


def test_a_protest_follow_up_upgrades_the_protest(real: Gazetteer) -> None:
    article = _extract(real, "Students marched in Dhaka. Police fired tear gas to disperse them.")
    inc = _one(article)
    assert (inc.event_type, inc.sub_event_type) == ("Protests", "Protest with intervention")
    assert km(_point(inc), DHAKA) < 25
    # the control: the march alone is a peaceful protest
    calm = _one(_extract(real, "Students marched in Dhaka."))
    assert calm.sub_event_type == "Peaceful protest"


# --- totals and splits ------------------------------------------------------------------------

_NATIONAL = (
    "Police said at least eight people were killed and 400 injured across the country, "
    "including in Nairobi and Mombasa, during protests on Tuesday."
)


def test_a_national_total_is_not_copied_onto_each_city(real: Gazetteer) -> None:
    article = _extract(real, _NATIONAL)
    assert article.incidents
    with_figures = [i for i in article.incidents if i.fatalities or i.injured]
    assert len(with_figures) <= 1
    assert sum(i.fatalities or 0 for i in article.incidents) <= 8
    assert sum(i.injured or 0 for i in article.incidents) <= 400


def test_a_national_total_is_at_most_a_country_level_incident(real: Gazetteer) -> None:
    article = _extract(real, _NATIONAL)
    for inc in article.incidents:
        if inc.fatalities or inc.injured:
            assert inc.geo_precision == 3, (inc.location, inc.geo_precision, inc.fatalities)


def test_a_national_total_in_a_follow_up_sentence_is_not_the_protests_toll(
    real: Gazetteer,
) -> None:
    article = _extract(
        real,
        "Police fired tear gas at protesters in Nairobi on Tuesday. At least eight people were "
        "killed and 400 injured across the country, including in Nairobi and Mombasa.",
    )
    nairobi = [i for i in article.incidents if i.location == "Nairobi"]
    assert nairobi
    assert all(i.fatalities in (None, 0) for i in nairobi)


def test_a_toll_over_two_listed_towns_is_split_not_doubled(real: Gazetteer) -> None:
    article = _extract(
        real, "Russian missiles struck Kramatorsk and Sloviansk on Saturday, killing six people."
    )
    assert len(article.incidents) == 2
    assert {i.location for i in article.incidents} == {"Kramatorsk", "Slovyansk"}
    assert sorted(i.fatalities for i in article.incidents) == [3, 3]


def test_a_local_toll_over_two_cities_is_split_while_a_national_one_is_not_copied(
    real: Gazetteer,
) -> None:
    local = _extract(
        real,
        "Police said at least eight people were killed and 400 injured in Nairobi and Mombasa "
        "during protests on Tuesday.",
    )
    assert len(local.incidents) == 2
    assert sum(i.fatalities for i in local.incidents) == 8
    assert sum(i.injured for i in local.incidents) == 400
    national = _extract(real, _NATIONAL)
    assert len(national.incidents) < len(local.incidents)


# --- suicide bombers --------------------------------------------------------------------------

_SUICIDE = (
    "A suicide bomber blew himself up at an army checkpoint in Mogadishu on Sunday, "
    "killing eight soldiers."
)


def test_a_suicide_bomber_is_counted_among_the_dead(real: Gazetteer) -> None:
    inc = _one(_extract(real, _SUICIDE))
    assert inc.sub_event_type == "Suicide bomb"
    assert inc.fatalities == 9
    assert km(_point(inc), MOGADISHU) < 25


def test_a_suicide_bomber_already_in_the_toll_is_not_counted_twice(real: Gazetteer) -> None:
    inc = _one(
        _extract(
            real,
            "A suicide bomber attacked an army checkpoint in Mogadishu on Sunday, killing eight "
            "people including the bomber.",
        )
    )
    assert inc.sub_event_type == "Suicide bomb"
    assert inc.fatalities == 8


def test_a_suicide_bombing_of_soldiers_has_the_soldiers_as_actor2(real: Gazetteer) -> None:
    inc = _one(_extract(real, _SUICIDE))
    assert inc.actor2 == "Military forces"
    assert inc.actor1 != "Military forces"


# --- background and dates ---------------------------------------------------------------------


def test_last_years_protests_are_no_new_incident(real: Gazetteer) -> None:
    article = _extract(real, "Opposition leaders in Nairobi recalled last year's deadly protests.")
    assert article.incidents == []
    assert [p.text for p in article.places] == ["Nairobi"]  # the place is read, not an event
    # beside a new event, only the new event
    article = _extract(
        real,
        "Teachers marched in Nairobi on Tuesday. Organisers said they would not forget last "
        "year's deadly protests.",
    )
    inc = _one(article)
    assert (inc.sub_event_type, inc.date) == ("Peaceful protest", "2024-03-05")


def test_an_undated_event_gets_the_publication_week(real: Gazetteer) -> None:
    inc = _one(_extract(real, "Russian drones hit Odesa, damaging a port warehouse."))
    assert inc.sub_event_type == "Air/drone strike"
    assert (inc.date, inc.date_precision, inc.time_precision) == (PUB, "week", 2)
    assert (inc.date_start, inc.date_end) == ("2024-03-04", PUB)


def test_an_undated_event_without_a_publication_date_stays_unknown(real: Gazetteer) -> None:
    inc = _one(_extract(real, "Russian drones hit Odesa, damaging a port warehouse.", None))
    assert inc.sub_event_type == "Air/drone strike"
    assert inc.date is None
    assert inc.date_precision == "unknown"
    assert inc.time_precision is None


def test_a_report_opening_with_its_date_dates_its_sentences(real: Gazetteer) -> None:
    article = _extract(
        real,
        "On 5 November 2024, Russian forces shelled Nikopol. Two civilians were killed.",
        None,
    )
    inc = _one(article)
    assert (inc.date, inc.date_precision, inc.time_precision) == ("2024-11-05", "day", 1)
    assert inc.fatalities == 2
    assert inc.sub_event_type == "Shelling/artillery/missile attack"


# --- places the gazetteer lacks ---------------------------------------------------------------

_VILLAGE = "Russian forces dropped air bombs on Berezonivka, Kharkiv oblast, on Friday."


def test_an_unknown_village_is_placed_at_its_stated_oblast(real: Gazetteer) -> None:
    article = _extract(real, _VILLAGE)
    inc = _one(article)
    assert inc.sub_event_type == "Air/drone strike"
    assert inc.geo_precision == 3
    assert inc.location == "Berezonivka"
    assert inc.place_index is not None
    village = article.places[inc.place_index]
    assert (village.text, village.kind) == ("Berezonivka", "locality")
    assert article.text[village.start : village.end] == "Berezonivka"
    (oblast,) = [p for p in article.places if p.text == "Kharkiv"]
    assert oblast.kind == "adm1"
    assert (inc.lat, inc.lon) == (oblast.lat, oblast.lon)
    assert inc.country == "UA"
    # text order is kept
    assert [p.start for p in article.places] == sorted(p.start for p in article.places)


def test_given_mentions_stay_exactly_those(real: Gazetteer) -> None:
    at = _VILLAGE.index("Kharkiv")
    article = _extract(real, _VILLAGE, mentions=[{"start": at, "end": at + len("Kharkiv")}])
    assert [(p.start, p.end) for p in article.places] == [(at, at + len("Kharkiv"))]
    assert all(p.kind != "locality" for p in article.places)
    for inc in article.incidents:
        assert inc.location != "Berezonivka"


# --- unplaced incidents -----------------------------------------------------------------------


def test_an_event_with_no_place_in_a_many_country_article_is_kept_unplaced(
    real: Gazetteer,
) -> None:
    unplaced = _one(
        _extract(
            real,
            "Gunmen attacked a convoy on Saturday. Officials in Kenya, Ethiopia and Somalia "
            "condemned the violence.",
        )
    )
    assert (unplaced.lat, unplaced.lon, unplaced.geo_precision) == (None, None, None)
    assert unplaced.place_index is None and unplaced.location is None
    placed = _one(
        _extract(
            real,
            "Gunmen attacked a convoy near Garissa on Saturday. Officials in Kenya, Ethiopia and "
            "Somalia condemned the violence.",
        )
    )
    assert placed.sub_event_type == unplaced.sub_event_type
    assert placed.lat is not None
    assert unplaced.confidence < placed.confidence


def test_an_event_with_no_place_in_a_one_country_article_is_at_that_country(
    real: Gazetteer,
) -> None:
    inc = _one(
        _extract(
            real,
            "Gunmen attacked a convoy on Saturday. Officials in Kenya condemned the violence, "
            "and police in Nairobi opened an inquiry.",
        )
    )
    assert (inc.country, inc.geo_precision) == ("KE", 3)


# --- found while trying the extractor as a new user ----------------------------------------


def test_a_bomb_against_the_police_has_the_police_as_actor2(real: Gazetteer) -> None:
    inc = _one(
        _extract(
            real,
            "A roadside bomb struck a police vehicle in Garissa on Monday, killing three "
            "officers, the county commissioner said.",
        )
    )
    assert inc.sub_event_type == "Remote explosive/landmine/IED"
    assert inc.actor2 == "Police forces"
    assert inc.actor1 != "Police forces"
    assert inc.fatalities == 3


def test_a_country_wide_toll_after_a_protest_does_not_make_it_excessive_force(
    real: Gazetteer,
) -> None:
    article = _extract(
        real,
        "Police fired tear gas at protesters in Kisumu on Tuesday. At least nine people were "
        "killed and 300 injured across the country, a rights group said.",
    )
    (protest,) = [i for i in article.incidents if i.event_type == "Protests"]
    assert protest.sub_event_type == "Protest with intervention"
    assert protest.fatalities is None


def test_drone_debris_injuries_belong_to_the_drone_attack(real: Gazetteer) -> None:
    article = _extract(
        real,
        "Russian drones attacked Odesa overnight. Falling debris injured two workers in the "
        "Zarichnyi district, officials said.",
    )
    inc = _one(article)
    assert inc.sub_event_type == "Air/drone strike"
    assert inc.injured == 2


def test_an_unknown_village_after_a_named_city_is_placed_near_it(real: Gazetteer) -> None:
    article = _extract(
        real,
        "Russian troops shelled Odesa on Sunday. Two farmers were wounded when a shell hit "
        "Kvitlohirka village, the governor said.",
    )
    located = [i for i in article.incidents if i.location == "Kvitlohirka"]
    assert located, article.incidents
    inc = located[0]
    assert inc.country == "UA" and inc.geo_precision == 2
    assert km((inc.lat, inc.lon), (46.48, 30.73)) < 25  # at Odesa's point


def test_a_past_year_named_in_passing_does_not_date_the_next_sentence(real: Gazetteer) -> None:
    article = _extract(
        real,
        "Last year's riots left the market in ruins. Police arrested 14 men in Kano.",
    )
    arrests = [i for i in article.incidents if i.sub_event_type == "Arrests"]
    assert arrests, article.incidents
    assert arrests[0].date_precision != "year"


def test_incidents_at_a_given_trigger_are_placed_by_the_clause_it_is_in(real: Gazetteer) -> None:
    from extract.events.incidents import incidents_at_trigger

    text = "Police in Odesa arrested two men, while a drone struck a depot in Kherson."
    places = extract_article(text, gazetteer=real, incidents=False).places
    struck = text.index("struck")
    (strike,) = incidents_at_trigger(text, places, struck, struck + len("struck"), gazetteer=real)
    assert strike.location == "Kherson" and strike.event_type == "Explosions/Remote violence"
    arrested = text.index("arrested")
    found = incidents_at_trigger(text, places, arrested, arrested + len("arrested"), gazetteer=real)
    assert [i.location for i in found] == ["Odesa"]
    # a trigger the codebook cannot type is placed all the same, as the default event
    calm = "Residents of Lviv gathered quietly."
    spots = extract_article(calm, gazetteer=real, incidents=False).places
    (default,) = incidents_at_trigger(calm, spots, 0, 9, gazetteer=real)
    assert default.location == "Lviv" and default.sub_event_type == "Attack"
    assert incidents_at_trigger("", [], 0, 0, gazetteer=real) == []
