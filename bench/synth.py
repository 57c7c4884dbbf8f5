"""Synthetic news corpus generator: wire-style incident reports with real gazetteer places.

SYNTHETIC DATA. Every record carries ``"synthetic": true`` and an id starting with ``synth-``;
the text is made up from templates and must never be mistaken for real reporting. It exists to
load-test ingestion (``bench/ingest.py``) with realistic volumes and shapes of text.

Each article is about ``--words`` words of wire-style English: sometimes a dateline
("KHARKIV, March 3 (Reuters) -"), then paragraphs mixing

* 3-8 incident sentences built from templates across all six ACLED event types (armed clashes,
  territory changes, air/drone strikes, shelling, IEDs, suicide bombs, grenades, attacks on
  civilians, abductions, peaceful protests, protests dispersed with tear gas, protesters shot,
  riots, mob violence, arrests, agreements, withdrawals, deployments, intercepted drones,
  looting), with casualty phrases ("at least 7 people were killed", "dozens injured"), actors
  (demonym + forces, police, protesters, named armed groups) and dates relative to the
  ``published`` date ("on Monday", "overnight", "last week", "on March 3");
* filler sentences (quotes, humanitarian and political context, economy, caveats, some hedged
  or future statements that are not events), so the incident density is realistic.

Places are real: cities of at least 50,000 people from the real gazetteer, with their admin-1
area and country names. Publication dates are spread over 2023-2025. The output is
deterministic for a seed, and article ``i`` does not depend on ``--n``.

Usage::

    .venv/bin/python bench/synth.py --n 10000 --out bench/out/synth-10k.jsonl [--seed 1]
        [--words 700]

Records: ``{"id", "title", "text", "published", "url", "synthetic": true}``, one per line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._synth_places import PlacePool, load_pool  # noqa: E402 - after the path set-up
from bench._synth_sentences import (  # noqa: E402
    article_context,
    dateline,
    filler_slots,
    follow_up,
    headline,
    incident_sentence,
    tidy,
)
from bench._synth_text import FILLER, THEME_WEIGHTS  # noqa: E402

__all__ = ["generate", "main", "make_article", "write_corpus"]

FIRST_DAY = date(2023, 1, 1)
LAST_DAY = date(2025, 12, 31)


def make_article(i: int, pool: PlacePool, *, seed: int = 1, words: int = 700) -> dict:
    """Synthetic article number ``i`` (deterministic for ``seed``, ``i`` and ``words``)."""
    rng = random.Random(seed * 1_000_003 + i)
    published = FIRST_DAY + timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    ctx = article_context(rng, pool, published)
    target = int(words * rng.uniform(0.92, 1.08))

    weights = THEME_WEIGHTS[ctx.theme]
    keys, w = list(weights), list(weights.values())
    n_incidents = rng.randint(3, 8)
    kinds = rng.choices(keys, weights=w, k=n_incidents)
    units: list[list[str]] = []  # an incident with its follow-up stays together
    lead_killed, lead_slots = 0, {}
    for j, key in enumerate(kinds):
        sentence, killed, slots = incident_sentence(rng, ctx, pool, key)
        if j == 0:
            lead_killed, lead_slots = killed, slots
        unit = [sentence]
        if rng.random() < 0.3:
            unit.append(follow_up(rng, killed))
        units.append(unit)
    count = sum(len(s.split()) for u in units for s in u)

    fillers: list[list[str]] = []
    skip = "c:" if ctx.theme in ("unrest",) else "u:"
    order = [j for j, f in enumerate(FILLER) if not f.startswith(skip)]
    rng.shuffle(order)
    pos = 0
    while count < target:
        if pos == len(order):
            rng.shuffle(order)
            pos = 0
        template = FILLER[order[pos]].removeprefix("c:").removeprefix("u:")
        sentence = tidy(template.format_map(filler_slots(rng, ctx, pool)))
        pos += 1
        fillers.append([sentence])
        count += len(sentence.split())

    # the lead incident first, the others spread among the filler
    body = fillers[:]
    for unit in units[1:]:
        body.insert(rng.randint(1, len(body)) if body else 0, unit)
    paragraphs = [" ".join(units[0])]
    k = 0
    while k < len(body):
        size = rng.choice((1, 2, 2, 3))
        chunk = body[k : k + size]
        if any(s.startswith('"') for u in chunk for s in u):  # quotes stand alone
            chunk = body[k : k + 1]
        paragraphs.append(" ".join(s for u in chunk for s in u))
        k += len(chunk)
    if rng.random() < 0.6:
        paragraphs[0] = dateline(rng, ctx, pool) + paragraphs[0]
    text = "\n\n".join(paragraphs)
    title = headline(rng, ctx, kinds[0], lead_killed, lead_slots)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    doc_id = f"synth-{seed}-{i:06d}"
    return {
        "id": doc_id,
        "title": title,
        "text": text,
        "published": published.isoformat(),
        "url": f"https://synthetic.example/{published:%Y/%m/%d}/{slug}-{doc_id}",
        "synthetic": True,
    }


def generate(
    n: int, *, seed: int = 1, words: int = 700, pool: PlacePool | None = None, start: int = 0
) -> Iterator[dict]:
    """``n`` synthetic articles, numbered from ``start``."""
    pool = pool or load_pool()
    for i in range(start, start + n):
        yield make_article(i, pool, seed=seed, words=words)


def write_corpus(path: Path | str, n: int, *, seed: int = 1, words: int = 700) -> dict:
    """Write ``n`` articles to ``path`` (JSON Lines); return summary figures."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    pool = load_pool()
    t_pool = time.perf_counter() - t0
    n_words = 0
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for rec in generate(n, seed=seed, words=words, pool=pool):
            n_words += len(rec["text"].split())
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return {
        "articles": n,
        "mean_words": n_words / max(n, 1),
        "seconds": time.perf_counter() - t0,
        "pool_seconds": t_pool,
        "bytes": path.stat().st_size,
        "path": str(path),
    }


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a SYNTHETIC news corpus (JSON Lines).")
    p.add_argument("--n", type=int, default=10_000, help="number of articles (default 10000)")
    p.add_argument("--out", default=str(ROOT / "bench" / "out" / "synth-10k.jsonl"))
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--words", type=int, default=700, help="words per article (default 700)")
    args = p.parse_args(argv)
    if args.n < 1 or args.words < 50:
        p.error("--n must be >= 1 and --words >= 50")
    s = write_corpus(args.out, args.n, seed=args.seed, words=args.words)
    print(
        f"wrote {s['articles']} synthetic articles (mean {s['mean_words']:.0f} words, "
        f"{s['bytes'] / 2**20:.1f} MB) to {s['path']} in {s['seconds']:.1f} s "
        f"(gazetteer scan {s['pool_seconds']:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
