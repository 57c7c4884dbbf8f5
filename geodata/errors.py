"""Exception classes of the data layer."""

from __future__ import annotations

__all__ = [
    "BoundaryError",
    "BrowserUnavailableError",
    "DatelineError",
    "ExportError",
    "GazetteerError",
    "InputError",
    "LocatedError",
    "StoreBusyError",
    "StoreError",
    "StoreVersionError",
]


class DatelineError(Exception):
    """Base class for every error Dateline reports to a user."""


class GazetteerError(DatelineError):
    """The gazetteer index cannot be built or loaded."""


class BoundaryError(DatelineError):
    """A file of admin-1 boundaries cannot be read (see ``geodata.maps.boundaries``)."""


class LocatedError(DatelineError):
    """An error about one input, with where it happened in the message.

    Parameters
    ----------
    message
        What is wrong, in words a user understands.
    source
        The input's name (a path, ``<stdin>``, a record id), if known.
    line
        1-based line number within ``source``, if known.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = source or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class InputError(LocatedError):
    """User input (a file, a record, a date) cannot be used."""


class StoreError(DatelineError):
    """The event store cannot be opened or used (corrupt, read-only, wrong path)."""


class StoreBusyError(StoreError):
    """Another process held the store's write lock for longer than the timeout."""


class StoreVersionError(StoreError):
    """The store was written by a newer Dateline (schema version unknown to this build)."""


class ExportError(DatelineError):
    """A map export (HTML, PNG, GeoJSON) cannot be made."""


class BrowserUnavailableError(ExportError):
    """No Chromium to draw a PNG with (install the system package, or set DATELINE_CHROMIUM)."""
