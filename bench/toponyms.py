"""GeoWebNews benchmark: end-to-end geoparsing and resolution-only, scored by ``score.py``.

Runs :func:`extract.extract_article` on each GeoWebNews article

* ``e2e``: recognition + resolution, as a user would run it;
* ``gold``: resolution only, the gold toponym spans given as ``mentions``;

writes the predictions in the scorer's format (``{"id", "places": [{"start", "end", "lat",
"lon", "geonameid", ...}]}``) to ``OUT_DIR/geowebnews-MODE.jsonl``, scores them with
``../shared/eval/score.py`` (a subprocess with this Python) and prints a markdown table. For
development it also writes ``OUT_DIR/geowebnews-MODE-errors.md``: false positives, false
negatives and resolutions more than 161 km off, each with its context.

The evaluation data is read where it lies (``../shared/eval``) and never copied into the repo.

Usage::

    .venv/bin/python bench/toponyms.py [--gold ../shared/eval/geowebnews.jsonl]
        [--mode e2e|gold|both] [--out-dir bench/out] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geodata.distance import km_apart

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["main", "run_mode"]

logger = logging.getLogger(__name__)

DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "geowebnews.jsonl"
DEFAULT_OUT = ROOT / "bench" / "out"
MODES = ("e2e", "gold")
FAR_KM = 161.0
_CONTEXT = 70
_TOP = 30
#: Published end-to-end / resolution-only reference points (see ../shared/README.md).
REFERENCES = [
    ("StanfordNER + population (EUPEG)", "e2e", 0.739, 0.698),
    ("CamCoder", "e2e", 0.691, 0.839),
    ("Edinburgh Geoparser", "e2e", 0.65, 0.921),
    ("CLAVIN", "e2e", 0.549, 0.937),
    ("Mordecai 3", "gold", None, 0.941),
]


def _load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _pred_place(place: Any) -> dict[str, Any]:
    return {
        "start": place.start,
        "end": place.end,
        "lat": place.lat,
        "lon": place.lon,
        "geonameid": place.geonameid,
        # Ignored by the scorer; used by the error analysis.
        "text": place.text,
        "name": place.name,
        "kind": place.kind,
        "country": place.country,
        "role": place.role,
        "score": place.score,
    }


def run_mode(
    docs: Sequence[dict[str, Any]], *, mode: str, gazetteer: Any, roles: set[str] | None = None
) -> tuple[list[dict[str, Any]], float, int]:
    """Extract every document in ``mode``.

    Returns
    -------
    preds, seconds, failures
        Predictions in the scorer's format, the time taken, and how many documents raised.
    """
    from extract import extract_article

    preds: list[dict[str, Any]] = []
    failures = 0
    t0 = time.perf_counter()
    for doc in docs:
        mentions = None
        if mode == "gold":
            mentions = [{"start": t["start"], "end": t["end"]} for t in doc["toponyms"]]
        try:
            article = extract_article(
                doc["text"],
                gazetteer=gazetteer,
                mentions=mentions,
                doc_id=doc["id"],
                title=doc.get("title"),
                url=doc.get("url"),
            )
        except Exception:
            failures += 1
            if failures == 1:
                logger.error("%s (%s) failed:\n%s", doc["id"], mode, traceback.format_exc())
            preds.append({"id": doc["id"], "places": []})
            continue
        places = [p for p in article.places if roles is None or p.role in roles]
        preds.append({"id": doc["id"], "places": [_pred_place(p) for p in places]})
    return preds, time.perf_counter() - t0, failures


def _score(scorer: Path, gold: Path, pred: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(pred)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"error: {scorer} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - _CONTEXT) : start]
    right = text[end : end + _CONTEXT]
    snippet = f"{left}[[{text[start:end]}]]{right}"
    return " ".join(snippet.split())


def _error_rows(
    gold: dict[str, Any], pred: dict[str, Any]
) -> tuple[list[str], list[str], list[str], dict[str, Counter]]:
    text = gold["text"]
    gspans = {(t["start"], t["end"]): t for t in gold["toponyms"]}
    pspans: dict[tuple[int, int], dict[str, Any]] = {}
    for p in pred["places"]:
        pspans.setdefault((p["start"], p["end"]), p)

    def overlap(span: tuple[int, int], others: dict) -> str:
        hits = [f"{text[s:e]!r}" for s, e in others if s < span[1] and span[0] < e]
        return f" (overlaps {', '.join(hits)})" if hits else ""

    fps, fns, far = [], [], []
    counts: dict[str, Counter] = {k: Counter() for k in ("fp", "fn", "far", "fn_type", "far_type")}
    for span, p in sorted(pspans.items()):
        if span not in gspans:
            counts["fp"][text[span[0] : span[1]]] += 1
            fps.append(
                f"- `{text[span[0] : span[1]]}` → {p.get('name')} ({p.get('kind')}, "
                f"{p.get('country')}, {p.get('role')}){overlap(span, gspans)}: "
                f"{_context(text, *span)}"
            )
    for span, g in sorted(gspans.items()):
        if span not in pspans:
            counts["fn"][g["name"]] += 1
            counts["fn_type"][g.get("type", "?")] += 1
            fns.append(
                f"- `{g['name']}` [{g.get('type')}]{overlap(span, pspans)}: {_context(text, *span)}"
            )
            continue
        p = pspans[span]
        if g.get("lat") is None:
            continue
        same_id = g.get("geonameid") and p.get("geonameid") == g.get("geonameid")
        if same_id:
            continue
        if p.get("lat") is None:
            km = float("inf")
        else:
            km = km_apart((g["lat"], g["lon"]), (p["lat"], p["lon"]))
        if km > FAR_KM:
            counts["far"][g["name"]] += 1
            counts["far_type"][g.get("type", "?")] += 1
            got = (
                "unresolved"
                if p.get("lat") is None
                else f"{p.get('name')} ({p.get('kind')}, {p.get('country')}) "
                f"{p['lat']:.2f},{p['lon']:.2f} gid={p.get('geonameid')}"
            )
            far.append(
                f"- `{g['name']}` [{g.get('type')}] gold {g['lat']:.2f},{g['lon']:.2f} "
                f"gid={g.get('geonameid')} → {got}, {km:,.0f} km: {_context(text, *span)}"
            )
    return fps, fns, far, counts


def _write_errors(
    path: Path, gold_docs: Sequence[dict[str, Any]], preds: Sequence[dict[str, Any]], mode: str
) -> dict[str, int]:
    by_id = {p["id"]: p for p in preds}
    total: dict[str, Counter] = {}
    sections: list[str] = []
    n = {"fp": 0, "fn": 0, "far": 0}
    for doc in gold_docs:
        fps, fns, far, counts = _error_rows(doc, by_id.get(doc["id"], {"places": []}))
        for key, counter in counts.items():
            total.setdefault(key, Counter()).update(counter)
        n["fp"] += len(fps)
        n["fn"] += len(fns)
        n["far"] += len(far)
        if fps or fns or far:
            sections.append(f"\n## {doc['id']}: {doc.get('title') or ''}\n")
            for label, rows in (("False positives", fps), ("False negatives", fns)):
                if rows:
                    sections.append(f"\n**{label}**\n\n" + "\n".join(rows) + "\n")
            if far:
                sections.append(f"\n**More than {FAR_KM:.0f} km off**\n\n" + "\n".join(far) + "\n")

    def top(counter: Counter) -> str:
        return ", ".join(f"{k} ×{v}" for k, v in counter.most_common(_TOP)) or "none"

    head = [
        f"# GeoWebNews error analysis ({mode})\n",
        f"{n['fp']} false positives, {n['fn']} false negatives, "
        f"{n['far']} matched spans more than {FAR_KM:.0f} km off. "
        "Spans are marked [[like this]].\n",
        f"- Most frequent false positives: {top(total.get('fp', Counter()))}",
        f"- Most frequent false negatives: {top(total.get('fn', Counter()))}",
        f"- False negatives by gold type: {top(total.get('fn_type', Counter()))}",
        f"- Most frequent far-off: {top(total.get('far', Counter()))}",
        f"- Far-off by gold type: {top(total.get('far_type', Counter()))}",
    ]
    path.write_text("\n".join(head) + "\n" + "".join(sections), encoding="utf-8")
    return n


def _fmt(value: Any, spec: str = ".3f") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format(value, spec) if isinstance(value, (int, float)) else str(value)


def _table(rows: Sequence[tuple[str, dict[str, Any], float, int]]) -> str:
    lines = [
        "| mode | docs | gold | pred | matched | P | R | F1 | acc@161 | median km | AUC"
        " | s | docs/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode, s, secs, _ in rows:
        lines.append(
            f"| {mode} | {s['docs']} | {s['gold']} | {s['pred']} | {s['matched']} | "
            f"{_fmt(s['P'])} | {_fmt(s['R'])} | {_fmt(s['F1'])} | {_fmt(s.get('acc161'))} | "
            f"{_fmt(s.get('median_km'), '.1f')} | {_fmt(s.get('auc'))} | {secs:.1f} | "
            f"{s['docs'] / secs if secs else 0:.1f} |"
        )
    return "\n".join(lines)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="GeoWebNews JSONL")
    p.add_argument("--mode", choices=(*MODES, "both"), default="both")
    p.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    p.add_argument("--scorer", type=Path, help="score.py (default: beside --gold)")
    p.add_argument("--limit", type=int, help="only the first N articles (quick runs)")
    p.add_argument(
        "--roles",
        help="comma-separated place roles to keep (default: all), e.g. literal,associative",
    )
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    args = _parse_args(argv)
    if not args.gold.exists():
        print(f"error: {args.gold}: no such file (see ../shared/README.md)", file=sys.stderr)
        return 2
    scorer = args.scorer or args.gold.with_name("score.py")
    roles = set(args.roles.split(",")) if args.roles else None
    modes = MODES if args.mode == "both" else (args.mode,)
    args.out_dir.mkdir(parents=True, exist_ok=True)

    docs = _load_jsonl(args.gold)
    if args.limit:
        docs = docs[: args.limit]

    from geodata.gazetteer.index import load_gazetteer

    t0 = time.perf_counter()
    gazetteer = load_gazetteer()
    load_s = time.perf_counter() - t0

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        gold_path = args.gold
        if args.limit:  # a subset gold file, outside the repo
            gold_path = Path(tmp) / "gold.jsonl"
            _write_jsonl(gold_path, docs)
        for mode in modes:
            preds, secs, failures = run_mode(docs, mode=mode, gazetteer=gazetteer, roles=roles)
            pred_path = args.out_dir / f"geowebnews-{mode}.jsonl"
            _write_jsonl(pred_path, preds)
            scores = _score(scorer, gold_path, pred_path)
            errors_path = args.out_dir / f"geowebnews-{mode}-errors.md"
            counts = _write_errors(errors_path, docs, preds, mode)
            rows.append((mode, scores, secs, failures))
            logger.info(
                "%s: %d failed documents; predictions %s; errors %s (%d FP, %d FN, %d far)",
                mode,
                failures,
                pred_path,
                errors_path,
                counts["fp"],
                counts["fn"],
                counts["far"],
            )

    cmd = "python bench/toponyms.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"\nGeoWebNews ({len(docs)} articles), `{cmd.strip()}`; gazetteer load {load_s:.2f} s")
    if roles:
        print(f"Roles kept: {', '.join(sorted(roles))}")
    print()
    print(_table(rows))
    print("\nPublished reference points (F1, acc@161):")
    for name, mode, f1, acc in REFERENCES:
        print(f"- {name} ({mode}): F1 {_fmt(f1)}, acc@161 {_fmt(acc)}")
    return 1 if any(failures for *_, failures in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
