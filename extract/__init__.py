"""Text → places (and incidents). Pure Python, no Streamlit.

Public entry point: :func:`extract_article`.
"""

from __future__ import annotations

from extract.article import Article, Place
from extract.pipeline import extract_article

__all__ = ["Article", "Place", "extract_article"]
