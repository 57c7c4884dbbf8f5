"""Bad input of every kind gives a clear, one-line message and loses nothing already stored.

Covers the readers (:mod:`extract.sources.readers`, :mod:`extract.sources._formats`): empty,
binary and mis-encoded files, a 10 MB article, non-English and all-caps text, malformed lines,
RSS that is not XML; the command line (``python -m extract parse|ingest``: exit status 2, no
traceback) and the event store (a bad run leaves the stored rows as they were). Hostile input
(zip bombs, URLs, the server settings, the source itself) is ``tests/test_hostile_input.py``.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import extract
from extract import cli
from extract.sources import _distributed
from extract.sources._formats import MAX_DOCUMENT_CHARS, ReadOptions
from extract.sources.readers import read_any, read_sources
from geodata.errors import InputError
from tests.fixtures_gazetteer import tiny_gazetteer
from tests.ingest_support import read_all, write_zip

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
KHARKIV = "A Russian missile strike on Kharkiv killed three people on Monday, officials said."
TOO_LONG = re.compile(r"document too long: [\d,]+ characters, more than the limit of 500,000")


def _one_error(data: bytes, name: str) -> str:
    records, errors = [], []
    try:
        records = list(read_any(data, name=name, on_error=lambda e: errors.append(str(e))))
    except InputError as exc:
        errors.append(str(exc))
    assert records == [] and len(errors) == 1, (records, errors)
    return errors[0]


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line (parse and ingest) uses the fixture gazetteer."""
    monkeypatch.setattr(_distributed, "default_loader", tiny_gazetteer)


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _assert_clean_stderr(err: str) -> None:
    """Every line is a message (``error: ``/``warning: ``) or the summary; no traceback."""
    assert "Traceback" not in err
    for line in err.splitlines():
        assert re.match(r"(error|warning): \S|\d+ documents, |articles: \d+ new", line), line


# --- empty, binary, encodings ---------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", " ", "\n\t \r\n", "\u200b\ufeff\u2060 \u00a0\n"])
def test_empty_and_whitespace_only_documents(content: str) -> None:
    assert _one_error(content.encode("utf-8"), "blank.txt").startswith("blank.txt: empty document")
    line = json.dumps({"text": content})
    jsonl = f"{json.dumps({'text': KHARKIV})}\n{line}\n".encode()
    records, errors = [], []
    records = list(read_any(jsonl, name="in.jsonl", on_error=lambda e: errors.append(str(e))))
    assert [r["text"] for r in records] == [KHARKIV]
    assert errors == ['in.jsonl:2: empty document ("text" is blank)']


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\x00stream",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",  # a .docx renamed .txt
        bytes(range(256)) * 4,
    ],
)
def test_binary_files_are_refused(data: bytes) -> None:
    for name in ("photo.txt", "photo.jsonl", "photo.csv", "photo.html"):
        message = _one_error(data, name)
        assert re.match(rf"{re.escape(name)}:\d+: binary file \(contains NUL bytes\)", message)


@pytest.mark.parametrize(
    ("text", "encoding", "bom"),
    [
        ("Café in São Paulo – “quoted” €5", "cp1252", b""),
        ("Zürich, Besançon, Málaga, Łódź", "utf-16-le", codecs.BOM_UTF16_LE),
        ("Zürich, Besançon, Málaga, Łódź", "utf-16-be", codecs.BOM_UTF16_BE),
        ("Zürich, Besançon and Málaga ±3 °C", "latin-1", b""),
        ("Харків, Запоріжжя, Κύπρος", "utf-8", codecs.BOM_UTF8),
    ],
)
def test_other_encodings_are_decoded(text: str, encoding: str, bom: bytes) -> None:
    data = bom + text.encode(encoding)
    (record,) = read_any(data, name="article.txt")
    assert record["text"] == text
    (row,) = read_any(bom + f'text\n"{text}"\n'.encode(encoding), name="table.csv")
    assert row["text"] == text


def test_utf16_without_bom_gets_a_hint() -> None:
    message = _one_error("Kyiv, Ukraine".encode("utf-16-le"), "u16.txt")
    assert message == (
        "u16.txt:1: binary file (contains NUL bytes): it looks like UTF-16 text without a"
        " byte-order mark; save it as UTF-8"
    )


def test_undecodable_bytes_name_the_line() -> None:
    message = _one_error(b"ok\nstill ok\n\x81\x8d\x90 broken\n", "bad.txt")
    assert message == (
        "bad.txt:3: cannot decode: not UTF-8 (invalid byte 0x81) and not Windows-1252 text;"
        " save the file as UTF-8"
    )


def test_lone_surrogates_in_jsonl_are_replaced_and_output_is_writable(
    tmp_path: Path, tiny: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "Shelling in Kyiv \\ud800.", "title": "T \\udc00"}\n', "utf-8")
    ((record,), errors) = read_all(path)
    assert errors == [] and record["text"] == "Shelling in Kyiv \ufffd."
    assert record["title"] == "T \ufffd"
    out = tmp_path / "out.jsonl"
    code, _, err = _cli(["parse", str(path), "--out", str(out)], capsys)
    assert code == 0, err
    assert "lone UTF-16 surrogate" in err and "Traceback" not in err
    assert json.loads(out.read_text("utf-8"))["title"] == "T \ufffd"


# --- a 10 MB article ------------------------------------------------------------------------------


def _big_text(n: int) -> str:
    return (KHARKIV + " ") * (n // (len(KHARKIV) + 1) + 1)


def test_a_10_mb_article_is_refused_at_once_in_every_format() -> None:
    text = _big_text(10 * MiB)[: 10 * MiB]
    started = time.perf_counter()
    assert re.fullmatch(
        f"big.txt: {TOO_LONG.pattern}.*split it into articles", _one_error(text.encode(), "big.txt")
    )
    html = f"<html><body><article><p>{text}</p></article></body></html>".encode()
    assert TOO_LONG.search(_one_error(html, "big.html"))
    jsonl = "\n".join(json.dumps({"text": t}) for t in (KHARKIV, text, "Kyiv"))
    errors: list[str] = []
    records = list(
        read_any(jsonl.encode(), name="b.jsonl", on_error=lambda e: errors.append(str(e)))
    )
    assert [r["text"] for r in records] == [KHARKIV, "Kyiv"]
    assert len(errors) == 1 and errors[0].startswith("b.jsonl:2: document too long")
    csv_data = f'text\n"{KHARKIV}"\n"{text}"\n'.encode()
    errors = []
    records = list(read_any(csv_data, name="b.csv", on_error=lambda e: errors.append(str(e))))
    assert len(records) == 1 and len(errors) == 1 and errors[0].startswith("b.csv:3: document")
    with pytest.raises(InputError, match=TOO_LONG.pattern):  # pasted text in the app, the API
        extract.extract_article(text, gazetteer=tiny_gazetteer())
    assert time.perf_counter() - started < 30


def test_a_long_article_below_the_limit_is_processed() -> None:
    text = _big_text(60_000)
    assert len(text) < MAX_DOCUMENT_CHARS
    (record,) = read_any(text.encode(), name="long.txt")
    started = time.perf_counter()
    article = extract.extract_article(record["text"], gazetteer=tiny_gazetteer())
    assert time.perf_counter() - started < 60
    assert "Kharkiv" in {p.name for p in article.places}


def test_inputs_over_the_file_size_cap_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"text": "Kyiv"}\n' * 200)
    records, errors = read_all(path, max_file_bytes=1000)
    assert records == []
    assert errors == [
        f"{path}: too large: 3,400 bytes, more than the limit of 1,000 bytes for one input;"
        " split it into several files (a folder of files is read as one input)"
    ]
    stdin = io.BytesIO(b"Kyiv " * 1000)
    with pytest.raises(InputError, match=r"^<stdin>: too large: more than the limit of 100 by"):
        list(read_sources(["-"], options=ReadOptions(max_file_bytes=100), stdin=stdin))


# --- non-English text and all-caps wire copy ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Російська ракета влучила в Харків у понеділок, загинули троє людей.", {"Kharkiv"}),
        ("قصف صاروخي روسي على خاركيف أسفر عن مقتل ثلاثة أشخاص يوم الاثنين", set()),
        ("俄罗斯导弹周一袭击哈尔科夫，造成三人死亡。", set()),
        ("Kharkiv \u200f\u202e mixed 😀 scripts e\u0301 ﷽ in Kyiv", {"Kharkiv", "Kyiv"}),
        (
            "KYIV, UKRAINE (AP) — A RUSSIAN MISSILE STRIKE ON KHARKIV KILLED THREE PEOPLE ON"
            " MONDAY, OFFICIALS SAID. PROTESTERS RALLIED IN TBILISI.",
            {"Kyiv", "Kharkiv", "Tbilisi"},
        ),
    ],
)
def test_non_english_and_all_caps_text_is_processed(text: str, places: set[str]) -> None:
    (record,) = read_any(text.encode("utf-8"), name="a.txt")
    article = extract.extract_article(
        record["text"], gazetteer=tiny_gazetteer(), published="2024-11-05"
    )
    assert places <= {p.name for p in article.places}
    for p in article.places:
        assert text[p.start : p.end] == p.text
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")  # writable as UTF-8


# --- malformed lines in JSONL and CSV: good ones ingested, bad ones listed ------------------------


def _counts(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = ("articles", "places", "incidents", "incident_sources")
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def test_malformed_lines_are_listed_and_good_lines_ingested(
    tmp_path: Path, tiny: None, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        "\n".join(
            [
                json.dumps({"text": KHARKIV, "published": "2024-11-05"}),
                '{"text": "unterminated',
                "[1, 2]",
                json.dumps({"title": "no text"}),
                json.dumps({"text": "Protesters rallied in Tbilisi on Saturday."}),
                json.dumps({"text": "Kyiv", "published": "05/11/2024"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    table = tmp_path / "in.csv"
    table.write_text(
        'id,text\na,"Shelling in Zaporizhzhia on Monday."\nb,"two","fields"\nc,\n'
        'd,"Clashes near Kursk."\n',
        encoding="utf-8",
    )
    db = tmp_path / "s.duckdb"
    code, out, err = _cli(["ingest", str(jsonl), str(table), "--db", str(db)], capsys)
    assert code == 0 and out == ""
    _assert_clean_stderr(err)
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {jsonl}:2: malformed JSON: Unterminated string starting at",
        f"error: {jsonl}:3: expected a JSON object, got list",
        f'error: {jsonl}:4: record has no "text"',
        f"error: {jsonl}:6: invalid published date '05/11/2024': expected a date written"
        " YYYY-MM-DD",
        f"error: {table}:3: expected 2 fields as in the header, got 3",
        f"error: {table}:4: empty document (the text column is blank)",
    ]
    assert re.search(r"^articles: 4 new, 0 duplicate, 6 failed;", err, re.MULTILINE)
    assert _counts(db)["articles"] == 4


# --- nothing already stored is lost ---------------------------------------------------------------


def _bad_inputs(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    files = {
        "empty.txt": b"   \n",
        "photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
        "feed.rss": b"Kharkiv was shelled on Monday.",
        "odd.rss": b'<?xml version="1.0" encoding="bogus"?><rss/>',
        "wide.atom": b'<?xml version="1.0" encoding="utf-32"?><feed/>',
        "huge.txt": _big_text(MAX_DOCUMENT_CHARS + 10).encode(),
        "lines.jsonl": b"nope\n[]\n",
        "paper.docx": b"PK\x03\x04",
    }
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    paths.append(write_zip(folder / "evil.zip", {"a.txt": KHARKIV, "../../etc/passwd": "root"}))
    paths.append(folder / "missing.txt")
    return paths


def test_bad_inputs_exit_2_with_one_line_each_and_the_store_is_unchanged(
    tmp_path: Path, tiny: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.duckdb"
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"text": KHARKIV, "published": "2024-11-05"}) + "\n", "utf-8")
    code, _, err = _cli(["ingest", str(good), "--db", str(db)], capsys)
    assert code == 0, err
    before = _counts(db)
    assert before["articles"] == 1 and before["incidents"] >= 1
    bad = [str(p) for p in _bad_inputs(tmp_path)]
    for command in (["ingest", *bad, "--db", str(db)], ["parse", *bad]):
        code, out, err = _cli(command, capsys)
        assert code == 2 and out == ""
        _assert_clean_stderr(err)
        errors = [line for line in err.splitlines() if line.startswith("error: ")]
        assert len(errors) == len(bad) + 1  # lines.jsonl has two bad lines
        assert any("unknown encoding: bogus" in e for e in errors)
        assert any("multi-byte encodings are not supported" in e for e in errors)
        assert any("unsafe member name '../../etc/passwd'" in e for e in errors)
    assert _counts(db) == before


def test_unexpected_errors_are_one_line_without_traceback(
    tmp_path: Path, tiny: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("reader exploded\nsecond line")

    monkeypatch.setattr(cli, "read_sources", boom)
    (tmp_path / "a.txt").write_text("Kyiv", encoding="utf-8")
    code, out, err = _cli(["parse", str(tmp_path / "a.txt")], capsys)
    assert code == 2 and out == ""
    assert err == "error: RuntimeError: reader exploded second line (run with -vv for details)\n"


def test_subprocess_bad_feed_exits_2_without_traceback(tmp_path: Path) -> None:
    feed = tmp_path / "odd.xml"
    feed.write_bytes(b'<?xml version="1.0" encoding="bogus"?><rss/>')
    proc = subprocess.run(
        [sys.executable, "-m", "extract", "parse", str(feed)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"error: {feed}: not a readable feed: the XML declares an encoding that cannot be read"
        " (unknown encoding: bogus); save it as UTF-8",
        "0 documents, 0 places, 1 failed",
    ]


# --- RSS that is not XML --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"Kharkiv was shelled on Monday.\n",
            r"^feed\.rss:1: not an RSS or Atom feed: the file is",
        ),
        (b"\x00\x01\x02\xff binary", r"^feed\.rss:1: not an RSS or Atom feed: the file is not"),
        (b'{"items": [{"text": "Kyiv"}]}', r"^feed\.rss:1: not an RSS or Atom feed"),
        (b"<html><body><p>Kyiv</p></body></html>", r"^feed\.rss: not an RSS or Atom feed \("),
        (b"   \n", r"^feed\.rss: empty file$"),
        (b'<?xml version="1.0" encoding="bogus"?><rss/>', r"^feed\.rss: not a readable feed"),
    ],
)
def test_rss_that_is_not_xml(data: bytes, message: str) -> None:
    assert re.search(message, _one_error(data, "feed.rss"))
