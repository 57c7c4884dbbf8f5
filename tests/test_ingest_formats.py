"""Tests of the collection inputs of ``python -m extract parse|ingest``: CSV/TSV tables, RSS and
Atom feeds, folders and zip archives, each with its bad-input cases
(:mod:`extract.sources._formats`, :mod:`extract.sources._zip`,
:func:`extract.sources.readers.read_sources`)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

import extract
from extract import cli
from extract.sources import _distributed
from extract.sources._formats import parse_date
from extract.sources.readers import FORMATS, SUFFIXES, describe, read_any
from geodata.errors import InputError
from geodata.records import Article
from tests.ingest_support import declare_size, read_all

KHARKIV = "A Russian missile strike on Kharkiv killed three people on Monday."


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# --- CSV ------------------------------------------------------------------------------------


def test_csv_rows_with_default_columns(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        "id,title,text,published,url\n"
        f'7,Strike,"{KHARKIV}",2024-11-05,https://e.com/7\n'
        '8,,"Line one\nline two, quoted",2024-11-05T10:00:00Z,\n'
        "\n"
        '9,Old,"Dated by RFC 822","Tue, 05 Nov 2024 10:00:00 GMT",\n',
        encoding="utf-8",
    )
    records, errors = read_all(path)
    assert errors == []
    assert [r["id"] for r in records] == ["7", "8", "9"]
    assert [r["line"] for r in records] == [2, 3, 6]  # a quoted newline spans lines 3-4
    assert records[0] == {
        "id": "7",
        "text": KHARKIV,
        "source": str(path),
        "line": 2,
        "published": "2024-11-05",
        "title": "Strike",
        "url": "https://e.com/7",
    }
    assert records[1]["text"] == "Line one\nline two, quoted"
    assert "title" not in records[1] and "url" not in records[1]
    assert records[2]["published"] == "2024-11-05"


def test_csv_named_columns_and_default_ids(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Body,Day,Headline\nKyiv said so.,2024-11-05,H\n", encoding="utf-8")
    records, errors = read_all(path, text_column="Body", date_column="day", title_column="Headline")
    assert errors == []
    assert records[0]["id"] == "export-2"  # no id column: file stem and line
    assert (records[0]["text"], records[0]["published"], records[0]["title"]) == (
        "Kyiv said so.",
        "2024-11-05",
        "H",
    )


def test_csv_malformed_rows_are_reported_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "text,published\n"
        "good one,2024-11-05\n"
        "too,many,fields\n"
        ",2024-11-05\n"
        "bad date,05/11/2024\n"
        '"broken "quote,2024-11-05\n'
        "good two,\n",
        encoding="utf-8",
    )
    records, errors = read_all(path)
    assert [r["text"] for r in records] == ["good one", "good two"]
    assert len(errors) == 4
    assert errors[0] == f"{path}:3: expected 2 fields as in the header, got 3"
    assert errors[1].startswith(f"{path}:4: empty document")
    assert errors[2].startswith(f"{path}:5: invalid date '05/11/2024'")
    assert errors[3].startswith(f"{path}:6: malformed CSV")


def test_csv_missing_text_column_names_the_columns_and_flag(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("body,date\nx,2024-01-01\n", encoding="utf-8")
    _, errors = read_all(path)
    assert errors == [
        f"{path}:1: no column 'text' (columns: 'body', 'date'); name the text column with"
        " --text-column"
    ]
    _, errors = read_all(path, text_column="body", url_column="link")
    assert "no column 'link'" in errors[0] and "--url-column" in errors[0]


def test_csv_header_only_and_empty(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text("text\n", encoding="utf-8")
    (tmp_path / "e.csv").write_text("", encoding="utf-8")
    _, errors = read_all(tmp_path / "h.csv", tmp_path / "e.csv")
    assert errors[0].endswith("h.csv: no rows (the table has only a header)")
    assert "e.csv: empty" in errors[1]


def test_tsv_and_long_fields(tmp_path: Path) -> None:
    long = "Kharkiv " * 40_000  # above the csv module's default field limit
    path = tmp_path / "t.tsv"
    path.write_text(f"text\ttitle\n{long}\tLong\n", encoding="utf-8")
    records, errors = read_all(path)
    assert errors == [] and records[0]["text"] == long and records[0]["title"] == "Long"


# --- feeds ----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example</title>
<item><title>Strike on Kharkiv</title><link>https://e.com/1</link><guid>g-1</guid>
  <description>&lt;p&gt;A missile hit &lt;b&gt;Kharkiv&lt;/b&gt; &amp;amp; Kyiv.&lt;/p&gt;
  </description>
  <pubDate>Tue, 05 Nov 2024 10:00:00 GMT</pubDate></item>
<item><title>No body</title><link>https://e.com/2</link></item>
<item><title>Full</title><link>https://e.com/3</link><description>short</description>
  <content:encoded><![CDATA[<p>The full story from Kursk.</p><p>Second paragraph.</p>]]>
  </content:encoded><dc:date>2024-11-06T08:00:00+02:00</dc:date></item>
<item><title>Odd date</title><description>Kyiv.</description><pubDate>soon</pubDate></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><id>urn:a:1</id>
  <title type="html">Clashes &lt;b&gt;near&lt;/b&gt; Kursk</title>
  <link rel="self" href="https://e.com/self"/><link rel="alternate" href="https://e.com/a1"/>
  <published>2024-11-04T12:00:00Z</published><updated>2024-11-05T12:00:00Z</updated>
  <summary>Fighting near Kursk.</summary>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Heavy fighting near
  <b>Kursk</b>.</p></div></content></entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="x"><title>R</title></channel>
<item rdf:about="https://e.com/r1"><title>R1</title><link>https://e.com/r1</link>
  <description>Shelling in Kharkiv.</description><dc:date>2024-11-03</dc:date></item>
</rdf:RDF>
"""


def test_rss_items(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    records, errors = read_all(path)
    assert errors == [f"{path}: item 2 ('No body'): no description or content"]
    first, full, odd = records
    assert first["id"] == "g-1" and first["url"] == "https://e.com/1"
    assert first["title"] == "Strike on Kharkiv" and first["published"] == "2024-11-05"
    assert first["text"] == "A missile hit Kharkiv & Kyiv."
    assert (first["item"], describe(first)) == (1, f"{path}: item 1")
    assert full["text"].startswith("The full story from Kursk.")  # content:encoded wins
    assert full["published"] == "2024-11-06" and full["id"] == "https://e.com/3"
    assert "published" not in odd and "unreadable date 'soon'" in caplog.text


def test_atom_and_rdf_feeds(tmp_path: Path) -> None:
    (tmp_path / "a.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "r.xml").write_text(RDF, encoding="utf-8")
    records, errors = read_all(tmp_path / "a.atom", tmp_path / "r.xml")
    assert errors == []
    atom, rdf = records
    assert atom["id"] == "urn:a:1" and atom["url"] == "https://e.com/a1"
    assert atom["title"] == "Clashes near Kursk" and atom["published"] == "2024-11-04"
    assert " ".join(atom["text"].split()) == "Heavy fighting near Kursk."
    assert rdf["title"] == "R1" and rdf["published"] == "2024-11-03"
    assert rdf["text"] == "Shelling in Kharkiv."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Kharkiv was shelled on Monday.\n", r"feed\.rss:1: not an RSS or Atom feed: .*not well"),
        ("<rss><channel><item>", r"feed\.rss:1: not an RSS or Atom feed: .*not well-formed"),
        ("<html><body>hi</body></html>", r"feed\.rss: not an RSS or Atom feed \(.*<html>\)"),
        ("<rss><channel><title>t</title></channel></rss>", r"feed\.rss: no items in the feed"),
        ("", r"feed\.rss: empty file"),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            "<rss><channel><item><description>&b;</description></item></channel></rss>",
            r"feed\.rss: refused: the feed declares XML entities",
        ),
    ],
)
def test_bad_feeds(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(content, encoding="utf-8")
    records, errors = read_all(path)
    assert records == []
    assert len(errors) == 1 and re.search(message, errors[0]), errors


def test_parse_date_forms() -> None:
    assert parse_date("2024-11-05") == "2024-11-05"
    assert parse_date(" 2024-11-05 10:00 ") == "2024-11-05"
    assert parse_date("Tue, 5 Nov 2024 23:00:00 -0500") == "2024-11-05"
    assert parse_date("") is None and parse_date(None) is None
    for bad in ("2024-02-30", "yesterday", 20241105):
        with pytest.raises(InputError, match="invalid date"):
            parse_date(bad, source="f.csv", line=3)


# --- folders --------------------------------------------------------------------------------


def test_folder_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("Kyiv one", encoding="utf-8")
    (tmp_path / "b" / "c.md").write_text("# Title\nKyiv two", encoding="utf-8")
    (tmp_path / "b" / "deep" / "d.html").write_text(
        "<html><head><title>T</title></head><body><p>Kyiv three</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "b" / "notes.pdf").write_bytes(b"%PDF")  # unsupported: skipped quietly
    (tmp_path / ".hidden.txt").write_text("no", encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text("no", encoding="utf-8")
    (tmp_path / "b" / "bad.txt").write_bytes(b"\x00\x01")
    records, errors = read_all(tmp_path)
    assert [Path(r["source"]).name for r in records] == ["a.txt", "c.md", "d.html"]
    assert "Kyiv three" in records[2]["text"]
    assert errors == [
        f"{tmp_path / 'b' / 'bad.txt'}:1: binary file (contains NUL bytes); expected text"
    ]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "only.pdf").write_bytes(b"%PDF")
    records, errors = read_all(tmp_path)
    assert records == []
    assert errors == [
        f"{tmp_path}: no readable files in the folder ("
        + ", ".join(s for s in FORMATS if s != ".zip")
        + ", .zip)"
    ]


# --- zip archives ---------------------------------------------------------------------------


def test_zip_members_of_every_format(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "news.zip",
        {
            "docs/a.txt": "Kyiv one",
            "docs/": b"",
            "__MACOSX/docs/._a.txt": b"\x00\x05",
            "b.jsonl": '{"text": "Kyiv two", "published": "2024-11-05"}\nnot json\n',
            "c.csv": "text\nKyiv three\n",
            "d.rss": RSS,
            "e.pdf": b"%PDF",
            "inner.zip": b"PK\x05\x06" + b"\x00" * 18,
        },
    )
    records, errors = read_all(path)
    assert [describe(r) for r in records[:3]] == [
        f"{path}!docs/a.txt",
        f"{path}!b.jsonl:1",
        f"{path}!c.csv:2",
    ]
    assert records[1]["id"] == "b-1" and records[1]["published"] == "2024-11-05"
    assert [r["item"] for r in records[3:]] == [1, 3, 4]
    assert errors == [
        f"{path}!b.jsonl:2: malformed JSON: Expecting value",
        f"{path}!d.rss: item 2 ('No body'): no description or content",
        f"{path}!inner.zip: nested zip archives are not read",
    ]


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt", "C:/x.txt"])
def test_zip_path_traversal_refuses_the_archive(tmp_path: Path, name: str) -> None:
    path = _zip(tmp_path / "t.zip", {"good.txt": "Kyiv", name: "x"})
    records, errors = read_all(path)
    assert records == []
    assert errors == [
        f"{path}: unsafe member name {name!r} (absolute path or '..'); refusing the archive"
    ]


def test_zip_bomb_by_declared_size(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i in range(6):
            archive.writestr(f"{i}.txt", "Kyiv")
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(declare_size(buf.getvalue(), 100 * 1024 * 1024))  # 6 x 100 MiB declared
    records, errors = read_all(bomb)
    assert records == []
    assert errors == [
        f"{bomb}: the members declare 629,145,600 bytes uncompressed, more than the limit of"
        " 536,870,912; refusing the archive (possible zip bomb)"
    ]
    _, errors = read_all(bomb, max_zip_member_bytes=1000)
    assert errors == [
        f"{bomb}: member '0.txt' declares 104,857,600 bytes uncompressed, more than the limit"
        " of 1,000; refusing the archive (possible zip bomb)"
    ]


def test_zip_real_expansion_and_member_count_are_capped(tmp_path: Path) -> None:
    zeros = _zip(tmp_path / "z.zip", {"z.txt": "Kyiv " + " " * 200_000})  # ~200 kB from ~1 kB
    _, errors = read_all(zeros, max_zip_bytes=50_000)
    assert errors and "refusing the archive (possible zip bomb)" in errors[0]
    lying = tmp_path / "lying.zip"
    lying.write_bytes(declare_size(zeros.read_bytes(), 10))  # says 10 bytes, holds 200 kB
    records, errors = read_all(lying)
    assert records == [] and errors[0].startswith(f"{lying}!z.txt: cannot decompress")
    many = _zip(tmp_path / "many.zip", {f"{i}.txt": "Kyiv" for i in range(6)})
    _, errors = read_all(many, max_zip_members=5)
    assert errors == [
        f"{many}: the archive has 6 entries, more than the limit of 5;"
        " refusing it (possible zip bomb)"
    ]


def test_not_a_zip_and_empty_zip(tmp_path: Path) -> None:
    (tmp_path / "fake.zip").write_text("not a zip", encoding="utf-8")
    _zip(tmp_path / "empty.zip", {"readme.pdf": b"%PDF"})
    records, errors = read_all(tmp_path / "fake.zip", tmp_path / "empty.zip")
    assert records == []
    assert errors[0].startswith(f"{tmp_path / 'fake.zip'}: not a valid zip archive")
    assert errors[1].startswith(f"{tmp_path / 'empty.zip'}: no readable files in the archive")


def test_read_any_for_uploads_and_unknown_types() -> None:
    (record,) = read_any(b"text\nKyiv\n", name="upload.csv")
    assert record["text"] == "Kyiv" and record["source"] == "upload.csv"
    with pytest.raises(InputError, match=r"unsupported file type '\.docx'; expected .*\.zip"):
        list(read_any(b"x", name="up.docx"))
    assert set(SUFFIXES) < set(FORMATS)


# --- the parse command reads them too --------------------------------------------------------


def test_parse_command_reads_csv_with_column_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []

    def fake(text: str, **kw: Any) -> Article:
        calls.append({"text": text, **kw})
        return Article(id=kw["doc_id"], text=text, published=kw["published"], title=kw["title"])

    monkeypatch.setattr(extract, "extract_article", fake)
    monkeypatch.setattr(_distributed, "default_loader", lambda: "GAZ")
    path = tmp_path / "x.csv"
    path.write_text("Body,When,id\nKyiv,2024-11-05,k1\nOdesa,,k2\n", encoding="utf-8")
    code = cli.main(
        [
            "parse",
            str(path),
            "--text-column",
            "Body",
            "--date-column",
            "When",
            "--published",
            "2024-01-01",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    docs = [json.loads(line) for line in out.splitlines()]
    assert [(d["id"], d["published"]) for d in docs] == [("k1", "2024-11-05"), ("k2", "2024-01-01")]
    assert [c["text"] for c in calls] == ["Kyiv", "Odesa"]
