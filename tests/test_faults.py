"""Faults lose nothing: two ingests at once, an ingest killed with SIGKILL part-way, damaged and
read-only store files, from the command lines, the :class:`geodata.store.event_store.Store` API and
the app.

The ingests run the real command line (``python -m extract ingest``) on the articles of
``tests/data/incidents``; their outcome is compared with an uninterrupted run of the same input.
Read-only files are made unwritable in a way root cannot override either: in a child process
without the capabilities that let root ignore file modes, or with ``chattr +i`` in this process.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from geodata.errors import StoreBusyError, StoreError
from geodata.store.event_store import Store
from tests.store_helpers import query

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ENV.pop("DATELINE_DB", None)
INCIDENTS = ROOT / "tests" / "data" / "incidents"
ROOT_USER = os.geteuid() == 0
ROOT_REASON = "runs as root, which writes files whatever their mode (covered root-proof below)"


# --- helpers ----------------------------------------------------------------------------------


def _records(copies: int = 1) -> list[dict[str, Any]]:
    """The 18 real articles of tests/data/incidents; with ``copies`` > 1, then again as
    re-published bulletins (another title, one more sentence: another article id)."""
    base = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(INCIDENTS.glob("*.json"))]
    out = []
    for k in range(copies):
        for rec in base:
            rec = {key: rec[key] for key in ("id", "published", "title", "text") if key in rec}
            if k:
                rec["id"] = f"{rec['id']}-update{k}"
                rec["title"] = f"{rec['title']} (update {k})"
                rec["text"] = f"{rec['text']}\n\nThis bulletin was republished, reference {k}."
            out.append(rec)
    return out


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _ingest_argv(inputs: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "extract", "ingest", str(inputs), "--db", str(db), *extra]


def _run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv, env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=120, **kwargs
    )


def _summary(stderr: str) -> tuple[int, int, int]:
    """``(new, duplicate, failed)`` from an ingest's summary line."""
    found = re.search(r"articles: (\d+) new, (\d+) duplicate, (\d+) failed", stderr)
    assert found, stderr
    return int(found[1]), int(found[2]), int(found[3])


# the stored rows that must be equal between two runs of the same input (no timestamps)
_CONTENT = {
    "articles": "SELECT id, source_id, title, url, source, published, text FROM articles",
    "places": "SELECT * FROM places",
    "incidents": "SELECT * EXCLUDE (created_at, updated_at) FROM incidents",
    "incident_sources": "SELECT * EXCLUDE (added_at) FROM incident_sources",
}


def _content(path: Path) -> dict[str, list[tuple]]:
    return {t: sorted(query(path, sql), key=repr) for t, sql in _CONTENT.items()}


def _per_article(path: Path) -> dict[str, tuple[int, int]]:
    """article id → (place rows, incident source rows)."""
    rows = query(
        path,
        "SELECT a.id, (SELECT count(*) FROM places p WHERE p.article_id = a.id),"
        " (SELECT count(*) FROM incident_sources s WHERE s.article_id = a.id) FROM articles a",
    )
    return {aid: (p, s) for aid, p, s in rows}


_CHECKS = {
    "places of a missing article": (
        "SELECT count(*) FROM places p ANTI JOIN articles a ON a.id = p.article_id"
    ),
    "sources of a missing incident": (
        "SELECT count(*) FROM incident_sources s ANTI JOIN incidents i ON i.id = s.incident_id"
    ),
    "sources from a missing article": (
        "SELECT count(*) FROM incident_sources s ANTI JOIN articles a ON a.id = s.article_id"
    ),
    "incidents without a source": (
        "SELECT count(*) FROM incidents i ANTI JOIN incident_sources s ON s.incident_id = i.id"
    ),
    "n_sources not the number of source articles": (
        "SELECT count(*) FROM incidents i WHERE n_sources <> (SELECT count(DISTINCT article_id)"
        " FROM incident_sources s WHERE s.incident_id = i.id)"
    ),
    "first_article_id not the first source": (
        "SELECT count(*) FROM incidents i WHERE first_article_id IS DISTINCT FROM (SELECT"
        " article_id FROM incident_sources s WHERE s.incident_id = i.id AND position = 0)"
    ),
    "source positions not 0..n-1": (
        "SELECT count(*) FROM (SELECT incident_id, count(*) AS n, count(DISTINCT position) AS d,"
        " max(position) AS m FROM incident_sources GROUP BY ALL) WHERE n <> d OR m <> n - 1"
    ),
    "duplicate sources": (
        'SELECT count(*) - count(DISTINCT (incident_id, article_id, sentence, "start", "end"))'
        " FROM incident_sources"
    ),
    "duplicate place positions": (
        "SELECT count(*) - count(DISTINCT (article_id, position)) FROM places"
    ),
    "the same text stored twice": "SELECT count(*) - count(DISTINCT text) FROM articles",
}


def _problems(path: Path) -> list[str]:
    """What makes the store inconsistent (empty: nothing)."""
    return [f"{name}: {n}" for name, sql in _CHECKS.items() if (n := query(path, sql)[0][0])]


@pytest.fixture(scope="module")
def real_input(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Input files: ``small`` (the 18 articles), ``big`` (72: them and 3 re-publications)."""
    folder = tmp_path_factory.mktemp("faults")
    return {
        "small": _jsonl(folder / "small.jsonl", _records()),
        "big": _jsonl(folder / "big.jsonl", _records(copies=4)),
    }


_REFERENCES: dict[str, Path] = {}


def _reference(real_input: dict[str, Path], name: str) -> Path:
    """The store an uninterrupted run of the input ``name`` made (batches of 4), once."""
    if name not in _REFERENCES:
        ref = real_input[name].with_name(f"ref-{name}.duckdb")
        proc = _run(_ingest_argv(real_input[name], ref, "--batch-size", "4", "-q"))
        assert proc.returncode == 0, proc.stderr
        _REFERENCES[name] = ref
    return _REFERENCES[name]


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of several MiB (many DuckDB blocks), written through the Store API."""
    path = tmp_path_factory.mktemp("filled") / "filled.duckdb"
    with Store(path).transaction() as tx:
        ids = tx.insert_articles(
            {"text": f"Article {k}: " + "words of the report " * 120, "title": f"t{k}"}
            for k in range(3000)
        )
        tx.insert_incidents_bulk(
            {"id": f"i{k}", "event_type": "Battles", "date": "2024-11-05", "lat": 1.0 + k,
             "lon": 2.0, "sources": [{"article_id": aid, "sentence": "s"}]}
            for k, aid in enumerate(ids)
        )  # fmt: skip
    assert path.stat().st_size > 2 * 2**20
    return path


def _drop_root_file_powers() -> None:  # in the child, before exec
    if os.geteuid() == 0:  # root ignores file modes unless these capabilities are gone
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _run_unprivileged(argv: list[str]) -> subprocess.CompletedProcess:
    """Run ``argv`` so that file modes apply to it, even when the tests run as root."""
    try:
        return _run(argv, preexec_fn=_drop_root_file_powers)
    except (OSError, subprocess.SubprocessError) as exc:  # pragma: no cover - a strict sandbox
        pytest.skip(f"cannot run a process without the power to override file modes: {exc}")


@contextmanager
def _immutable(*paths: Path) -> Iterator[None]:
    """Make ``paths`` unwritable for everyone, root included (``chattr +i``), meanwhile."""
    done: list[Path] = []
    try:
        for path in paths:
            proc = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
            if proc.returncode:
                pytest.skip(f"chattr +i is not available here: {proc.stderr.strip()}")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", "-i", str(path)], check=True)


@contextmanager
def _modes(*changes: tuple[Path, int]) -> Iterator[None]:
    """chmod each path meanwhile, then restore its mode."""
    before = [(path, path.stat().st_mode & 0o7777) for path, _ in changes]
    try:
        for path, mode in changes:
            path.chmod(mode)
        yield
    finally:
        for path, mode in reversed(before):
            path.chmod(mode)


def _one_line_error(stderr: str, *, lines: int = 1) -> str:
    """The ``error:`` line of a command's standard error, checking there is no traceback."""
    assert "Traceback" not in stderr, stderr
    out = stderr.splitlines()
    assert len(out) == lines and out[0].startswith("error: "), stderr
    return out[0]


# --- 1. two ingests at once -------------------------------------------------------------------


@pytest.mark.slow
def test_two_ingests_at_once_lose_and_duplicate_nothing(
    real_input: dict[str, Path], tmp_path: Path
) -> None:
    records = _records()
    # 0-11 and 17-6 (backwards): both reach the shared articles 6-11 at about the same time
    one = _jsonl(tmp_path / "one.jsonl", records[:12])
    two = _jsonl(tmp_path / "two.jsonl", records[6:][::-1])
    db = tmp_path / "store" / "dateline.duckdb"
    procs = [
        subprocess.Popen(
            _ingest_argv(path, db, "--batch-size", "2"),
            env=ENV,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in (one, two)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
    counts = [_summary(err) for _, err in outs]
    # every shared article is new to exactly one of them, a duplicate to the other
    assert sum(new for new, _, _ in counts) == 18 and sum(d for _, d, _ in counts) == 6, counts
    assert _problems(db) == []
    ref = _reference(real_input, "small")
    assert _per_article(db) == _per_article(ref)  # all articles, each with all its rows
    stats, expected = Store(db).stats(), Store(ref).stats()
    for key in ("articles", "places", "incidents", "sources"):
        assert stats[key] == expected[key], key


# --- 2. an ingest killed part-way ---------------------------------------------------------------


def _kill_mid_ingest(proc: subprocess.Popen, db: Path, *, after: int) -> tuple[int, bool]:
    """Once ``after`` articles are committed, SIGKILL ``proc`` while it has the store open for
    writing if that is seen within a few seconds. Returns (articles committed before the kill,
    whether the kill landed while the writer held the file)."""
    probe = Store(db, read_only=True, lock_timeout=0)
    deadline = time.monotonic() + 90
    stored = 0
    while stored < after:
        assert proc.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline, "the ingest made no progress"
        try:
            stored = probe.stats()["articles"]
        except StoreError:  # busy, or not created yet
            pass
        time.sleep(0.05)  # leave the writer room: each probe holds a read lock briefly
    busy = False
    until = time.monotonic() + 5
    while not busy and time.monotonic() < until and proc.poll() is None:
        try:
            probe.date_range()
        except StoreBusyError:
            busy = True  # the ingest holds the write lock right now
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    return stored, busy


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_gives_the_full_result(
    real_input: dict[str, Path], tmp_path: Path
) -> None:
    big, ref = real_input["big"], _reference(real_input, "big")
    total = len(_records(copies=4))
    db = tmp_path / "dateline.duckdb"
    proc = subprocess.Popen(
        _ingest_argv(big, db, "--batch-size", "4", "-q"),
        env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    _, busy = _kill_mid_ingest(proc, db, after=8)
    assert busy  # killed while it had the store open for writing (a batch or its check)
    assert proc.returncode == -signal.SIGKILL
    # the store opens, and is consistent: whole batches, a prefix of the input
    kept = Store(db).stats()["articles"]
    assert 8 <= kept < total and kept % 4 == 0, kept
    assert _problems(db) == []
    reference = _per_article(ref)
    order = [aid for (aid,) in query(ref, "SELECT id FROM articles ORDER BY ingested_at, id")]
    stored = _per_article(db)
    assert set(stored) == set(order[:kept])
    assert stored == {aid: reference[aid] for aid in stored}  # each with all its rows
    # running it again completes the rest: the same rows as an uninterrupted run
    rerun = _run(_ingest_argv(big, db, "--batch-size", "4"))
    assert rerun.returncode == 0, rerun.stderr
    assert _summary(rerun.stderr) == (total - kept, kept, 0)
    assert _problems(db) == []
    assert _content(db) == _content(ref)


# --- 3. damaged and read-only files: command lines and the Store API ------------------------


def _damaged(kind: str, folder: Path, filled: Path) -> tuple[Path, bytes]:
    path = folder / f"{kind}.duckdb"
    if kind == "random":
        path.write_bytes(os.urandom(300_000))
    else:  # a partial copy: the header and metadata are there, blocks are missing
        path.write_bytes(filled.read_bytes()[: filled.stat().st_size * 2 // 3])
    return path, path.read_bytes()


@pytest.mark.parametrize("kind", ["random", "truncated"])
def test_damaged_store_clear_errors_and_left_alone(
    kind: str, tmp_path: Path, filled_db: Path, real_input: dict[str, Path]
) -> None:
    path, before = _damaged(kind, tmp_path, filled_db)
    for read_only in (True, False):
        with pytest.raises(StoreError, match="is damaged or is not a Dateline database") as info:
            Store(path, read_only=read_only).stats()  # row counts would not read a block
        assert f"mv {path} {path}.bad" in str(info.value) and "DATELINE_DB" in str(info.value)
        assert "\n" not in str(info.value)
    stats = _run([sys.executable, "-m", "geodata", "stats", "--db", str(path)])
    assert stats.returncode == 2 and stats.stdout == ""
    line = _one_line_error(stats.stderr)
    assert line.startswith(f"error: the store {path} is damaged") and "mv " in line
    ingest = _run(_ingest_argv(real_input["small"], path))
    assert ingest.returncode == 2
    line = _one_line_error(ingest.stderr, lines=2)  # then the summary: nothing was done
    assert line.startswith(f"error: the store {path} is damaged") and "mv " in line
    assert "articles: 0 new" in ingest.stderr.splitlines()[1]
    assert path.read_bytes() == before  # never "repaired" or overwritten
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_truncated_store_found_even_when_counts_still_read(tmp_path: Path, filled_db: Path) -> None:
    """DuckDB reads the row counts of a truncated file from its metadata: the store checks the
    size on opening, so even ``stats`` says the file is damaged instead of showing numbers."""
    path = tmp_path / "cut.duckdb"
    path.write_bytes(filled_db.read_bytes()[: filled_db.stat().st_size - 300_000])
    assert query(path, "SELECT count(*) FROM articles") == [(3000,)]  # DuckDB alone: no error
    with pytest.raises(StoreError, match=r"truncated: \d+ bytes, at least \d+ expected"):
        Store(path, read_only=True).stats()


def _ro_setups(tmp_path: Path, filled: Path) -> dict[str, tuple[Path, list[tuple[Path, int]]]]:
    """A copy of ``filled`` with a read-only file, and one in a read-only folder."""
    out = {}
    for name, file_mode, folder_mode in (("file", 0o444, 0o755), ("folder", 0o644, 0o555)):
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "dateline.duckdb"
        shutil.copyfile(filled, path)
        out[name] = (path, [(path, file_mode), (folder, folder_mode)])
    return out


@pytest.mark.parametrize("where", ["file", "folder"])
def test_read_only_store_command_lines(
    where: str, tmp_path: Path, filled_db: Path, real_input: dict[str, Path]
) -> None:
    path, modes = _ro_setups(tmp_path, filled_db)[where]
    before = path.read_bytes()
    with _modes(*modes):
        stats = _run_unprivileged([sys.executable, "-m", "geodata", "stats", "--db", str(path)])
        started = time.monotonic()
        ingest = _run_unprivileged(_ingest_argv(real_input["small"], path))
        took = time.monotonic() - started
    assert stats.returncode == 0 and "articles: 3000" in stats.stdout, stats.stderr
    assert ingest.returncode == 2, ingest.stderr
    line = _one_line_error(ingest.stderr, lines=2)
    assert line.startswith(f"error: cannot write the store {path}: it is read-only")
    assert "chmod u+w" in line and "DATELINE_DB" in line
    assert took < 20  # refused at once, before extracting anything (no gazetteer needed)
    assert path.read_bytes() == before


@pytest.mark.skipif(ROOT_USER, reason=ROOT_REASON)
def test_read_only_file_store_api_chmod(tmp_path: Path, filled_db: Path) -> None:
    path, modes = _ro_setups(tmp_path, filled_db)["file"]
    with _modes(*modes):
        _check_read_only_store(path)


@pytest.mark.parametrize("where", ["file", "folder"])
def test_immutable_store_api_root_proof(where: str, tmp_path: Path, filled_db: Path) -> None:
    path, _ = _ro_setups(tmp_path, filled_db)[where]
    with _immutable(path if where == "file" else path.parent):
        _check_read_only_store(path)
    assert Store(path).writable()


def _check_read_only_store(path: Path) -> None:
    store = Store(path)  # opened for writing, on a file that cannot be written
    assert not store.writable()
    assert store.stats()["articles"] == 3000 and len(store.incidents(limit=5)) == 5
    for write in (
        lambda: store.save_snapshot(title="t", note="", view={}, incidents=[]),
        lambda: store.add_correction(article_id="a", start=0, end=1, entry_id=None),
        store.check_writable,
    ):
        with pytest.raises(StoreError, match="it is read-only") as info:
            write()
        assert "damaged" not in str(info.value) and "DATELINE_DB" in str(info.value)
    assert store.stats()["snapshots"] == 0  # and reads still work after the refusals
    assert Store(path, read_only=True).stats()["articles"] == 3000


def test_store_opened_read_only_refuses_writes(filled_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(filled_db, path)
    before = path.read_bytes()
    store = Store(path, read_only=True)
    assert not store.writable() and store.stats()["articles"] == 3000
    with pytest.raises(StoreError, match="it is read-only.*chmod u\\+w"):
        with store.transaction() as tx:
            tx.insert_article({"text": "Never stored."})
    assert path.read_bytes() == before


# --- 4. the app with a damaged or read-only store ----------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["random", "truncated"])
def test_app_starts_with_a_damaged_store(
    kind: str, tmp_path: Path, filled_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app_support import run_app

    path, before = _damaged(kind, tmp_path, filled_db)
    monkeypatch.setenv("DATELINE_DB", str(path))
    at = run_app()  # no exception
    errors = [e.value.replace("\\", "") for e in at.error]  # (markdown-escaped)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"Cannot open the event store: the store {path} is damaged")
    assert "damaged" in errors[0] and "Move it aside" in errors[0] and "DATELINE_DB" in errors[0]
    assert not at.get("component_instance")  # no map
    assert path.read_bytes() == before


@pytest.mark.slow
def test_app_shows_a_read_only_store(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app_support import (
        copy_store,
        map_ids,
        rerun,
        run_app,
        sample_store_template,
        stored_ids,
    )
    from ui import resources, state

    db = copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path / "ro")
    expected = stored_ids(db)
    monkeypatch.setenv("DATELINE_DB", str(db))
    guard = _modes((db, 0o444)) if not ROOT_USER else _immutable(db)
    with guard:
        handle = resources.store()
        assert handle.read_only and "read-only" in (resources.read_only_notice(handle) or "")
        at = run_app()
        assert not at.error, [e.value for e in at.error]
        assert map_ids(at) == expected and len(expected) >= 8  # the map, read from the file
        at.switch_page("pages/add.py")
        rerun(at)
        at.text_area(key=state.ADD_TEXT_KEY).input("Police arrested two men in Odesa on Monday.")
        at.button(key="dl_read_text").click()
        rerun(at)
        # adding is disabled ahead of time, and the sidebar says why and what to do
        assert at.button(key=state.INGEST_KEY).disabled
        warnings = [w.value.replace("\\", "") for w in at.sidebar.warning]
        assert any("read-only" in w and "DATELINE_DB" in w for w in warnings), warnings
        assert not at.error, [e.value for e in at.error]
    assert Store(db).stats()["articles"] == 1
    assert not resources.store().read_only  # writable again: the next run may write
