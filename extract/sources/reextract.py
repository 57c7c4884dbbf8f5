"""Re-extraction: stored articles extracted again, their rows in the store replaced.

After a user fixes a place (:meth:`geodata.store.event_store.Store.add_correction`), or after
Dateline itself improves, the stored places and incidents of an article are out of date:
:func:`reextract` extracts it again (the user's corrections applied) and writes the result over
the old rows, so the map, the incidents table and every export follow.

An incident reported by several articles was merged from all of them in the order they were
ingested, so re-extracting one article rewrites its whole group
(:meth:`geodata.store._rewrite.Rewrites.linked_articles`: the articles linked to it through
shared incidents). The articles are extracted a batch at a time by the one runner
(:mod:`extract.sources._distributed`, so ``workers`` and Dask work as for ingest), their results
spilled to a temporary file; then **one transaction** deletes the groups' incidents, places and
articles and writes the new results as ingest batches, in the original ingest order (same
dedup, the original ingest times kept, the same ids for unchanged incidents). So the rows are
those of ingesting these articles, in their order, into the store without them: re-extracting
every article gives exactly the rows of a fresh ingest of the same articles, and nothing
changes when the extraction does not. A group with an article whose extraction fails keeps its
old rows; a gazetteer that cannot load, or an error while writing, changes nothing.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from extract.errors import GazetteerError
from extract.sources import _distributed
from extract.sources._distributed import Backend, GazetteerLoader, Result, make_backend, split
from extract.sources.store_writer import ErrorReporter, IngestStats, StoreWriter, report_error

__all__ = ["ReextractStats", "reextract"]

logger = logging.getLogger(__name__)

#: The fields of a stored article that a replacement may change.
_REPLACEABLE = ("text", "title", "url", "published", "source", "source_id")
#: Articles extracted between progress reports.
DEFAULT_BATCH_SIZE = 100
#: Articles written per :meth:`StoreWriter.write_batch` (as ingest's batches).
DEFAULT_WRITE_BATCH = 200

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
    backend: Backend | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    on_error: ErrorReporter | None = None,
    replacements: Mapping[str, Mapping[str, Any]] | None = None,
) -> ReextractStats:
    """Extract stored articles again and replace their places and incidents.

    Parameters
    ----------
    article_ids
        The articles to re-extract (with the articles linked to them through shared
        incidents); every stored article when ``None``. Ids not stored are ignored.
    store
        The :class:`~geodata.store.event_store.Store`.
    loader, workers, scheduler, client, backend
        The gazetteer loader and the backend, as for
        :func:`extract.sources.ingest.ingest_records` (a ``backend`` passed in is left open).
    batch_size
        Articles extracted before a write.
    progress
        Called as ``progress(done, total)`` (articles) after each written batch.
    on_error
        Called with a message for each article that could not be extracted (its group keeps
        its old rows); logged when ``None``.
    replacements
        Stored article id → a new version of it (``text``, and ``title``, ``url``,
        ``published``, ``source`` when they change): the new text takes the old article's
        place (its ingest time and order) and its incidents replace the old ones, without
        duplicates (a web page that changed since it was ingested). These articles are
        re-extracted with their groups whatever ``article_ids`` says.

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
    replacements = dict(replacements or {})
    if replacements and article_ids is not None:
        article_ids = [*article_ids, *replacements]
    with store.transaction() as tx:
        groups = tx.linked_articles(article_ids)
    articles = sorted((a for g in groups for a in g), key=lambda a: a["ingest_order"])
    total = len(articles)
    own = backend is None
    if backend is None:
        backend = make_backend(loader=loader, workers=workers, scheduler=scheduler, client=client)
    chunksize = max(1, min(16, batch_size // (2 * max(1, backend.parallelism))))
    extracted = _Extracted()
    try:
        for start in range(0, total, batch_size):
            part = articles[start : start + batch_size]
            tasks = [_task(start + k, a, replacements.get(a["id"])) for k, a in enumerate(part)]
            results = {
                r[1]: r for c in backend.gather(backend.submit(split(tasks, chunksize))) for r in c
            }
            for task in tasks:
                extracted.add(task, results[task["seq"]])
            if progress is not None:
                progress(start + len(tasks), total)
        if total:
            writer = StoreWriter(store, stats=IngestStats(), loader=loader, on_error=on_error)
            _write(
                store,
                writer,
                extracted,
                stats,
                backend=backend,
                on_error=on_error,
                replacements=replacements,
            )
    finally:
        if own:
            backend.close()
        extracted.close()
        stats.elapsed = time.perf_counter() - stats.started
    logger.info("re-extract: %s", stats.summary())
    return stats


class _Extracted:
    """The extraction results of a run, in ingest order: the good ones spilled to a temporary
    file (a whole store's worth need not fit in memory), the failures by article id."""

    def __init__(self) -> None:
        self._spill = tempfile.SpooledTemporaryFile(max_size=64 * 2**20, mode="w+b")
        self.ids: set[str] = set()
        self.failed: dict[str, str] = {}

    def add(self, task: dict[str, Any], result: Result) -> None:
        status, _, payload = result
        if status == "fatal":
            raise GazetteerError(payload)
        self.ids.add(task["stored_id"])
        if status != "ok":
            self.failed[task["stored_id"]] = payload
            return
        line = json.dumps([task, payload], ensure_ascii=False, separators=(",", ":"))
        self._spill.write(line.encode("utf-8") + b"\n")

    def __iter__(self) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        self._spill.seek(0)
        for line in self._spill:
            task, payload = json.loads(line)
            yield task, payload

    def close(self) -> None:
        self._spill.close()


def _write(
    store: Any,
    writer: StoreWriter,
    extracted: _Extracted,
    stats: ReextractStats,
    *,
    backend: Backend,
    on_error: ErrorReporter | None,
    replacements: Mapping[str, Mapping[str, Any]],
) -> None:
    """Replace the rows of every group extracted without a failure, in one transaction: delete
    them, then write the new results as ingest batches in ingest order."""
    with store.transaction() as tx:
        # an ingest since the groups were read may have linked more articles to them
        groups = tx.linked_articles(extracted.ids)
        order = {a["id"]: a["ingest_order"] for g in groups for a in g}
        late_rows = [a for g in groups for a in g if a["id"] not in extracted.ids]
        late = [_task(-1 - k, a, replacements.get(a["id"])) for k, a in enumerate(late_rows)]
        late_ok: list[tuple[dict[str, Any], dict[str, Any]]] = []
        results = [
            r for chunk in backend.gather(backend.submit([late] if late else [])) for r in chunk
        ]
        for task, result in zip(late, results, strict=True):
            if result[0] == "fatal":
                raise GazetteerError(result[2])
            if result[0] == "ok":
                late_ok.append((task, result[2]))
            else:
                extracted.failed[task["stored_id"]] = result[2]
        good: set[str] = set()
        for group in groups:
            bad = [a["id"] for a in group if a["id"] in extracted.failed]
            for aid in bad:
                report_error(on_error, f"{extracted.failed[aid]} (its stored rows are kept)")
            if not bad:
                good.update(a["id"] for a in group)
        stats.failed += len(extracted.failed)
        if not good:
            return
        snapshot = tx.snapshot_incidents(good)
        tx.delete_articles(good)
        counts = IngestStats()
        rows = heapq.merge(
            (item for item in extracted if item[0]["stored_id"] in good),
            sorted(
                (item for item in late_ok if item[0]["stored_id"] in good),
                key=lambda i: order[i[0]["stored_id"]],
            ),
            key=lambda item: order[item[0]["stored_id"]],
        )
        while batch := list(itertools.islice(rows, DEFAULT_WRITE_BATCH)):
            writer.write_batch(tx, batch, counts)
        changes = tx.incident_changes(snapshot, good)
    stats.articles += len(good)
    stats.places += counts.places
    stats.before += changes["before"]
    stats.after += changes["after"]
    stats.added += changes["added"]
    stats.removed += changes["removed"]
    stats.changed += changes["changed"]


def _task(
    seq: int, article: dict[str, Any], replacement: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The extraction task of a stored article (as ingest builds them from records), or of
    the new version that replaces it. ``stored_id`` is the stored article's id, ``aid`` the id
    of the text extracted (they differ for a replacement)."""
    from geodata.store.event_store import article_id

    new = dict(article)
    if replacement is not None:
        new.update({k: v for k, v in replacement.items() if k in _REPLACEABLE})
    title = new.get("title")
    where = f"article {article['id']}" + (f" ({title})" if title else "")
    task = {
        "seq": seq,
        "stored_id": article["id"],
        "aid": article_id(new["text"]) if replacement is not None else article["id"],
        "text": new["text"],
        "where": where,
        "source_id": new.get("source_id") or "",
        "source": new.get("source"),
        "published": new.get("published"),
        "ingested_at": article.get("ingested_at"),
    }
    for key in ("title", "url"):
        if new.get(key) is not None:
            task[key] = new[key]
    return task
