"""Incident extraction on the annotated corpus ``tests/data/incidents/*.json``.

Each corpus article is run through :func:`extract.extract_article` and its predicted incidents
are matched to the gold ones (same country, a point within the gold ``tolerance_km``, a date
compatible with the gold date at its precision; greedy, best pairs first). The script prints a
markdown table of recall, precision, sub-event/event type accuracy, casualty and date-precision
agreement, the ``forbidden`` outcomes that occurred, and single-core throughput on ~700-word
texts made by concatenating corpus articles.

    .venv/bin/python bench/incidents.py                 # summary table
    .venv/bin/python bench/incidents.py --verbose       # plus one block per article
    .venv/bin/python bench/incidents.py --speed-texts 0 # accuracy only

The matching and scoring functions are also used by ``tests/test_incident_corpus.py``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from geodata.distance import great_circle_km

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT / "tests" / "data" / "incidents"
PRECISIONS = ("day", "week", "month", "year")
#: a prediction whose date range is longer than this (and than twice the gold range) is too
#: vague to count as "the right date" ("since 2009" is not 8 March 2024)
MAX_VAGUE_DAYS = 7


# ---------------------------------------------------------------------------------------------
# corpus


def load_corpus(path: str | Path = DEFAULT_CORPUS) -> list[dict[str, Any]]:
    """The annotated articles of ``path`` (a directory of ``*.json`` or one file), by id."""
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise FileNotFoundError(f"no *.json article in {path}")
    articles = []
    for f in files:
        with f.open(encoding="utf-8") as fh:
            art = json.load(fh)
        art.setdefault("forbidden", [])
        art["_file"] = f.name
        articles.append(art)
    return sorted(articles, key=lambda a: a["id"])


# ---------------------------------------------------------------------------------------------
# dates and distances


def gold_span(g: dict[str, Any]) -> tuple[date, date]:
    """The days a gold date covers at its precision.

    ``day``: that day; ``week``: the 7 days ending on ``date`` (the last day of the range, as in
    :mod:`extract.events.timex`); ``month``: ``YYYY-MM`` (or the month of a full date); ``year``.
    """
    raw, prec = g["date"], g["date_precision"]
    if prec == "month":
        y, m = int(raw[:4]), int(raw[5:7])
        first = date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return first, nxt - timedelta(days=1)
    if prec == "year":
        y = int(raw[:4])
        return date(y, 1, 1), date(y, 12, 31)
    day = date.fromisoformat(raw)
    if prec == "week":
        return day - timedelta(days=6), day
    return day, day


def pred_span(inc: Any) -> tuple[date, date] | None:
    """The days a predicted incident's date covers, or ``None`` when it has no date."""
    if not inc.date:
        return None
    lo = date.fromisoformat(inc.date_start or inc.date)
    hi = date.fromisoformat(inc.date_end or inc.date)
    return (lo, hi) if lo <= hi else (hi, lo)


def date_compatible(g: dict[str, Any], inc: Any) -> bool:
    """Whether a prediction's date agrees with the gold date at the gold precision: the two
    ranges overlap and the predicted range is not much vaguer than the gold one."""
    ps = pred_span(inc)
    if ps is None:
        return False
    g0, g1 = gold_span(g)
    p0, p1 = ps
    if p0 > g1 or g0 > p1:
        return False
    p_len = (p1 - p0).days + 1
    g_len = (g1 - g0).days + 1
    return p_len <= max(MAX_VAGUE_DAYS, 2 * g_len)


def _dist(g: dict[str, Any], inc: Any) -> float:
    if inc.lat is None or inc.lon is None:
        return math.inf
    return great_circle_km(g["lat"], g["lon"], inc.lat, inc.lon)


# ---------------------------------------------------------------------------------------------
# matching and scoring


def match(gold: list[dict[str, Any]], preds: list[Any], *, place: bool = True) -> dict[int, int]:
    """Greedy one-to-one matching, gold index → prediction index.

    A pair is allowed when the country is the same and the dates are compatible (and, with
    ``place``, the point lies within the gold ``tolerance_km``). Pairs are taken best first: the
    same sub-event type, then the same event type, then the nearer point.
    """
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            if (p.country or "") != g["country"] or not date_compatible(g, p):
                continue
            d = _dist(g, p)
            if place and d > g["tolerance_km"]:
                continue
            key = (
                p.sub_event_type != g["sub_event_type"],
                p.event_type != g["event_type"],
                d,
                gi,
                pi,
            )
            pairs.append(key)
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for *_, gi, pi in pairs:
        if gi in out or pi in used:
            continue
        out[gi] = pi
        used.add(pi)
    return out


def violates(rule: dict[str, Any], inc: Any) -> bool:
    """Whether a predicted incident meets every constraint of a ``forbidden`` rule.

    Rule keys (all optional, combined with AND): ``country``, ``not_country``, ``lat``/``lon``/
    ``tolerance_km`` (a point within), ``event_type``, ``sub_event_type``, ``date_before``,
    ``date_after`` (ISO days), ``min_fatalities``. A rule with none of them never matches.
    """
    checked = False
    if "country" in rule:
        checked = True
        if (inc.country or "") != rule["country"]:
            return False
    if "not_country" in rule:
        checked = True
        if (inc.country or "") == rule["not_country"]:
            return False
    if "lat" in rule:
        checked = True
        if _dist(rule, inc) > rule["tolerance_km"]:
            return False
    for key in ("event_type", "sub_event_type"):
        if key in rule:
            checked = True
            if getattr(inc, key) != rule[key]:
                return False
    if "date_before" in rule:
        checked = True
        if not inc.date or inc.date >= rule["date_before"]:
            return False
    if "date_after" in rule:
        checked = True
        if not inc.date or inc.date <= rule["date_after"]:
            return False
    if "min_fatalities" in rule:
        checked = True
        if (inc.fatalities or 0) < rule["min_fatalities"]:
            return False
    return checked


def forbidden_rules(article: dict[str, Any]) -> list[dict[str, Any]]:
    """The article's machine-checkable ``forbidden`` rules, plus the global one: no incident
    dated after publication."""
    rules = [r for r in article.get("forbidden", []) if isinstance(r, dict)]
    rules.append(
        {"note": "no incident dated after publication", "date_after": article["published"]}
    )
    return rules


def casualties_equal(g: dict[str, Any], inc: Any) -> bool:
    """Fatalities and injured both as in gold (an unstated figure counts as 0)."""
    return (g["fatalities"] or 0) == (inc.fatalities or 0) and (g["injured"] or 0) == (
        inc.injured or 0
    )


def has_figures(g: dict[str, Any]) -> bool:
    return g["fatalities"] is not None or g["injured"] is not None


@dataclass
class ArticleResult:
    """One article's gold, predictions, matches and forbidden outcomes."""

    article: dict[str, Any]
    preds: list[Any]
    strict: dict[int, int]  # country + date + place
    loose: dict[int, int]  # country + date
    violations: list[tuple[dict[str, Any], Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def gold(self) -> list[dict[str, Any]]:
        return self.article["incidents"]


def evaluate_article(article: dict[str, Any], gazetteer) -> ArticleResult:
    """Run the extractor on one corpus article and score it."""
    from extract import extract_article

    t0 = time.perf_counter()
    art = extract_article(
        article["text"], published=article["published"], gazetteer=gazetteer, doc_id=article["id"]
    )
    secs = time.perf_counter() - t0
    preds = list(art.incidents)
    gold = article["incidents"]
    res = ArticleResult(
        article, preds, match(gold, preds, place=True), match(gold, preds, place=False), [], secs
    )
    for rule in forbidden_rules(article):
        for inc in preds:
            if violates(rule, inc):
                res.violations.append((rule, inc))
    return res


def evaluate(articles: list[dict[str, Any]], gazetteer) -> list[ArticleResult]:
    return [evaluate_article(a, gazetteer) for a in articles]


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def summarize(results: list[ArticleResult]) -> dict[str, Any]:
    """Corpus-level figures (rates are ``None`` when their denominator is 0)."""
    n_gold = n_pred = n_must = 0
    strict = loose = must_strict = must_loose = 0
    sub_ok = type_ok = prec_ok = 0
    cas_n = cas_ok = fat_n = fat_ok = 0
    for r in results:
        n_gold += len(r.gold)
        n_pred += len(r.preds)
        strict += len(r.strict)
        loose += len(r.loose)
        for gi, g in enumerate(r.gold):
            if g["must"]:
                n_must += 1
                must_strict += gi in r.strict
                must_loose += gi in r.loose
            if gi not in r.strict:
                continue
            p = r.preds[r.strict[gi]]
            sub_ok += p.sub_event_type == g["sub_event_type"]
            type_ok += p.event_type == g["event_type"]
            prec_ok += p.date_precision == g["date_precision"]
            if has_figures(g):
                cas_n += 1
                cas_ok += casualties_equal(g, p)
            if g["fatalities"] is not None:
                fat_n += 1
                fat_ok += (g["fatalities"] or 0) == (p.fatalities or 0)
    return {
        "articles": len(results),
        "gold": n_gold,
        "must": n_must,
        "pred": n_pred,
        "matched": strict,
        "matched_loose": loose,
        "recall_country_date": _rate(loose, n_gold),
        "recall": _rate(strict, n_gold),
        "recall_must_country_date": _rate(must_loose, n_must),
        "recall_must": _rate(must_strict, n_must),
        "precision": _rate(strict, n_pred),
        "sub_event_accuracy": _rate(sub_ok, strict),
        "event_type_accuracy": _rate(type_ok, strict),
        "casualties_exact": _rate(cas_ok, cas_n),
        "casualties_n": cas_n,
        "fatalities_exact": _rate(fat_ok, fat_n),
        "fatalities_n": fat_n,
        "date_precision_agreement": _rate(prec_ok, strict),
        "forbidden_violations": sum(len(r.violations) for r in results),
        "forbidden_rules": sum(len(forbidden_rules(r.article)) for r in results),
    }


# ---------------------------------------------------------------------------------------------
# speed


def speed_texts(articles: list[dict[str, Any]], n: int, words: int) -> list[tuple[str, str]]:
    """``n`` texts of at least ``words`` words: the corpus articles' paragraphs, concatenated in
    corpus order (wrapping around), text ``i`` starting at article ``i``'s first paragraph; each
    with its first article's publication date."""
    paras: list[tuple[int, str]] = [
        (k, p.strip()) for k, a in enumerate(articles) for p in a["text"].split("\n\n") if p.strip()
    ]
    first = {k: next(j for j, (kk, _) in enumerate(paras) if kk == k) for k in range(len(articles))}
    out = []
    for i in range(n):
        k = i % len(articles)
        parts: list[str] = []
        count, j = 0, first[k]
        while count < words:
            text = paras[j % len(paras)][1]
            parts.append(text)
            count += len(text.split())
            j += 1
        out.append(("\n\n".join(parts), articles[k]["published"]))
    return out


def measure_speed(texts: list[tuple[str, str]], gazetteer, *, incidents: bool, repeat: int):
    """Best-of-``repeat`` throughput (articles/s), median ms per article, incidents per text."""
    from extract import extract_article

    for text, pub in texts[:3]:  # warm-up
        extract_article(text, published=pub, gazetteer=gazetteer, incidents=incidents)
    best = math.inf
    per: list[float] = []
    found = 0
    for _ in range(max(1, repeat)):
        times = []
        found = 0
        t_all = time.perf_counter()
        for text, pub in texts:
            t0 = time.perf_counter()
            art = extract_article(text, published=pub, gazetteer=gazetteer, incidents=incidents)
            times.append(time.perf_counter() - t0)
            found += len(art.incidents)
        total = time.perf_counter() - t_all
        if total < best:
            best, per = total, times
    return len(texts) / best, 1000 * statistics.median(per), found / len(texts)


def _pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):  # not Linux
        return "not pinned"


# ---------------------------------------------------------------------------------------------
# report


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def _inc_line(inc: Any) -> str:
    cas = f" f={inc.fatalities}" if inc.fatalities is not None else ""
    cas += f" i={inc.injured}" if inc.injured is not None else ""
    return (
        f"{inc.sub_event_type} @ {inc.location} ({inc.country}) {inc.date or '?'}"
        f"/{inc.date_precision}{cas} [trigger {inc.trigger!r}]"
    )


def _gold_line(g: dict[str, Any]) -> str:
    cas = f" f={g['fatalities']}" if g["fatalities"] is not None else ""
    cas += f" i={g['injured']}" if g["injured"] is not None else ""
    must = "must" if g["must"] else "should"
    return (
        f"{g['sub_event_type']} @ {g['place']} ({g['country']}) {g['date']}/"
        f"{g['date_precision']}{cas} [{must}]"
    )


def print_article(r: ArticleResult) -> None:
    a = r.article
    print(
        f"\n### {a['id']} (published {a['published']}): gold {len(r.gold)}, pred "
        f"{len(r.preds)}, matched {len(r.strict)} (country+date {len(r.loose)}), "
        f"{1000 * r.seconds:.1f} ms"
    )
    for gi, g in enumerate(r.gold):
        if gi in r.strict:
            p = r.preds[r.strict[gi]]
            marks = []
            if p.sub_event_type != g["sub_event_type"]:
                marks.append("sub-event type")
            if has_figures(g) and not casualties_equal(g, p):
                marks.append("casualties")
            if p.date_precision != g["date_precision"]:
                marks.append("date precision")
            tag = "ok  " if not marks else "part"
            note = f"  (wrong: {', '.join(marks)})" if marks else ""
            print(f"- {tag} gold {_gold_line(g)}\n         pred {_inc_line(p)}{note}")
        elif gi in r.loose:
            p = r.preds[r.loose[gi]]
            d = _dist(g, p)
            print(f"- PLACE gold {_gold_line(g)}\n         pred {_inc_line(p)}  ({d:.0f} km away)")
        else:
            print(f"- MISS gold {_gold_line(g)}")
    matched = set(r.strict.values())
    for pi, p in enumerate(r.preds):
        if pi not in matched:
            print(f"- extra pred {_inc_line(p)}")
    for rule, inc in r.violations:
        print(f"- FORBIDDEN ({rule.get('note', rule)}): {_inc_line(inc)}")


def print_table(s: dict[str, Any], speed_rows: list[tuple[str, str]]) -> None:
    print("| measure | value |")
    print("|---|---:|")
    rows = [
        ("articles", str(s["articles"])),
        ("incidents: gold / predicted / matched", f"{s['gold']} / {s['pred']} / {s['matched']}"),
        (
            "recall, right country & date",
            f"**{_fmt(s['recall_country_date'])}** ({s['matched_loose']}/{s['gold']})",
        ),
        ("recall, right country, date & place (within tolerance)", _fmt(s["recall"])),
        (
            f"recall on `must` incidents ({s['must']}), country & date",
            _fmt(s["recall_must_country_date"]),
        ),
        ("recall on `must` incidents, country, date & place", _fmt(s["recall_must"])),
        ("precision (predictions matched to gold)", _fmt(s["precision"])),
        ("sub-event type accuracy, over matched", f"**{_fmt(s['sub_event_accuracy'])}**"),
        ("event type accuracy, over matched", _fmt(s["event_type_accuracy"])),
        (
            f"casualties exact (fatalities & injured), over {s['casualties_n']} matched gold "
            "with figures",
            _fmt(s["casualties_exact"]),
        ),
        (
            f"fatalities exact, over {s['fatalities_n']} matched gold with a figure",
            _fmt(s["fatalities_exact"]),
        ),
        ("date precision agreement, over matched", _fmt(s["date_precision_agreement"])),
        (
            "forbidden outcomes (violations / rules)",
            f"{s['forbidden_violations']} / {s['forbidden_rules']}",
        ),
    ]
    for name, value in [*rows, *speed_rows]:
        print(f"| {name} | {value} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="directory of *.json articles")
    ap.add_argument("--verbose", "-v", action="store_true", help="one block per article")
    ap.add_argument("--speed-texts", type=int, default=100, help="texts for the speed run (0: off)")
    ap.add_argument("--words", type=int, default=700, help="minimum words per speed text")
    ap.add_argument("--repeat", type=int, default=3, help="speed: best of N runs")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args(argv)

    shown = [
        ".venv/bin/python",
        "bench/incidents.py",
        *(argv if argv is not None else sys.argv[1:]),
    ]
    print(f"Command: `{shlex.join(shown)}`\n")

    from geodata.gazetteer.index import load_gazetteer

    articles = load_corpus(args.corpus)
    gazetteer = load_gazetteer()
    results = evaluate(articles, gazetteer)
    s = summarize(results)

    speed_rows: list[tuple[str, str]] = []
    if args.speed_texts > 0:
        pinned = _pin_one_core()
        texts = speed_texts(articles, args.speed_texts, args.words)
        mean_words = statistics.mean(len(t.split()) for t, _ in texts)
        rate, med, per_text = measure_speed(texts, gazetteer, incidents=True, repeat=args.repeat)
        rate0, med0, _ = measure_speed(texts, gazetteer, incidents=False, repeat=args.repeat)
        s["speed"] = {"articles_per_s": rate, "median_ms": med, "geoparse_only_per_s": rate0}
        speed_rows = [
            (
                f"speed with incidents, {len(texts)} texts of ~{mean_words:.0f} words, one core "
                f"({pinned})",
                f"**{rate:.0f} articles/s** (median {med:.1f} ms, {per_text:.1f} incidents/text)",
            ),
            ("speed, places only (`incidents=False`)", f"{rate0:.0f} articles/s ({med0:.1f} ms)"),
        ]

    print_table(s, speed_rows)
    if args.verbose:
        for r in results:
            print_article(r)
    elif s["forbidden_violations"]:
        print("\nForbidden outcomes (`--verbose` for every article):")
        for r in results:
            for rule, inc in r.violations:
                print(f"- {r.article['id']}: {rule.get('note', rule)} → {_inc_line(inc)}")
    if args.json:
        Path(args.json).write_text(json.dumps(s, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
