"""Choosing an event's location: Halterman's event-location sentences (``event_location_dev``).

Each record is one news sentence with one event verb and the span(s) of that event's location,
or none. For every sentence the places are found with ``extract_article(sentence,
incidents=False)``, then the location is chosen by Dateline's own incident code, in two modes:

* ``verb``: the gold verb is the event trigger. ``extract.events.incidents.incidents_at_trigger``
  places the event at it with the incident code's location chooser and its fallbacks (the
  clause's most specific literal place, "where"/"there" back-references, the acting
  government's country, the sentence's places, ...), as a sentence with one event and no earlier
  sentences. This measures the location choice alone.
* ``pipeline``: ``extract.events.incidents.extract_incidents`` on the sentence (its own triggers);
the
  incident whose trigger lies nearest the gold verb gives the location. This is what the
  product does, so it also counts the verbs its triggers miss.

The predicted location is the chosen place mention's span (``place_index``); a country-level
fallback without a span counts as a prediction that matches no gold span. Scores: among
sentences with at least one gold location, the share whose predicted span overlaps a gold span
(accuracy) and the share with any prediction (coverage); among sentences with none, the share
predicted as none. Sentences whose gold spans are all broken offsets (see :func:`usable`) are
left out. A recognition ceiling and a breakdown of the misses are printed too.

    .venv/bin/python bench/event_location.py
    .venv/bin/python bench/event_location.py --limit 500 --mode verb
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "event_location_dev.jsonl"
OUTCOMES = ("correct", "not recognized", "other place chosen", "no location chosen")


def load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
                if limit and len(rows) >= limit:
                    break
    return rows


def usable(span: dict[str, Any]) -> bool:
    """Whether a gold location span looks like a name. About 900 of the 3,187 gold spans are
    broken offsets: empty (702) or word fragments ("w", "d a", "ler"). A usable span has at
    least 3 characters and its first letter is a capital, or it starts with "al-"."""
    t = span["text"].strip()
    if len(t) < 3:
        return False
    first = next((ch for ch in t if ch.isalpha()), "")
    return first.isupper() or t.lower().startswith("al-")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def predict_verb(text: str, verb: dict[str, Any], places: list, gazetteer) -> list | None:
    """Spans chosen for the event at ``verb`` by the incident code's location chooser
    (:func:`extract.events.incidents.incidents_at_trigger`); ``[]`` when it places the event
    nowhere, ``[None]`` for a country-level fallback without a span."""
    from extract.events.incidents import incidents_at_trigger

    incidents = incidents_at_trigger(text, places, verb["start"], verb["end"], gazetteer=gazetteer)
    return [_span(places, inc) for inc in incidents]


def predict_pipeline(text: str, verb: dict[str, Any], places: list, gazetteer) -> list:
    """Spans of the incident (from ``extract_incidents``) whose trigger lies nearest the verb."""
    from extract.events.incidents import extract_incidents

    incidents = extract_incidents(text, places, published=None, gazetteer=gazetteer)
    if not incidents:
        return []
    low = text.lower()

    def distance(inc) -> int:
        trig = (inc.trigger or "").lower()
        best, pos = 10**9, low.find(trig) if trig else -1
        while pos >= 0:
            end = pos + len(trig)
            gap = (
                0
                if pos < verb["end"] and verb["start"] < end
                else min(abs(pos - verb["end"]), abs(verb["start"] - end))
            )
            best = min(best, gap)
            pos = low.find(trig, pos + 1)
        return best

    best = min(distance(i) for i in incidents)
    return [_span(places, i) for i in incidents if distance(i) == best]


def _span(places: list, inc) -> tuple[int, int] | None:
    if inc.place_index is None:
        return None
    p = places[inc.place_index]
    return (p.start, p.end)


def evaluate(rows: list[dict[str, Any]], gazetteer, modes: list[str]) -> dict[str, Any]:
    from extract import extract_article

    predictors = {"verb": predict_verb, "pipeline": predict_pipeline}
    stats: dict[str, Counter] = {m: Counter() for m in modes}
    ceiling = Counter()
    examples: dict[str, dict[str, list[str]]] = {m: {o: [] for o in OUTCOMES} for m in modes}
    errors = Counter()
    t0 = time.perf_counter()
    for row in rows:
        text = row["text"]
        gold = [(g["start"], g["end"]) for g in row["locations"] if usable(g)]
        if row["locations"] and not gold:
            ceiling["broken"] += 1  # only broken gold spans: cannot be scored
            continue
        art = extract_article(text, gazetteer=gazetteer, incidents=False)
        places = art.places
        recognized = any(_overlaps((p.start, p.end), g) for p in places for g in gold)
        if gold:
            ceiling["with"] += 1
            ceiling["recognized"] += recognized
            ceiling["literal"] += any(
                p.role == "literal" and _overlaps((p.start, p.end), g) for p in places for g in gold
            )
        for mode in modes:
            st = stats[mode]
            try:
                spans = predictors[mode](text, row["verb"], places, gazetteer)
            except Exception as exc:  # noqa: BLE001 - a benchmark counts and goes on
                errors[f"{mode}: {type(exc).__name__}: {exc}"] += 1
                spans = []
            if not gold:
                st["none_n"] += 1
                st["none_ok"] += not spans
                continue
            st["with"] += 1
            st["covered"] += bool(spans)
            if any(s is not None and _overlaps(s, g) for s in spans for g in gold):
                outcome = "correct"
            elif not recognized:
                outcome = "not recognized"
            elif spans:
                outcome = "other place chosen"
            else:
                outcome = "no location chosen"
            st[outcome] += 1
            st["multi"] += len(spans) > 1
            names = {text[a:b].casefold() for a, b in gold}
            st["correct_name"] += outcome == "correct" or any(
                s is not None and text[s[0] : s[1]].casefold() in names for s in spans
            )
            if len(examples[mode][outcome]) < 5 and outcome != "correct":
                chosen = ", ".join(repr(text[s[0] : s[1]]) if s else "(country)" for s in spans)
                golds = ", ".join(repr(text[a:b]) for a, b in gold)
                examples[mode][outcome].append(
                    f"{text.strip()[:160]!r} — verb {row['verb']['text']!r}, gold {golds}, "
                    f"chosen {chosen or 'none'}"
                )
    return {
        "stats": stats,
        "ceiling": ceiling,
        "examples": examples,
        "errors": errors,
        "seconds": time.perf_counter() - t0,
    }


def _pct(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="event_location_dev.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="first N sentences only")
    ap.add_argument("--mode", choices=("verb", "pipeline", "both"), default="both")
    ap.add_argument("--examples", action="store_true", help="print example misses per cause")
    args = ap.parse_args(argv)

    shown = [
        ".venv/bin/python",
        "bench/event_location.py",
        *(argv if argv is not None else sys.argv[1:]),
    ]
    print(f"Command: `{shlex.join(shown)}`\n")
    path = Path(args.data)
    if not path.exists():
        print(f"error: {path} not found (see ../shared/README.md)", file=sys.stderr)
        return 2

    from geodata.gazetteer.index import load_gazetteer

    rows = load(path, args.limit)
    gazetteer = load_gazetteer()
    modes = ["verb", "pipeline"] if args.mode == "both" else [args.mode]
    res = evaluate(rows, gazetteer, modes)
    stats, ceil = res["stats"], res["ceiling"]

    n_with = ceil["with"]
    n_none = len(rows) - n_with - ceil["broken"]
    print(
        f"{len(rows)} sentences: {n_with} with a gold location, {n_none} without; "
        f"{ceil['broken']} left out because all their gold spans are broken offsets "
        "(empty or word fragments).\n"
    )
    print("| measure | " + " | ".join(f"`{m}` mode" for m in modes) + " |")
    print("|---|" + "---:|" * len(modes))

    def row(name: str, cells: list[str]) -> None:
        print(f"| {name} | " + " | ".join(cells) + " |")

    row(
        f"accuracy: predicted span overlaps a gold span ({n_with} sentences)",
        [f"**{_pct(stats[m]['correct'], stats[m]['with'])}**" for m in modes],
    )
    row(
        "accuracy, also counting another mention of a gold name",
        [_pct(stats[m]["correct_name"], stats[m]["with"]) for m in modes],
    )
    row("coverage: some location predicted", [_pct(stats[m]["covered"], n_with) for m in modes])
    row(
        "accuracy when a location is predicted",
        [_pct(stats[m]["correct"], stats[m]["covered"]) for m in modes],
    )
    row(
        f"no location predicted when gold has none ({n_none} sentences)",
        [f"**{_pct(stats[m]['none_ok'], stats[m]['none_n'])}**" for m in modes],
    )
    for outcome in OUTCOMES[1:]:
        row(f"miss: {outcome}", [_pct(stats[m][outcome], n_with) for m in modes])
    row("several locations predicted", [_pct(stats[m]["multi"], n_with) for m in modes])
    print(
        f"\nRecognition ceiling: a recognized place overlaps a gold span in "
        f"{_pct(ceil['recognized'], n_with)} of the located sentences "
        f"({_pct(ceil['literal'], n_with)} with role `literal`). "
        f"Run time {res['seconds']:.1f} s."
    )
    if res["errors"]:
        print("\nErrors (counted as no prediction):")
        for msg, n in res["errors"].most_common(5):
            print(f"- {n}× {msg}")
    if args.examples:
        for m in modes:
            for outcome, exs in res["examples"][m].items():
                if exs:
                    print(f"\n`{m}`, {outcome}:")
                    for e in exs:
                        print(f"- {e}")
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
