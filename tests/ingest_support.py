"""Helpers shared by the ingestion tests (no tests here): reading inputs, zip headers, a
corpus of short articles and a dump of a store's rows."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path
from typing import Any

from extract.sources._formats import ReadOptions
from extract.sources.readers import read_sources


def read_all(*inputs: Path | str, **options: Any) -> tuple[list[dict], list[str]]:
    errors: list[str] = []
    records = list(
        read_sources(
            [str(i) for i in inputs],
            options=ReadOptions(**options),
            on_error=lambda e: errors.append(str(e)),
        )
    )
    return records, errors


def declare_size(data: bytes, size: int) -> bytes:
    """The zip ``data`` with every member's uncompressed size field set to ``size``."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for m in re.finditer(re.escape(sig), bytes(out)):
            struct.pack_into("<I", out, m.start() + offset, size)
    return bytes(out)


TEMPLATES = (
    "A Russian missile strike on {city} killed {n} people on {day}, officials said.",
    "{n} people were killed when a Russian missile hit {city} on {day}, the governor said.",
    "Protesters rallied in {city} on {day} against the government, report {i}.",
    "A drone attack on {city} injured {n} people on {day}.",
)


CITIES = ("Kharkiv", "Kyiv", "Kursk", "Tbilisi", "Paris", "Zaporizhzhia")


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def corpus(n: int) -> list[dict[str, Any]]:
    """``n`` distinct short articles; many report the same events in other words."""
    out = []
    for i in range(n):
        text = TEMPLATES[i % 4].format(
            city=CITIES[(i // 4) % 6], day=DAYS[(i // 24) % 5], n=2 + i % 3, i=i
        )
        out.append({"id": f"r{i}", "text": f"{text} Update {i}.", "published": "2024-11-09"})
    return out


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every stored row but timestamps, in a stable order."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table in ("articles", "places", "incidents", "incident_sources"):
            cols = [
                r[0]
                for r in con.execute(f"DESCRIBE {table}").fetchall()
                if r[0] not in ("ingested_at", "created_at", "updated_at", "added_at")
            ]
            sql = f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in cols)} FROM {table}"
            out[table] = sorted(con.execute(sql).fetchall(), key=repr)
        return out
    finally:
        con.close()


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    """A deflated zip archive at ``path`` holding ``members`` (name → content)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path
