"""The coder-report corpora ``tests/data/reports/reports.jsonl`` and ``reports_hard.jsonl`` are
well formed and their gold is consistent.

Both corpora (scored by ``bench/reports.py --corpus``) are short event reports written for this
project in the style of conflict-coder notes, with ACLED-style gold; the hard one reads like
ACLED's export "notes" column (longer notes with background sentences, acronyms, "(coded to X)").
These tests check the files only: no extractor is run and there are no accuracy floors.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bench.reports import DEFAULT_DATA, HARD_DATA, gold_points, judge, score
from extract.events.codebook import EVENT_TYPES

SUB_TO_TYPE = {sub: etype for etype, subs in EVENT_TYPES.items() for sub in subs}
REQUIRED = {
    "id": str,
    "text": str,
    "country": str,
    "location": str,
    "event": bool,
}
OPTIONAL_KEYS = {
    "sub_event_type",
    "event_type",
    "lat",
    "lon",
    "geo_precision",
    "date",
    "date_end",
    "fatalities",
    "actor1",
    "actor2",
    "alt_locations",
    "note",
}
# words a report must use when its gold says someone died
_DEATH = re.compile(
    r"kill|dead|died|death|dies\b|lynch|behead|neutralis|neutraliz|execut|suffocat|bodies|"
    r"hacked to death|shot dead|fatalit|lives",
    re.IGNORECASE,
)
# phrases that state that nobody died or was hurt
_NONE_DIED = re.compile(
    r"\bno (?:casualties|injuries|fatalities|deaths)\b|escaped unhurt", re.IGNORECASE
)


@dataclass(frozen=True)
class Corpus:
    """One corpus file and the limits its rows and coverage must meet."""

    name: str
    path: Path
    max_chars: int  # a report's length
    max_sentences: int
    min_per_sub: int  # reports per ACLED sub-event type
    min_countries: int
    min_non_events: int
    id_prefix: str = ""


CORPORA = (
    Corpus("reports", DEFAULT_DATA, 400, 3, 6, 35, 15),
    # ACLED notes run longer and carry background sentences; the file is smaller
    Corpus("reports_hard", HARD_DATA, 700, 6, 2, 40, 8, id_prefix="h-"),
)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ROWS = {c.name: _rows(c.path) for c in CORPORA}
ROW_CASES = [pytest.param(c, r, id=r["id"]) for c in CORPORA for r in ROWS[c.name]]
by_corpus = pytest.mark.parametrize("corpus", CORPORA, ids=[c.name for c in CORPORA])


def _events(corpus: Corpus) -> list[dict]:
    return [r for r in ROWS[corpus.name] if r["event"]]


def test_ids_unique_across_corpora():
    ids = Counter(r["id"] for rows in ROWS.values() for r in rows)
    assert not [i for i, n in ids.items() if n > 1]


@by_corpus
def test_ids_and_keys_known(corpus):
    for r in ROWS[corpus.name]:
        assert r["id"].startswith(corpus.id_prefix), r["id"]
        for key, typ in REQUIRED.items():
            assert isinstance(r.get(key), typ), (r["id"], key)
        unknown = set(r) - set(REQUIRED) - OPTIONAL_KEYS
        assert not unknown, (r["id"], unknown)


@pytest.mark.parametrize(("corpus", "row"), ROW_CASES)
def test_row_is_consistent(corpus, row):
    text = row["text"]
    assert 20 <= len(text) <= corpus.max_chars
    n_sent = len(re.findall(r"[.!?](?:\s|$)", text))
    assert n_sent <= corpus.max_sentences, f"a report is 1-{corpus.max_sentences} sentences"
    assert re.fullmatch(r"[A-Z]{2}", row["country"])
    # the gold place is written in the report, as are its alternatives
    for name, lat, lon in gold_points(row):
        assert name in text, name
        assert -90 <= lat <= 90 and -180 <= lon <= 180
    if row.get("date") is not None:
        start = date.fromisoformat(row["date"])
        if row.get("date_end"):
            assert date.fromisoformat(row["date_end"]) >= start
        assert str(start.year) in text, "the report states its own year"
    if not row["event"]:
        assert row.get("sub_event_type") is None and row.get("event_type") is None
        assert row.get("fatalities") is None
        return
    sub = row["sub_event_type"]
    assert sub in SUB_TO_TYPE, sub
    assert row["event_type"] == SUB_TO_TYPE[sub]
    assert row["lat"] is not None and row["lon"] is not None
    assert row["geo_precision"] in (1, 2, 3)
    if row["date"] is None:
        # older coder notes carry no date (it sits in a separate column): then the note names no
        # year, and the date measure skips the report
        assert not re.search(r"\b(?:19|20)\d\d\b", text), "a note with a year needs its gold date"
    fat = row.get("fatalities")
    assert fat is None or (type(fat) is int and fat >= 0)
    if fat:
        assert _DEATH.search(text), "gold fatalities > 0 but the report names no death"
    if _NONE_DIED.search(text) and not _DEATH.search(text):
        assert fat == 0, "the report says nobody died: gold fatalities must be 0"
    if fat == 0:
        assert _NONE_DIED.search(text), "gold 0 needs an explicit 'no casualties'"


@by_corpus
def test_coverage_of_types_countries_and_non_events(corpus):
    rows, events = ROWS[corpus.name], _events(corpus)
    per_sub = Counter(r["sub_event_type"] for r in events)
    assert set(per_sub) == set(SUB_TO_TYPE), set(SUB_TO_TYPE) - set(per_sub)
    assert min(per_sub.values()) >= corpus.min_per_sub
    assert len({r["country"] for r in rows}) >= corpus.min_countries
    assert len(rows) - len(events) >= corpus.min_non_events


@by_corpus
def test_gold_scores_perfectly_against_itself(corpus):
    """The bench's measures give 1.0 when the prediction is the gold (catches gold the
    scorer cannot read: a bad date window, a missing point, a typo'd sub-type)."""
    rows = ROWS[corpus.name]
    preds = {
        r["id"]: (
            [
                {
                    "sub_event_type": r["sub_event_type"],
                    "event_type": r["event_type"],
                    "lat": r["lat"],
                    "lon": r["lon"],
                    "date": r["date"],
                    "fatalities": r.get("fatalities"),
                    "confidence": 1.0,
                }
            ]
            if r["event"]
            else []
        )
        for r in rows
    }
    tally = score(rows, preds)["tally"]
    assert all(hits == n for hits, n in tally.values()), tally
    # and a wrong prediction is caught: moved 1 degree north, days late, another sub-type
    r = _events(corpus)[0]
    wrong = dict(preds[r["id"]][0], lat=r["lat"] + 1.0, sub_event_type="Other")
    last = date.fromisoformat(r.get("date_end") or r["date"])
    wrong["date"] = date.fromordinal(last.toordinal() + 3).isoformat()
    v = judge(r, [wrong])
    assert v["found"] and not v["placed"] and not v["date"]
    assert v["sub"] is (r["sub_event_type"] == "Other")
