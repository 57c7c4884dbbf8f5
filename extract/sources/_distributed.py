"""The one extraction runner: ``parse`` and ``ingest`` extract in this process, in a local
process pool, or on a Dask cluster through it.

Every backend runs :func:`extract_chunk` on lists of tasks and hands back its results in the order
the chunks were submitted (:func:`run_tasks` streams them); the store is written only by the
calling process. Worker processes load the gazetteer on their first chunk; the loader keeps it
(:func:`load_with`).

A task is a dict ``{"seq", "aid", "text", "where", "published"?, "title"?, "url"?,
"mentions"?}``; a result is ``(status, seq, payload)`` with status ``"ok"`` (payload: the
extraction, see :func:`extract_chunk`), ``"error"`` (payload: a message about this record) or
``"fatal"`` (payload: a message; nothing can be extracted, e.g. the gazetteer failed to load).
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

import extract
from extract.errors import DatelineError, GazetteerError, WorkerError
from geodata.cli_logging import setup_cli_logging
from geodata.records import Gazetteer

__all__ = [
    "Backend",
    "GazetteerLoader",
    "Result",
    "default_loader",
    "extract_chunk",
    "load_with",
    "make_backend",
    "split",
    "run_tasks",
]

logger = logging.getLogger(__name__)

#: A picklable, importable callable without arguments that returns a gazetteer, the same one
#: on later calls in a process (it caches it).
GazetteerLoader = Callable[[], "Gazetteer"]
#: ``(status, seq, payload)``; see the module docstring.
Result = tuple[str, int, Any]

#: Seconds to keep trying to reach a Dask scheduler.
CONNECT_TIMEOUT = 15.0
#: Seconds between two checks by a worker process that its parent still runs.
PARENT_CHECK_S = 1.0


def default_loader() -> Gazetteer:
    """The default gazetteer (:func:`geodata.gazetteer.index.load_gazetteer`)."""
    from geodata.gazetteer.index import load_gazetteer

    return load_gazetteer()


def load_with(loader: GazetteerLoader) -> Gazetteer:
    """The gazetteer ``loader`` gives, any failure as a :class:`GazetteerError`.

    Loaders keep their own gazetteer between calls (the default one is
    :func:`geodata.gazetteer.index.load_gazetteer`'s cache, which also notices an added GeoNames
    dump), so a worker process loads it once, on its first chunk, and there is no second
    cache here to go stale.
    """
    try:
        return loader()
    except GazetteerError:
        raise
    except Exception as exc:
        logger.debug("gazetteer failed to load", exc_info=True)
        raise GazetteerError(str(exc) or type(exc).__name__) from None


def extract_chunk(tasks: Sequence[dict[str, Any]], loader: GazetteerLoader) -> list[Result]:
    """Extract a list of tasks; never raises for a bad record.

    The payload of an ``"ok"`` result is the article's :meth:`geodata.records.Article.to_dict`
    (places and incidents as plain dicts, no text).
    """
    try:
        gazetteer = load_with(loader)
    except GazetteerError as exc:
        return [("fatal", task["seq"], f"gazetteer: {exc}") for task in tasks]
    return [_extract_one(task, gazetteer) for task in tasks]


def _extract_one(task: dict[str, Any], gazetteer: Gazetteer) -> Result:
    seq, where = task["seq"], task["where"]
    try:
        article = extract.extract_article(
            task["text"],
            published=task.get("published"),
            gazetteer=gazetteer,
            mentions=task.get("mentions"),
            doc_id=task["aid"],
            title=task.get("title"),
            url=task.get("url"),
        )
    except GazetteerError as exc:
        return "fatal", seq, f"gazetteer: {exc}"
    except DatelineError as exc:
        return "error", seq, f"{where}: {exc}"
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
        logger.debug("%s: extraction failed", where, exc_info=True)
        return "error", seq, f"{where}: extraction failed: {type(exc).__name__}: {exc}"
    return "ok", seq, article.to_dict()


class Backend(Protocol):
    """Runs :func:`extract_chunk` somewhere."""

    def submit(self, chunks: list[list[dict[str, Any]]]) -> list[Any]:
        """Start extracting ``chunks``; return one handle per chunk."""
        ...

    def gather(self, handles: list[Any]) -> list[list[Result]]:
        """Wait for ``handles``; their results in the same order."""
        ...

    def ready(self, handles: list[Any]) -> bool:
        """Whether :meth:`gather` would return at once (the work is done, or done there)."""
        ...

    def close(self) -> None:
        """Stop the workers (a client passed in by the caller is left open)."""
        ...

    @property
    def parallelism(self) -> int:
        """How many chunks can run at once."""
        ...

    @property
    def in_process(self) -> bool:
        """Whether the work is done in the caller's process, by :meth:`gather` (so submitting
        ahead gains nothing)."""
        ...


class _Serial:
    """In this process, when the results are gathered."""

    parallelism = 1
    in_process = True

    def __init__(self, loader: GazetteerLoader) -> None:
        self.loader = loader

    def submit(self, chunks: list[list[dict[str, Any]]]) -> list[Any]:
        return chunks

    def gather(self, handles: list[Any]) -> list[list[Result]]:
        return [extract_chunk(chunk, self.loader) for chunk in handles]

    def ready(self, handles: list[Any]) -> bool:
        return True  # the work is done by gather, in the caller's thread

    def close(self) -> None:
        pass


def _init_worker(loader: GazetteerLoader, verbosity: int, parent: int) -> None:
    """Pool initializer: Ctrl-C is the main process's business; log as the parent does; end
    with the parent; load the gazetteer now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    setup_cli_logging(verbosity)
    threading.Thread(target=_exit_with, args=(parent,), name="dateline-parent", daemon=True).start()
    try:
        load_with(loader)
    except GazetteerError:
        pass  # reported by extract_chunk as a fatal result


def _exit_with(parent: int) -> None:
    """End this worker once ``parent`` has ended (it is then adopted by another process): a
    pool's workers wait on a pipe whose other end they hold too, so a parent killed with
    SIGKILL (a watcher stopped hard) would leave them waiting for ever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


class _Pool:
    """A local pool of ``workers`` spawned processes.

    A :class:`~concurrent.futures.ProcessPoolExecutor` rather than a ``multiprocessing.Pool``:
    when a worker dies (killed, out of memory), the pool's results fail at once instead of
    never arriving, which matters to a long-running watcher.
    """

    in_process = False

    def __init__(self, loader: GazetteerLoader, workers: int) -> None:
        self.loader = loader
        self.parallelism = workers
        ctx = multiprocessing.get_context("spawn")  # same behaviour on every platform
        level = logging.getLogger().getEffectiveLevel()
        verbosity = 0 if level >= logging.WARNING else 1 if level >= logging.INFO else 2
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(loader, verbosity, os.getpid()),
        )

    def submit(self, chunks: list[list[dict[str, Any]]]) -> list[Any]:
        try:
            return [self.pool.submit(extract_chunk, chunk, self.loader) for chunk in chunks]
        except BrokenProcessPool as exc:
            raise _worker_died(exc) from None

    def gather(self, handles: list[Future[list[Result]]]) -> list[list[Result]]:
        try:
            return [handle.result() for handle in handles]
        except BrokenProcessPool as exc:
            raise _worker_died(exc) from None

    def ready(self, handles: list[Future[list[Result]]]) -> bool:
        return all(handle.done() for handle in handles)

    def close(self) -> None:
        # the chunks not started are dropped; a chunk being extracted ends first (under a
        # second: chunks are small)
        self.pool.shutdown(wait=True, cancel_futures=True)


def _worker_died(exc: BaseException) -> WorkerError:
    message = f"an extraction worker process ended unexpectedly (killed, or out of memory): {exc}"
    return WorkerError(message)


class _Dask:
    """A Dask cluster, through ``client`` or a new client connected to ``address``."""

    in_process = False

    def __init__(
        self, loader: GazetteerLoader, *, address: str | None = None, client: Any = None
    ) -> None:
        self.loader = loader
        self.own = client is None
        if client is None:
            try:
                from distributed import Client
            except ImportError as exc:
                raise DatelineError(f"--scheduler needs dask.distributed: {exc}") from None
            try:
                client = Client(address, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise DatelineError(
                    f"cannot connect to the Dask scheduler at {address}: {exc}"
                ) from None
        self.client = client
        try:
            workers = client.scheduler_info().get("workers", {}).values()
            self.parallelism = max(1, sum(w.get("nthreads", 1) for w in workers))
        except Exception:  # noqa: BLE001 - only a sizing hint
            self.parallelism = 2

    def submit(self, chunks: list[list[dict[str, Any]]]) -> list[Any]:
        if not chunks:
            return []
        return self.client.map(extract_chunk, chunks, loader=self.loader, pure=False)

    def gather(self, handles: list[Any]) -> list[list[Result]]:
        if not handles:
            return []
        try:
            return self.client.gather(handles)
        except Exception as exc:  # noqa: BLE001 - a lost worker, a killed cluster...
            raise DatelineError(f"a Dask task failed: {type(exc).__name__}: {exc}") from None

    def ready(self, handles: list[Any]) -> bool:
        return all(handle.done() for handle in handles)

    def close(self) -> None:
        if self.own:
            self.client.close()


def split(tasks: Sequence[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    """``tasks`` in chunks of ``size`` (the last may be shorter), as backends take them."""
    size = max(1, size)
    return [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]


def make_backend(
    *,
    loader: GazetteerLoader,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    own_process: bool = False,
) -> Backend:
    """The backend for the options: a Dask ``client`` or ``scheduler`` address, else a pool of
    ``workers`` processes when ``workers > 1`` (or ``workers == 1`` with ``own_process``: one
    worker process beside this one, which keeps this one free and without the gazetteer), else
    this process."""
    if client is not None or scheduler:
        return _Dask(loader, address=scheduler, client=client)
    if workers > 1 or (workers == 1 and own_process):
        return _Pool(loader, workers)
    return _Serial(loader)


def run_tasks(
    backend: Backend, tasks: Iterable[dict[str, Any]], *, chunksize: int, ahead: int = 1
) -> Iterator[Result]:
    """The result of every task, in task order, as they come (``python -m extract parse``).

    Chunks of ``chunksize`` tasks go out one round (a chunk per unit of the backend's
    parallelism) at a time, with up to ``ahead`` more rounds submitted while the oldest is
    gathered, so the workers never wait for the caller. Closing the generator closes the
    backend.
    """
    tasks = iter(tasks)
    per_round = max(1, backend.parallelism) * chunksize
    pending: deque[list[Any]] = deque()
    try:
        while True:
            batch = list(itertools.islice(tasks, per_round))
            if batch:
                chunks = [batch[i : i + chunksize] for i in range(0, len(batch), chunksize)]
                pending.append(backend.submit(chunks))
            if pending and (not batch or len(pending) > ahead):
                for chunk in backend.gather(pending.popleft()):
                    yield from chunk
            elif not batch:
                return
    finally:
        backend.close()
