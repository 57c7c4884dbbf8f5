"""The coder-report corpus ``tests/data/reports/reports.jsonl`` is well formed and its gold
is consistent.

The corpus (scored by ``bench/reports.py``) is short event reports written for this project in
the style of conflict-coder notes, with ACLED-style gold. These tests check the file only: no
extractor is run and there are no accuracy floors.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest

from bench.reports import DEFAULT_DATA, gold_points, judge, score
from extract.events import EVENT_TYPES

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


def _rows() -> list[dict]:
    with DEFAULT_DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ROWS = _rows()
EVENTS = [r for r in ROWS if r["event"]]


def test_ids_unique_and_keys_known():
    ids = Counter(r["id"] for r in ROWS)
    assert not [i for i, n in ids.items() if n > 1]
    for r in ROWS:
        for key, typ in REQUIRED.items():
            assert isinstance(r.get(key), typ), (r["id"], key)
        unknown = set(r) - set(REQUIRED) - OPTIONAL_KEYS
        assert not unknown, (r["id"], unknown)


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_row_is_consistent(row):
    text = row["text"]
    assert 20 <= len(text) <= 400
    assert len(re.findall(r"[.!?](?:\s|$)", text)) <= 3, "a report is 1-3 sentences"
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
    assert row["date"] is not None
    fat = row.get("fatalities")
    assert fat is None or (type(fat) is int and fat >= 0)
    if fat:
        assert _DEATH.search(text), "gold fatalities > 0 but the report names no death"
    if _NONE_DIED.search(text) and not _DEATH.search(text):
        assert fat == 0, "the report says nobody died: gold fatalities must be 0"
    if fat == 0:
        assert _NONE_DIED.search(text), "gold 0 needs an explicit 'no casualties'"


def test_coverage_of_types_countries_and_non_events():
    per_sub = Counter(r["sub_event_type"] for r in EVENTS)
    assert set(per_sub) == set(SUB_TO_TYPE), set(SUB_TO_TYPE) - set(per_sub)
    assert min(per_sub.values()) >= 6
    assert len({r["country"] for r in ROWS}) >= 35
    assert len(ROWS) - len(EVENTS) >= 15


def test_gold_scores_perfectly_against_itself():
    """The bench's measures give 1.0 when the prediction is the gold (catches gold the
    scorer cannot read: a bad date window, a missing point, a typo'd sub-type)."""
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
        for r in ROWS
    }
    tally = score(ROWS, preds)["tally"]
    assert all(hits == n for hits, n in tally.values()), tally
    # and a wrong prediction is caught: moved 1 degree north, a day late, another sub-type
    r = EVENTS[0]
    wrong = dict(preds[r["id"]][0], lat=r["lat"] + 1.0, sub_event_type="Other")
    wrong["date"] = date.fromordinal(date.fromisoformat(r["date"]).toordinal() + 3).isoformat()
    v = judge(r, [wrong])
    assert v["found"] and not v["placed"] and not v["date"]
    assert v["sub"] is (r["sub_event_type"] == "Other")
