"""Incident extraction on real news: CASE 2021, MUC-3/4 and the event-location sentences.

The three development sets of ``../shared/eval`` (see ``../shared/README.md``) are run through
:func:`extract.extract_article` exactly as a user's text would be — no publication date is
given, so datelines and "On <date>," openings must be read from the text — and scored with
``../shared/eval/score_incidents.py``, the same definitions used on the held-out halves:

* ``case``: CASE 2021 task 2 snippets; the most confident incident's sub-event type against the
  gold ACLED sub-type. Also prints a per-sub-type table (accuracy, what the misses became) and
  the share of snippets with no incident at all.
* ``muc``: MUC-3/4 wire stories; a gold incident template is recalled when an incident of its
  document has the gold country and a date window overlapping the gold one. Also prints the
  share of the irrelevant documents (no incident in the gold) that yield incidents.
* ``evloc``: Halterman's event-location sentences; the most confident incident's place
  overlaps a gold location span.

Predictions go to ``bench/out/incidents-real-SET.jsonl`` and the misses, with their text, to
``bench/out/incidents-real-SET-errors.md`` (for error analysis only: never copy their names,
phrases or labels into rules or tests).

    .venv/bin/python bench/incidents_real.py                # all three sets
    .venv/bin/python bench/incidents_real.py --set case     # one set
    .venv/bin/python bench/incidents_real.py --limit 200    # first N records of each set
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shlex
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "bench" / "out"
FILES = {
    "case": "case2021_dev.jsonl",
    "muc": "muc4_dev.jsonl",
    "evloc": "event_location_dev.jsonl",
}
NEGATIVES = "muc4_dev_irrelevant_docs.jsonl"


def load(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows[:limit] if limit else rows


def scorer(eval_dir: Path = EVAL):
    """``score_incidents.py`` beside the data, imported as a module."""
    spec = importlib.util.spec_from_file_location(
        "score_incidents", eval_dir / "score_incidents.py"
    )
    if spec is None or spec.loader is None:
        raise FileNotFoundError(eval_dir / "score_incidents.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documents(name: str, gold: list[dict[str, Any]]) -> dict[str, str]:
    """id → text of the documents to parse (MUC: one per story, not per template)."""
    if name == "muc":
        docs: dict[str, str] = {}
        for r in gold:
            if r.get("text"):
                docs.setdefault(r["id"].rsplit("-T", 1)[0], r["text"])
        return docs
    return {r["id"]: r["text"] for r in gold}


def parse_all(docs: dict[str, str], gazetteer) -> tuple[dict[str, dict[str, Any]], int, float]:
    """Run the extractor on every document: (predictions by id, errors, CPU seconds)."""
    from extract import extract_article

    preds: dict[str, dict[str, Any]] = {}
    errors = 0
    t0 = time.process_time()
    for doc_id, text in docs.items():
        try:
            art = extract_article(text, gazetteer=gazetteer, doc_id=doc_id)
            preds[doc_id] = art.to_dict()
        except Exception as exc:  # noqa: BLE001 - a benchmark counts and goes on
            errors += 1
            print(f"error in {doc_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            preds[doc_id] = {"id": doc_id, "places": [], "incidents": []}
    return preds, errors, time.process_time() - t0


def best(incidents: list[dict[str, Any]]) -> dict[str, Any] | None:
    return max(incidents, key=lambda i: i.get("confidence") or 0) if incidents else None


def case_table(gold: list[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> list[str]:
    """Per gold sub-type: n, accuracy, and what the misses were read as."""
    by: dict[str, Counter] = defaultdict(Counter)
    for r in gold:
        b = best(preds.get(r["id"], {}).get("incidents", []))
        by[r["sub_event_type"]][b["sub_event_type"] if b else "(no incident)"] += 1
    lines = [
        "| gold sub-event type | n | accuracy | most frequent misreadings |",
        "|---|---:|---:|---|",
    ]
    for sub in sorted(by, key=lambda s: (-sum(by[s].values()), s)):
        c = by[sub]
        n = sum(c.values())
        wrong = ", ".join(f"{k} {v}" for k, v in c.most_common() if k != sub)
        lines.append(f"| {sub} | {n} | {c[sub] / n:.2f} | {wrong[:110]} |")
    return lines


def error_report(name: str, gold: list[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> str:
    """Markdown listing of the misses, for error analysis."""
    out = [f"# {name}: misses\n"]
    if name == "case":
        for r in gold:
            b = best(preds.get(r["id"], {}).get("incidents", []))
            got = b["sub_event_type"] if b else None
            if got != r["sub_event_type"]:
                trig = f" (trigger {b.get('trigger')!r})" if b else ""
                out.append(f"- **{r['sub_event_type']}** → {got}{trig}: {r['text'][:400]!r}")
    elif name == "evloc":
        for r in gold:
            if not r["locations"]:
                continue
            p = preds.get(r["id"], {})
            b = best(p.get("incidents", []))
            places = p.get("places", [])
            pi = b.get("place_index") if b else None
            chosen = places[pi]["text"] if pi is not None and 0 <= pi < len(places) else None
            golds = [loc["text"] for loc in r["locations"]]
            if chosen is None or not any(
                places[pi]["start"] < loc["end"] and loc["start"] < places[pi]["end"]
                for loc in r["locations"]
            ):
                found = [pl["text"] for pl in places]
                out.append(
                    f"- gold {golds} chose {chosen!r} (places {found}, "
                    f"{'no incident' if b is None else b['sub_event_type']}): {r['text'][:300]!r}"
                )
    else:
        for r in gold:
            if "OPTIONAL" in r["id"] or not r.get("text"):
                continue
            p = preds.get(r["id"].rsplit("-T", 1)[0], {})
            incs = [
                (i.get("country"), i.get("date_start"), i.get("date_end"), i.get("sub_event_type"))
                for i in p.get("incidents", [])
            ]
            out.append(
                f"- {r['id']} gold {r['location_name']!r} {r['date']} fat={r['fatalities']}"
                f" type={r['event_type']}; published {p.get('published')}; predicted {incs[:6]}"
            )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=("case", "muc", "evloc", "all"), default="all")
    ap.add_argument("--limit", type=int, default=None, help="first N records of each set")
    ap.add_argument("--eval-dir", default=str(EVAL), help="folder of the dev sets and scorer")
    args = ap.parse_args(argv)
    shown = [
        ".venv/bin/python",
        "bench/incidents_real.py",
        *(argv if argv is not None else sys.argv[1:]),
    ]
    print(f"Command: `{shlex.join(shown)}`\n")
    eval_dir = Path(args.eval_dir)
    if not (eval_dir / "score_incidents.py").exists():
        print(
            f"error: {eval_dir}/score_incidents.py not found (see ../shared/README.md)",
            file=sys.stderr,
        )
        return 2
    sc = scorer(eval_dir)

    from geodata.gazetteer.index import load_gazetteer

    gazetteer = load_gazetteer()
    OUT.mkdir(parents=True, exist_ok=True)
    names = ["case", "muc", "evloc"] if args.set == "all" else [args.set]
    summary: list[tuple[str, str, str]] = []
    extra: list[str] = []
    failed = 0
    for name in names:
        gold = load(eval_dir / FILES[name], args.limit)
        if name == "muc" and args.limit:
            keep = {r["id"].rsplit("-T", 1)[0] for r in gold}
            gold = [r for r in load(eval_dir / FILES[name]) if r["id"].rsplit("-T", 1)[0] in keep]
        docs = documents(name, gold)
        preds, errors, cpu = parse_all(docs, gazetteer)
        failed += errors
        with (OUT / f"incidents-real-{name}.jsonl").open("w", encoding="utf-8") as fh:
            for p in preds.values():
                fh.write(json.dumps(p) + "\n")
        (OUT / f"incidents-real-{name}-errors.md").write_text(
            error_report(name, gold, preds), encoding="utf-8"
        )
        res = sc.SCORERS[name](gold, preds)
        rate = f"{len(docs) / cpu:.0f} docs/s" if cpu else ""
        none = sum(1 for p in preds.values() if not p["incidents"])
        if name == "case":
            summary.append(
                (
                    "CASE 2021: sub-event type of the most confident incident",
                    f"**{res['accuracy']:.3f}**",
                    f"{res['n']} snippets, {rate}",
                )
            )
            summary.append(("CASE 2021: snippets with no incident", f"{none / len(docs):.3f}", ""))
            extra += ["", "CASE 2021 by gold sub-event type:", "", *case_table(gold, preds)]
        elif name == "muc":
            summary.append(
                (
                    "MUC-3/4: templates recalled (country and date)",
                    f"**{res['recall']:.3f}**",
                    f"{res['n']} templates, {len(docs)} stories, {rate}",
                )
            )
            fat = res["fatal_exact"] / res["fatal_n"] if res["fatal_n"] else 0.0
            summary.append(
                (
                    "MUC-3/4: fatalities exact, recalled templates with a gold toll",
                    f"{fat:.3f}",
                    f"{res['fatal_exact']} of {res['fatal_n']}",
                )
            )
            dated = sum(1 for p in preds.values() if p.get("published"))
            summary.append(
                ("MUC-3/4: stories whose publication date was read", f"{dated / len(docs):.3f}", "")
            )
            if not args.limit:
                neg = {r["id"]: r["text"] for r in load(eval_dir / NEGATIVES) if r.get("text")}
                npred, nerr, _ = parse_all(neg, gazetteer)
                failed += nerr
                with_inc = sum(1 for p in npred.values() if p["incidents"])
                summary.append(
                    (
                        "MUC-3/4: irrelevant stories that yield an incident",
                        f"{with_inc / len(neg):.3f}",
                        f"{len(neg)} stories (lower is better)",
                    )
                )
        else:
            summary.append(
                (
                    "event location: most confident incident on the gold span",
                    f"**{res['accuracy']:.3f}**",
                    f"{res['n']} located sentences, {rate}",
                )
            )
            unlocated = [r for r in gold if not r["locations"]]
            quiet = sum(
                1
                for r in unlocated
                if not any(i.get("place_index") is not None for i in preds[r["id"]]["incidents"])
            )
            if unlocated:
                summary.append(
                    (
                        "event location: no placed incident where gold has none",
                        f"{quiet / len(unlocated):.3f}",
                        f"{len(unlocated)} sentences",
                    )
                )
    print("| measure | value | notes |")
    print("|---|---:|---|")
    for row in summary:
        print("| " + " | ".join(row) + " |")
    for line in extra:
        print(line)
    print(f"\nPredictions and misses: {OUT.relative_to(ROOT)}/incidents-real-*.jsonl / -errors.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
