"""``python -m geodata``: see :mod:`geodata.cli`."""

from __future__ import annotations

import sys

from geodata.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
