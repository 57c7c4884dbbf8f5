"""Exception classes of the extract package.

The data layer's classes (:mod:`geodata.errors`) are re-exported so callers of the extract
package can catch everything from one place.
"""

from __future__ import annotations

from geodata.errors import DatelineError, GazetteerError, InputError

__all__ = ["DatelineError", "GazetteerError", "InputError", "WorkerError"]


class WorkerError(DatelineError):
    """An extraction worker process ended before it answered (killed, out of memory): its
    work is lost and its pool cannot be used again."""
