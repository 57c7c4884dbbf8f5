"""The GeoNames dump reader: parsing, kinds, alternate names, zips, bad input, progress, memory.

Every test writes its own small GeoNames-format file into ``tmp_path``.
"""

from __future__ import annotations

import itertools
import logging
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from geodata.errors import DatelineError
from geodata.gazetteer.geonames_dump import (
    COLUMNS,
    DumpFormatError,
    DumpRow,
    alternate_names,
    iter_dump,
    kind_of,
)

LONG_NAME = "Very Long Official Name Of The Capital City Of Ukraine Written Out In Full"


def line(
    geonameid: int,
    name: str,
    fclass: str,
    fcode: str,
    *,
    ascii: str | None = None,
    alts: str = "",
    lat: str = "50.45466",
    lon: str = "30.5238",
    admin1: str = "12",
    admin2: str = "",
    population: str = "0",
) -> str:
    """One dump line: the 19 columns of the GeoNames ``geoname`` table, tab-separated."""
    cols = [
        str(geonameid),
        name,
        name if ascii is None else ascii,
        alts,
        lat,
        lon,
        fclass,
        fcode,
        "UA",
        "",
        admin1,
        admin2,
        "",
        "",
        population,
        "",
        "179",
        "Europe/Kyiv",
        "2024-05-14",
    ]
    assert len(cols) == len(COLUMNS)
    return "\t".join(cols)


KYIV_ALTS = ",".join(
    [
        "IEV",
        "Kiev",
        "Kiew",
        "Kyiv",
        "Київ",
        "Kyïv",
        "https://en.wikipedia.org/wiki/Kyiv",
        "12345",
        LONG_NAME,
        "Kiev",
        "Κίεβο",
        "Kijów",
    ]
)

UA_LINES = [
    line(
        703448,
        "Kyiv",
        "P",
        "PPLC",
        alts=KYIV_ALTS,
        population="2797553",
    ),
    line(
        696643,
        "Pidhirtsi",
        "P",
        "PPL",
        alts="Pidgirtsy,Підгірці",
        lat="50.21488",
        lon="30.58612",
        admin1="13",
        admin2="3220",
    ),
    line(
        709716,
        "Dnipropetrovs’ka Oblast’",
        "A",
        "ADM1",
        ascii="Dnipropetrovs'ka Oblast'",
        alts="Dnipropetrovsk Oblast,Dnipropetrovs'ka Oblast',Дніпропетровська область",
        lat="48.5",
        lon="34.83333",
        admin1="04",
        population="3142035",
    ),
    line(
        11809433,
        "Bakhmutskyi Raion",
        "A",
        "ADM2",
        alts="Bakhmut Raion,Бахмутський район",
        lat="48.6",
        lon="38.0",
        admin1="05",
        admin2="1402",
    ),
    line(703010, "Dnipro", "H", "STM", alts="Dnieper,Dnepr,Дніпро", lat="46.5", lon="32.3"),
    line(707617, "Hoverla", "T", "MT", alts="Goverla,Говерла", lat="48.16", lon="24.5"),
    line(
        6300952,
        "Boryspil International Airport",
        "S",
        "AIRP",
        alts="KBP,UKBB,Boryspil Airport,Бориспіль",
        lat="50.345",
        lon="30.89472",
        admin1="13",
    ),
    line(8378447, "Kodak", "P", "PPLH", alts="Kodak Fortress", lat="48.4", lon="35.1"),
    line(703372, "Podil", "P", "PPLX", alts="Podol,Поділ", lat="50.4659", lon="30.5168"),
]
UA_IDS = [703448, 696643, 709716, 11809433, 703010, 707617, 6300952, 8378447, 703372]


def write_txt(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
    return path


def write_zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


@pytest.fixture
def ua_txt(tmp_path: Path) -> Path:
    return write_txt(tmp_path / "UA.txt", UA_LINES)


@pytest.fixture
def ua_rows(ua_txt: Path) -> dict[str, DumpRow]:
    return {row.name: row for row in iter_dump(ua_txt)}


def make_row(fclass: str, fcode: str, *, alternates: tuple[str, ...] = ()) -> DumpRow:
    return DumpRow(
        geonameid=1,
        name="Somewhere",
        asciiname="Somewhere",
        alternates=alternates,
        lat=0.0,
        lon=0.0,
        feature_class=fclass,
        feature_code=fcode,
        country="UA",
        admin1="",
        admin2="",
        population=0,
    )


# --- parsing ---------------------------------------------------------------------------------


def test_reads_every_row_in_file_order(ua_txt: Path) -> None:
    assert [row.geonameid for row in iter_dump(ua_txt)] == UA_IDS


def test_parses_the_fields_of_a_row(ua_rows: dict[str, DumpRow]) -> None:
    kyiv = ua_rows["Kyiv"]
    assert kyiv == DumpRow(
        geonameid=703448,
        name="Kyiv",
        asciiname="Kyiv",
        alternates=tuple(KYIV_ALTS.split(",")),
        lat=50.45466,
        lon=30.5238,
        feature_class="P",
        feature_code="PPLC",
        country="UA",
        admin1="12",
        admin2="",
        population=2797553,
    )
    village = ua_rows["Pidhirtsi"]
    assert (village.admin1, village.admin2, village.population) == ("13", "3220", 0)
    assert (village.lat, village.lon) == (50.21488, 30.58612)
    oblast = ua_rows["Dnipropetrovs’ka Oblast’"]
    assert oblast.asciiname == "Dnipropetrovs'ka Oblast'"
    assert oblast.alternates[-1] == "Дніпропетровська область"


def test_empty_population_and_alternates_are_zero_and_empty(tmp_path: Path) -> None:
    path = write_txt(tmp_path / "UA.txt", [line(1, "Nameless Hill", "T", "HLL", population="")])
    (row,) = iter_dump(path)
    assert row.population == 0
    assert row.alternates == ()


def test_crlf_line_endings_and_bom_are_handled(tmp_path: Path) -> None:
    path = tmp_path / "UA.txt"
    path.write_bytes(("\ufeff" + "\r\n".join(UA_LINES[:2]) + "\r\n").encode("utf-8"))
    rows = list(iter_dump(path))
    assert [r.geonameid for r in rows] == UA_IDS[:2]
    assert rows[1].admin2 == "3220"  # not "3220\r" or a shifted column


# --- kinds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Kyiv", "city"),
        ("Pidhirtsi", "city"),
        ("Dnipropetrovs’ka Oblast’", "adm1"),
        ("Bakhmutskyi Raion", "adm2"),
        ("Dnipro", "region"),
        ("Hoverla", "region"),
        ("Boryspil International Airport", "region"),
        ("Kodak", None),
        ("Podil", "district"),
    ],
)
def test_kind_of_the_sample_rows(ua_rows: dict[str, DumpRow], name: str, kind: str | None) -> None:
    assert kind_of(ua_rows[name]) == kind


@pytest.mark.parametrize(
    ("fclass", "fcode", "kind"),
    [
        ("A", "PCLI", "country"),
        ("A", "PCLD", "country"),
        ("A", "TERR", "country"),
        ("A", "ADM3", "district"),
        ("A", "ADMD", "district"),
        ("A", "ADM1H", None),
        ("A", "PCLH", None),
        ("A", "ZN", None),
        ("P", "PPLA3", "city"),
        ("P", "PPLQ", None),
        ("P", "PPLW", None),
        ("L", "CONT", "continent"),
        ("L", "PRK", "region"),
        ("L", "RGN", "region"),
        ("L", "LCTY", None),
        ("H", "LK", "region"),
        ("H", "BAY", "region"),
        ("H", "XYZ", "region"),  # an unknown hydrographic code takes the class default
        ("H", "WLL", None),
        ("T", "ISL", "region"),
        ("T", "PEN", "region"),
        ("S", "SQR", "region"),
        ("S", "DAM", "region"),
        ("S", "HTL", None),
        ("S", "SCH", None),
        ("R", "RD", None),
        ("U", "TRNU", None),
        ("V", "FRST", None),
        ("", "", None),
    ],
)
def test_kind_table(fclass: str, fcode: str, kind: str | None) -> None:
    assert kind_of(make_row(fclass, fcode)) == kind


def test_kinds_are_index_kinds() -> None:
    from geodata.gazetteer import geonames_dump

    index_kinds = {"country", "adm1", "adm2", "district", "city", "region", "continent", None}
    assert set(geonames_dump._KIND_BY_CODE.values()) <= index_kinds
    assert set(geonames_dump._KIND_BY_CLASS.values()) <= index_kinds


# --- alternate names -------------------------------------------------------------------------


def test_alternate_names_keep_latin_words_only(ua_rows: dict[str, DumpRow]) -> None:
    assert alternate_names(ua_rows["Kyiv"]) == ["Kyiv", "Kiev", "Kiew", "Kyïv", "Kijów"]


def test_alternate_names_add_a_different_ascii_name(ua_rows: dict[str, DumpRow]) -> None:
    assert alternate_names(ua_rows["Dnipropetrovs’ka Oblast’"]) == [
        "Dnipropetrovs’ka Oblast’",
        "Dnipropetrovs'ka Oblast'",
        "Dnipropetrovsk Oblast",
    ]


def test_airport_codes_are_kept_for_airports_only(ua_rows: dict[str, DumpRow]) -> None:
    assert alternate_names(ua_rows["Boryspil International Airport"]) == [
        "Boryspil International Airport",
        "KBP",
        "UKBB",
        "Boryspil Airport",
    ]
    assert "IEV" not in alternate_names(ua_rows["Kyiv"])
    town = make_row("P", "PPL", alternates=("ABC", "ABCD", "ABCDE", "AB", "Abc"))
    assert alternate_names(town) == ["Somewhere", "ABCDE", "AB", "Abc"]


def test_alternate_names_skip_links_and_long_names() -> None:
    row = make_row(
        "P",
        "PPL",
        alternates=("www.example.org", "http://x.org/a", "X" * 61, "Y" * 60, "", "42", "St. 3"),
    )
    assert alternate_names(row) == ["Somewhere", "Y" * 60, "St. 3"]


# --- zips ------------------------------------------------------------------------------------


def test_zip_gives_the_same_rows_as_the_text_file(tmp_path: Path, ua_txt: Path) -> None:
    zipped = write_zip(tmp_path / "UA.zip", {"UA.txt": ua_txt.read_text(encoding="utf-8")})
    assert list(iter_dump(zipped)) == list(iter_dump(ua_txt))
    assert len(list(iter_dump(zipped))) == len(UA_IDS)


def test_zip_with_a_readme_reads_the_data_member(tmp_path: Path, ua_txt: Path) -> None:
    text = ua_txt.read_text(encoding="utf-8")
    readme = "Readme for GeoNames Gazetteer extract files\n\nThe data format is tab-delimited\n"
    # readme.txt first, so picking the first .txt member would fail
    zipped = write_zip(tmp_path / "UA.zip", {"readme.txt": readme, "UA.txt": text})
    assert [r.geonameid for r in iter_dump(zipped)] == UA_IDS
    # a renamed zip: no member named like it, so the single non-readme .txt member
    renamed = write_zip(tmp_path / "download.zip", {"readme.txt": readme, "cities500.txt": text})
    assert [r.geonameid for r in iter_dump(renamed)] == UA_IDS


def test_zip_with_two_data_files_is_ambiguous(tmp_path: Path) -> None:
    text = "\n".join(UA_LINES)
    zipped = write_zip(tmp_path / "both.zip", {"UA.txt": text, "RU.txt": text})
    with pytest.raises(DumpFormatError, match=r"both\.zip.*UA\.txt, RU\.txt"):
        iter_dump(zipped)


def test_a_corrupt_zip_raises(tmp_path: Path) -> None:
    path = tmp_path / "UA.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(DumpFormatError, match=r"UA\.zip.*not a readable zip"):
        iter_dump(path)


# --- malformed input -------------------------------------------------------------------------


def test_malformed_lines_are_skipped_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = UA_LINES[:3]
    bad_lines = [
        "703448\tKyiv\tKyiv",  # too few columns
        line(2, "Bad Lat", "P", "PPL", lat="north"),
        line(3, "Bad Pop", "P", "PPL", population="many"),
        line(4, "Off The Map", "P", "PPL", lat="123.0"),
        line(5, "", "P", "PPL"),  # no name
        UA_LINES[4] + "\textra",  # too many columns
        "x" + UA_LINES[5],  # bad geonameid
    ]
    path = tmp_path / "UA.txt"
    with path.open("wb") as f:
        f.write((good[0] + "\n\n").encode())
        for bad in bad_lines:
            f.write((bad + "\n").encode())
        f.write(b"6\tM\xfcnchen\tMunchen\t\t48.1\t11.5\tP\tPPL" + b"\t" * 11 + b"\n")  # Latin-1
        f.write(("   \n" + "\n".join(good[1:]) + "\n").encode())
    with caplog.at_level(logging.WARNING, logger="geodata.gazetteer.geonames_dump"):
        rows = list(iter_dump(path))
    assert [r.geonameid for r in rows] == UA_IDS[:3]
    assert "skipped 8 malformed line(s) of 11; first at line 3" in caplog.text
    assert "UA.txt" in caplog.text


def test_a_clean_file_logs_no_warning(ua_txt: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="geodata.gazetteer.geonames_dump"):
        assert len(list(iter_dump(ua_txt))) == len(UA_IDS)
    assert "malformed" not in caplog.text


def test_a_text_file_that_is_not_a_dump_raises(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Shopping list\neggs, milk\n\nbread\tbutter\n", encoding="utf-8")
    with pytest.raises(DumpFormatError, match="notes.txt") as info:
        list(iter_dump(path))
    message = str(info.value)
    assert "not a GeoNames dump" in message
    assert "19 tab-separated columns" in message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, DatelineError)


def test_a_csv_export_is_refused_after_100_bad_lines(tmp_path: Path) -> None:
    # 100 malformed lines before the first good one: the file is declared not a dump
    path = write_txt(tmp_path / "cities.txt", ["a,b,c"] * 100 + UA_LINES)
    rows: list[DumpRow] = []
    with pytest.raises(DumpFormatError, match=r"cities\.txt.*first 100 non-empty lines"):
        rows.extend(iter_dump(path))
    assert rows == []


def test_99_bad_lines_before_the_data_are_tolerated(tmp_path: Path) -> None:
    path = write_txt(tmp_path / "cities.txt", ["a,b,c", ""] * 99 + UA_LINES)
    assert [r.geonameid for r in iter_dump(path)] == UA_IDS


def test_a_zip_holding_a_non_dump_names_the_member(tmp_path: Path) -> None:
    zipped = write_zip(tmp_path / "UA.zip", {"UA.txt": "hello\nworld\n"})
    with pytest.raises(DumpFormatError, match=r"UA\.zip!UA\.txt"):
        list(iter_dump(zipped))


def test_an_empty_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "UA.txt"
    path.write_bytes(b"")
    with pytest.raises(DumpFormatError, match=r"UA\.txt.*no lines"):
        list(iter_dump(path))


def test_a_missing_path_raises_at_the_call(tmp_path: Path) -> None:
    missing = tmp_path / "allCountries.zip"
    with pytest.raises(DumpFormatError, match=r"allCountries\.zip.*does not exist"):
        iter_dump(missing)


def test_a_directory_raises(tmp_path: Path) -> None:
    folder = tmp_path / "dump.txt"
    folder.mkdir()
    with pytest.raises(DumpFormatError, match=r"dump\.txt.*is a directory"):
        iter_dump(folder)


def test_a_wrong_extension_raises_at_the_call(tmp_path: Path) -> None:
    path = write_txt(tmp_path / "UA.csv", UA_LINES)
    with pytest.raises(DumpFormatError, match=r"UA\.csv.*neither \.txt nor \.zip"):
        iter_dump(path)


# --- progress --------------------------------------------------------------------------------


def big_lines(n: int) -> list[str]:
    alts = "Alpha,Beta,Gamma,Delta,Альфа,Бета,Гамма,Дельта"
    return [
        line(10_000_000 + i, f"Place {i}", "P", "PPL", alts=alts, population=str(i))
        for i in range(n)
    ]


def test_progress_reports_increasing_bytes_up_to_the_total(tmp_path: Path) -> None:
    path = write_txt(tmp_path / "UA.txt", big_lines(25_000))
    size = path.stat().st_size
    assert size > 3_500_000
    calls: list[tuple[int, int]] = []
    rows = iter_dump(path, progress=lambda done, total: calls.append((done, total)))
    count = sum(1 for _ in rows)
    assert count == 25_000
    done = [d for d, _ in calls]
    assert done == sorted(set(done))  # strictly increasing
    assert all(total == size for _, total in calls)
    assert calls[-1] == (size, size)
    assert 3 <= len(calls) <= size // (1 << 20) + 1  # about one call per megabyte
    assert all(b - a >= 1 << 20 for a, b in zip(done[:-2], done[1:-1], strict=True))


def test_progress_in_a_zip_counts_unzipped_bytes(tmp_path: Path) -> None:
    text = "".join(f"{x}\n" for x in big_lines(15_000))
    zipped = write_zip(tmp_path / "UA.zip", {"UA.txt": text})
    size = len(text.encode("utf-8"))
    calls: list[tuple[int, int]] = []
    list(iter_dump(zipped, progress=lambda done, total: calls.append((done, total))))
    assert len(calls) >= 2
    assert calls[-1] == (size, size)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_progress_on_a_small_file_is_called_once_at_the_end(ua_txt: Path) -> None:
    calls: list[tuple[int, int]] = []
    list(iter_dump(ua_txt, progress=lambda done, total: calls.append((done, total))))
    size = ua_txt.stat().st_size
    assert calls == [(size, size)]


# --- memory ----------------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_iterating_a_large_file_streams(tmp_path: Path) -> None:
    """Reading a 200k-row file holds a few rows at a time, not the file.

    Memory is traced over the first 25k rows only (tracing every allocation is slow): a reader
    that loads or parses the whole file before its first row shows its peak there.
    """
    n, traced_rows = 200_000, 25_000
    path = tmp_path / "allCountries.txt"
    with path.open("w", encoding="utf-8") as f:
        for start in range(0, n, 10_000):
            f.write(
                "".join(
                    line(
                        i + 1,
                        f"Place {i}",
                        "P",
                        "PPL",
                        alts="Kiev,Kiew,Київ,Kyïv",
                        population=str(i),
                    )
                    + "\n"
                    for i in range(start, start + 10_000)
                )
            )
    size = path.stat().st_size
    bound = min(50 << 20, size // 2)  # holding the whole file would exceed it
    started = time.perf_counter()
    rows = iter_dump(path)
    tracemalloc.start()
    try:
        count = sum(1 for _ in itertools.islice(rows, traced_rows))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    last_id = None
    for row in rows:  # the rest, untraced
        count += 1
        last_id = row.geonameid
    elapsed = time.perf_counter() - started
    assert count == n
    assert last_id == n
    assert peak < bound, f"peak {peak / 1e6:.1f} MB while reading a {size / 1e6:.0f} MB file"
    assert elapsed < 20


def test_geonameid_out_of_32_bits_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "UA.txt"
    good = line(703448, "Kyiv", "P", "PPLC")
    path.write_text(f"{line(0, 'Zero', 'P', 'PPL')}\n{good}\n{line(2**32, 'Big', 'P', 'PPL')}\n")
    assert [r.name for r in iter_dump(path)] == ["Kyiv"]


def test_a_zip_damaged_midway_is_a_dump_format_error(tmp_path: Path) -> None:
    """A truncated or corrupted download shows only when the bad part is read."""
    path = tmp_path / "UA.zip"
    text = "".join(line(i + 1, f"Selo {i}", "P", "PPL") + "\n" for i in range(20_000))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("UA.txt", text)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 200] = bytes(b ^ 0x5A for b in data[middle : middle + 200])
    path.write_bytes(bytes(data))
    rows = iter_dump(path)  # the zip's directory is intact: no error yet
    with pytest.raises(DumpFormatError, match=r"UA\.zip!UA\.txt: the zip is damaged .*download it"):
        for _ in rows:
            pass
