"""Re-extraction: stored articles extracted again, their rows in the store replaced.

After a user fixes a place (:meth:`geodata.store.event_store.Store.add_correction`), or after
Dateline itself improves, the stored places and incidents of an article are out of date:
:func:`reextract` extracts it again (the user's corrections applied) and writes the result over
the old rows, so the map, the incidents table and every export follow.

An incident reported by several articles was merged from all of them in the order they were
ingested, so re-extracting one article rewrites its whole group
(:meth:`geodata.store._rewrite.Rewrites.linked_articles`: the articles linked to it through
shared incidents). A group is written in one transaction: its old incidents, places and
articles are deleted and the fresh results written as an ingest would (same dedup, same ids
for unchanged incidents, the original ingest times kept). A group whose extraction fails keeps
its old rows. Groups are extracted a batch at a time by the one runner
(:mod:`extract.sources._distributed`), so ``workers`` and Dask work as for ingest.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from extract.errors import GazetteerError
from extract.sources import _distributed
from extract.sources._distributed import GazetteerLoader, Result, extract_chunk, make_backend
from extract.sources.store_writer import ErrorReporter, IngestStats, StoreWriter, report_error

__all__ = ["ReextractStats", "reextract"]

logger = logging.getLogger(__name__)

#: Articles extracted per batch (whole groups; a larger group is one batch of its own).
DEFAULT_BATCH_SIZE = 100

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ReextractStats:
    """What a re-extraction did: articles, and how the incidents they report changed."""

    articles: int = 0
    failed: int = 0
    #: incidents reported by the re-extracted articles, before and after
    before: int = 0
    after: int = 0
    #: incident ids that appeared, went, or kept their id with other fields
    added: int = 0
    removed: int = 0
    changed: int = 0
    places: int = 0
    started: float = field(default_factory=time.perf_counter)
    elapsed: float = 0.0

    def summary(self) -> str:
        """``articles: N re-extracted, F failed; incidents: B before, A after (…)``"""
        return (
            f"articles: {self.articles} re-extracted, {self.failed} failed;"
            f" incidents: {self.before} before, {self.after} after ({self.added} new,"
            f" {self.removed} gone, {self.changed} changed); places: {self.places}"
            f" ({self.elapsed:.1f} s)"
        )


def reextract(
    article_ids: Iterable[str] | None = None,
    *,
    store: Any,
    loader: GazetteerLoader | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    on_error: ErrorReporter | None = None,
) -> ReextractStats:
    """Extract stored articles again and replace their places and incidents.

    Parameters
    ----------
    article_ids
        The articles to re-extract (with the articles linked to them through shared
        incidents); every stored article when ``None``. Ids not stored are ignored.
    store
        The :class:`~geodata.store.event_store.Store`.
    loader, workers, scheduler, client
        The gazetteer loader and the backend, as for
        :func:`extract.sources.ingest.ingest_records`.
    batch_size
        Articles extracted before a write.
    progress
        Called as ``progress(done, total)`` (articles) after each written batch.
    on_error
        Called with a message for each article that could not be extracted (its group keeps
        its old rows); logged when ``None``.

    Returns
    -------
    ReextractStats

    Raises
    ------
    extract.errors.GazetteerError
        When the gazetteer cannot be loaded (nothing is changed).
    geodata.errors.StoreError
        When the store is read-only or cannot be written.
    """
    stats = ReextractStats()
    store.check_writable()
    loader = loader or _distributed.default_loader  # looked up now: tests replace it
    with store.transaction() as tx:
        groups = tx.linked_articles(article_ids)
    total = sum(len(g) for g in groups)
    writer = StoreWriter(store, stats=IngestStats(), loader=loader, on_error=on_error)
    backend = make_backend(loader=loader, workers=workers, scheduler=scheduler, client=client)
    chunksize = max(1, min(16, batch_size // (2 * max(1, backend.parallelism))))
    done = 0
    try:
        for batch in _batches(groups, batch_size):
            tasks = [_task(seq, art) for seq, art in enumerate(a for g in batch for a in g)]
            chunks = [tasks[i : i + chunksize] for i in range(0, len(tasks), chunksize)]
            results = [r for chunk in backend.gather(backend.submit(chunks)) for r in chunk]
            _write(store, writer, batch, tasks, results, stats, loader=loader, on_error=on_error)
            done += len(tasks)
            if progress is not None:
                progress(done, total)
    finally:
        backend.close()
        stats.elapsed = time.perf_counter() - stats.started
    logger.info("re-extract: %s", stats.summary())
    return stats


def _batches(groups: list[list[dict]], size: int) -> Iterable[list[list[dict]]]:
    """Whole groups, about ``size`` articles a batch."""
    batch: list[list[dict]] = []
    n = 0
    for group in groups:
        if batch and n + len(group) > size:
            yield batch
            batch, n = [], 0
        batch.append(group)
        n += len(group)
    if batch:
        yield batch


def _task(seq: int, article: dict[str, Any]) -> dict[str, Any]:
    """The extraction task of a stored article (as ingest builds them from records)."""
    title = article.get("title")
    where = f"article {article['id']}" + (f" ({title})" if title else "")
    task = {
        "seq": seq,
        "aid": article["id"],
        "text": article["text"],
        "where": where,
        "source_id": article.get("source_id") or "",
        "source": article.get("source"),
        "published": article.get("published"),
        "ingested_at": article.get("ingested_at"),
    }
    for key in ("title", "url"):
        if article.get(key) is not None:
            task[key] = article[key]
    return task


def _write(
    store: Any,
    writer: StoreWriter,
    batch: list[list[dict]],
    tasks: list[dict[str, Any]],
    results: list[Result],
    stats: ReextractStats,
    *,
    loader: GazetteerLoader,
    on_error: ErrorReporter | None,
) -> None:
    """Write a batch's groups in one transaction, as one ingest batch in their original
    ingest order (a fixed number of statements, whatever the number of groups); a group with a
    failed article keeps its rows."""
    by_seq = {r[1]: r for r in results}
    fatal = next((r for r in results if r[0] == "fatal"), None)
    if fatal is not None:
        raise GazetteerError(fatal[2])
    payloads = {t["aid"]: (t, by_seq[t["seq"]]) for t in tasks}
    with store.transaction() as tx:
        # an ingest since the groups were read may have linked more articles to them
        groups = tx.linked_articles([a["id"] for g in batch for a in g])
        late = [a for g in groups for a in g if a["id"] not in payloads]
        late_tasks = [_task(len(payloads) + k, a) for k, a in enumerate(late)]
        for task, result in zip(late_tasks, extract_chunk(late_tasks, loader), strict=True):
            payloads[task["aid"]] = (task, result)
        good: list[dict] = []
        for group in groups:
            bad = [payloads[a["id"]][1] for a in group if payloads[a["id"]][1][0] != "ok"]
            stats.failed += len(bad)
            for result in bad:
                report_error(on_error, f"{result[2]} (its stored rows are kept)")
            if not bad:
                good.extend(group)
        if not good:
            return
        good.sort(key=lambda a: a["ingest_order"])
        ids = [a["id"] for a in good]
        before = tx.incidents_of(ids)
        tx.delete_articles(ids)
        counts = IngestStats()
        members = [payloads[aid] for aid in ids]
        writer.write_batch(tx, [(task, result[2]) for task, result in members], counts)
        after = tx.incidents_of(ids)
    stats.articles += len(ids)
    stats.places += counts.places
    stats.before += len(before)
    stats.after += len(after)
    stats.added += len(after.keys() - before.keys())
    stats.removed += len(before.keys() - after.keys())
    stats.changed += sum(before[k] != after[k] for k in after.keys() & before.keys())
