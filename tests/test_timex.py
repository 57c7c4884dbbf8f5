"""Tests of :mod:`extract.events.timex`: temporal expressions resolved against a publication
date."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.errors import InputError
from extract.events import timex
from extract.events.timex import DateSpan, dateline_date, find_dates, resolve_sentence_date

PUB = date(2024, 11, 5)  # a Tuesday


def _one(text: str, published: date | str | None = PUB) -> DateSpan:
    found = find_dates(text, published=published)
    assert len(found) == 1, found
    start, end, span = found[0]
    assert text[start:end] == span.text
    return span


# (sentence, expected matched text, expected span) with PUB = 2024-11-05. The span is written
# "<precision> <start>[..<end>] [@<date>] [future]"; days without a year are in 2024 and the date
# defaults to the end of the range. acled_precision follows from precision (checked too).
CASES: list[tuple[str, str, str]] = [
    # weekdays
    ("Troops withdrew on Monday.", "on Monday", "day 11-04"),
    ("Voters went to the polls on Tuesday.", "on Tuesday", "day 11-05"),
    ("Shelling resumed Sunday night.", "Sunday night", "day 11-03"),
    ("A drone hit the port on Wednesday.", "on Wednesday", "day 10-30"),
    ("Lawmakers will vote on Wednesday.", "on Wednesday", "day 11-06 future"),
    ("Lawmakers will vote on Tuesday.", "on Tuesday", "day 11-05 future"),
    ("He met them last Tuesday.", "last Tuesday", "day 10-29"),
    ("Talks resume next Monday.", "next Monday", "day 11-11 future"),
    ("Guns fell silent in the early hours of Sunday.", "in the early hours of Sunday", "day 11-03"),
    ("Police arrived late on Saturday.", "late on Saturday", "day 11-02"),
    ("It was signed Monday, Nov. 4.", "Monday, Nov. 4", "day 11-04"),
    # deictic days
    ("Two people died today.", "today", "day 11-05"),
    ("Shelling hit Kyiv. Today the army pulled back.", "Today", "day 11-05"),
    ("Sirens sounded this morning.", "this morning", "day 11-05"),
    ("Crowds gathered tonight.", "tonight", "day 11-05"),
    ("The mayor said earlier today.", "earlier today", "day 11-05"),
    ("Missiles struck overnight.", "overnight", "day 11-04..11-05"),
    ("A bomb exploded yesterday.", "yesterday", "day 11-04"),
    ("Fighting began the day before yesterday.", "the day before yesterday", "day 11-03"),
    ("Gunmen attacked last night.", "last night", "day 11-04"),
    ("Markets reopen tomorrow.", "tomorrow", "day 11-06 future"),
    # weeks, weekends
    ("Clashes erupted last week.", "last week", "week 10-28..11-03"),
    ("Prices rose this week.", "this week", "week 11-04..11-05"),
    ("He resigned earlier this week.", "earlier this week", "week 11-04..11-05"),
    ("Rallies were held last weekend.", "last weekend", "week 11-02..11-03"),
    ("Rallies were held at the weekend.", "at the weekend", "week 11-02..11-03"),
    ("Rallies were held over the weekend.", "over the weekend", "week 11-02..11-03"),
    ("Protests are planned this weekend.", "this weekend", "week 11-09..11-10 future"),
    ("The summit opens next week.", "next week", "week 11-11..11-17 future"),
    ("Results are due later this week.", "later this week", "week 11-06..11-10 future"),
    # months and years, relative
    ("Exports fell last month.", "last month", "month 10-01..10-31"),
    ("Exports fell this month.", "this month", "month 11-01..11-05"),
    ("Exports fell earlier this month.", "earlier this month", "month 11-01..11-05"),
    ("The deal expires next month.", "next month", "month 12-01..12-31 future"),
    ("Exports fell the end of last month.", "the end of last month", "month 10-21..10-31"),
    ("Inflation peaked last year.", "last year", "year 2023-01-01..2023-12-31"),
    ("Inflation peaked this year.", "this year", "year 01-01..11-05"),
    ("Inflation peaked earlier this year.", "earlier this year", "year 01-01..11-05"),
    ("Inflation peaked late last year.", "late last year", "year 2023-09-01..2023-12-31"),
    # month names
    ("The town fell in August.", "in August", "month 08-01..08-31"),
    ("The town fell in December.", "in December", "month 2023-12-01..2023-12-31"),
    ("The town fell in July.", "in July", "month 07-01..07-31"),
    ("The town fell in November.", "in November", "month 11-01..11-05"),
    ("The town fell in early August.", "in early August", "month 08-01..08-10"),
    ("The town fell mid-July.", "mid-July", "month 07-11..07-20"),
    ("The town fell in late October.", "in late October", "month 10-21..10-31"),
    ("Elections will be held in December.", "in December", "month 12-01..12-31 future"),
    ("The town fell in August last year.", "in August last year", "month 2023-08-01..2023-08-31"),
    # vague recency
    ("Attacks have increased recently.", "recently", "week 10-22..11-05"),
    ("Attacks increased in recent days.", "in recent days", "week 10-29..11-05"),
    ("Attacks increased in recent weeks.", "in recent weeks", "week 10-08..11-05"),
    ("Attacks increased in recent months.", "in recent months", "month 08-07..11-05"),
    # explicit dates
    ("Polls closed on November 3.", "on November 3", "day 11-03"),
    ("Polls closed on Nov. 3.", "on Nov. 3", "day 11-03"),
    ("Polls closed on 3 November.", "on 3 November", "day 11-03"),
    ("Polls closed November 3, 2024.", "November 3, 2024", "day 11-03"),
    ("Polls closed 3 Nov 2024.", "3 Nov 2024", "day 11-03"),
    ("Polls closed 2024-11-03.", "2024-11-03", "day 11-03"),
    ("Polls closed 11/03/2024.", "11/03/2024", "day 11-03"),
    ("Polls closed 25/10/2024.", "25/10/2024", "day 10-25"),
    ("Polls closed on the 3rd.", "on the 3rd", "day 11-03"),
    ("Polls closed on the 20th.", "on the 20th", "day 10-20"),
    ("Polls closed on the 31st.", "on the 31st", "day 10-31"),
    ("The vote will be held on the 30th.", "on the 30th", "day 11-30 future"),
    ("Polls closed on November 10.", "on November 10", "day 2023-11-10"),
    ("The town fell in 2022.", "in 2022", "year 2022-01-01..2022-12-31"),
    ("The town fell in March 2022.", "in March 2022", "month 2022-03-01..2022-03-31"),
    ("The town fell in Sept. 2023.", "in Sept. 2023", "month 2023-09-01..2023-09-30"),
    ("The war has raged since February 2022.", "since February 2022", "year 2022-02-01..11-05"),
    ("The strike has lasted since early October.", "since early October", "month 10-01..11-05"),
    ("Roads have been closed since Monday.", "since Monday", "day 11-04..11-05"),
    ("Roads have been closed since last week.", "since last week", "week 10-28..11-05"),
    ("The plant will close on 10 December 2024.", "on 10 December 2024", "day 12-10 future"),
    ("Emissions must halve by 2030.", "by 2030", "year 2030-01-01..2030-12-31 future"),
    # N units ago
    ("He was arrested 3 days ago.", "3 days ago", "day 11-02"),
    ("He was arrested twelve days ago.", "twelve days ago", "day 10-24"),
    ("He was arrested two weeks ago.", "two weeks ago", "week 10-19..10-25"),
    ("He was arrested a week ago.", "a week ago", "week 10-26..11-01"),
    ("He was arrested a month ago.", "a month ago", "month 10-01..10-31"),
    ("He was arrested two years ago.", "two years ago", "year 2022-01-01..2022-12-31"),
    ("He was arrested 48 hours ago.", "48 hours ago", "day 11-03"),
    ("He was arrested a few days ago.", "a few days ago", "week 10-29..11-03"),
    # ranges ending at publication / starting after it
    ("Ten died in the past 24 hours.", "in the past 24 hours", "day 11-04..11-05"),
    ("Ten died over the past two weeks.", "over the past two weeks", "week 10-22..11-05"),
    ("Ten died in the past three months.", "in the past three months", "month 08-05..11-05"),
    ("More rain is forecast in the coming days.", "in the coming days", "week 11-06..11-12 future"),
    ("Troops will withdraw in two weeks.", "in two weeks", "week 11-16..11-22 future"),
    # future markers other than "will"
    ("He is set to speak on Friday.", "on Friday", "day 11-08 future"),
    ("She plans to visit Kyiv on Friday.", "on Friday", "day 11-08 future"),
    ("The vote is scheduled for Friday.", "Friday", "day 11-08 future"),
    ("The talks are due to resume on Thursday.", "on Thursday", "day 11-07 future"),
    ("The summit is to be held on Thursday.", "on Thursday", "day 11-07 future"),
    ("On Friday, lawmakers will vote on the bill.", "On Friday", "day 11-08 future"),
    ("The summit, held in Brussels on Thursday, ended.", "on Thursday", "day 10-31"),
]


def _expect(spec: str) -> tuple[str, str, str, str, bool]:
    """(date, precision, start, end, future) from the compact notation of CASES."""

    def iso(day: str) -> str:
        return day if len(day) == 10 else f"2024-{day}"

    precision, days, *rest = spec.split()
    first, _, last = days.partition("..")
    start, end = iso(first), iso(last or first)
    day = next((iso(r[1:]) for r in rest if r.startswith("@")), end)
    return day, precision, start, end, "future" in rest


@pytest.mark.parametrize(("sentence", "matched", "spec"), CASES, ids=[c[0] for c in CASES])
def test_find_dates_table(sentence: str, matched: str, spec: str) -> None:
    span = _one(sentence)
    assert span.text == matched
    assert (span.date, span.precision, span.start, span.end, span.future) == _expect(spec)
    assert span.acled_precision == {"day": 1, "week": 2, "month": 3}.get(span.precision)


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    "sentence",
    [
        "Troops had earlier withdrawn.",
        "The deadliest attack in two years.",
        "Thirty people were killed in three days of fighting.",
        "Fire broke out on the 3rd floor.",
        "The Sunday Times reported it.",
        "Pilgrims gathered on Good Friday.",
        "USA Today reported the figures.",
        "The army may strike again.",
        "A march through the capital.",
        "Officials counted 2000 homes in 2000 homes.",
        "The next day, troops withdrew.",
        "Two days later, troops withdrew.",
    ],
)
def test_not_temporal(sentence: str) -> None:
    assert find_dates(sentence, published=PUB) == []


# (sentence, published None) -> (date, precision, start, future)
NO_PUBLICATION: list[tuple[str, str | None, str, str | None, bool]] = [
    ("Troops withdrew on Monday.", None, "unknown", None, False),
    ("Clashes erupted last week.", None, "unknown", None, False),
    ("A bomb exploded yesterday.", None, "unknown", None, False),
    ("Polls closed on November 3.", None, "unknown", None, False),
    ("Markets reopen tomorrow.", None, "unknown", None, True),
    ("Lawmakers will vote on Friday.", None, "unknown", None, True),
    ("Polls closed November 3, 2024.", "2024-11-03", "day", "2024-11-03", False),
    ("Polls closed 2024-11-03.", "2024-11-03", "day", "2024-11-03", False),
    ("The town fell in March 2022.", "2022-03-31", "month", "2022-03-01", False),
    ("The town fell in 2022.", "2022-12-31", "year", "2022-01-01", False),
    ("The war has raged since February 2022.", None, "unknown", "2022-02-01", False),
]


@pytest.mark.parametrize(("sentence", "day", "precision", "start", "future"), NO_PUBLICATION)
def test_without_publication_date(
    sentence: str, day: str | None, precision: str, start: str | None, future: bool
) -> None:
    span = _one(sentence, published=None)
    assert (span.date, span.precision, span.start, span.future) == (day, precision, start, future)
    if precision == "unknown":
        assert span.acled_precision is None and span.end is None


def test_published_forms() -> None:
    for published in (PUB, datetime(2024, 11, 5, 23, 59), "2024-11-05", "2024-11-05T10:00:00Z"):
        assert _one("on Monday", published).date == "2024-11-04"
    assert _one("on Monday", "").precision == "unknown"
    with pytest.raises(InputError):
        find_dates("on Monday", published="5 Nov 2024")


def test_offsets_and_order() -> None:
    text = "Parliament will vote on Friday, officials said on Monday, citing attacks last week."
    found = find_dates(text, published=PUB)
    assert [text[s:e] for s, e, _ in found] == ["on Friday", "on Monday", "last week"]
    assert [span.future for *_, span in found] == [True, False, False]


def test_impossible_dates_are_dropped() -> None:
    assert find_dates("on February 30, 2024 and 2023-02-29", published=PUB) == []
    assert _one("on February 29", PUB).date == "2024-02-29"
    assert _one("on February 29", date(2023, 3, 1)).date == "2020-02-29"


# (sentence, default, expected text or None, expected date)
SENTENCES: list[tuple[str, DateSpan | None, str | None, str | None]] = [
    (
        "KYIV, Nov 5 (Reuters) - Missiles struck Kyiv on Monday, killing three.",
        None,
        "on Monday",
        "2024-11-04",
    ),
    (
        "The army said on Monday that three people were killed on Sunday.",
        None,
        "on Sunday",
        "2024-11-03",
    ),
    ("On Monday, officials said the attack happened last week.", None, "last week", "2024-11-03"),
    (
        "Fighting since 2022 has killed thousands, including five on Monday.",
        None,
        "on Monday",
        "2024-11-04",
    ),
    (
        "Police will investigate the shooting that occurred on Sunday.",
        None,
        "on Sunday",
        "2024-11-03",
    ),
    ("Parliament will vote on Friday.", None, "on Friday", "2024-11-08"),
    ("The army said it shot down 20 drones on Monday.", None, "on Monday", "2024-11-04"),
    (
        "Officials told Reuters on Monday that the town fell in August.",
        None,
        "in August",
        "2024-08-31",
    ),
]


@pytest.mark.parametrize(("sentence", "default", "text", "day"), SENTENCES)
def test_resolve_sentence_date(
    sentence: str, default: DateSpan | None, text: str | None, day: str | None
) -> None:
    span = resolve_sentence_date(sentence, published=PUB, default=default)
    assert (span.text, span.date) == (text, day)


def test_resolve_sentence_date_default_and_unknown() -> None:
    default = DateSpan("2024-11-04", "day", "2024-11-04", "2024-11-04", "on Monday", 1)
    assert resolve_sentence_date("Three people died.", published=PUB, default=default) is default
    unknown = resolve_sentence_date("Troops had earlier withdrawn.", published=PUB)
    assert (unknown.precision, unknown.date, unknown.text) == ("unknown", None, None)
    relative = resolve_sentence_date("Troops withdrew on Monday.", published=None, default=default)
    assert (relative.precision, relative.text) == ("unknown", "on Monday")
    future = resolve_sentence_date("Talks resume next week.", published=PUB)
    assert future.future and future.precision == "week"


# (text, year_hint, expected)
DATELINES: list[tuple[str, int | None, date | None]] = [
    ("KYIV, Nov 5 (Reuters) - Russia launched drones.", 2024, date(2024, 11, 5)),
    ("KYIV, Nov 5 (Reuters) - Russia launched drones.", None, None),
    ("WASHINGTON (AP) — The Senate voted on Tuesday.", 2024, None),
    ("LONDON, 5 November 2024 — Prices rose.", None, date(2024, 11, 5)),
    ("Nov. 5, 2024", None, date(2024, 11, 5)),
    ("Nov. 5, 2024 Prices rose.", None, date(2024, 11, 5)),
    ("WASHINGTON, Tuesday, Nov. 5 (AP) — The Senate voted.", 2024, date(2024, 11, 5)),
    ("KYIV, Ukraine, Nov. 5 (Reuters) - Russia launched drones.", 2024, date(2024, 11, 5)),
    ("  BEIRUT, Oct. 30 (AFP) - Strikes hit the south.", 2024, date(2024, 10, 30)),
    ("2024-11-05 - Prices rose.", None, date(2024, 11, 5)),
    ("November 3 was a quiet day.", 2024, None),
    ("Russia launched drones on Nov 5.", 2024, None),
    ("GENEVA, Feb 30 (Reuters) - Talks.", 2024, None),
    ("", 2024, None),
]


@pytest.mark.parametrize(("text", "year_hint", "expected"), DATELINES)
def test_dateline_date(text: str, year_hint: int | None, expected: date | None) -> None:
    assert dateline_date(text, year_hint=year_hint) == expected


# ------------------------------------------------------------------ property tests

PHRASES = [
    "on Monday",
    "on Tuesday",
    "Sunday night",
    "last Friday",
    "next Saturday",
    "today",
    "tonight",
    "overnight",
    "yesterday",
    "tomorrow",
    "last night",
    "last week",
    "this week",
    "next week",
    "at the weekend",
    "this weekend",
    "last month",
    "this month",
    "later this month",
    "next year",
    "in August",
    "in early December",
    "late February",
    "recently",
    "in recent weeks",
    "on November 3",
    "on 29 February",
    "on the 31st",
    "in 2022",
    "since March 2022",
    "3 days ago",
    "a few weeks ago",
    "48 hours ago",
    "in the past 24 hours",
    "in the coming days",
    "in two weeks",
    "2024-02-29",
    "12/31/2023",
    "will",
    "said",
    "was",
    "is set to",
    "scheduled",
    "killed",
    ",",
    ".",
    "the",
    "troops",
    "Kyiv",
    "since",
    "by",
]

_SAFE_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def _check_invariants(text: str, published: date | None) -> None:
    found = find_dates(text, published=published)
    last_end = -1
    for start, end, span in found:
        assert start >= last_end, "overlapping or unordered matches"
        last_end = end
        assert text[start:end] == span.text
        assert span.precision in timex.PRECISIONS
        assert span.acled_precision == {"day": 1, "week": 2, "month": 3}.get(span.precision)
        if span.precision == "unknown":
            assert span.date is None and span.end is None
            continue
        assert span.start is not None and span.end is not None and span.date is not None
        assert span.start <= span.date <= span.end
        if published is not None and not span.future:
            assert span.end <= published.isoformat()
            assert span.date <= published.isoformat()


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), published=st.one_of(st.none(), st.dates()))
def test_property_arbitrary_text(text: str, published: date | None) -> None:
    _check_invariants(text, published)
    resolve_sentence_date(text, published=published)
    dateline_date(text, year_hint=2024)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.sampled_from(PHRASES), max_size=14),
    published=st.one_of(st.none(), st.dates(), _SAFE_DATES),
)
def test_property_temporal_phrases(words: list[str], published: date | None) -> None:
    _check_invariants(" ".join(words), published)
    span = resolve_sentence_date(" ".join(words), published=published)
    assert isinstance(span, DateSpan)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(PHRASES), max_size=14), published=_SAFE_DATES)
def test_property_relative_needs_publication(words: list[str], published: date) -> None:
    """Without a publication date nothing relative resolves; explicit dates stay the same."""
    text = " ".join(words)
    with_pub = {(s, e): span for s, e, span in find_dates(text, published=published)}
    for start, end, span in find_dates(text, published=None):
        if span.precision != "unknown":
            other = with_pub.get((start, end))
            assert other is not None
            assert (other.start, other.precision) == (span.start, span.precision)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from([*PHRASES, "and", "of", "in", "the end of"]), max_size=20),
    published=_SAFE_DATES,
)
def test_property_anchor_windows_match_full_scan(words: list[str], published: date) -> None:
    """Scanning only around anchors finds what a scan of the whole text finds."""
    text = " ".join(words)
    fast = find_dates(text, published=published)
    with mock.patch.object(timex, "_BACK", 10**9), mock.patch.object(timex, "_FWD", 10**9):
        full = find_dates(text, published=published)
    assert fast == full
