"""Command line of the event store and the gazetteer's sources: ``python -m geodata COMMAND``.

* ``export --out FILE [--format csv|geojson|gpkg|parquet] [--from D] [--to D] [--type T]...
  [--country C]... [--db PATH]``: write the matching incidents (see
  :mod:`geodata.export.incident_files`); the format defaults to the one ``--out``'s suffix names.
* ``snapshot --out FILE.html|FILE.png|FILE.geojson [--id ID | --from D --to D --type T
  --country C --center LAT,LON --zoom Z] [--title T] [--width W --height H]``: the map of a
  view (or of a saved snapshot) as a standalone HTML page, a PNG or GeoJSON (see
  :mod:`geodata.maps.snapshot`); ``--out FILE.gif|FILE.mp4|FILE.webm --from D --to D
  [--step day|week|month] [--fps N] [--cumulative]``: a playback of the view stepping through
  the dates (see :mod:`geodata.maps.playback`).
* ``stats [--db PATH] [--json]``: row counts, the incident date range and the file size.
* ``gazetteer add FILE [--name NAME] [--cache DIR]``: merge a GeoNames dump (``UA.zip``,
  ``allCountries.zip`` from https://download.geonames.org/export/dump/) into the gazetteer, with
  a progress bar on standard error (see :mod:`geodata.gazetteer.added_sources`);
  ``gazetteer list [--json]``: the built-in source packages and the added dumps;
  ``gazetteer remove NAME``: drop an added dump.

The store commands only read the store (they never create or migrate it). Problems are
reported on standard error as ``error: <message>`` with exit status 2, never as a traceback
(``-v`` logs more).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import fields
from typing import Any, NoReturn

from geodata.cli_logging import setup_cli_logging
from geodata.dates import date_argument
from geodata.errors import DatelineError
from geodata.maps.frame_plan import STEPS
from geodata.view import IncidentFilter

__all__ = ["add_filter_options", "build_parser", "filter_from_options", "main"]

logger = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """Reports usage errors as ``error: ...`` (exit status 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def _setup_logging(verbosity: int) -> None:
    setup_cli_logging(verbosity)


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}")
    return number


def _center_arg(value: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LAT,LON, got {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError(f"LAT,LON out of range: {value!r}")
    return lat, lon


def _zoom_arg(value: str) -> int:
    try:
        zoom = int(value)
    except ValueError:
        zoom = -1
    if not 1 <= zoom <= 18:
        raise argparse.ArgumentTypeError(f"expected a zoom level from 1 to 18, got {value!r}")
    return zoom


def _fps_arg(value: str) -> float:
    try:
        fps = float(value)
    except ValueError:
        fps = -1.0
    if not 0.1 <= fps <= 30:
        raise argparse.ArgumentTypeError(f"expected frames a second from 0.1 to 30, got {value!r}")
    return fps


def add_filter_options(sub: argparse.ArgumentParser) -> None:
    """The incident filters shared by ``export``, ``snapshot`` and ``python -m extract
    reextract``; :func:`filter_from_options` reads them back."""
    sub.add_argument("--from", dest="start", type=date_argument, metavar="YYYY-MM-DD")
    sub.add_argument("--to", dest="end", type=date_argument, metavar="YYYY-MM-DD")
    sub.add_argument(
        "--type", dest="types", action="append", metavar="TYPE", help="event type (repeatable)"
    )
    sub.add_argument("--sub-type", dest="sub_types", action="append", metavar="SUBTYPE")
    sub.add_argument(
        "--country",
        dest="countries",
        action="append",
        metavar="CC",
        help="ISO country code (repeatable, or comma-separated)",
    )
    sub.add_argument("--actor", dest="actors", action="append", metavar="TEXT")
    sub.add_argument("--text", metavar="WORDS", help="words the incident must mention")
    sub.add_argument("--min-fatalities", type=int, metavar="N")


def filter_from_options(args: argparse.Namespace) -> IncidentFilter:
    """The filter the options of :func:`add_filter_options` spell (their ``dest`` is the field)."""
    values = {f.name: getattr(args, f.name, None) for f in fields(IncidentFilter)}
    for key in ("types", "sub_types", "countries", "actors"):
        values[key] = _split(values[key])
    return IncidentFilter(**{k: v for k, v in values.items() if v is not None})


def _split(values: Sequence[str] | None) -> list[str]:
    """``--type A --type "B,C"`` → ``["A", "B", "C"]``."""
    return [v.strip() for item in values or () for v in item.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    """Return the ``python -m geodata`` argument parser."""
    parser = _Parser(prog="python -m geodata", description="Read and export the event store.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH", help="the store (default: $DATELINE_DB or data/dateline.duckdb)"
    )
    common.add_argument(
        "--lock-timeout",
        type=_positive_float,
        default=60.0,
        metavar="S",
        help="seconds to wait while another process writes the store (default: 60)",
    )
    common.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    from geodata.export.incident_files import FORMATS

    ex = commands.add_parser(
        "export",
        parents=[common],
        help="export incidents as CSV, GeoJSON, GeoPackage or GeoParquet",
        description="Export the incidents that match the filters.",
    )
    ex.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    ex.add_argument(
        "--format", choices=list(FORMATS), help="file format (default: from --out's suffix)"
    )
    add_filter_options(ex)
    ex.set_defaults(func=_cmd_export)

    sn = commands.add_parser(
        "snapshot",
        parents=[common],
        help="the map of a view or a saved snapshot as HTML, PNG or GeoJSON",
        description="Draw the incidents that match the filters (or a saved snapshot's) on the "
        "map: a standalone HTML page that works offline, a PNG (needs Chromium) or GeoJSON.",
    )
    sn.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="FILE.html, FILE.png or FILE.geojson; FILE.gif, FILE.mp4 or FILE.webm: a playback",
    )
    sn.add_argument(
        "--id",
        dest="snapshot_id",
        metavar="ID",
        help="a saved snapshot's id: draw its frozen incidents (the filters are ignored)",
    )
    add_filter_options(sn)
    sn.add_argument("--center", type=_center_arg, metavar="LAT,LON", help="map centre")
    sn.add_argument("--zoom", type=_zoom_arg, metavar="Z", help="zoom level 1-18 (default: fit)")
    sn.add_argument("--title", help="title drawn on the map")
    sn.add_argument("--note", help="text drawn under the title")
    sn.add_argument(
        "--with-note",
        action="store_true",
        help="draw a saved snapshot's note (private: left out by default)",
    )
    sn.add_argument("--cluster", action="store_true", help="cluster the markers")
    sn.add_argument("--heat", action="store_true", help="draw the density grid")
    sn.add_argument("--width", type=int, metavar="PX", help="PNG width (1200; playback 1280)")
    sn.add_argument("--height", type=int, metavar="PX", help="PNG height (800; playback 720)")
    play = sn.add_argument_group("playback (--out FILE.gif, .mp4 or .webm)")
    play.add_argument("--step", choices=STEPS, default="week", help="one frame per step")
    play.add_argument("--fps", type=_fps_arg, default=2.0, metavar="N", help="frames a second")
    play.add_argument(
        "--cumulative",
        action="store_true",
        help="each frame shows everything since --from (default: only its own step)",
    )
    sn.add_argument(
        "--limit", type=int, default=10_000, metavar="N", help="at most N newest incidents"
    )
    sn.set_defaults(func=_cmd_snapshot)

    st = commands.add_parser(
        "stats",
        parents=[common],
        help="row counts and date range of the store",
        description="Print the store's row counts, incident date range and size.",
    )
    st.add_argument("--json", action="store_true", help="print one JSON object")
    st.set_defaults(func=_cmd_stats)
    _add_gazetteer_commands(commands)
    return parser


def _add_gazetteer_commands(commands: Any) -> None:
    """``gazetteer add|list|remove``: the sources of the place-name index."""
    opts = argparse.ArgumentParser(add_help=False)
    opts.add_argument(
        "--cache",
        metavar="DIR",
        help="the gazetteer's cache directory (default: $DATELINE_CACHE or ~/.cache/dateline)",
    )
    opts.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    gz = commands.add_parser(
        "gazetteer",
        help="add, list or remove gazetteer sources (full GeoNames dumps)",
        description="Manage the gazetteer's sources: the built-in index covers places of 500+ "
        "people; add a GeoNames dump (a country file such as UA.zip, or allCountries.zip, "
        "from https://download.geonames.org/export/dump/) for every village.",
    )
    actions = gz.add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser
    )
    add = actions.add_parser(
        "add",
        parents=[opts],
        help="merge a GeoNames dump into the gazetteer",
        description="Merge a GeoNames dump (.zip or .txt, as downloaded) into the gazetteer: "
        "its populated places, admin areas, water bodies, landforms and landmarks with their "
        "Latin-script names. A dump of the same name replaces the earlier one.",
    )
    add.add_argument("file", metavar="FILE", help="UA.zip, UA.txt, allCountries.zip, ...")
    add.add_argument("--name", help="the source's name (default: the file name without suffix)")
    add.add_argument("--no-progress", action="store_true", help="no progress bar")
    add.set_defaults(func=_cmd_gazetteer_add)
    ls = actions.add_parser(
        "list",
        parents=[opts],
        help="the gazetteer's sources",
        description="List the built-in source packages (with versions) and the added dumps.",
    )
    ls.add_argument("--json", action="store_true", help="print one JSON array")
    ls.set_defaults(func=_cmd_gazetteer_list)
    rm = actions.add_parser(
        "remove",
        parents=[opts],
        help="remove an added dump",
        description="Remove an added GeoNames dump (by the name `gazetteer list` shows).",
    )
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(func=_cmd_gazetteer_remove)


def _cmd_gazetteer_add(args: argparse.Namespace) -> int:
    from contextlib import closing
    from pathlib import Path

    from geodata.gazetteer.added_sources import add_dump
    from geodata.gazetteer.geonames_dump import iter_dump
    from geodata.gazetteer.index import default_cache_dir, index_dir

    with closing(iter_dump(args.file)) as rows:  # a missing file or no dump: fail fast
        next(rows)
    root = Path(args.cache) if args.cache else default_cache_dir()
    if not (index_dir(root) / "meta.json").exists():
        print("building the built-in gazetteer index first (about 30 s)…", file=sys.stderr)
    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(
            total=None,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc=Path(args.file).name,
            file=sys.stderr,
            dynamic_ncols=True,
        )

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.update(done - bar.n)

    try:
        report = add_dump(args.file, cache_dir=root, name=args.name, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    print(report.summary())
    return 0


def _cmd_gazetteer_list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from geodata.gazetteer.added_sources import list_sources

    sources = list_sources(cache_dir=args.cache)
    if args.json:
        print(json.dumps([asdict(s) for s in sources]))
        return 0
    packages = [s for s in sources if s.kind == "package"]
    dumps = [s for s in sources if s.kind == "dump"]
    size = packages[0].entries if packages else None
    lines = [
        "built-in index"
        + (f" ({size:,} entries)" if size else " (not built yet)")
        + ": "
        + ", ".join(f"{s.name} {s.detail}" for s in packages)
    ]
    if not dumps:
        lines.append("added: none (python -m geodata gazetteer add FILE adds a GeoNames dump)")
    for s in dumps:
        meta = s.extra
        if "problem" in meta:
            lines.append(f"added: {s.name}: {meta['problem']}")
            continue
        lines.append(
            f"added: {s.name}: {meta.get('new_entries', 0):,} new places, "
            f"{meta.get('new_names', 0):,} new names for {meta.get('merged_entries', 0):,} "
            f"built-in places; added {s.added} from {s.detail}"
        )
    print("\n".join(lines))
    return 0


def _cmd_gazetteer_remove(args: argparse.Namespace) -> int:
    from geodata.gazetteer.added_sources import remove_source

    gone = remove_source(args.name, cache_dir=args.cache)
    print(f"removed {gone.name} ({gone.entries or 0:,} places) from the gazetteer")
    return 0


def _store(args: argparse.Namespace) -> Any:
    from geodata.store.event_store import Store

    return Store(args.db, read_only=True, lock_timeout=args.lock_timeout)


def _cmd_export(args: argparse.Namespace) -> int:
    from geodata.export.incident_files import export_incidents, format_for

    fmt = args.format or format_for(args.out)
    if fmt is None:
        raise DatelineError(
            f"cannot tell the format from {args.out!r}: pass --format csv|geojson|gpkg|parquet"
        )
    n = export_incidents(
        _store(args),
        args.out,
        filter_from_options(args),
        format=fmt,
    )
    print(f"{n} incidents written to {args.out} ({fmt})")
    return 0


def _cmd_snapshot(args: argparse.Namespace) -> int:
    from geodata.maps.playback import playback_format
    from geodata.maps.snapshot import MapView, export_format, write_view

    playback = playback_format(args.out)
    fmt = export_format(args.out) or playback
    if fmt is None:
        raise DatelineError(
            f"cannot tell the format from {args.out!r}: use .html, .png or .geojson "
            "(a picture), or .gif, .mp4 or .webm (a playback)"
        )
    store = _store(args)
    if args.snapshot_id:
        snap = store.snapshot(args.snapshot_id)
        if snap is None:
            raise DatelineError(f"no snapshot {args.snapshot_id!r} in {store.path}")
        rows = snap["incidents"]
        changes = {"title": args.title or snap["title"], "note": args.note or snap["note"] or ""}
        if args.center:
            changes |= {"center": args.center, "zoom": args.zoom or snap["view"].get("zoom")}
        view = MapView.from_dict(snap["view"], **changes)
    else:
        where = filter_from_options(args)
        # a playback asks the store itself: the newest --limit would drop the first frames
        rows = [] if playback else store.incidents(where, limit=max(1, args.limit))
        view = MapView(
            title=args.title or "Dateline incidents",
            note=args.note or "",
            start=where.start,
            end=where.end,
            filters=where,
            center=args.center or (_middle(rows) if args.zoom else None),
            zoom=args.zoom,
            cluster=args.cluster,
            heat=args.heat,
        )
    if playback:
        return _write_playback(args, rows if args.snapshot_id else store, view)
    write_view(
        rows,
        args.out,
        view,
        format=fmt,
        width=args.width or 1200,
        height=args.height or 800,
        with_note=args.with_note or bool(args.note),  # a note given here is meant to show
    )
    print(f"{len(rows)} incidents drawn to {args.out} ({fmt})")
    return 0


def _write_playback(args: argparse.Namespace, source: Any, view: Any) -> int:
    """``snapshot --out FILE.gif|.mp4|.webm``: the view stepping through its dates."""
    from geodata.maps.playback import write_playback

    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=None, unit="frame", desc="drawing", file=sys.stderr, dynamic_ncols=True)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.update(done - bar.n)

    try:
        done = write_playback(
            source,
            args.out,
            view,
            start=args.start or None,
            end=args.end or None,
            step=args.step,
            window="cumulative" if args.cumulative else "rolling",
            fps=args.fps,
            width=args.width or 1280,
            height=args.height or 720,
            with_note=args.with_note or bool(args.note),  # as for a picture
            progress=progress,
        )
    finally:
        if bar is not None:
            bar.close()
    print(
        f"{done.incidents} incidents in {done.frames} frames drawn to {args.out} "
        f"({done.format}, {done.bytes / 1e6:.1f} MB)"
    )
    return 0


def _middle(rows: Sequence[dict[str, Any]]) -> tuple[float, float] | None:
    """The centre of the incidents' bounding box (for ``--zoom`` without ``--center``)."""
    from geodata.maps.incidents import incidents_bounds

    bounds = incidents_bounds(rows)
    if bounds is None:
        return None
    (south, west), (north, east) = bounds
    return (south + north) / 2, (west + east) / 2


def _cmd_stats(args: argparse.Namespace) -> int:
    stats = _store(args).stats()
    if args.json:
        print(json.dumps(stats))
        return 0
    span = (
        f"{stats['min_date']} to {stats['max_date']}"
        if stats["min_date"]
        else "(no dated incidents)"
    )
    lines = [
        f"store: {stats['path']} (schema version {stats['schema_version']}, "
        f"{stats['db_bytes'] / 2**20:.1f} MiB)",
        f"articles: {stats['articles']}",
        f"places: {stats['places']}",
        f"incidents: {stats['incidents']}",
        f"sources: {stats['sources']}",
        f"corrections: {stats['corrections']}",
        f"snapshots: {stats['snapshots']}",
        f"dates: {span}",
    ]
    print("\n".join(lines))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose)
    try:
        return args.func(args)
    except DatelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a message, never a traceback
        logger.debug("unexpected error", exc_info=True)
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
