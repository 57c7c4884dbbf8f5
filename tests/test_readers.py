"""Tests for extract.sources.readers: every input format, and every kind of bad input."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import pytest

from extract.sources import readers
from extract.sources._formats import validate_published
from extract.sources._html import html_to_text
from extract.sources.readers import decode_bytes, read_any, read_source, read_sources
from geodata.errors import InputError

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><title>Clashes in Kursk | Example News</title>
<meta property="article:published_time" content="2024-11-05T10:00:00Z">
<meta property="og:url" content="https://example.com/world/kursk">
<style>.x {{ color: red }}</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> Subscribe now for unlimited access</nav>
<header>Cookie banner: we value your privacy</header>
<article><h1>Clashes in Kursk</h1>
<p>Kyiv said Ukrainian troops had clashed for the first time with North Korean soldiers in
Russia who are deployed alongside Moscow's military, as western powers warned of escalation.</p>
<p>A Russian rocket attack on the city of Zaporizhzhia in southeastern Ukraine killed at least
six people and injured 24 others, regional officials said on Tuesday evening.</p>
<p>{extra}</p>
</article>
<footer>Copyright 2024 Example Media. All rights reserved. Privacy policy.</footer>
<script>var tracking = "Moscow";</script>
</body></html>
"""


def _write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _read_all(path: Path) -> tuple[list[dict], list[InputError]]:
    errors: list[InputError] = []
    records = list(read_source(path, on_error=errors.append))
    return records, errors


# --- plain text --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".md", ".TXT"])
def test_text_file_is_one_document_with_stem_id(tmp_path: Path, suffix: str) -> None:
    text = "Fighting in Kharkiv\n\nShelling hit Kharkiv, Ukraine, on Monday.\n"
    path = _write(tmp_path / f"report-1{suffix}", text)
    records, errors = _read_all(path)
    assert errors == []
    assert len(records) == 1
    rec = records[0]
    assert rec["id"] == "report-1"
    assert rec["text"] == text
    assert rec["source"] == str(path)
    assert rec["title"] == "Fighting in Kharkiv"
    assert "published" not in rec and "mentions" not in rec


def test_markdown_heading_marks_are_not_in_title(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.md", "# Floods in Porto Alegre\n\nRain fell.\n")
    (rec,) = read_source(path)
    assert rec["title"] == "Floods in Porto Alegre"
    assert rec["text"].startswith("# Floods")  # the text itself is untouched


@pytest.mark.parametrize("content", ["", "   \n\t\n  "])
def test_empty_text_file_is_an_error(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path / "empty.txt", content)
    with pytest.raises(InputError, match="empty") as info:
        list(read_source(path))
    assert str(path) in str(info.value)
    assert info.value.source == str(path)


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary") as info:
        list(read_source(path))
    assert str(info.value).startswith(f"{path}:")


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", codecs.BOM_UTF8 + b"Kyiv, Ukraine")
    (rec,) = read_source(path)
    assert rec["text"] == "Kyiv, Ukraine"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    text = "Zaporizhzhia — Запоріжжя, Ukraine"
    data = text.encode(encoding)
    if encoding != "utf-16":  # the -le/-be codecs write no BOM
        bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data
    path = _write(tmp_path / "u16.txt", data)
    (rec,) = read_source(path)
    assert rec["text"] == text


def test_utf16_without_bom_is_rejected_as_binary(tmp_path: Path) -> None:
    path = _write(tmp_path / "u16.txt", "Kyiv".encode("utf-16-le"))
    with pytest.raises(InputError, match="binary"):
        list(read_source(path))


def test_cp1252_fallback(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "Caf\u00e9 in S\u00e3o Paulo \u2013 \u201cquoted\u201d"
    path = _write(tmp_path / "win.txt", text.encode("cp1252"))
    with caplog.at_level("WARNING", logger="extract.sources.readers"):
        (rec,) = read_source(path)
    assert rec["text"] == text
    assert "Windows-1252" in caplog.text


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    # 0x81 and 0x8d are undefined in cp1252 and invalid as UTF-8 here.
    path = _write(tmp_path / "bad.txt", b"line one\nline two\nbad \x81\x8d here\n")
    with pytest.raises(InputError, match="cannot decode") as info:
        list(read_source(path))
    assert info.value.line == 3
    assert f"{path}:3:" in str(info.value)


def test_control_characters_block_cp1252_fallback() -> None:
    with pytest.raises(InputError, match="cannot decode"):
        decode_bytes(b"\xe9\x01\x02\x03 text", source="x.txt")


def test_utf32_is_rejected() -> None:
    with pytest.raises(InputError, match="UTF-32"):
        decode_bytes("Kyiv".encode("utf-32"), source="x.txt")


# --- files that cannot be read -----------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError, match="no such file") as info:
        list(read_source(path))
    assert str(path) in str(info.value)


def test_unknown_extension(tmp_path: Path) -> None:
    path = _write(tmp_path / "report.pdf", "%PDF-1.4")
    with pytest.raises(InputError, match=r"unsupported file type '\.pdf'") as info:
        list(read_source(path))
    assert info.value.source == str(path)


def test_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        list(read_source(tmp_path))


def test_read_inputs_reports_bad_inputs_and_continues(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt", "Kyiv")
    errors: list[InputError] = []
    records = list(read_sources([tmp_path / "missing.txt", good], on_error=errors.append))
    assert [r["id"] for r in records] == ["good"]
    assert len(errors) == 1 and "missing.txt" in str(errors[0])


def test_read_inputs_without_handler_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list(read_sources([tmp_path / "missing.txt"]))


# --- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_records_and_defaults(tmp_path: Path) -> None:
    lines = [
        {
            "id": "a",
            "text": "Kyiv",
            "published": "2024-11-05",
            "title": "T",
            "url": "https://x",
        },
        {"text": "Paris"},
        {"id": 7, "text": "Rome", "extra": [1, 2]},
    ]
    path = _write(tmp_path / "batch.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    records, errors = _read_all(path)
    assert errors == []
    assert [r["id"] for r in records] == ["a", "batch-2", "7"]
    assert [r["line"] for r in records] == [1, 2, 3]
    assert records[0]["published"] == "2024-11-05"
    assert records[0]["title"] == "T" and records[0]["url"] == "https://x"
    assert "published" not in records[1]
    assert "extra" not in records[2]


def test_jsonl_bad_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    content = "\n".join(
        [
            json.dumps({"id": "ok1", "text": "Kyiv"}),
            '{"id": "broken", "text": ',
            json.dumps({"id": "notext"}),
            "[1, 2, 3]",
            json.dumps({"id": "blank", "text": "  "}),
            json.dumps({"id": "baddate", "text": "Oslo", "published": "05/11/2024"}),
            json.dumps({"id": "nonstr", "text": 42}),
            json.dumps({"id": "ok2", "text": "Lviv"}),
        ]
    )
    path = _write(tmp_path / "mixed.jsonl", content)
    records, errors = _read_all(path)
    assert [r["id"] for r in records] == ["ok1", "ok2"]
    assert [e.line for e in errors] == [2, 3, 4, 5, 6, 7]
    messages = [str(e) for e in errors]
    assert messages[0].startswith(f"{path}:2: malformed JSON")
    assert 'no "text"' in messages[1]
    assert "JSON object" in messages[2]
    assert "empty" in messages[3]
    assert "YYYY-MM-DD" in messages[4] and "05/11/2024" in messages[4]
    assert "string" in messages[5]


def test_jsonl_without_handler_raises_on_first_bad_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.jsonl", '{"text": "Kyiv"}\nnot json\n')
    with pytest.raises(InputError) as info:
        list(read_source(path))
    assert info.value.line == 2


def test_jsonl_only_blank_lines_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "blank.jsonl", "\n  \n")
    with pytest.raises(InputError, match="no records"):
        list(read_source(path, on_error=lambda e: None))


def test_jsonl_mentions_are_validated(tmp_path: Path) -> None:
    good = {
        "id": "g",
        "text": "Kyiv and Lviv",
        "mentions": [{"start": 0, "end": 4, "x": 1}],
    }
    out_of_range = {"id": "r", "text": "Kyiv", "mentions": [{"start": 0, "end": 9}]}
    not_int = {"id": "i", "text": "Kyiv", "mentions": [{"start": "0", "end": 4}]}
    not_list = {"id": "l", "text": "Kyiv", "mentions": {"start": 0}}
    empty = {"id": "e", "text": "Kyiv", "mentions": []}
    path = _write(
        tmp_path / "m.jsonl",
        "\n".join(json.dumps(x) for x in [good, out_of_range, not_int, not_list, empty]),
    )
    records, errors = _read_all(path)
    assert [r["id"] for r in records] == ["g", "e"]
    assert records[0]["mentions"] == [{"start": 0, "end": 4}]
    assert records[1]["mentions"] == []  # resolution-only with nothing to resolve
    assert [e.line for e in errors] == [2, 3, 4]
    assert "not within the text" in str(errors[0])


def test_jsonl_is_decoded_like_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "u16.jsonl", '{"text": "Kraków"}\n'.encode("utf-16"))
    (rec,) = read_source(path)
    assert rec["text"] == "Kraków"


# --- HTML ---------------------------------------------------------------------------------


def test_html_boilerplate_is_removed(tmp_path: Path) -> None:
    path = _write(tmp_path / "kursk.html", ARTICLE_HTML.format(extra="Officials met in Kyiv."))
    (rec,) = read_source(path)
    assert rec["id"] == "kursk"
    assert "North Korean soldiers" in rec["text"]
    assert "Zaporizhzhia" in rec["text"]
    for junk in (
        "Subscribe now",
        "Cookie banner",
        "Copyright",
        "tracking",
        "color: red",
    ):
        assert junk not in rec["text"]
    assert rec["title"].startswith("Clashes in Kursk")
    assert rec["published"] == "2024-11-05"
    assert rec["url"] == "https://example.com/world/kursk"


def test_html_falls_back_to_stdlib_when_trafilatura_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trafilatura = pytest.importorskip("trafilatura")
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    path = _write(tmp_path / "short.htm", ARTICLE_HTML.format(extra="Officials met in Kyiv."))
    (rec,) = read_source(path)
    assert "Officials met in Kyiv." in rec["text"]
    assert "tracking" not in rec["text"]  # <script> dropped
    assert "Subscribe now" not in rec["text"]  # <nav> dropped
    assert rec["title"] == "Clashes in Kursk | Example News"
    assert rec["published"] == "2024-11-05"


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "blank.html",
        "<html><head><title>T</title></head><body></body></html>",
    )
    with pytest.raises(InputError, match="empty") as info:
        list(read_source(path))
    assert info.value.source == str(path)


def test_html_to_text_blocks_and_entities() -> None:
    out = html_to_text(
        "<html><head><title> A &amp; B </title><link rel='canonical' href='https://c/x'></head>"
        "<body><p>Paris &amp; Lyon</p><p>Nice<br/>Cannes</p><svg/><p>Tail</p></body></html>"
    )
    assert out["text"] == "Paris & Lyon\nNice\nCannes\nTail"
    assert out["title"] == "A & B"
    assert out["url"] == "https://c/x"
    assert out["published"] is None


# --- standard input -----------------------------------------------------------------------


def _stdin(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def test_stdin_jsonl() -> None:
    data = b'{"id": "a", "text": "Kyiv"}\n\n{"text": "Lviv"}\n'
    records = list(read_source("-", stdin=_stdin(data)))
    assert [r["id"] for r in records] == ["a", "stdin-3"]
    assert all(r["source"] == "<stdin>" for r in records)


def test_stdin_plain_text() -> None:
    text = "Shelling in Kharkiv.\n{not json}\n"
    (rec,) = read_source("-", stdin=_stdin(text.encode()))
    assert rec["id"] == "stdin"
    assert rec["text"] == text
    assert rec["line"] is None


def test_stdin_jsonl_with_a_bad_line_reports_it() -> None:
    data = b'{"id": "a", "text": "Kyiv"}\n{"id": "b", "text": \n'
    errors: list[InputError] = []
    records = list(read_source("-", stdin=_stdin(data), on_error=errors.append))
    assert [r["id"] for r in records] == ["a"]
    assert len(errors) == 1 and str(errors[0]).startswith("<stdin>:2:")


@pytest.mark.parametrize("data", [b"", b"  \n\n"])
def test_stdin_empty_is_an_error(data: bytes) -> None:
    with pytest.raises(InputError, match="no input"):
        list(read_source("-", stdin=_stdin(data)))


def test_stdin_binary_is_an_error() -> None:
    with pytest.raises(InputError, match="binary"):
        list(read_source("-", stdin=_stdin(b"\x00\x01\x02")))


# --- uploads and dates --------------------------------------------------------------------


def test_read_bytes_dispatches_on_name() -> None:
    (rec,) = read_any(b"Odesa port was hit.", name="upload.md")
    assert rec["id"] == "upload" and rec["text"] == "Odesa port was hit."
    records = list(read_any(b'{"text": "a"}\n{"text": "b"}', name="up.jsonl"))
    assert [r["text"] for r in records] == ["a", "b"]
    with pytest.raises(InputError, match="unsupported"):
        list(read_any(b"x", name="up.docx"))


@pytest.mark.parametrize("value", [None, ""])
def test_published_unknown(value: str | None) -> None:
    assert validate_published(value) is None


def test_published_valid() -> None:
    assert validate_published("2024-02-29") == "2024-02-29"


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30",
        "2024-13-01",
        "2024-1-5",
        "05/11/2024",
        "2024-11-05T10:00",
        20241105,
    ],
)
def test_published_invalid(value: object) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD") as info:
        validate_published(value, source="f.jsonl", line=4)
    assert str(info.value).startswith("f.jsonl:4: ")


def test_suffixes_cover_the_documented_formats() -> None:
    assert set(readers.SUFFIXES) == {".txt", ".md", ".html", ".htm", ".jsonl"}
