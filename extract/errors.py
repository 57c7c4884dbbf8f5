"""Exception classes of the extract package.

The data layer's classes (:mod:`geodata.errors`) are re-exported so callers of the extract
package can catch everything from one place.
"""

from __future__ import annotations

from geodata.errors import DatelineError, GazetteerError, InputError

__all__ = ["DatelineError", "GazetteerError", "InputError"]
