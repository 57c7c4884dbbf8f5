"""Command line interface: ``python -m extract parse|ingest INPUT... [options]``,
``python -m extract reextract [--article ID | filters | --all]``, and the feed commands
``feeds`` and ``watch`` (:mod:`extract.cli_feeds`).

``ingest`` loads articles into the event store (see :mod:`extract.sources.ingest`); it reports
bad records like ``parse`` and ends with the summary of
:meth:`extract.sources.store_writer.IngestStats.summary`. Exit status: 0 when at least one
article was read (new or already stored), 2 when none was, on bad arguments and on store,
gazetteer or cluster errors, 130 when interrupted.

``parse`` writes one JSON object per document (JSON Lines,
:meth:`geodata.records.Article.to_dict`) to standard output or ``--out``. Problems are
reported on standard error as ``error: <input>:<line>: <message>``, followed by a one-line
summary (``N documents, M places, K failed``). Exit status: 0 when at least one document was
processed, 2 when none was (or on bad arguments, or an unexpected error: a one-line message, the
traceback with ``-vv``), 1 when standard output was closed early, 130 when interrupted.

``reextract`` extracts stored articles again (:mod:`extract.sources.reextract`) and ends with
the summary of :meth:`extract.sources.reextract.ReextractStats.summary`. Exit status: 0 when
the articles were rewritten (some may have failed: each is reported), 2 on bad arguments, an
unknown article, no article matching the filters, when every article failed, and on store or
gazetteer errors.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from extract.cli_feeds import add_feed_commands
from extract.errors import DatelineError, InputError
from extract.sources import _distributed
from extract.sources._formats import ReadOptions
from extract.sources.readers import read_sources
from geodata.cli_logging import setup_cli_logging
from geodata.dates import date_argument
from geodata.records import InputRecord

__all__ = ["build_parser", "main", "read_options"]

logger = logging.getLogger(__name__)

#: ``(status, payload, n_places)``: status ``"ok"`` (payload: a JSON line), ``"error"`` (payload: a
#: message about one record) or ``"fatal"`` (payload: a message; nothing more can be processed).
_Result = tuple[str, str, int]


def _setup_logging(verbosity: int) -> None:
    setup_cli_logging(verbosity)


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """Return the ``python -m extract`` argument parser (one sub-parser per command)."""
    parser = argparse.ArgumentParser(
        prog="python -m extract",
        description="Find and geocode the places in news articles.",
    )
    # Options every command takes.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)"
    )
    # How inputs are read, shared by the commands that read articles.
    inputs = argparse.ArgumentParser(add_help=False)
    inputs.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="input file or folder, or - for stdin"
    )
    inputs.add_argument(
        "--published",
        type=date_argument,
        metavar="YYYY-MM-DD",
        help="publication date for records that have none",
    )
    inputs.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="worker processes (default: 1)",
    )
    columns = inputs.add_argument_group("CSV columns")
    for key, default in _COLUMNS:
        columns.add_argument(
            f"--{key}-column",
            metavar="NAME",
            help=f"column with the {key} (default: {default})",
        )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_parse(commands, [common, inputs])
    _add_ingest(commands, [common, inputs])
    _add_reextract(commands, [common])
    add_feed_commands(commands, [common])
    return parser


_DB_HELP = "the store (default: $DATELINE_DB, else data/dateline.duckdb)"
_COLUMNS = (("text", "text"), ("date", "published"), ("title", "title"), ("url", "url"))
_COLUMNS += (("id", "id"),)
_INPUTS_HELP = (
    "Inputs: .txt/.md (one document), .html/.htm (main text), .jsonl (one record per line:"
    ' "text", optional "id", "published", "title", "url", and "mentions" [{"start", "end"}] to'
    " resolve given spans only), .csv/.tsv (one document per row, see the column options),"
    " .xml/.rss/.atom (RSS or Atom feed, one document per item), .zip (an archive of these),"
    " a folder (every such file below it), - for standard input."
)


def read_options(args: argparse.Namespace) -> ReadOptions:
    """The :class:`ReadOptions` given by the input options of ``args``."""
    return ReadOptions(**{f"{key}_column": getattr(args, f"{key}_column") for key, _ in _COLUMNS})


def _add_parse(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "parse",
        parents=parents,
        help="extract places from articles, write JSON Lines",
        description="Extract places from articles and write one JSON object per document.",
        epilog=_INPUTS_HELP,
    )
    p.add_argument("--out", metavar="FILE", help="write JSON Lines here (default: stdout)")
    p.add_argument(
        "--chunksize",
        type=_positive_int,
        default=8,
        metavar="N",
        help="documents sent to a worker at a time, with --workers > 1 (default: 8)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    p.set_defaults(func=_cmd_parse)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except DatelineError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a message, not a traceback, for the user
        logger.debug("%s failed", args.command, exc_info=True)
        message = _one_line(f"{type(exc).__name__}: {exc}")
        print(f"error: {message} (run with -vv for details)", file=sys.stderr)
        return 2


def _announce_first_build() -> None:
    """Say so before a first run builds the gazetteer index (about 40 s), which would
    otherwise look like a hang."""
    from geodata.gazetteer.index import index_ready

    if not index_ready():
        print(
            "building the gazetteer index (first run only, about a minute)…",
            file=sys.stderr,
            flush=True,
        )


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _results(records: Iterable[InputRecord], *, workers: int, chunksize: int) -> Iterator[_Result]:
    """Extraction results in input order, through the runner ingest uses
    (:mod:`extract.sources._distributed`: this process, or a pool of ``workers``)."""
    records = iter(records)
    first = next(records, None)
    if first is None:  # nothing readable: do not load a gazetteer for nothing
        return
    _announce_first_build()
    tasks = (_task(seq, record) for seq, record in enumerate(itertools.chain([first], records)))
    backend = _distributed.make_backend(loader=_distributed.default_loader, workers=workers)
    # one document at a time in this process, so each line is written as soon as it is read
    chunksize = chunksize if workers > 1 else 1
    results = _distributed.run_tasks(backend, tasks, chunksize=chunksize, ahead=1)
    try:
        for status, _seq, payload in results:
            if status == "ok":
                yield "ok", json.dumps(payload, ensure_ascii=False), len(payload["places"])
            else:
                yield status, payload, 0
    finally:
        results.close()  # stops the workers


def _task(seq: int, record: InputRecord) -> dict[str, Any]:
    """The runner's task for a reader record (see :mod:`extract.sources._distributed`)."""
    where = record["source"] + (f":{record['line']}" if record.get("line") else "")
    task: dict[str, Any] = {"seq": seq, "aid": record["id"], "text": record["text"]}
    task["where"] = where
    for key in ("published", "title", "url", "mentions"):
        if record.get(key) is not None:
            task[key] = record[key]
    return task


def _open_out(path: str | None) -> TextIO:
    if path is None:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")  # closed by _cmd_parse
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=path) from None


def _cmd_parse(args: argparse.Namespace) -> int:
    failed = 0

    def report(error: InputError | str) -> None:
        nonlocal failed
        failed += 1
        print(f"error: {error}", file=sys.stderr)

    try:
        out = _open_out(args.out)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def records() -> Iterator[dict[str, Any]]:
        for record in read_sources(args.inputs, options=read_options(args), on_error=report):
            if args.published and not record.get("published"):
                record["published"] = args.published
            yield record

    n_docs = n_places = 0
    results = _results(records(), workers=args.workers, chunksize=args.chunksize)
    try:
        for status, payload, places in results:
            if status == "ok":
                out.write(payload + "\n")
                n_docs += 1
                n_places += places
            else:
                report(payload)
                if status == "fatal":
                    break
        out.flush()
    finally:
        results.close()  # stops the worker pool
        if out is not sys.stdout:
            out.close()
    if not args.quiet:
        print(f"{n_docs} documents, {n_places} places, {failed} failed", file=sys.stderr)
    return 0 if n_docs else 2


# --- ingest ---------------------------------------------------------------------------------


def _scheduler_arg(value: str) -> str:
    if "://" not in value or not value.split("://", 1)[1]:
        raise argparse.ArgumentTypeError(f"expected an address like tcp://HOST:PORT, got {value!r}")
    return value


def _add_ingest(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    from extract.sources.ingest import DEFAULT_BATCH_SIZE

    p = commands.add_parser(
        "ingest",
        parents=parents,
        help="extract incidents from articles into the event store",
        description="Extract places and incidents from articles and load them into the event"
        " store, merging reports of the same incident across articles. Articles already"
        " stored (same text) are skipped, so a run can be repeated or resumed.",
        epilog=_INPUTS_HELP,
    )
    p.add_argument("--db", metavar="PATH", help=_DB_HELP)
    p.add_argument(
        "--scheduler",
        type=_scheduler_arg,
        metavar="tcp://HOST:PORT",
        help="extract on this Dask cluster instead of local processes",
    )
    p.add_argument(
        "--batch-size",
        type=_positive_int,
        default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help=f"articles per store transaction (default: {DEFAULT_BATCH_SIZE})",
    )
    p.add_argument(
        "--chunksize",
        type=_positive_int,
        metavar="N",
        help="articles per extraction task (default: about batch-size / 4 per worker, max 32)",
    )
    p.add_argument(
        "--out-parquet",
        metavar="DIR",
        help="also write all incidents of the store as GeoParquet, DIR/month=YYYY-MM/*.parquet",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(func=_cmd_ingest)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from extract.sources.ingest import ingest
    from extract.sources.store_writer import IngestStats

    if args.scheduler and args.workers > 1:
        print("error: use either --workers or --scheduler, not both", file=sys.stderr)
        return 2
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    stats = IngestStats()

    def say(message: str) -> None:
        if progress:
            from tqdm import tqdm

            tqdm.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    code = 0
    try:
        store = _open_store(args.db)
        if not args.scheduler:  # a cluster's workers build their own
            _announce_first_build()
        ingest(
            args.inputs,
            store=store,
            options=read_options(args),
            published=args.published,
            workers=args.workers,
            scheduler=args.scheduler,
            batch_size=args.batch_size,
            chunksize=args.chunksize,
            progress=progress,
            on_error=lambda message: say(f"error: {message}"),
            stats=stats,
        )
        if not stats.new + stats.duplicate:
            code = 2
        elif args.out_parquet:
            from geodata.export.parquet_dataset import write_store_parquet

            n = write_store_parquet(store, args.out_parquet)
            say(f"parquet: {n} incidents written to {args.out_parquet}")
    except DatelineError as exc:
        say(f"error: {exc}")
        code = 2
    except KeyboardInterrupt:
        say("error: interrupted (the batches committed so far are kept; run again to resume)")
        code = 130
    except Exception as exc:  # noqa: BLE001 - a message, not a traceback, for the user
        logger.debug("ingest failed", exc_info=True)
        say(f"error: {type(exc).__name__}: {exc} (run with -vv for details)")
        code = 2
    if not args.quiet:
        say(stats.summary())
    return code


def _add_reextract(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    from geodata.cli import add_filter_options

    p = commands.add_parser(
        "reextract",
        parents=parents,
        help="extract stored articles again, applying the user's place fixes",
        description="Extract stored articles again (with the place fixes stored for them) and"
        " replace their places and incidents in the store. Articles that report the same"
        " incident are re-extracted together. Choose the articles with --article, with the"
        " incident filters (the articles reporting the matching incidents), or --all.",
    )
    p.add_argument("--db", metavar="PATH", help=_DB_HELP)
    p.add_argument(
        "--article", dest="articles", action="append", metavar="ID", help="article id (repeatable)"
    )
    p.add_argument("--all", action="store_true", help="every stored article")
    add_filter_options(p)
    p.add_argument("--workers", type=_positive_int, default=1, metavar="N", help="worker processes")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(func=_cmd_reextract)


def _cmd_reextract(args: argparse.Namespace) -> int:
    from extract.sources.reextract import reextract
    from geodata.cli import filter_from_options

    where = filter_from_options(args)
    filtered = bool(where.to_dict())
    chosen = [bool(args.articles), bool(args.all), filtered]
    if sum(chosen) != 1:
        print(
            "error: choose the articles with --article ID, with incident filters (--from, --type,"
            " --country, …) or with --all (one of the three)",
            file=sys.stderr,
        )
        return 2
    store = _open_store(args.db)
    ids: list[str] | None = None
    if args.articles:
        ids = list(dict.fromkeys(args.articles))
        unknown = [a for a in ids if store.article(a) is None]
        if unknown:
            print(f"error: no stored article {', '.join(unknown)}", file=sys.stderr)
            return 2
    elif filtered:
        ids = store.article_ids(where)
    if ids == []:
        print("error: no stored article reports an incident matching the filters", file=sys.stderr)
        return 2
    _announce_first_build()
    stats = reextract(
        ids,
        store=store,
        workers=args.workers,
        on_error=lambda message: print(f"error: {message}", file=sys.stderr),
    )
    if not args.quiet:
        print(stats.summary(), file=sys.stderr)
    return 0 if stats.articles or not stats.failed else 2


def _open_store(path: str | None) -> Any:
    try:
        from geodata.store.event_store import Store
    except ImportError as exc:
        raise DatelineError(f"the event store is not available: {exc}") from None
    return Store(path)
