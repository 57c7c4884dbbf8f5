"""Property-based tests of the extractor (hypothesis): it never raises on any text, and its
records always keep their invariants (offsets inside the text, dates not after publication,
non-negative casualty counts).

The generators and checks are in ``tests/property_support.py``. Two kinds of input: arbitrary
unicode (control characters, RTL, combining marks, emoji, NUL,
CRLF, very long tokens, punctuation only) and generated "news-like" text built from place
names, numbers, month and weekday names, casualty words and reporting phrases, so that the deep
code paths (dates, casualties, events, actors, resolution) actually run.
"""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extract.events._head_counts import parse_number
from extract.events.actors import find_actors, pair_actors
from extract.events.casualties import parse_casualties
from extract.events.classify import classify_clause
from extract.events.codebook import EVENT_TYPES
from extract.events.timex import dateline_date, resolve_sentence_date
from extract.geoparse._tokens import sentence_bounds, tokenize
from extract.pipeline import extract_article
from geodata.gazetteer.index import Gazetteer, load_gazetteer
from tests.property_support import (
    ARBITRARY,
    NEWS,
    NEWS_ARTICLE,
    PUBLISHED,
    PUNCTUATION,
    TWINNED,
    check_article,
    check_span,
    check_spans,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def real_gaz() -> Gazetteer:
    return load_gazetteer()  # the default cache, shared with the other test modules


# --------------------------------------------------------------------------- pipeline


@FAST
@given(text=ARBITRARY, published=PUBLISHED)
@example(text="", published=None)
@example(text="\x00\r\n\u202e💥 Kyiv\u0301 said", published="2024-11-05")
@example(text="Police killed \ud800 3 people in Kyiv. \udfff", published="2024-11-05")
def test_pipeline_never_raises_on_arbitrary_text(
    gaz: Gazetteer, text: str, published: str | None
) -> None:
    check_article(text, extract_article(text, published=published, gazetteer=gaz), published)


@FAST
@given(text=PUNCTUATION, published=PUBLISHED)
def test_pipeline_on_punctuation_only(gaz: Gazetteer, text: str, published: str | None) -> None:
    article = extract_article(text, published=published, gazetteer=gaz)
    check_article(text, article, published)
    assert article.places == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NEWS_ARTICLE, published=PUBLISHED)
@example(
    text="Russian forces shelled Kharkiv on Monday, killing at least 3 civilians. "
    "Kyiv said 12 people were injured.",
    published="2024-11-05",
)
def test_pipeline_on_news_like_text(gaz: Gazetteer, text: str, published: str | None) -> None:
    check_article(text, extract_article(text, published=published, gazetteer=gaz), published)


@FAST
@given(text=NEWS, case=st.sampled_from([str.upper, str.lower, str.title, str.swapcase]))
def test_pipeline_on_recased_news(gaz: Gazetteer, text: str, case) -> None:
    text = case(text)
    check_article(text, extract_article(text, published="2024-11-05", gazetteer=gaz), "2024-11-05")


@FAST
@given(text=NEWS, noise=ARBITRARY, published=PUBLISHED)
def test_pipeline_on_news_with_noise(
    gaz: Gazetteer, text: str, noise: str, published: str | None
) -> None:
    text = text + noise + text
    check_article(text, extract_article(text, published=published, gazetteer=gaz), published)


@FAST
@given(text=TWINNED, published=PUBLISHED)
@example(text="Russian forces shelled Kyiv on ſunday.", published="2024-11-05")
def test_pipeline_on_case_twins(gaz: Gazetteer, text: str, published: str | None) -> None:
    check_article(text, extract_article(text, published=published, gazetteer=gaz), published)


@FAST
@given(text=NEWS_ARTICLE, published=PUBLISHED)
def test_pipeline_is_deterministic(gaz: Gazetteer, text: str, published: str | None) -> None:
    first = extract_article(text, published=published, gazetteer=gaz).to_dict()
    assert extract_article(text, published=published, gazetteer=gaz).to_dict() == first


@FAST
@given(text=NEWS, published=PUBLISHED)
def test_resolution_only_mode_keeps_given_spans(
    gaz: Gazetteer, text: str, published: str | None
) -> None:
    spans = [{"start": t.start, "end": t.end} for t in tokenize(text)[:10]]
    article = extract_article(text, published=published, gazetteer=gaz, mentions=spans)
    check_article(text, article, published)
    assert len(article.places) == len(spans)


@FAST
@given(
    text=st.one_of(NEWS, ARBITRARY).filter(bool),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), max_size=8),
    published=PUBLISHED,
)
def test_resolution_only_mode_with_any_spans(
    gaz: Gazetteer, text: str, cuts: list[tuple[float, float]], published: str | None
) -> None:
    """Overlapping, nested, mid-word or whitespace spans: resolved as given, never a crash."""
    spans = []
    for a, b in cuts:
        s, e = sorted((int(a * len(text)), int(b * len(text))))
        if s < e:
            spans.append({"start": s, "end": e})
    article = extract_article(text, published=published, gazetteer=gaz, mentions=spans)
    check_article(text, article, published)


@SLOW
@given(text=NEWS_ARTICLE, published=PUBLISHED)
def test_pipeline_with_real_gazetteer(real_gaz: Gazetteer, text: str, published: str | None):
    check_article(text, extract_article(text, published=published, gazetteer=real_gaz), published)


# --------------------------------------------------------------------------- parts


@FAST
@given(text=st.one_of(ARBITRARY, NEWS))
def test_tokens_and_sentences_lie_in_the_text(text: str) -> None:
    for t in tokenize(text):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
    bounds = sentence_bounds(text)
    assert bounds[0] == 0 and bounds == sorted(bounds) and bounds[-1] <= len(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(ARBITRARY, NEWS_ARTICLE, TWINNED), published=PUBLISHED)
@example(text="on ſunday, tueſday, Frıday or Frİday", published="2024-11-05")  # were KeyErrors
def test_find_dates_spans(text: str, published: str | None) -> None:
    check_spans(text, published)
    span = resolve_sentence_date(text, published=published)
    check_span(span, published)
    dl = dateline_date(text, year_hint=2024)
    assert dl is None or isinstance(dl, date)


@FAST
@given(
    text=st.one_of(ARBITRARY, NEWS),
    published=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)
def test_find_dates_at_the_ends_of_the_calendar(text: str, published: date) -> None:
    check_spans(text, published.isoformat())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(ARBITRARY, NEWS, TWINNED))
@example(text="killed twenty-ſix people; no caſualties")  # "ſ" matched "s" (was 20, not 26)
def test_casualties(text: str) -> None:
    cas = parse_casualties(text)
    for count, phrase in ((cas.fatalities, cas.fatalities_text), (cas.injured, cas.injured_text)):
        assert count is None or (type(count) is int and count >= 0)
        assert (count is None) == (phrase is None)
    n = parse_number(text)
    assert n is None or (type(n) is int and n >= 0)


@FAST
@given(text=st.one_of(ARBITRARY, NEWS, TWINNED), has_cas=st.booleans())
@example(text="Ruſſia's army and Ukraıne's forces clashed", has_cas=False)  # was a KeyError
def test_events_and_actors(text: str, has_cas: bool) -> None:
    match = classify_clause(text, has_casualties=has_cas)
    if match is not None:
        assert match.event_type in EVENT_TYPES
        assert 0 <= match.start <= match.end <= len(text)
        assert text[match.start : match.end] == match.trigger
    actors = find_actors(text)
    for a in actors:
        assert 0 <= a.start < a.end <= len(text)
    for etype in EVENT_TYPES:
        pair_actors(text, actors, event_type=etype)


# --------------------------------------------------------------------------- pathological input


@settings(max_examples=4, deadline=None)
@given(
    unit=st.sampled_from(["Kyiv, ", "Russia and ", "Ukrainian, "]),
    verb=st.sampled_from(["shelled", "attacked", "troops"]),
)
def test_long_lists_of_names_take_linear_time(unit: str, verb: str) -> None:
    """A list of names not followed by a verb was re-read from each name (quadratic: 3,000
    names took 36 s in find_actors)."""
    text = unit * 3000 + verb
    t0 = time.perf_counter()
    find_actors(text)
    assert time.perf_counter() - t0 < 5.0


@settings(max_examples=3, deadline=None)
@given(space=st.sampled_from([" ", "\t", "\u00a0"]))
def test_long_runs_of_spaces_take_linear_time(gaz: Gazetteer, space: str) -> None:
    """The clause splitter rescanned a run of spaces from each position (quadratic: 20,000
    spaces took 6 s)."""
    text = "Police killed" + space * 30_000 + "3 people in Kyiv."
    t0 = time.perf_counter()
    check_article(text, extract_article(text, published="2024-11-05", gazetteer=gaz), "2024-11-05")
    assert time.perf_counter() - t0 < 5.0
