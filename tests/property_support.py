"""Generators and invariant checks of the property-based tests (``tests/test_properties.py``).

Two kinds of input: arbitrary unicode (control characters, RTL, combining marks, emoji, NUL,
CRLF, very long tokens, punctuation only) and generated "news-like" text built from place
names, numbers, month and weekday names, casualty words and reporting phrases, so that the deep
code paths (dates, casualties, events, actors, resolution) actually run. The checks state the
invariants every extracted record keeps.
"""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import strategies as st

from extract.events.codebook import EVENT_TYPES
from extract.events.timex import PRECISIONS, find_dates
from geodata.records import Article

# --------------------------------------------------------------------------- strategies

# any unicode except lone surrogates (not encodable; a str read from a file never holds them)
_ANY_CHAR = st.characters(blacklist_categories=("Cs",))
_SPECIAL = st.sampled_from(
    [
        "\x00",
        "\r\n",
        "\n",
        "\n\n",
        "\t",
        "\u200f",  # RTL mark
        "\u202e",  # RTL override
        "كييف",
        "שלום",
        "\u0301",  # combining acute
        "e\u0301",
        "\ufeff",
        "💥",
        "🇺🇦",
        "…",
        "—",
        "–",
        "’",
        "“",
        "”",
        "ß",
        "İ",
        "ﬁ",
        "Ⅻ",
        "١٢",  # Arabic-Indic digits
        "２０２４",  # full-width digits
        "x" * 3000,
        "." * 50,
    ]
)
ARBITRARY = st.lists(st.one_of(st.text(_ANY_CHAR, max_size=40), _SPECIAL), max_size=12).map("".join)
PUNCTUATION = st.text(st.sampled_from(list(".,;:!?-–—()[]\"'“”‘’/\\|•…*&%$#@\n\r\t ")))

_PLACES = [
    "Kyiv",
    "Kharkiv",
    "Kursk",
    "Kursk region",
    "Zaporizhzhia",
    "Moscow",
    "Pyongyang",
    "Washington",
    "Seattle",
    "Georgia",
    "Atlanta, Georgia",
    "Tbilisi",
    "Paris",
    "Ukraine",
    "Russia",
    "North Korea",
    "South Korea",
    "Poland",
    "Police",
    "May",
    "Shevchenkivskyi district",
    "Ukrainian",
    "Russians",
    "U.S.",
    "KYIV",
]
_NUMBERS = [
    "0",
    "1",
    "2",
    "12",
    "31",
    "32",
    "99",
    "2023",
    "2024",
    "2025",
    "1900",
    "9999",
    "99999",
    "1,200",
    "123456789012345678901234567890",
    "one",
    "two",
    "three",
    "twenty-one",
    "a hundred",
    "dozens",
    "several",
    "a few",
    "half a dozen",
    "5-7",
    "between 5 and 7",
    "at least",
    "more than",
    "up to",
    "a",
    "no",
    "no one",
]
_TIME = [
    "January",
    "February",
    "May",
    "June",
    "Nov.",
    "Dec",
    "MARCH",
    "Monday",
    "Tuesday",
    "Sunday",
    "today",
    "yesterday",
    "tomorrow",
    "overnight",
    "last week",
    "next week",
    "this month",
    "last year",
    "next year",
    "ago",
    "days",
    "hours",
    "weeks",
    "months",
    "years",
    "since",
    "on",
    "in",
    "by",
    "until",
    "early",
    "mid-",
    "late",
    "the end of",
    "the 20th",
    "the past",
    "the coming",
    "recently",
    "in recent days",
    "this weekend",
    "2024-11-05",
    "2024-02-30",
    "5/11/2024",
    "31.12.2024",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
]
_WORDS = [
    "killed",
    "were killed",
    "injured",
    "wounded",
    "dead",
    "died",
    "hurt",
    "death toll rose to",
    "bodies",
    "people",
    "civilians",
    "soldiers",
    "others",
    "a man",
    "troops",
    "police",
    "protesters",
    "rebels",
    "Russian forces",
    "Ukrainian troops",
    "North Korean",
    "missile",
    "missiles",
    "drone",
    "drones",
    "strike",
    "struck",
    "shelling",
    "shelled",
    "attack",
    "attacked",
    "fired",
    "launched",
    "clashes",
    "fighting",
    "captured",
    "arrested",
    "protest",
    "protested",
    "rally",
    "riot",
    "explosion",
    "blew himself up",
    "Kyiv said",
    "Moscow said",
    "officials said",
    "said on Monday",
    "will",
    "would",
    "may",
    "is expected to",
    "plans to",
    "no casualties",
    "nobody was hurt",
    "the city",
    "there",
    "where",
    "near",
    "outside",
    "north of",
    "in",
    "at",
    "the",
    "and",
    "but",
    "while",
    "as",
    "after",
    "when",
    "of",
    "from",
    "(Reuters)",
    "(AP)",
]
_GLUE = [" ", " ", " ", " ", ", ", ". ", "; ", " - ", " – ", " — ", "\n", "\r\n", "\n\n", ""]

NEWS = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from(_PLACES),
            st.sampled_from(_NUMBERS),
            st.sampled_from(_TIME),
            st.sampled_from(_WORDS),
            st.sampled_from(_WORDS),
        ),
        st.sampled_from(_GLUE),
    ),
    min_size=1,
    max_size=40,
).map(lambda parts: "".join(w + g for w, g in parts))

# grammatical news sentences: actor, event verb, place, date, casualties, attribution
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb.",
    "Sept",
    "Nov.",
    "DEC",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DAY = st.integers(0, 40).map(str)
_YEAR = st.one_of(st.integers(1, 9999), st.integers(1990, 2030)).map(str)
_NUMBER = st.one_of(
    st.integers(0, 10**12).map(str),
    st.integers(1000, 10**7).map("{:,}".format),
    st.sampled_from(_NUMBERS),
)
_WHEN = st.one_of(
    st.builds("on {} {}".format, _DAY, st.sampled_from(_MONTHS)),
    st.builds("on {} {} {}".format, _DAY, st.sampled_from(_MONTHS), _YEAR),
    st.builds("on {} {}, {}".format, st.sampled_from(_MONTHS), _DAY, _YEAR),
    st.builds("in {} {}".format, st.sampled_from(_MONTHS), _YEAR),
    st.builds("since {} {}".format, st.sampled_from(_MONTHS), _YEAR),
    st.builds("in {}".format, _YEAR),
    st.builds("on {}-{:02d}-{:02d}".format, _YEAR, st.integers(0, 13), st.integers(0, 32)),
    st.builds("on {}/{}/{}".format, _DAY, _DAY, _YEAR),
    st.builds(
        "{} {} ago".format,
        _NUMBER,
        st.sampled_from(["hours", "days", "weeks", "months", "years", "day", "year"]),
    ),
    st.builds(
        "in the past {} {}".format, _NUMBER, st.sampled_from(["days", "weeks", "months", "years"])
    ),
    st.builds("in {} {}".format, _NUMBER, st.sampled_from(["days", "weeks", "years"])),
    st.builds(
        "{} {}".format,
        st.sampled_from(["on", "last", "next", "this", "late on", "early", "since", "by", ""]),
        st.sampled_from(_WEEKDAYS),
    ),
    st.builds(
        "{} {}".format,
        st.sampled_from(["in", "since", "early", "mid-", "late", "last", "next", "the end of"]),
        st.sampled_from(_MONTHS),
    ),
    st.sampled_from(_TIME),
)
_ACTOR = st.sampled_from(
    [
        "Russian forces",
        "Ukrainian troops",
        "North Korean soldiers",
        "Police",
        "police",
        "Protesters",
        "Rebels",
        "Gunmen",
        "A suicide bomber",
        "Pyongyang",
        "Moscow",
        "Kyiv",
        "The army",
        "Unidentified attackers",
    ]
)
_VERB = st.sampled_from(
    [
        "shelled",
        "struck",
        "attacked",
        "launched missiles at",
        "fired drones at",
        "launched a ballistic missile from",
        "clashed with Ukrainian troops in",
        "arrested dozens of protesters in",
        "protested in",
        "rioted in",
        "captured",
        "bombed",
        "will strike",
        "plans to attack",
        "did not attack",
        "blew himself up in",
    ]
)
_NOUN = st.sampled_from(["people", "civilians", "soldiers", "children", "others", ""])
_CASUALTIES = st.one_of(
    st.just(""),
    st.builds(", killing {} {}".format, _NUMBER, _NOUN),
    st.builds(", killing {} {} and injuring {}".format, _NUMBER, _NOUN, _NUMBER),
    st.builds(". {} {} were killed and {} wounded".format, _NUMBER, _NOUN, _NUMBER),
    st.builds(". The death toll rose to {}".format, _NUMBER),
    st.just(", but no one was hurt"),
    st.just(". There were no casualties"),
)
_ATTRIB = st.sampled_from(
    ["", ", Kyiv said", ", officials said on Monday", ", Moscow said", " (Reuters)", ", it said"]
)
SENTENCE = st.builds(
    "{} {} {} {}{}{}".format,
    _ACTOR,
    _VERB,
    st.sampled_from(_PLACES),
    _WHEN,
    _CASUALTIES,
    _ATTRIB,
)
STORY = st.lists(
    st.tuples(SENTENCE, st.sampled_from([". ", ".\n", ".\r\n", "\n\n", "! ", "; ", " — "])),
    min_size=1,
    max_size=6,
).map(lambda parts: "".join(s + g for s, g in parts))

# a wire dateline in front of some news-like texts ("KYIV, Nov 5 (Reuters) - ")
_DATELINE = st.sampled_from(
    [
        "",
        "KYIV, Nov 5 (Reuters) - ",
        "KYIV, Nov 5 2024 (Reuters) - ",
        "LONDON, 5 November 2024 — ",
        "WASHINGTON, Tuesday, Nov. 5 (AP) — ",
        "2024-11-05\n",
        "Feb 30, 2024 — ",
    ]
)
NEWS_ARTICLE = st.tuples(_DATELINE, st.one_of(NEWS, STORY, STORY)).map("".join)

# the four non-ASCII letters that re.IGNORECASE matches to ASCII ones ("ſunday" ~ "sunday")
_TWINS = {"s": "ſ", "S": "ſ", "i": "ı", "I": "İ", "k": "\u212a", "K": "\u212a"}


def _twin(text: str, words: set[int]) -> str:
    """``text`` with the twinnable letters of the chosen words replaced."""
    parts = text.split(" ")
    for k in words:
        if k < len(parts):
            parts[k] = "".join(_TWINS.get(c, c) for c in parts[k])
    return " ".join(parts)


TWINNED = st.builds(
    _twin,
    st.one_of(NEWS_ARTICLE, st.sampled_from(_WORDS + _TIME)),
    st.sets(st.integers(0, 30), min_size=1, max_size=4),
)

PUBLISHED = st.one_of(
    st.none(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).map(date.isoformat),
    st.sampled_from(["2024-11-05", "2024-02-29", "2024-12-31", "2025-01-01", "0001-01-01"]),
    st.just("9999-12-31"),
    st.datetimes(min_value=datetime(1900, 1, 1)).map(lambda d: d.isoformat() + "Z"),
)


# --------------------------------------------------------------------------- checks


def _published_of(article: Article, published: str | None) -> str | None:
    """The publication date the extractor used: the given one or the dateline's."""
    return published if published is not None else article.published


def check_article(text: str, article: Article, published: str | None) -> None:
    assert article.text == text
    n = len(text)
    prev = -1
    for p in article.places:
        assert 0 <= p.start < p.end <= n, (p.start, p.end, n)
        assert text[p.start : p.end] == p.text
        assert p.start >= prev  # in text order
        prev = p.start
        assert (p.lat is None) == (p.lon is None)
        if p.lat is not None:
            assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180
    pub = _published_of(article, published)
    for inc in article.incidents:
        assert inc.event_type in EVENT_TYPES
        assert 0 <= inc.start <= inc.end <= n
        assert text[inc.start : inc.end] == inc.sentence
        if inc.place_index is not None:
            assert 0 <= inc.place_index < len(article.places)
            place = article.places[inc.place_index]
            assert (inc.lat, inc.lon, inc.country) == (place.lat, place.lon, place.country)
        for src in inc.sources:
            assert src["sentence"] in text
        for count in (inc.fatalities, inc.injured):
            assert count is None or (type(count) is int and count >= 0), count
        assert inc.date_precision in PRECISIONS
        assert inc.time_precision in (None, 1, 2, 3)
        assert 0.0 <= inc.confidence <= 1.0
        assert inc.geo_precision in (None, 1, 2, 3)
        if inc.date_precision == "unknown":
            assert inc.date is None
        else:
            assert inc.date_start is not None and inc.date_end is not None
            assert inc.date_start <= inc.date <= inc.date_end
        # a future event is not an incident: nothing reported happened after publication
        if pub is not None:
            for d in (inc.date, inc.date_start, inc.date_end):
                assert d is None or d <= pub[:10], (d, pub, inc.sentence)
    article.to_dict(include_text=True)  # serializable records


def check_spans(text: str, published: str | None) -> None:
    found = find_dates(text, published=published)
    prev_end = 0
    for start, end, span in found:
        assert prev_end <= start < end <= len(text)
        prev_end = end
        assert text[start:end] == span.text
        check_span(span, published)


def check_span(span, published: str | None) -> None:
    assert span.precision in PRECISIONS
    assert span.acled_precision in (None, 1, 2, 3)
    if span.precision == "unknown":
        assert span.date is None
        return
    assert span.start <= span.date <= span.end
    if published is not None and not span.future:
        assert span.end <= published[:10], (span, published)
