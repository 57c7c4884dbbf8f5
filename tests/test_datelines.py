"""Tests of :mod:`extract.events.timex` on wire datelines, two-digit years, caps copy, report
openings and attributive dates. All datelines and sentences are invented (places, agencies,
events)."""

from __future__ import annotations

import dataclasses
from datetime import date
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.events import _timex_calendar, timex
from extract.events.timex import (
    DateSpan,
    dateline_date,
    find_dates,
    reference_date,
    resolve_sentence_date,
)

# --------------------------------------------------------------------------- datelines

# (text, year_hint, expected): wire-service shapes with invented places and agencies
WIRE_DATELINES: list[tuple[str, int | None, date | None]] = [
    ("PUERTO ALTO, 4 FEB 91 (NORTE-PRESS) -- [TEXT] THE ARMY REPORTED", None, date(1991, 2, 4)),
    ("VILLA SERENA, 21 OCT 88 -- [TEXT] A BOMB EXPLODED TODAY", None, date(1988, 10, 21)),
    ("MONTEVERDE (ARCADIA), 9 JUL 89 (RADIO SOL 5) -- [REPORT]", None, date(1989, 7, 9)),
    (
        "SECRET STATION, 30 NOV 89 (RADIO LIBERTAD DEL PUEBLO) --\n[COMMUNIQUE] THE",
        None,
        date(1989, 11, 30),
    ),
    ("NORTH HAVEN, 2 MAY 90 (AGENCIA - NP) -- [TEXT] POLICE", None, date(1990, 5, 2)),
    ("LAS PIEDRAS, 15 SEPT 89 (XNA)-- [TEXT] TWO MEN", None, date(1989, 9, 15)),
    ("SAN ROQUE, 7 DEC. 89 (ABC) -- [TEXT] THE", None, date(1989, 12, 7)),
    (
        "PORT LUNA (TERRA), 11 AUGUST 89 (TV NACIONAL CANAL 4)\n-- [TEXT] THE",
        None,
        date(1989, 8, 11),
    ),
    ("ESTRELLA, 3 APRIL 90 [TELEVISORA CANAL 2) -- [SPEECH] [TEXT]", None, date(1990, 4, 3)),
    ("RIVERTON (OZLAND), JULY 14 89 (PNA) -- [TEXT] A SHIP", None, date(1989, 7, 14)),
    ("SAN ROQUE, 17 NOV 89 (PRESS SERVICE [PS]) -- [TEXT] THE", None, date(1989, 11, 17)),
    ("NOWHERE CITY (ARCADIA), 6 JUN 90 (FWS) -- [EDITORIAL REPORT]", None, date(1990, 6, 6)),
    ("  LA VEGA, 1 MAR 90 (ACME) -- [TEXT]", None, date(1990, 3, 1)),
    ("BELMONTE, 8 JAN 90 (ACME)--\n[TEXT] THE", None, date(1990, 1, 8)),
    # no date, no year, impossible day, or no dateline at all
    ("NOWHERE CITY, NO DATE (RADIO X) -- [TEXT] THE", None, None),
    ("SECRET STATION, NO DATE -- [COMMENTARY] [TEXT]", 1989, None),
    ("SAN ROQUE, 12 NOV (AGENCIA) -- [TEXT] A MAN DIED", None, None),
    ("SAN ROQUE, 12 NOV (AGENCIA) -- [TEXT] A MAN DIED", 1989, date(1989, 11, 12)),
    ("SAN ROQUE, 31 NOV 89 (AGENCIA) -- [TEXT]", None, None),
    ("ARMY SOURCES, 3 JAN 90 PEOPLE WERE DETAINED", None, None),
    ("THE ARMY REPORTED 3 JAN 90 (SEE ABOVE) -- CLASHES", None, None),
    ("FAR TOWN, March 14 (Wirenews) - Shops reopened.", None, None),
    ("FAR TOWN, March 14 12:30 - Shops reopened.", None, None),
    ("FAR TOWN, 14 March 12:30 - Shops reopened.", None, None),
    # modern forms
    ("Rio de Janeiro, Nov 5 (Wirenews) - Storms hit the coast.", 2024, date(2024, 11, 5)),
    ("NEW HAVEN, Nov. 5, 2024 /PRWire/ -- The company said", None, date(2024, 11, 5)),
    ("KYIV, Nov 5 2024 (Reuters) - Drones hit the city.", None, date(2024, 11, 5)),
    ("PARIS, 5 Nov. '24 (AFP) - Talks opened.", None, date(2024, 11, 5)),
]


@pytest.mark.parametrize(("text", "year_hint", "expected"), WIRE_DATELINES)
def test_wire_datelines(text: str, year_hint: int | None, expected: date | None) -> None:
    assert dateline_date(text, year_hint=year_hint) == expected


# (two-digit year, reference year or None for the pivot year 2026, expected year)
EXPANSIONS: list[tuple[int, int | None, int]] = [
    (0, None, 2000),
    (26, None, 2026),
    (27, None, 2027),  # current year + 1
    (28, None, 1928),
    (90, None, 1990),
    (99, None, 1999),
    (89, 1990, 1989),
    (91, 1990, 1991),
    (92, 1990, 1892),  # more than a year after publication: the past century
    (24, 2024, 2024),
    (25, 2024, 2025),
    (26, 2024, 1926),
]


@pytest.mark.parametrize(("yy", "ref", "expected"), EXPANSIONS)
def test_two_digit_year_pivot(yy: int, ref: int | None, expected: int) -> None:
    with mock.patch.object(_timex_calendar, "_pivot_year", return_value=2026):
        assert _timex_calendar.expand_year(yy, ref) == expected


def test_dateline_pivot_follows_the_current_year_and_the_hint() -> None:
    text = "SAN ROQUE, 3 JAN 27 (ACME) -- [TEXT]"
    with mock.patch.object(_timex_calendar, "_pivot_year", return_value=2026):
        assert dateline_date(text) == date(2027, 1, 3)
    with mock.patch.object(_timex_calendar, "_pivot_year", return_value=2025):
        assert dateline_date(text) == date(1927, 1, 3)
    assert dateline_date(text, year_hint=2030) == date(2027, 1, 3)


# --------------------------------------------------------------------------- dates in text

# (sentence, published, matched text, expected date, precision)
CAPS_AND_TWO_DIGITS: list[tuple[str, str | None, str, str | None, str]] = [
    ("THE PATROL WAS AMBUSHED ON 3 JAN 90.", "1990-01-10", "ON 3 JAN 90", "1990-01-03", "day"),
    ("THE PATROL WAS AMBUSHED ON 3 JAN 90, AT DAWN.", None, "ON 3 JAN 90", "1990-01-03", "day"),
    ("Voting ended on Nov. 5, '24.", "2024-11-06", "on Nov. 5, '24", "2024-11-05", "day"),
    ("Voting ended on 5 November ’24.", None, "on 5 November ’24", "2024-11-05", "day"),
    ("THE TOWN FELL IN MARCH '89.", "1990-01-03", "IN MARCH '89", "1989-03-31", "month"),
    ("THE TOWN FELL IN MARCH '89.", None, "IN MARCH '89", "1989-03-31", "month"),
    # a bare number after a date is a count, not a year
    ("ON 3 JANUARY 90 PEOPLE WERE KILLED.", "1990-01-10", "ON 3 JANUARY", "1990-01-03", "day"),
    ("On Nov. 5, 24 people were killed.", "2024-11-06", "On Nov. 5", "2024-11-05", "day"),
    ("ON 2 MAY 12 SOLDIERS DIED.", "1990-06-01", "ON 2 MAY", "1990-05-02", "day"),
    (
        "Sirens sounded on 5 March 10:30 local time.",
        "2024-11-05",
        "on 5 March",
        "2024-03-05",
        "day",
    ),
    ("By 5 March 10,000 had fled.", "2024-11-05", "By 5 March", "2024-03-05", "day"),
    ("On 5 March 24-year-old Lin Oda was shot.", "2024-11-05", "On 5 March", "2024-03-05", "day"),
    # caps dates without a year: the most recent past occurrence
    ("THE BOMB WENT OFF ON 14 MARCH.", "1990-01-03", "ON 14 MARCH", "1989-03-14", "day"),
    ("THE BOMB WENT OFF ON MARCH 14.", "1990-04-01", "ON MARCH 14", "1990-03-14", "day"),
    (
        "GUNMEN STRUCK ON 30 DECEMBER IN THE NORTH.",
        "1990-01-03",
        "ON 30 DECEMBER",
        "1989-12-30",
        "day",
    ),
    (
        "ON SATURDAY 11 NOVEMBER A SOLDIER DIED.",
        "1989-11-12",
        "ON SATURDAY 11 NOVEMBER",
        "1989-11-11",
        "day",
    ),
    ("A BOMB WENT OFF ON THE 4TH IN THE MARKET.", "1989-10-10", "ON THE 4TH", "1989-10-04", "day"),
    ("TALKS ENDED IN LATE SEPT.", "1989-10-02", "IN LATE SEPT.", "1989-09-30", "month"),
    ("THE BOMB WENT OFF ON 14 MARCH.", None, "ON 14 MARCH", None, "unknown"),
]


@pytest.mark.parametrize(
    ("sentence", "published", "matched", "day", "precision"), CAPS_AND_TWO_DIGITS
)
def test_caps_and_two_digit_years(
    sentence: str, published: str | None, matched: str, day: str | None, precision: str
) -> None:
    found = find_dates(sentence, published=published)
    assert len(found) == 1, found
    span = found[0][2]
    assert (span.text, span.date, span.precision) == (matched, day, precision)


def test_year_less_dateline_never_gets_a_guessed_year() -> None:
    text = "FAR TOWN, March 14 (Wirenews) - Shops reopened after the storm of 2019."
    assert dateline_date(text) is None
    assert dateline_date(text, year_hint=2025) == date(2025, 3, 14)


def test_dateline_dates_the_story() -> None:
    """A wire story's later dates resolve against its dateline."""
    text = "SAN ROQUE, 10 JAN 90 (ACME) -- [TEXT] GUNMEN KILLED TWO GUARDS ON 8 JANUARY."
    pub = dateline_date(text)
    assert pub == date(1990, 1, 10)
    span = resolve_sentence_date(text, published=pub)
    assert (span.text, span.date) == ("ON 8 JANUARY", "1990-01-08")


# --------------------------------------------------------------------------- openings

# (report, expected (date, precision, start) or None)
OPENINGS: list[tuple[str, tuple[str, str, str] | None]] = [
    (
        "On 12 August 2023, unidentified gunmen attacked a checkpoint near Kelvale, Marrow "
        "district. 3 police officers were killed.",
        ("2023-08-12", "day", "2023-08-12"),
    ),
    ("ON 12 AUG 2023, GUNMEN ATTACKED A CHECKPOINT.", ("2023-08-12", "day", "2023-08-12")),
    (
        "  On 4 March 2022 militia fighters clashed with police.",
        ("2022-03-04", "day", "2022-03-04"),
    ),
    ("Around 3 March 2022, a drone struck a depot.", ("2022-03-03", "day", "2022-03-03")),
    ("On or about 3 March 2022, a drone struck a depot.", ("2022-03-03", "day", "2022-03-03")),
    ("On 3 March 2022 (week of), a drone struck a depot.", ("2022-03-06", "week", "2022-02-28")),
    ("On 3 March 2022 (month of), a drone struck a depot.", ("2022-03-31", "month", "2022-03-01")),
    ("In March 2022, protesters blocked the highway.", ("2022-03-31", "month", "2022-03-01")),
    ("On 2022-03-04, troops entered the town.", ("2022-03-04", "day", "2022-03-04")),
    ("On Monday, forces shelled the village.", None),
    ("On 4 March, forces shelled the village.", None),
    ("Police said that on 3 March 2022 a drone struck a depot.", None),
    ("KYIV, Nov 5 2024 (Reuters) - Drones struck the city on Monday.", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), OPENINGS)
def test_reference_date(text: str, expected: tuple[str, str, str] | None) -> None:
    span = reference_date(text)
    if expected is None:
        assert span is None
    else:
        assert span is not None
        assert (span.date, span.precision, span.start) == expected
        assert span.acled_precision == {"day": 1, "week": 2, "month": 3}[span.precision]


def test_opening_dates_the_report_sentences() -> None:
    """The opening sentence gets its day; later sentences can take it as their default."""
    report = (
        "On 12 August 2023, unidentified gunmen attacked a checkpoint near Kelvale. "
        "Three police officers were killed. Reinforcements arrived on Tuesday."
    )
    first, second, third = (s + "." for s in report.rstrip(".").split(". "))
    anchor = reference_date(report)
    assert anchor is not None
    span = resolve_sentence_date(first, published=None)
    assert (span.text, span.date, span.precision) == ("On 12 August 2023", "2023-08-12", "day")
    assert resolve_sentence_date(second, published=None, default=anchor) is anchor
    # a relative date needs a publication date: the opening is not one
    assert resolve_sentence_date(third, published=None, default=anchor).precision == "unknown"


# --------------------------------------------------------------------------- attributive

# (sentence, matched text, attributive)
ATTRIBUTIVE: list[tuple[str, str, bool]] = [
    ("Police braced for a repeat of last year's deadly protests.", "last year", True),
    ("Crowds marked the anniversary of 2019's riots.", "2019", True),
    ("Refugees have not returned since the 2022 invasion.", "2022", True),
    ("Veterans recalled the country's 1998 full-scale war.", "1998", True),
    ("Rebels still hold gains from Ostria's 2014 annexation of the port.", "2014", True),
    ("Mourners recalled the 7 October attacks.", "the 7 October", True),
    ("Mourners recalled the October 7 attacks.", "October 7", True),
    ("THE 1989 OFFENSIVE LEFT THE CITY IN RUINS.", "1989", True),
    ("Yesterday's blast destroyed a bridge.", "Yesterday", True),
    ("Residents cleared this month's flood debris.", "this month", True),
    ("The village was shelled on Monday.", "on Monday", False),
    ("Fighting continued in 2022 as troops advanced.", "in 2022", False),
    ("In 2019 riots broke out in the port.", "In 2019", False),
    ("On 7 October attacks hit three towns.", "On 7 October", False),
    ("The vote was held last year.", "last year", False),
]


@pytest.mark.parametrize(("sentence", "matched", "attributive"), ATTRIBUTIVE)
def test_attributive(sentence: str, matched: str, attributive: bool) -> None:
    found = find_dates(sentence, published="2024-11-05")
    assert [(span.text, span.attributive) for *_, span in found] == [(matched, attributive)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials said 2000 protesters gathered.",
        "The 1500 strikers went home.",
        "A 2019 report was published.",
        "A BOMB EXPLODED ON THE 6TH FLOOR OF THE HOTEL.",
        "A bomb exploded on the 6th floor of the hotel.",
    ],
)
def test_numbers_before_nouns_are_not_dates(sentence: str) -> None:
    assert find_dates(sentence, published="2024-11-05") == []


# (sentence, expected text of the chosen expression)
PREFER_NON_ATTRIBUTIVE: list[tuple[str, str]] = [
    (
        "Protesters returned to the square on Tuesday, a year after last year's protests.",
        "on Tuesday",
    ),
    ("New clashes broke out this month, five years after 2019's riots.", "this month"),
    ("Shelling hit the town last week, as in the 2022 invasion.", "last week"),
    ("Monday's attack killed five, police said on Tuesday.", "Monday"),
    ("Thousands fled after the 2022 invasion.", "2022"),
]


@pytest.mark.parametrize(("sentence", "text"), PREFER_NON_ATTRIBUTIVE)
def test_resolve_prefers_non_attributive(sentence: str, text: str) -> None:
    assert resolve_sentence_date(sentence, published="2024-11-05").text == text


def test_attributive_changes_only_the_flag() -> None:
    """A possessive marks the span attributive and leaves its dates as they are."""
    for phrase in ("last year", "Monday", "last week", "yesterday", "last Friday", "this month"):
        plain = find_dates(f"Crowds recalled {phrase} at the square.", published="2024-11-05")
        poss = find_dates(f"Crowds recalled {phrase}'s protests.", published="2024-11-05")
        assert len(plain) == len(poss) == 1
        assert not plain[0][2].attributive and poss[0][2].attributive
        assert dataclasses.replace(poss[0][2], attributive=False) == plain[0][2]


def test_datespan_stays_backwards_compatible() -> None:
    span = DateSpan("2024-11-04", "day", "2024-11-04", "2024-11-04", "on Monday", 1)
    assert (span.future, span.attributive) == (False, False)
    assert [f.name for f in dataclasses.fields(DateSpan)][-2:] == ["future", "attributive"]


# --------------------------------------------------------------------------- properties

PIECES = [
    "SAN ROQUE,",
    "(ACME)",
    "(NORTE - PRESS)",
    "--",
    "[TEXT]",
    "3 JAN 90",
    "JULY 14 89",
    "14 MARCH",
    "NO DATE",
    "Nov. 5, '24",
    "IN MARCH '89",
    "the",
    "2022",
    "invasion",
    "'s",
    "last year",
    "riots",
    "On 5 November 2024,",
    "(week of)",
    "90",
    "PEOPLE",
    ",",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(PIECES), max_size=14),
    published=st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1))),
)
def test_property_new_forms(words: list[str], published: date | None) -> None:
    text = " ".join(words)
    fast = find_dates(text, published=published)
    with mock.patch.object(timex, "_BACK", 10**9), mock.patch.object(timex, "_FWD", 10**9):
        assert find_dates(text, published=published) == fast
    for start, end, span in fast:
        assert text[start:end] == span.text
        if span.precision != "unknown":
            assert span.start is not None and span.date is not None and span.end is not None
            assert span.start <= span.date <= span.end
            if published is not None and not span.future:
                assert span.end <= published.isoformat()
    found = dateline_date(text)
    assert found is None or isinstance(found, date)
    ref = reference_date(text)
    assert ref is None or (ref.precision != "unknown" and not ref.future)
