"""Logging for the command lines (``python -m geodata``, ``python -m extract``): one handler
on the root logger that writes ``warning: message`` to whatever ``sys.stderr`` is when a
record is emitted, so an in-process run after another (tests, notebooks) never writes to a
stream that was replaced or closed."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

__all__ = ["setup_cli_logging"]


class _Formatter(logging.Formatter):
    """``warning: message`` (and the traceback, if any), like the CLIs' own errors."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {super().format(record)}"


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (it may be replaced, e.g. in tests)."""

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


_handler = _StderrHandler()
_handler.setFormatter(_Formatter())


def setup_cli_logging(verbosity: int) -> None:
    """Attach the handler once and set the root level: 0 warnings, 1 info, 2+ debug."""
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)
    root.setLevel({0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG))
