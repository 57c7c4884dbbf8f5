"""The one ``YYYY-MM-DD`` reading (:mod:`geodata.dates`) behind readers, store, timex, URL
state and both command lines."""

from __future__ import annotations

import argparse
from datetime import date, datetime

import pytest

from geodata.dates import date_argument, iso_date, period_words
from geodata.errors import InputError


def test_unknown_and_typed_values() -> None:
    assert iso_date(None) is None and iso_date("") is None
    assert iso_date(date(2024, 11, 5)) == date(2024, 11, 5)
    assert iso_date(datetime(2024, 11, 5, 10, 30)) == date(2024, 11, 5)
    assert iso_date("2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "bad", ["2024-02-30", "20241105", "05/11/2024", "2024-11-05T10:00", " 2024-11-05"]
)
def test_only_a_calendar_date_written_yyyy_mm_dd(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        iso_date(bad, what="published date", source="f.jsonl", line=4)
    assert str(caught.value) == (
        f"f.jsonl:4: invalid published date {bad!r}: expected a date written YYYY-MM-DD"
    )


def test_a_timestamps_date_part_when_asked() -> None:
    assert iso_date("2024-11-05T10:00:00Z", timestamp=True) == date(2024, 11, 5)
    assert iso_date(" 2024-11-05 10:00 ", timestamp=True) == date(2024, 11, 5)
    with pytest.raises(InputError):
        iso_date("2024-11-05garbage", timestamp=True)


def test_the_command_line_type() -> None:
    assert date_argument("") == ""
    assert date_argument("2024-11-05") == "2024-11-05"
    with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD"):
        date_argument("5 Nov 2024")


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2024-11-05", "2024-11-05", "on 2024-11-05"),
        ("2024-11-01", "2024-11-05", "2024-11-01 → 2024-11-05"),
        (None, "2024-11-05", "up to 2024-11-05"),
        ("2024-11-01", None, "from 2024-11-01"),
        (None, None, "all dates"),
    ],
)
def test_a_date_window_in_words(start: str | None, end: str | None, words: str) -> None:
    assert period_words(start, end) == words
