"""The issue-14 pattern sentences (``tests/data/patterns/geoparse_patterns.jsonl``) are well formed,
and the benchmark's judge fails a wrong reading (it measures; no accuracy floor here)."""

from __future__ import annotations

from bench.geoparse_patterns import judge, load
from geodata.records import Place


def _place(text: str, lat: float, lon: float, country: str) -> Place:
    return Place(0, len(text), text, text, None, lat, lon, "city", country, None)


def test_cases_are_well_formed() -> None:
    cases = load()
    assert len(cases) >= 40
    ids = [c["id"] for c in cases]
    assert len(set(ids)) == len(ids)
    for c in cases:
        assert c["pattern"] and c["text"]
        assert c.get("expect") or c.get("not"), c["id"]
        for exp in c.get("expect", []):
            assert exp["text"] in c["text"], c["id"]
            assert -90 <= exp["lat"] <= 90 and -180 <= exp["lon"] <= 180
            assert exp["km"] > 0
        for word in c.get("not", []):
            assert word.lower() in c["text"].lower(), c["id"]


def test_the_judge_fails_wrong_readings() -> None:
    case = {
        "text": "Police in Lebanon, Ohio, arrested two men.",
        "expect": [{"text": "Lebanon", "country": "US", "lat": 39.435, "lon": -84.203, "km": 30}],
        "not": ["Police"],
    }
    right = [_place("Lebanon", 39.43, -84.21, "US")]
    assert judge(case, right) == []
    assert judge(case, [_place("Lebanon", 33.9, 35.9, "LB")])  # the country abroad
    assert judge(case, [])  # not found
    assert judge(case, [*right, _place("Police", 1.0, 1.0, "US")])  # a word read as a place
