"""Helpers shared by the snapshot tests (no tests here): the embedded GeoJSON layers and
title box of a rendered map, and ``python -m geodata`` run in process."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from geodata.cli import main

#: the map fitted to the incidents (Leaflet's own code names fitBounds too)
FIT = re.compile(r"map_\w+\.fitBounds\(")


def features(page: str, kind: str = "incidents") -> list[dict[str, Any]]:
    """The GeoJSON features of one layer embedded in a page of :func:`view_html`."""
    marker = f"/*dateline-{kind}*/"
    assert page.count(marker) == 1, page.count(marker)
    data, _ = json.JSONDecoder().raw_decode(page, page.index(marker) + len(marker))
    return data["features"]


def titlebox(page: str) -> str:
    start = page.index('<div id="dl-titlebox"')
    return page[start : page.index('<div id="dl-legend"', start)]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``python -m geodata`` in process: ``(status, stdout, stderr)`` (usage errors exit
    through ``SystemExit``, like the real command)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_cli_error(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], (word, lines[0])
