"""``python -m extract``: see :mod:`extract.cli`."""

from __future__ import annotations

import sys

from extract.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
