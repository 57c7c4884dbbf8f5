"""The geoparser on the hard patterns of issue 14, one sentence of our own per case.

``tests/data/patterns/geoparse_patterns.jsonl`` holds short texts written for Dateline (not taken
from any corpus or other project), each for one pattern the held-out corpora showed: local
homonyms with their state named, bare county lists, parishes, person names (titles, middle
initials, a surname repeated alone, "the X administration"), organisations, streets, text-initial
places, codes after a city, admin areas ("X Province", raions, Afghan districts), features, line
breaks, caps surnames. A case passes when every ``expect`` place is found (the same surface, or
one that holds or lies in it) within ``km`` of its point (and in its ``country`` when given),
and no ``not`` word is a place.

    .venv/bin/python bench/geoparse_patterns.py
    .venv/bin/python bench/geoparse_patterns.py -v     # list each failing case
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from geodata.distance import km_apart

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data" / "patterns" / "geoparse_patterns.jsonl"


def load(path: Path = DATA) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def judge(case: dict[str, Any], places: list) -> list[str]:
    """Why ``case`` fails with these places (empty when it passes)."""
    problems = []
    for exp in case.get("expect", []):
        # the span may leave off a type word ("Kharkiv" of "Kharkiv oblast")
        found = [p for p in places if p.text == exp["text"]] or [
            p for p in places if p.text in exp["text"] or exp["text"] in p.text
        ]
        if not found:
            problems.append(f"{exp['text']!r} not found")
            continue
        p = found[0]
        if p.lat is None:
            problems.append(f"{exp['text']!r} has no point")
            continue
        if "country" in exp and p.country != exp["country"]:
            problems.append(f"{exp['text']!r} in {p.country}, not {exp['country']}")
            continue
        off = km_apart((p.lat, p.lon), (exp["lat"], exp["lon"]))
        if off > exp["km"]:
            problems.append(f"{exp['text']!r} {off:.0f} km off ({p.name}, {p.country})")
    for word in case.get("not", []):
        hits = [p for p in places if word.lower() in p.text.lower() and p.role != "demonym"]
        if hits:
            problems.append(f"{word!r} read as a place ({hits[0].name}, {hits[0].country})")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("-v", "--verbose", action="store_true", help="list each failing case")
    args = ap.parse_args(argv)
    shown = [
        ".venv/bin/python",
        "bench/geoparse_patterns.py",
        *(argv if argv is not None else sys.argv[1:]),
    ]
    print(f"Command: `{shlex.join(shown)}`\n")

    from extract import extract_article
    from geodata.gazetteer.index import load_gazetteer

    gaz = load_gazetteer()
    cases = load(Path(args.data))
    by: dict[str, list[bool]] = defaultdict(list)
    failures = []
    for case in cases:
        places = extract_article(case["text"], gazetteer=gaz, incidents=False).places
        problems = judge(case, places)
        by[case["pattern"]].append(not problems)
        if problems:
            failures.append((case, problems))
    passed = sum(ok for oks in by.values() for ok in oks)
    print(f"{passed} of {len(cases)} cases pass ({passed / len(cases):.3f}).\n")
    print("| pattern | cases | pass |")
    print("|---|---:|---:|")
    for pattern, oks in sorted(by.items()):
        print(f"| {pattern} | {len(oks)} | {sum(oks)} |")
    if args.verbose and failures:
        print()
        for case, problems in failures:
            print(f"- {case['id']} ({case['pattern']}): {'; '.join(problems)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
