"""The feed watcher's status file and lock (:mod:`extract.sources.watch_status`), and the
``feeds`` commands of ``python -m extract``."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from extract.sources.watch_status import (
    HEARTBEAT_S,
    WatcherRunning,
    WatchStatus,
    read_status,
    status_path,
)


def test_a_running_watcher_is_alive_and_a_second_one_refused(tmp_path: Path) -> None:
    path = status_path(tmp_path / "s.duckdb")
    assert path.name == "s.duckdb.watcher.json"
    first = WatchStatus(path)
    first.start()
    status = read_status(path)
    assert status is not None and status["alive"] and status["pid"] == os.getpid()
    assert status["state"] == "starting" and status["cycles"] == 0
    with pytest.raises(WatcherRunning, match=f"process {os.getpid()}"):
        WatchStatus(path).start()
    first.cycle("feeds: 2 polled", started="2026-12-01T08:00:00Z", next_due=None)
    status = read_status(path)
    assert status["cycles"] == 1 and status["last_cycle"]["summary"] == "feeds: 2 polled"
    assert status["state"] == "sleeping"
    first.stop()
    status = read_status(path)
    assert status["state"] == "stopped" and not status["alive"]
    second = WatchStatus(path)  # the lock is free again
    second.start()
    second.stop()


def test_a_silent_or_vanished_watcher_is_not_alive(tmp_path: Path) -> None:
    path = tmp_path / "x.watcher.json"
    watcher = WatchStatus(path)
    watcher.start()
    later = datetime.now(UTC) + timedelta(seconds=4 * HEARTBEAT_S)
    assert not read_status(path, now=later)["alive"]
    watcher.stop()
    data = {"pid": 2**22 + 12345, "state": "sleeping", "beat_at": datetime.now(UTC).isoformat()}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_status(path)["alive"] is False  # no such process
    path.write_text("{not json", encoding="utf-8")
    assert read_status(path) is None
    assert read_status(tmp_path / "missing.json") is None


def test_the_feeds_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from extract import cli

    db = str(tmp_path / "f.duckdb")
    url = "https://news.example.org/rss.xml"
    assert cli.main(["feeds", "--db", db, "add", url, "--name", "Example", "--interval", "5"]) == 0
    out = capsys.readouterr().out
    assert "following https://news.example.org/rss.xml as f" in out and "every 5 min" in out
    assert cli.main(["feeds", "--db", db, "list"]) == 0
    listed = capsys.readouterr().out
    assert "Example" in listed and "active" in listed and "last poll never" in listed
    assert cli.main(["feeds", "--db", db, "pause", url]) == 0
    assert "paused" in capsys.readouterr().out
    assert cli.main(["feeds", "--db", db, "list", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["active"] is False and row["interval_s"] == 300 and row["items"] == 0
    assert cli.main(["feeds", "--db", db, "resume", row["id"]]) == 0
    assert cli.main(["feeds", "--db", db, "poll", row["id"]]) == 0
    assert "due now" in capsys.readouterr().out
    assert cli.main(["feeds", "--db", db, "add", url]) == 2
    assert "followed already" in capsys.readouterr().err
    assert cli.main(["feeds", "--db", db, "add", "ftp://x.example/f"]) == 2
    assert "http:// or https://" in capsys.readouterr().err
    assert cli.main(["feeds", "--db", db, "remove", row["id"]]) == 0
    assert cli.main(["feeds", "--db", db, "remove", row["id"]]) == 2
    assert "no feed" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["feeds", "--db", db, "add", url, "--interval", "0"])
