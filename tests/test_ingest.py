"""Tests of ``python -m extract ingest`` (:mod:`extract.sources.ingest`).

The pipeline's logic is pinned down first against a small in-memory store that implements the
transaction API of ``docs/store-api.md``; then against the real
:class:`geodata.store.event_store.Store` (idempotency, cross-article dedup, process pool,
GeoParquet output, the command line), and finally a crash: a run killed with SIGKILL part-way, then
resumed, ends like a clean run. Unit tests use the 20-row fixture gazetteer; the subprocess tests
use the real one.
"""

from __future__ import annotations

import copy
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import extract
from extract import cli
from extract.sources import _distributed
from extract.sources import ingest as ingest_mod
from extract.sources.corrections import apply_corrections
from extract.sources.ingest import ingest, ingest_records
from extract.sources.store_writer import IngestStats
from geodata.errors import GazetteerError, StoreError
from geodata.store import event_store as store_mod
from tests.fixtures_gazetteer import tiny_gazetteer
from tests.ingest_support import corpus, dump

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(
    r"^articles: (\d+) new, (\d+) duplicate, (\d+) failed; incidents: (\d+) new, (\d+) merged;"
    r" places: (\d+) \(\d+\.\d s, \d+\.\d articles/s\)$",
    re.MULTILINE,
)
STRIKE_A = "A Russian missile strike on Kharkiv killed three people on Monday, officials said."
STRIKE_B = (
    "Three people were killed when a Russian missile hit Kharkiv on Monday, the governor said."
)
PROTEST = "Protesters rallied in Tbilisi on Saturday against the government."


def write_jsonl(path: Path, records: list[dict[str, Any]], *extra_lines: str) -> Path:
    lines = [json.dumps(r) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- an in-memory store with the contract's transaction API ---------------------------------


def _article_id(text: str) -> str:
    import hashlib

    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


class FakeStore:
    """Articles, places, incidents and sources in dicts; a transaction is all or nothing."""

    def __init__(self, *, fail_on_write: int | None = None) -> None:
        self.data: dict[str, Any] = {"articles": {}, "places": {}, "incidents": {}, "sources": {}}
        self.corrections: dict[str, list[dict[str, Any]]] = {}
        self.writes = 0  # transactions that wrote something
        self.fail_on_write = fail_on_write

    @contextmanager
    def transaction(self) -> Iterator[FakeStore._Tx]:
        saved = copy.deepcopy(self.data)
        tx = FakeStore._Tx(self)
        try:
            yield tx
            if tx.wrote:
                self.writes += 1
                if self.writes == self.fail_on_write:
                    raise StoreError("disk full")
        except BaseException:
            self.data = saved
            raise

    def incidents(self) -> list[dict[str, Any]]:
        return [
            {**inc, "n_sources": len({s["article_id"] for s in self.data["sources"][iid]})}
            for iid, inc in self.data["incidents"].items()
        ]

    class _Tx:
        def __init__(self, store: FakeStore) -> None:
            self.store, self.d, self.wrote = store, store.data, False

        def existing_article_ids(self, ids: Any) -> set[str]:
            return {i for i in ids if i in self.d["articles"]}

        def insert_article(self, article: dict[str, Any]) -> bool:
            assert article["id"] == _article_id(article["text"])
            if article["id"] in self.d["articles"]:
                return False
            self.wrote = True
            self.d["articles"][article["id"]] = dict(article)
            return True

        def insert_places(self, article_id: str, places: list[dict[str, Any]]) -> None:
            assert [p["position"] for p in places] == list(range(len(places)))
            self.d["places"][article_id] = copy.deepcopy(places)

        def corrections_for(self, article_id: str) -> list[dict[str, Any]]:
            return self.store.corrections.get(article_id, [])

        def candidate_incidents(self, incident: dict[str, Any]) -> list[dict[str, Any]]:
            return [  # a superset: the caller decides with same_incident
                {**copy.deepcopy(inc), "sources": list(self.d["sources"][iid])}
                for iid, inc in sorted(self.d["incidents"].items())
                if inc["event_type"] == incident["event_type"]
            ]

        def insert_incident(self, incident: dict[str, Any]) -> str:
            inc = {k: v for k, v in incident.items() if k != "sources"}
            self.d["incidents"][inc["id"]] = inc
            self.d["sources"][inc["id"]] = list(incident["sources"])
            return inc["id"]

        def update_incident(self, incident_id: str, fields: dict[str, Any]) -> None:
            assert "id" not in fields and "sources" not in fields
            self.d["incidents"][incident_id].update(fields)

        def add_source(self, incident_id: str, article_id: str, sentence: str, start, end) -> None:
            src = {"article_id": article_id, "sentence": sentence, "start": start, "end": end}
            self.d["sources"][incident_id].append(src)


@pytest.fixture
def fake_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_mod, "_article_id", _article_id)


def _run(records: list[dict[str, Any]], store: Any, **kw: Any) -> tuple[IngestStats, list[str]]:
    errors: list[str] = []
    kw.setdefault("loader", tiny_gazetteer)
    stats = ingest_records(records, store=store, on_error=errors.append, **kw)
    return stats, errors


# --- pipeline logic (in-memory store) -------------------------------------------------------


def test_same_event_in_two_articles_becomes_one_incident(fake_ids: None) -> None:
    store = FakeStore()
    records = [{"id": "a", "text": STRIKE_A}, {"id": "b", "text": STRIKE_B}]
    records.append({"id": "c", "text": PROTEST})
    stats, errors = _run(records, store, published="2024-11-05")
    assert errors == []
    assert (stats.new, stats.duplicate, stats.failed) == (3, 0, 0)
    assert (stats.incidents_new, stats.incidents_merged) == (2, 1)
    strike = next(i for i in store.incidents() if i["location"] == "Kharkiv")
    assert strike["n_sources"] == 2 and strike["date"] == "2024-11-04"
    sources = store.data["sources"][strike["id"]]
    assert [s["article_id"] for s in sources] == [_article_id(STRIKE_A), _article_id(STRIKE_B)]
    assert sources[1]["sentence"] == STRIKE_B and sources[1]["end"] > sources[1]["start"]
    article = store.data["articles"][_article_id(STRIKE_A)]
    assert article["source_id"] == "a" and article["published"] == "2024-11-05"
    assert stats.places == sum(len(p) for p in store.data["places"].values()) > 0


def test_duplicates_in_the_input_and_in_the_store(fake_ids: None) -> None:
    store = FakeStore()
    _run([{"id": "a", "text": STRIKE_A}], store)
    again = [{"id": "x", "text": "  " + STRIKE_A.replace(" ", "\n ")}, {"id": "b", "text": PROTEST}]
    again.append({"id": "b2", "text": PROTEST})
    stats, _ = _run(again, store)
    assert (stats.new, stats.duplicate) == (1, 2)
    assert len(store.data["articles"]) == 2


def test_bad_records_are_reported_and_skipped(
    fake_ids: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = extract.extract_article

    def flaky(text: str, **kw: Any) -> Any:
        if "EXPLODE" in text:
            raise RuntimeError("boom")
        return real(text, **kw)

    monkeypatch.setattr(extract, "extract_article", flaky)
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [{"text": STRIKE_A}, {"text": "EXPLODE in Kyiv"}],
        "not json",
        '{"text": "Kyiv", "published": "2024-02-30"}',
    )
    errors: list[str] = []
    store = FakeStore()
    stats = ingest([path], store=store, loader=tiny_gazetteer, on_error=errors.append)
    assert (stats.new, stats.failed) == (1, 3)
    assert errors == [
        f"{path}:3: malformed JSON: Expecting value",
        f"{path}:4: invalid published date '2024-02-30': expected a date written YYYY-MM-DD",
        f"{path}:2: extraction failed: RuntimeError: boom",
    ]


def test_a_failed_batch_leaves_whole_batches_and_a_rerun_completes(fake_ids: None) -> None:
    records = corpus(30)
    clean = FakeStore()
    _run(records, clean, batch_size=7)
    broken = FakeStore(fail_on_write=3)
    with pytest.raises(StoreError, match="disk full"):
        _run(records, broken, batch_size=7)
    assert len(broken.data["articles"]) == 14  # two whole batches
    broken.fail_on_write = None
    stats, _ = _run(records, broken, batch_size=7)
    assert (stats.new, stats.duplicate) == (16, 14)
    assert broken.data == clean.data


def test_batches_are_written_in_input_order_whatever_the_batch_size(fake_ids: None) -> None:
    records = corpus(40)
    stores = [FakeStore(), FakeStore()]
    _run(records, stores[0], batch_size=200)
    stats, _ = _run(records, stores[1], batch_size=3, chunksize=2)
    assert stores[0].data == stores[1].data
    assert stats.incidents_merged > 0 and stats.incidents_new > 0


def test_gazetteer_failure_is_fatal(fake_ids: None) -> None:
    with pytest.raises(GazetteerError, match="gazetteer: no index"):
        _run(corpus(3), FakeStore(), loader=_broken_gazetteer)


def _broken_gazetteer() -> Any:
    raise OSError("no index")


def test_stored_corrections_are_reapplied(fake_ids: None) -> None:
    store = FakeStore()
    text = "A Russian missile strike on Kharkiv killed three people on Monday. Kyiv said so."
    aid = _article_id(text)
    k, y = text.index("Kharkiv"), text.index("Kyiv")
    store.corrections[aid] = [
        {"article_id": aid, "start": k, "end": k + 7, "entry_id": "adm1:UA.07"},
        {"article_id": aid, "start": y, "end": y + 4, "entry_id": None},
    ]
    _run([{"text": text, "published": "2024-11-05"}], store)
    places = store.data["places"][aid]
    assert [(p["text"], p["entry_id"], p["kind"]) for p in places if p["text"] != "Russian"] == [
        ("Kharkiv", "adm1:UA.07", "adm1")
    ]
    (incident,) = store.incidents()
    assert places[incident["place_index"]]["entry_id"] == "adm1:UA.07"


def test_apply_corrections_adds_missed_mentions_and_drops_incidents() -> None:
    text = "Shelling hit Kharkiv. Later, Kursk."
    places = [{"start": 13, "end": 20, "text": "Kharkiv", "name": "Kharkiv", "entry_id": "x"}]
    incidents = [{"id": "i1", "place_index": 0}, {"id": "i2", "place_index": None}]
    s = text.index("Kursk")
    fixes = [
        {"start": s, "end": s + 5, "entry_id": "gn:538560"},
        {"start": 13, "end": 20, "entry_id": None},
        {"start": 0, "end": 8, "entry_id": "no:such"},
    ]
    out_places, out_incidents = apply_corrections(
        text, places, incidents, fixes, gazetteer=tiny_gazetteer()
    )
    assert [(p["text"], p["entry_id"], p["country"]) for p in out_places] == [
        ("Kursk", "gn:538560", "RU")
    ]
    assert [i["id"] for i in out_incidents] == ["i2"]


def test_summary_format() -> None:
    stats = IngestStats(new=3, duplicate=1, failed=2, incidents_new=4, incidents_merged=1)
    stats.places, stats.elapsed = 7, 2.0
    assert SUMMARY.fullmatch(stats.summary()).groups() == ("3", "1", "2", "4", "1", "7")
    assert stats.summary().endswith("(2.0 s, 3.0 articles/s)")


# --- the real store -------------------------------------------------------------------------


@pytest.fixture
def tiny_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's default gazetteer is the fixture one."""
    monkeypatch.setattr(_distributed, "default_loader", tiny_gazetteer)


def test_real_store_dedup_and_idempotency(tmp_path: Path) -> None:
    store = store_mod.Store(tmp_path / "s.duckdb")
    records = [{"id": "a", "text": STRIKE_A}, {"id": "b", "text": STRIKE_B}]
    stats, _ = _run(records + [{"text": PROTEST}], store, published="2024-11-05")
    assert (stats.new, stats.incidents_new, stats.incidents_merged) == (3, 2, 1)
    (strike,) = store.incidents(types=["Explosions/Remote violence"])
    assert strike["n_sources"] == 2
    sources = store.incident_sources(strike["id"])
    assert {s["article_id"] for s in sources} == {_article_id(STRIKE_A), _article_id(STRIKE_B)}
    before = dump(store.path)
    stats, _ = _run(records, store, published="2024-11-05")
    assert (stats.new, stats.duplicate, stats.incidents_new) == (0, 2, 0)
    assert dump(store.path) == before


def test_process_pool_gives_the_same_rows(tmp_path: Path) -> None:
    records = corpus(48)
    serial = store_mod.Store(tmp_path / "serial.duckdb")
    pooled = store_mod.Store(tmp_path / "pool.duckdb")
    _run(records, serial, batch_size=10)
    stats, _ = _run(records, pooled, batch_size=10, workers=2)
    assert stats.new == 48
    assert dump(pooled.path) == dump(serial.path)


def test_out_parquet_reads_back_with_duckdb_and_geopandas(tmp_path: Path) -> None:
    import duckdb
    import geopandas

    from geodata.export.parquet_dataset import write_store_parquet

    store = store_mod.Store(tmp_path / "s.duckdb")
    records = corpus(24) + [{"text": "Ukrainian troops clashed with Russian forces near Kursk."}]
    _run(records, store)  # the last one has no date: month=unknown
    out = tmp_path / "pq"
    (out / "month=1999-01").mkdir(parents=True)
    (out / "month=1999-01" / "part-0.parquet").write_bytes(b"stale")  # replaced
    (out / "README").write_text("kept", encoding="utf-8")
    n = write_store_parquet(store, out)
    incidents = store.incidents()
    assert n == len(incidents) > 5
    months = sorted(p.parent.name for p in out.glob("month=*/part-*.parquet"))
    assert months == ["month=2024-11", "month=unknown"]
    (out / "README").unlink()  # kept; but geopandas would try to read it
    rows = duckdb.sql(
        f"SELECT id, month, date, geometry IS NULL AS nogeom FROM read_parquet("
        f"'{out}/**/*.parquet', hive_partitioning=true) ORDER BY id"
    ).fetchall()
    assert [r[0] for r in rows] == sorted(i["id"] for i in incidents)
    assert all(r[1] == (str(r[2])[:7] if r[2] else "unknown") for r in rows)
    frame = geopandas.read_parquet(out)
    assert frame.crs.to_epsg() == 4326 and len(frame) == n
    by_id = {i["id"]: i for i in incidents}
    for row in frame.itertuples():
        inc = by_id[row.id]
        assert (row.geometry.x, row.geometry.y) == pytest.approx((inc["lon"], inc["lat"]))


# --- the command line -----------------------------------------------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["ingest", *args])
    out, err = capsys.readouterr()
    assert out == ""
    return code, err


def test_cli_ingest_reports_and_summarises(
    tmp_path: Path, tiny_default: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", corpus(10), "not json")
    db = tmp_path / "s.duckdb"
    code, err = _cli(
        [str(path), "--db", str(db), "--batch-size", "4", "--out-parquet", str(tmp_path / "pq")],
        capsys,
    )
    assert code == 0, err
    assert f"error: {path}:11: malformed JSON" in err and "Traceback" not in err
    new, dup, failed, inc_new, merged, places = map(int, SUMMARY.search(err).groups())
    assert (new, dup, failed) == (10, 0, 1) and inc_new + merged >= 10 and places >= 10
    assert re.search(r"^parquet: \d+ incidents written to ", err, re.MULTILINE)
    code, err = _cli([str(path), "--db", str(db), "-q"], capsys)
    assert code == 0 and not SUMMARY.search(err)
    code, err = _cli([str(path), "--db", str(db)], capsys)
    assert SUMMARY.search(err).groups()[:3] == ("0", "10", "1")
    assert "articles/s]" not in err  # no bar: stderr is not a terminal
    code, err = _cli([str(path), "--db", str(tmp_path / "new.duckdb"), "--progress"], capsys)
    assert code == 0 and re.search(r"ingest: .*\d+ articles \[.*articles/s", err)
    assert f"error: {path}:11: malformed JSON" in err


def test_cli_nothing_ingested_exits_2(
    tmp_path: Path, tiny_default: None, capsys: pytest.CaptureFixture[str]
) -> None:
    rss = tmp_path / "feed.rss"
    rss.write_text("Kyiv was shelled.", encoding="utf-8")
    code, err = _cli([str(rss), str(tmp_path / "none"), "--db", str(tmp_path / "s.duckdb")], capsys)
    assert code == 2
    assert f"error: {rss}:1: not an RSS or Atom feed" in err
    assert f"error: {tmp_path / 'none'}: no such file" in err
    assert SUMMARY.search(err).groups()[:3] == ("0", "0", "2")


def test_cli_store_errors_exit_2_without_traceback(
    tmp_path: Path, tiny_default: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", corpus(2))
    corrupt = tmp_path / "bad.duckdb"
    corrupt.write_bytes(b"this is not a database" * 100)
    code, err = _cli([str(path), "--db", str(corrupt)], capsys)
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err
    code, err = _cli([str(path), "--db", str(tmp_path)], capsys)  # a folder
    assert code == 2 and err.startswith("error: ")


@pytest.mark.parametrize(
    "args",
    [
        ["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
        ["--batch-size", "0"],
        ["--scheduler", "nowhere"],
        ["--published", "2024-13-01"],
    ],
)
def test_cli_bad_arguments_exit_2(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        code = cli.main(["ingest", str(tmp_path / "x.jsonl"), *args])
        raise SystemExit(code)
    assert info.value.code == 2
    assert "error" in capsys.readouterr().err


def test_cli_unreachable_scheduler_exits_2(
    tmp_path: Path,
    tiny_default: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from extract.sources import _distributed

    monkeypatch.setattr(_distributed, "CONNECT_TIMEOUT", 1.0)
    path = write_jsonl(tmp_path / "in.jsonl", corpus(1))
    args = [str(path), "--db", str(tmp_path / "s.duckdb"), "--scheduler", "tcp://127.0.0.1:9"]
    code, err = _cli(args, capsys)
    assert code == 2 and "error: cannot connect to the Dask scheduler at tcp://127.0.0.1:9" in err


# --- crash and resume (subprocess, real gazetteer) ------------------------------------------


def _command(path: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "extract", "ingest", str(path), "--db", str(db)] + [
        "--batch-size",
        "20",
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _count(db: Path) -> int:
    try:
        return store_mod.Store(db, read_only=True, lock_timeout=0.5).stats()["articles"]
    except StoreError:  # not created yet, or busy
        return 0


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_state(tmp_path: Path) -> None:
    N = 600  # enough that a loaded machine cannot finish before the kill lands
    path = write_jsonl(tmp_path / "in.jsonl", corpus(N))
    clean, crashed = tmp_path / "clean.duckdb", tmp_path / "crashed.duckdb"
    done = subprocess.run(
        _command(path, clean), cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert SUMMARY.search(done.stderr).groups()[:3] == (str(N), "0", "0")

    proc = subprocess.Popen(
        _command(path, crashed), cwd=ROOT, env=_env(), stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while (n := _count(crashed)) < 40 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    killed_at = _count(crashed)
    assert 40 <= n <= killed_at < N and killed_at % 20 == 0  # whole batches only

    again = subprocess.run(
        _command(path, crashed), cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    new, dup = map(int, SUMMARY.search(again.stderr).groups()[:2])
    assert (new, dup) == (N - killed_at, killed_at)
    rows = dump(crashed)
    assert rows == dump(clean)
    assert len(rows["articles"]) == N
    assert len(set(rows["incident_sources"])) == len(rows["incident_sources"])
