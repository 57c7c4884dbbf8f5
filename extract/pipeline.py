"""Glue: tokenize → recognize → resolve → :class:`~geodata.records.Article`."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from extract.events.incidents import extract_incidents
from extract.events.timex import dateline_date
from extract.geoparse._strength import strength
from extract.geoparse._tokens import Mention, sentence_bounds, tokenize
from extract.geoparse.recognize import attach_cue, recognize
from extract.geoparse.resolve import resolve
from extract.sources._formats import MAX_DOCUMENT_CHARS
from geodata.errors import InputError
from geodata.normalize import name_key
from geodata.records import Article, Gazetteer

__all__ = ["extract_article", "mentions_from_spans"]

logger = logging.getLogger(__name__)


def extract_article(
    text: str,
    *,
    published: str | None = None,
    gazetteer: Gazetteer | None = None,
    mentions: Sequence[dict] | None = None,
    doc_id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    incidents: bool = True,
) -> Article:
    """Find and geocode the place names in ``text``.

    Parameters
    ----------
    text
        The article text.
    published
        Publication date ``YYYY-MM-DD`` if known; else taken from a wire dateline in the text
        when there is one. Without it, relative dates ("on Monday") have unknown precision.
    gazetteer
        A :class:`geodata.gazetteer.index.Gazetteer`; the default one is loaded (built if needed)
        when omitted.
    mentions
        ``[{"start", "end"}, ...]``: resolve exactly these spans instead of recognizing
        (resolution-only mode).
    doc_id
        The article id; a content hash of ``text`` when omitted.
    title, url
        Metadata carried into the result.
    incidents
        Also extract incidents (see :mod:`extract.events.incidents`); off for geoparsing only.

    Returns
    -------
    Article
        With ``places`` in text order; ``text[p.start:p.end] == p.text`` for each.

    Raises
    ------
    InputError
        If ``text`` is not a string, is longer than
        :data:`extract.sources._formats.MAX_DOCUMENT_CHARS` or a given span lies outside it.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be a string, not {type(text).__name__}")
    if len(text) > MAX_DOCUMENT_CHARS:  # resolution is quadratic in the number of places
        raise InputError(
            f"document too long: {len(text):,} characters, more than the limit of"
            f" {MAX_DOCUMENT_CHARS:,} (about 80,000 words); split it into articles"
        )
    if gazetteer is None:
        from geodata.gazetteer.index import load_gazetteer

        gazetteer = load_gazetteer()
    tokens = tokenize(text)
    if mentions is None:
        found = recognize(text, gazetteer, tokens=tokens)
    else:
        found = mentions_from_spans(text, mentions, gazetteer, tokens=tokens)
    places = resolve(text, found, gazetteer, tokens=tokens, keep_unresolved=mentions is not None)
    article_id = doc_id or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    if published is None:
        found_date = dateline_date(text)  # "KYIV, Nov 5 2024 (Reuters) -"
        published = found_date.isoformat() if found_date else None
    found_incidents = []
    if incidents:
        found_incidents = extract_incidents(
            text,
            places,
            published=published,
            gazetteer=gazetteer,
            article_id=article_id,
            add_places=mentions is None,
        )
    return Article(
        id=article_id,
        text=text,
        places=places,
        incidents=found_incidents,
        published=published,
        title=title,
        url=url,
    )


_SUFFIX_CUES = (
    (" region", "adm1"),
    (" oblast", "adm1"),
    (" province", "adm1"),
    (" state", "adm1"),
    (" county", "adm2"),
    (" district", "district"),
)


def mentions_from_spans(
    text: str, spans: Sequence[dict], gazetteer: Gazetteer, *, tokens
) -> list[Mention]:
    """Mentions for given character spans (resolution-only mode)."""
    import bisect

    starts = [t.start for t in tokens]
    sent = sentence_bounds(text)
    out: list[Mention] = []
    for span in spans:
        try:
            s, e = int(span["start"]), int(span["end"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"a mention needs integer 'start' and 'end': {span!r}") from exc
        if not 0 <= s < e <= len(text):
            raise InputError(f"mention span {s}-{e} lies outside the text (length {len(text)})")
        surface = text[s:e]
        key = name_key(surface)
        first = max(0, bisect.bisect_right(starts, s) - 1)
        last = max(first, bisect.bisect_left(starts, e) - 1)
        m = Mention(
            s,
            e,
            surface,
            sentence=bisect.bisect_right(sent, s) - 1,
            first_token=first,
            last_token=last,
        )
        dem = gazetteer.demonym_index(key)
        cands = gazetteer.indices(key)
        if dem is not None and (not cands or strength(cands, gazetteer) < 4):
            m.demonym = dem
            out.append(m)
            continue
        if not cands and key.startswith("the "):
            cands = gazetteer.indices(key[4:])
        if not cands:
            for suffix, cue in _SUFFIX_CUES:
                if key.endswith(suffix):
                    cands = gazetteer.indices(key[: -len(suffix)])
                    m.cue = cue
                    break
        if not cands and key.endswith("s") and gazetteer.demonym_index(key[:-1]) is not None:
            m.demonym = gazetteer.demonym_index(key[:-1])  # "Manitobans"-style plurals
            out.append(m)
            continue
        if not cands:
            cands = gazetteer.indices(key, loose=True)
        if not cands:
            cands = gazetteer.qualifier(surface.strip())
        m.candidates = list(cands)
        if m.candidates and m.cue is None:
            attach_cue(text, tokens, m, extend=False)
        out.append(m)
    out.sort(key=lambda m: m.start)
    return out
