"""Command line interface: ``python -m extract parse INPUT... [options]``.

Writes one JSON object per document (JSON Lines, :meth:`extract.article.Article.to_dict`) to
standard output or ``--out``. Problems are reported on standard error as
``error: <input>:<line>: <message>``, followed by a one-line summary
(``N documents, M places, K failed``). Exit status: 0 when at least one document was processed,
2 when none was (or on bad arguments), 1 when standard output was closed early, 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

import extract
from extract.errors import DatelineError, GazetteerError, InputError
from extract.readers import read_inputs, validate_published

__all__ = ["build_parser", "main"]

logger = logging.getLogger(__name__)

#: ``(status, payload, n_places)``: status ``"ok"`` (payload: a JSON line), ``"error"`` (payload: a
#: message about one record) or ``"fatal"`` (payload: a message; nothing more can be processed).
_Result = tuple[str, str, int]

_gazetteer: Any = None
_worker_error: str | None = None


class _Formatter(logging.Formatter):
    """``warning: message`` (and the traceback, if any), like the CLI's own errors."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {super().format(record)}"


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (it may be replaced, e.g. in tests)."""

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


_handler = _StderrHandler()
_handler.setFormatter(_Formatter())


def _setup_logging(verbosity: int) -> None:
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)
    root.setLevel({0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG))


def _date_arg(value: str) -> str:
    try:
        return validate_published(value) or ""
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    # Options every command takes; the coming ``ingest`` command adds its parser the same way.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_parse(commands, common)
    return parser


def _add_parse(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "parse",
        parents=[common],
        help="extract places from articles, write JSON Lines",
        description="Extract places from articles and write one JSON object per document.",
        epilog="Inputs: .txt/.md (one document), .html/.htm (main text), .jsonl (one record"
        ' per line: "text", optional "id", "published", "title", "url", and "mentions"'
        ' [{"start", "end"}] to resolve given spans only), - for standard input.',
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="input file, or - for stdin")
    p.add_argument(
        "--published",
        type=_date_arg,
        metavar="YYYY-MM-DD",
        help="publication date for records that have none",
    )
    p.add_argument("--out", metavar="FILE", help="write JSON Lines here (default: stdout)")
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="worker processes (default: 1)",
    )
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


def _load_gazetteer() -> Any:
    """The process's gazetteer, loaded on first use."""
    global _gazetteer
    if _gazetteer is None:
        from geodata.gazetteer import load_gazetteer

        _gazetteer = load_gazetteer()
    return _gazetteer


def _extract_one(record: dict[str, Any], gazetteer: Any) -> _Result:
    """Extract one record; never raises for a bad record."""
    where = record["source"] + (f":{record['line']}" if record.get("line") else "")
    try:
        article = extract.extract_article(
            record["text"],
            published=record.get("published"),
            gazetteer=gazetteer,
            mentions=record.get("mentions"),
            doc_id=record["id"],
            title=record.get("title"),
            url=record.get("url"),
        )
    except GazetteerError as exc:
        return "fatal", f"gazetteer: {exc}", 0
    except DatelineError as exc:
        return "error", f"{where}: {exc}", 0
    except Exception as exc:  # one bad document must not stop a batch
        logger.debug("%s: extraction failed", where, exc_info=True)
        return "error", f"{where}: extraction failed: {type(exc).__name__}: {exc}", 0
    return "ok", json.dumps(article.to_dict(), ensure_ascii=False), len(article.places)


def _init_worker(verbosity: int) -> None:
    """Pool initializer: set up logging and load the gazetteer once per worker."""
    global _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the main process
    _setup_logging(verbosity)
    try:
        _load_gazetteer()
    except Exception as exc:  # noqa: BLE001 - raising here would respawn workers forever
        _worker_error = f"gazetteer: {exc}"


def _work(record: dict[str, Any]) -> _Result:
    if _worker_error is not None:
        return "fatal", _worker_error, 0
    return _extract_one(record, _gazetteer)


def _results(
    records: Iterable[dict[str, Any]], *, workers: int, chunksize: int, verbosity: int
) -> Iterator[_Result]:
    """Extraction results in input order, in this process or in a pool of ``workers``."""
    records = iter(records)
    first = next(records, None)
    if first is None:  # nothing readable: do not load a gazetteer for nothing
        return
    records = itertools.chain([first], records)
    if workers == 1:
        gazetteer = None
        for record in records:
            if gazetteer is None:
                try:
                    gazetteer = _load_gazetteer()
                except Exception as exc:  # reported as a fatal error
                    logger.debug("gazetteer failed to load", exc_info=True)
                    yield "fatal", f"gazetteer: {exc}", 0
                    return
            yield _extract_one(record, gazetteer)
        return
    ctx = multiprocessing.get_context("spawn")  # same behaviour on every platform
    with ctx.Pool(workers, initializer=_init_worker, initargs=(verbosity,)) as pool:
        yield from pool.imap(_work, records, chunksize=chunksize)


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
        for record in read_inputs(args.inputs, on_error=report):
            if args.published and not record.get("published"):
                record["published"] = args.published
            yield record

    n_docs = n_places = 0
    results = _results(
        records(),
        workers=args.workers,
        chunksize=args.chunksize,
        verbosity=args.verbose,
    )
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
