"""Exception classes of the extract package.

The data layer's classes (:mod:`geodata.errors`) are re-exported so callers of the extract
package can catch everything from one place.
"""

from __future__ import annotations

from geodata.errors import DatelineError, GazetteerError, InputError

__all__ = ["DatelineError", "ExtractionError", "GazetteerError", "InputError"]


class ExtractionError(DatelineError):
    """Extraction failed on one record for a reason other than its input.

    Parameters
    ----------
    message
        What went wrong.
    source
        The input's name (a path, ``<stdin>``), if known.
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
