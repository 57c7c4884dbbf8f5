"""Tests for ``python -m extract parse``.

The first group runs :func:`extract.cli.main` in-process with a fake extractor, to pin down the
command's own logic (records, dates, errors, exit codes). The second group runs the real command
in a subprocess, with the real extractor and gazetteer.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import extract
from extract import cli
from extract.sources import _distributed
from geodata.errors import GazetteerError
from geodata.records import Article, Place

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"id", "title", "url", "published", "places", "incidents"}
SUMMARY = re.compile(r"^(\d+) documents, (\d+) places, (\d+) failed$", re.MULTILINE)


# --- in-process, fake extractor -----------------------------------------------------------


class _Fake:
    """Stands in for extract_article: one place per occurrence of "Kyiv" (or per given span)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, text: str, **kw: Any) -> Article:
        self.calls.append({"text": text, **kw})
        if "EXPLODE" in text:
            raise RuntimeError("boom")
        if kw["mentions"] is not None:
            spans = [(m["start"], m["end"]) for m in kw["mentions"]]
        else:
            spans = [(m.start(), m.end()) for m in re.finditer("Kyiv", text)]
        places = [
            Place(s, e, text[s:e], "Kyiv", 703448, 50.45, 30.52, "city", "UA", None)
            for s, e in spans
        ]
        return Article(
            id=kw["doc_id"],
            text=text,
            places=places,
            published=kw["published"],
            title=kw["title"],
            url=kw["url"],
        )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> _Fake:
    stub = _Fake()
    monkeypatch.setattr(extract, "extract_article", stub)
    monkeypatch.setattr(_distributed, "default_loader", lambda: "GAZ")
    return stub


def _main(args: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    code = cli.main(["parse", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_txt_file(tmp_path: Path, fake: _Fake, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Kyiv said Kyiv.", encoding="utf-8")
    code, docs, err = _main([str(path)], capsys)
    assert code == 0
    assert len(docs) == 1 and set(docs[0]) == KEYS
    assert docs[0]["id"] == "note"
    assert [(p["start"], p["end"]) for p in docs[0]["places"]] == [(0, 4), (10, 14)]
    assert SUMMARY.search(err).groups() == ("1", "2", "0")
    assert fake.calls[0]["gazetteer"] == "GAZ"
    assert fake.calls[0]["mentions"] is None


def test_warnings_go_to_stderr(
    tmp_path: Path, fake: _Fake, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes("Kyiv caf\u00e9".encode("cp1252"))
    code, docs, err = _main([str(path)], capsys)
    assert code == 0
    assert docs[0]["places"][0]["text"] == "Kyiv"
    assert f"warning: {path}:1: not valid UTF-8; decoded as Windows-1252" in err


def test_published_default_applies_only_to_undated_records(
    tmp_path: Path, fake: _Fake, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text(
        json.dumps({"id": "dated", "text": "Kyiv", "published": "2023-01-02"})
        + "\n"
        + json.dumps({"id": "undated", "text": "Kyiv"})
        + "\n",
        encoding="utf-8",
    )
    code, docs, _ = _main([str(path), "--published", "2024-11-05"], capsys)
    assert code == 0
    assert {d["id"]: d["published"] for d in docs} == {
        "dated": "2023-01-02",
        "undated": "2024-11-05",
    }


def test_mentions_are_passed_through(
    tmp_path: Path, fake: _Fake, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.jsonl"
    rec = {
        "id": "m",
        "text": "Rain in Lviv and Odesa",
        "mentions": [{"start": 8, "end": 12}],
    }
    path.write_text(json.dumps(rec), encoding="utf-8")
    code, docs, _ = _main([str(path)], capsys)
    assert code == 0
    assert fake.calls[0]["mentions"] == [{"start": 8, "end": 12}]
    assert [(p["start"], p["end"]) for p in docs[0]["places"]] == [(8, 12)]


def test_bad_lines_are_reported_good_ones_written(
    tmp_path: Path, fake: _Fake, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "a", "text": "Kyiv"}\n{"id": "b", "text": \n{"id": "c", "text": "EXPLODE"}\n'
        '{"id": "d"}\n{"id": "e", "text": "Kyiv"}\n',
        encoding="utf-8",
    )
    code, docs, err = _main([str(path)], capsys)
    assert code == 0
    assert [d["id"] for d in docs] == ["a", "e"]
    assert f"error: {path}:2: malformed JSON" in err
    assert f"error: {path}:3: extraction failed: RuntimeError: boom" in err
    assert f"error: {path}:4: " in err
    assert "Traceback" not in err
    assert SUMMARY.search(err).groups() == ("2", "2", "3")


def test_nothing_readable_exits_2(
    tmp_path: Path, fake: _Fake, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  ", encoding="utf-8")
    code, docs, err = _main([str(empty), str(tmp_path / "missing.md")], capsys)
    assert code == 2
    assert docs == []
    assert f"error: {empty}: empty document" in err
    assert f"error: {tmp_path / 'missing.md'}: no such file" in err
    assert SUMMARY.search(err).groups() == ("0", "0", "2")
    assert fake.calls == []


def test_gazetteer_failure_is_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> None:
        raise GazetteerError("index is corrupt")

    monkeypatch.setattr(_distributed, "default_loader", broken)
    path = tmp_path / "a.txt"
    path.write_text("Kyiv", encoding="utf-8")
    code, docs, err = _main([str(path)], capsys)
    assert code == 2 and docs == []
    assert "error: gazetteer: index is corrupt" in err


def test_out_file(tmp_path: Path, fake: _Fake, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Kyiv", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, docs, _ = _main([str(src), "--out", str(out), "-q"], capsys)
    assert code == 0 and docs == []  # nothing on stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["a"]


def test_unwritable_out_exits_2(
    tmp_path: Path, fake: _Fake, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Kyiv", encoding="utf-8")
    bad = tmp_path / "no-such-dir" / "out.jsonl"
    code, _, err = _main([str(src), "--out", str(bad)], capsys)
    assert code == 2
    assert f"error: {bad}: cannot write" in err


def test_stdin_jsonl_in_process(
    fake: _Fake, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = b'{"id": "x", "text": "Kyiv"}\n{"id": "y", "text": "Kyiv Kyiv"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, docs, _ = _main(["-"], capsys)
    assert code == 0
    assert [(d["id"], len(d["places"])) for d in docs] == [("x", 1), ("y", 2)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "2024-13-01", "a.txt"], "YYYY-MM-DD"),
        (["--published", "yesterday", "a.txt"], "YYYY-MM-DD"),
        (["--workers", "0", "a.txt"], "positive integer"),
        (["--workers", "two", "a.txt"], "positive integer"),
        ([], "required"),
    ],
)
def test_bad_arguments_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["parse", *args])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_no_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main([])
    assert info.value.code == 2


# --- subprocess: the real command -----------------------------------------------------------


def _run(
    args: Sequence[str], *, stdin: bytes | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "extract", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8"),
        proc.stderr.decode("utf-8"),
    )


def _docs(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _place_texts(doc: dict) -> list[str]:
    return [p["text"] for p in doc["places"]]


def test_cli_missing_file_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    proc = _run(["parse", str(missing)])
    assert proc.returncode == 2
    assert f"error: {missing}: no such file" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_cli_bad_jsonl_lines_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": ""}\nnope\n{"id": 1}\n', encoding="utf-8")
    proc = _run(["parse", str(path)])
    assert proc.returncode == 2
    for line in (1, 2, 3):
        assert f"error: {path}:{line}: " in proc.stderr
    assert SUMMARY.search(proc.stderr).groups() == ("0", "0", "3")


def test_cli_binary_and_unknown_extension(tmp_path: Path) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02")
    other = tmp_path / "x.docx"
    other.write_bytes(b"PK")
    proc = _run(["parse", str(binary), str(other)])
    assert proc.returncode == 2
    assert f"error: {binary}:1: binary file" in proc.stderr
    assert f"error: {other}: unsupported file type '.docx'" in proc.stderr


def test_cli_bad_date_argument() -> None:
    proc = _run(["parse", "-", "--published", "2024-02-30"])
    assert proc.returncode == 2
    assert "YYYY-MM-DD" in proc.stderr


def test_cli_txt_real_extractor(tmp_path: Path) -> None:
    path = tmp_path / "kharkiv.txt"
    path.write_text("Fighting in Kharkiv, Ukraine.", encoding="utf-8")
    proc = _run(["parse", str(path), "--published", "2024-11-05"])
    assert proc.returncode == 0, proc.stderr
    (doc,) = _docs(proc.stdout)
    assert set(doc) == KEYS
    assert doc["id"] == "kharkiv" and doc["published"] == "2024-11-05"
    kharkiv = [p for p in doc["places"] if p["text"] == "Kharkiv"]
    assert kharkiv, doc["places"]
    assert abs(kharkiv[0]["lat"] - 49.99) < 0.5 and abs(kharkiv[0]["lon"] - 36.23) < 0.5
    text = path.read_text(encoding="utf-8")
    assert all(text[p["start"] : p["end"]] == p["text"] for p in doc["places"])
    assert SUMMARY.search(proc.stderr).group(1, 3) == ("1", "0")


def test_cli_stdin_text_and_out(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    proc = _run(["parse", "-", "--out", str(out)], stdin=b"Shelling hit Kharkiv, Ukraine.")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    (doc,) = _docs(out.read_text(encoding="utf-8"))
    assert doc["id"] == "stdin"
    assert "Kharkiv" in _place_texts(doc)


def test_cli_stdin_jsonl_and_resolution_only(tmp_path: Path) -> None:
    text = "Troops moved from Kharkiv towards Paris and Lagos."
    spans = [{"start": text.index(n), "end": text.index(n) + len(n)} for n in ("Kharkiv", "Lagos")]
    records = [
        {"id": "gold", "text": text, "mentions": spans},
        {
            "id": "free",
            "text": "Rain fell in Kyiv, Ukraine.",
            "published": "2024-01-02",
        },
    ]
    data = "\n".join(json.dumps(r) for r in records).encode()
    proc = _run(["parse", "-"], stdin=data)
    assert proc.returncode == 0, proc.stderr
    gold, free = _docs(proc.stdout)
    assert gold["id"] == "gold" and free["id"] == "free"
    assert sorted((p["start"], p["end"]) for p in gold["places"]) == [
        (s["start"], s["end"]) for s in spans
    ]
    assert "Kyiv" in _place_texts(free) and free["published"] == "2024-01-02"


def test_cli_workers_keep_order_and_output(tmp_path: Path) -> None:
    towns = ["Kharkiv", "Kyiv", "Odesa", "Lviv", "Paris", "Berlin", "Madrid", "Rome"]
    path = tmp_path / "many.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": f"d{i}", "text": f"News from {t}."}) for i, t in enumerate(towns)
        ),
        encoding="utf-8",
    )
    one = _run(["parse", str(path)])
    two = _run(["parse", str(path), "--workers", "2", "--chunksize", "1"])
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert [d["id"] for d in _docs(two.stdout)] == [f"d{i}" for i in range(len(towns))]
    assert _docs(two.stdout) == _docs(one.stdout)


def test_cli_html_input(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Kharkiv shelled</title>"
        '<meta property="article:published_time" content="2024-11-04"></head><body>'
        "<nav>Home | World | Sport</nav><article><p>Russian forces shelled Kharkiv, Ukraine's"
        " second city, overnight, the regional governor said on Monday morning.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    proc = _run(["parse", str(path)])
    assert proc.returncode == 0, proc.stderr
    (doc,) = _docs(proc.stdout)
    assert doc["title"] == "Kharkiv shelled" and doc["published"] == "2024-11-04"
    assert "Kharkiv" in _place_texts(doc)


def test_first_run_says_the_index_is_being_built(
    tmp_path: Path,
    fake: _Fake,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from geodata.gazetteer import index as gazetteer

    path = tmp_path / "a.txt"
    path.write_text("Kyiv", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "index_ready", lambda **_: False)
    code, docs, err = _main([str(path)], capsys)
    assert code == 0 and len(docs) == 1
    assert "building the gazetteer index" in err
    monkeypatch.setattr(gazetteer, "index_ready", lambda **_: True)
    code, docs, err = _main([str(path)], capsys)
    assert code == 0 and "building" not in err
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "index_ready", lambda **_: False)
    _main([str(empty)], capsys)
    assert "building" not in capsys.readouterr().err  # nothing to read: no index either


def test_index_ready_tells_a_built_cache_from_an_empty_one(tmp_path: Path) -> None:
    from geodata.gazetteer.index import index_ready, load_gazetteer

    assert not index_ready(cache_dir=tmp_path)
    load_gazetteer()  # the default cache the other tests share, built by now
    assert index_ready()
