"""Text → places (and incidents). Pure Python, no Streamlit.

Public entry point: :func:`extract_article`; the records it returns are
:mod:`geodata.records`' ``Article``, ``Place`` and ``Incident``.
"""

from __future__ import annotations

from extract.pipeline import extract_article

__all__ = ["extract_article"]
