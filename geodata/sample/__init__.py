"""The bundled sample article (an Irish Times report, published 2024-11-05)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_PATH", "SAMPLE_PUBLISHED", "sample_article"]

SAMPLE_PATH = Path(__file__).with_name("kursk-clashes.txt")
SAMPLE_PUBLISHED = "2024-11-05"


def sample_article() -> dict[str, str]:
    """Return the sample as an input record ``{"id", "text", "published", "title"}``."""
    text = SAMPLE_PATH.read_text(encoding="utf-8")
    title = text.splitlines()[0].strip()
    return {"id": "kursk-clashes", "text": text, "published": SAMPLE_PUBLISHED, "title": title}
