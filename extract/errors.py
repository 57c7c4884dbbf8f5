"""Exception classes of the extract package.

The data layer's classes (:mod:`geodata.errors`) are re-exported so callers of the extract
package can catch everything from one place.
"""

from __future__ import annotations

from geodata.errors import DatelineError, GazetteerError, InputError, LocatedError

__all__ = ["DatelineError", "ExtractionError", "GazetteerError", "InputError"]


class ExtractionError(LocatedError):
    """Extraction failed on one record for a reason other than its input
    (``message``, optional ``source`` name and 1-based ``line``)."""
