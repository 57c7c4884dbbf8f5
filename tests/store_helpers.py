"""Small helpers shared by the store tests (no tests here)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def query(path: Path, sql: str) -> list[tuple]:
    """Read the store file directly, bypassing the Store class."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
