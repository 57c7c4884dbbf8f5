"""The Map page's parts: the time scrubber, the incident map, the clicked incident, the timeline.

Everything below the title runs in one fragment (:func:`render_explorer`): moving the slider,
stepping ◀ ▶, clicking a marker or a Play tick reruns only that fragment. Play sets the
fragment's ``run_every``; the full app reruns when it starts or stops so the timer is set or
cleared.

Incidents the map cannot draw (undated: no window holds them; or without a point) are counted
under the summary, with a list and a link to the Incidents page narrowed to them.

The map is a fresh :func:`geodata.maps.basemap.base_map` each run whose script depends only on the
store's extent and the tile toggle, so the browser keeps its iframe; the incidents travel in
``feature_group_to_add`` and are swapped in place.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geodata.maps.basemap import base_map
from geodata.maps.incidents import EVENT_COLORS, event_color, incident_layer, tooltip_incident_id
from geodata.maps.layers import MapLegend, Reframe
from geodata.view import WINDOW_LABELS, WINDOWS, DateWindow, IncidentFilter, clamp_date, step_date
from ui import data, details, incidents_view, resources, share, state
from ui.state import TimeView
from ui.text import count_label

__all__ = [
    "MAP_HEIGHT",
    "RETURNED_OBJECTS",
    "UNMAPPED_COLUMNS",
    "UNMAPPED_LIST",
    "WEEKLY_ABOVE_DAYS",
    "compact_page",
    "render_explorer",
    "picked_day",
    "render_map",
    "unmapped_label",
]

MAP_HEIGHT = 540
#: The timeline's click selection (its name in the Vega-Lite spec).
_PICK = "pick"
#: The timeline shows weeks instead of days when the data spans more days than this.
WEEKLY_ABOVE_DAYS = 180
#: What the map sends back to the app: a click on a marker (its tooltip, which carries the
#: incident id), and its centre and zoom after the user pans or zooms (for the URL).
RETURNED_OBJECTS = ["last_object_clicked_tooltip", "center", "zoom"]
#: The Map page lists at most this many incidents it cannot draw (the newest; the Incidents
#: page lists them all), with these columns.
UNMAPPED_LIST = 200
UNMAPPED_COLUMNS = [
    "date",
    "event_type",
    "sub_event_type",
    "location",
    "country",
    "fatalities",
    "title",
]


#: Less room above the page's first line (Streamlit leaves 6rem), and a smaller title, so the
#: map starts near the top of a laptop screen.
_COMPACT_CSS = (
    "<style>[data-testid='stMainBlockContainer']{padding-top:2.2rem}"
    "[data-testid='stMainBlockContainer'] h1{font-size:1.6rem;padding:0 0 .2rem 0}</style>"
)


def compact_page() -> None:
    """Make the page's top compact (the Map page's map comes first)."""
    st.html(_COMPACT_CSS)


def render_explorer(view: data.StoreView) -> None:
    """The scrubber, map, details and timeline, as one fragment (auto-rerun while playing)."""
    lo, hi = data.date_range(view)
    if lo is not None and hi is not None:
        if lo >= hi:  # one day of data: the slider needs a range
            lo = hi - timedelta(days=1)
        state.ensure_date(lo, hi)
    timer = _timer(state.time_view().playing and lo is not None)
    run_every = {"play": state.play_interval(), "live": state.LIVE_INTERVAL}.get(timer or "")
    st.fragment(run_every=run_every)(_explorer)(view, lo, hi, timer)


def _timer(playing: bool) -> str | None:
    """What reruns the explorer by itself: Play's steps, Live's looks at the store, or
    nothing."""
    if playing:
        return "play"
    return "live" if state.live() else None


def _explorer(view: data.StoreView, lo: date | None, hi: date | None, timer: str | None) -> None:
    tv = state.time_view()
    playing = tv.playing and lo is not None and hi is not None
    if _timer(playing) != timer:  # Play, Pause, Live pressed, or the end reached: a new timer
        st.rerun(scope="app")
    if playing and lo is not None and hi is not None:
        _tick(tv, lo, hi)
    news = None
    if state.live() and not playing:
        news = state.live_news(int(view.stats.get("incidents") or 0))  # the first sets the base
        _follow_live(view)
    state.note_explorer_run()  # after Play's step, before the slider (see there)
    if lo is not None and hi is not None:
        _scrubber(lo, hi)
    live = state.live_view()
    rows, more = data.incidents(view, live.query)
    rows = data.attach_mentions(view, rows)
    # the map first: controls above it, sharing and details beside it, counts below it
    map_col, side_col = st.columns([3, 1], gap="small")
    with side_col:
        bar = st.container()  # filled after the map: the link needs the position it reports
    with map_col:
        clicked = render_map(view, rows)
    with bar:
        share.share_bar(view, rows, state.live_view())  # with the position the map reported
    with side_col:
        _selection(view, rows, clicked)
    _summary(live.time, rows, more, live.filters, news=news)
    _not_on_map(view, live.filters, windowed=live.time.bounds.end is not None)
    if lo is not None and hi is not None:
        _timeline(view, live.filters, live.time, lo, hi)


# --- time scrubber ----------------------------------------------------------------------------


def _tick(tv: TimeView, lo: date, hi: date) -> None:
    """One Play step, when due (a widget used meanwhile reruns the fragment too)."""
    now = time.monotonic()
    last = st.session_state.get(state.PLAY_TICK_KEY)
    if last is not None and now - last < state.play_interval() * 0.6:
        return
    st.session_state[state.PLAY_TICK_KEY] = now
    assert tv.day is not None
    nxt = step_date(tv.day, state.step_unit(), +1, lo, hi)
    if nxt == tv.day:  # the end: stop
        state.set_playing(False)
        st.rerun(scope="app")
    state.set_date(nxt)


def _follow_live(view: data.StoreView) -> None:
    """Live: when the store has changed since this page was drawn (the feed watcher or an
    ingest added incidents), run the whole page again: the date moves to the newest data and
    the markers change in the same map (no reload, the view kept)."""
    fresh = data.load_store_view(seed=False)
    if fresh.version != view.version:
        news = state.live_news(int(fresh.stats.get("incidents") or 0))
        if news:
            st.toast(f"{_new_incidents(news)} since Live was turned on",
                     icon=":material/rss_feed:")  # fmt: skip
        st.rerun(scope="app")


def _new_incidents(n: int) -> str:
    return f"{n:,} new incident{'s' if n != 1 else ''}"


def _step(direction: int, lo: date, hi: date) -> None:
    tv = state.time_view()
    state.set_playing(False)
    if tv.day is not None:
        state.set_date(step_date(tv.day, state.step_unit(), direction, lo, hi))


def _toggle_play(lo: date, hi: date) -> None:
    tv = state.time_view()
    if tv.playing:
        state.set_playing(False)
        return
    if tv.day is None or tv.day >= hi:  # at the end: start over
        state.set_date(lo)
    st.session_state[state.PLAY_TICK_KEY] = time.monotonic()
    state.set_playing(True)


def _scrubber(lo: date, hi: date) -> None:
    """One row above the map: the date, the window, ◀ ▶ Play and the play options."""
    tv = state.time_view()
    c_date, c_window, c_back, c_fwd, c_play, c_opts, c_live = st.columns(
        [3.6, 3.2, 0.5, 0.5, 1.0, 0.55, 0.9], vertical_alignment="bottom", gap="small"
    )
    c_date.slider(
        "Date",
        min_value=lo,
        max_value=hi,
        step=timedelta(days=1),
        format="YYYY-MM-DD",
        key=state.DATE_KEY,
        on_change=state.date_chosen,
        persist_state="session",
        help="Move the date, pick a window or press Play; click a marker for its details and "
        "sources.",
    )
    with c_window:
        st.segmented_control(
            "Window",
            options=list(WINDOWS),
            format_func=WINDOW_LABELS.get,
            key=state.WINDOW_KEY,
            required=True,
            on_change=state.sync_query_params,
            persist_state="session",
            help="The incidents shown: on the date, in the week or month (30 days) ending on "
            "it, or everything up to it.",
        )
    c_back.button("◀", key=state.STEP_BACK_KEY, help="Step back", on_click=_step, args=(-1, lo, hi))
    c_fwd.button("▶", key=state.STEP_FWD_KEY, help="Step forward", on_click=_step, args=(1, lo, hi))
    c_play.button(
        "Pause" if tv.playing else "Play",
        key=state.PLAY_KEY,
        icon=":material/pause:" if tv.playing else ":material/play_arrow:",
        help="Advance the date step by step until the end",
        on_click=_toggle_play,
        args=(lo, hi),
        type="primary" if tv.playing else "secondary",
    )
    with c_opts.popover("", icon=":material/tune:", help="Step and speed"):
        _play_options()
    c_live.toggle(
        "Live",
        key=state.LIVE_KEY,
        on_change=state.live_changed,
        help="Follow the news: the date stays on the newest data and new incidents (from the "
        "feed watcher or an ingest) appear as they arrive, in the same map.",
    )


def _play_options() -> None:
    st.selectbox(
        "Step",
        list(state.STEP_CHOICES),
        format_func=state.STEP_CHOICES.get,
        key=state.STEP_KEY,
        help="What ◀/▶ and Play move by: the window's length (a week for “Up to date”), or a "
        "day, week or month whatever the window.",
    )
    st.select_slider(
        "Speed",
        options=list(state.PLAY_SPEEDS),
        key=state.SPEED_KEY,
        help=f"Play steps: 1× is one every {state.PLAY_INTERVAL:g} s.",
    )


def _summary(
    tv: TimeView,
    rows: list[dict[str, Any]],
    more: bool,
    filters: IncidentFilter,
    *,
    news: int | None = None,
) -> None:
    when = tv.bounds.words
    # the markers drawn; the incidents without a point are counted by _not_on_map
    located = sum(1 for r in rows if r.get("lat") is not None and r.get("lon") is not None)
    text = f"{count_label(located, bold=True)} {when}"
    if filters.active:
        text += " · filtered"
    if tv.playing:
        text += " · ▶ playing"
    if news is not None:  # Live: what arrived since it was turned on
        text += f" · live, {_new_incidents(news)} since it was turned on"
    st.markdown(text)
    if more:
        st.warning(
            f"Only the newest {data.MAX_MARKERS:,} incidents of this window are drawn. "
            "Narrow the window or the filters to see the others.",
            icon=":material/filter_alt:",
        )


def unmapped_label(counts: dict[str, int], *, windowed: bool = True) -> str:
    """``"3 incidents are not on the map: 2 undated, 1 without a place"`` for the counts of
    :func:`ui.data.missing_counts` (``""`` when every incident is drawn). Without a time
    window (no incident has a date) the undated ones with a point are drawn, so only those
    without a place count."""
    undated = counts.get("date", 0) if windowed else 0
    unplaced = counts.get("place", 0)
    total = counts.get("any", 0) if windowed else unplaced
    if total <= 0:
        return ""
    parts = [f"{undated:,} undated"] if undated else []
    parts += [f"{unplaced:,} without a place"] if unplaced else []
    text = f"{count_label(total)} {'is' if total == 1 else 'are'} not on the map: "
    text += ", ".join(parts)
    both = undated + unplaced - total  # an incident may lack both
    if both > 0:
        text += f" ({both:,} {'lacks' if both == 1 else 'lack'} both)"
    return text


def _not_on_map(view: data.StoreView, filters: IncidentFilter, *, windowed: bool) -> None:
    """The count of matching incidents the map cannot draw at any date, and their list.

    The count is one cached query per store version and filters (not per window): scrubbing
    adds no query, and nothing is drawn when every incident is on the map."""
    counts = data.missing_counts(view, filters)
    label = unmapped_label(counts, windowed=windowed)
    if not label:
        return
    missing = "any" if windowed else "place"
    with st.expander(label, icon=":material/location_off:"):
        where = filters.replace(missing=missing)
        rows, more = data.incidents(view, where, limit=UNMAPPED_LIST)
        st.dataframe(
            incidents_view.table_frame(rows)[UNMAPPED_COLUMNS],
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(rows), 300),
            column_config=incidents_view.column_config(),
        )
        shown = f"The newest {UNMAPPED_LIST:,} are listed. " if more else ""
        st.caption(
            f"{shown}They match the filters; undated ones fit no time window. Their details "
            "and sources are on the Incidents page."
        )
        st.page_link(
            "pages/incidents.py",
            label="Open them on the Incidents page",
            icon=":material/table_rows:",
            query_params={state.MISSING_PARAM: missing},
        )


# --- map ---------------------------------------------------------------------------------------


def render_map(
    view: data.StoreView, rows: list[dict[str, Any]], *, height: int = MAP_HEIGHT
) -> Any:
    """Draw the incidents (with their mention spans, :func:`data.attach_mentions`) on a fresh
    offline map; return what the map sends back (and note its position for the URL)."""
    layers = state.map_layers()
    cluster_ok = resources.markercluster_available()
    m = base_map(
        offline=True,
        asset_url=resources.static_asset_url(),
        tiles=layers.osm_tiles,
        outlines_url=resources.outlines_url(),
        labels_url=resources.labels_url(),
        boundaries_url=resources.boundaries_url(),
        markercluster=cluster_ok,
    )
    MapLegend(EVENT_COLORS).add_to(m)  # on the map, where the eye is
    # fit to every stored incident (not just the shown ones): the map's script then stays the
    # same while scrubbing, and the browser keeps the map
    bounds = data.extent(view)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(24, 24), max_zoom=6)
    faint = data.faint_places(view, rows) if layers.faint_places else None
    group = incident_layer(
        rows, cluster=layers.cluster and cluster_ok, heat=layers.heat, faint_places=faint
    )
    # a new filter moves the map onto what it matches, unless the user moved the map: part of
    # the markers' script, so the map is moved, not reloaded
    filters = state.filters()
    frame = data.extent(view, filters)
    key = repr(filters.to_dict(dates=False))
    Reframe(frame, key=key, active=filters.active).add_to(group)
    # a position from the link moves the map there (without reloading it); the position the
    # map reports after the user pans or zooms goes into the URL
    target = state.map_target()
    out = st_folium(
        m,
        feature_group_to_add=group,
        key=state.MAP_KEY,
        returned_objects=RETURNED_OBJECTS,
        height=height,
        use_container_width=True,
        center=target[0] if target else None,
        zoom=target[1] if target else None,
    )
    state.note_map_position(out)
    return out


def _selection(view: data.StoreView, rows: list[dict[str, Any]], clicked: Any) -> None:
    tip = (clicked or {}).get("last_object_clicked_tooltip")
    if tip and tip != st.session_state.get(state.LAST_CLICK_KEY):
        st.session_state[state.LAST_CLICK_KEY] = tip
        wanted = tooltip_incident_id(tip)
        row = next((r for r in rows if r.get("id") == wanted), None)
        if row is not None:
            state.select(row)
    row = state.selected()
    if row is None:
        st.caption("Click a marker to see the incident and its sources here.")
        return
    with st.container(height=MAP_HEIGHT - 10, border=False):
        details.incident_details(view, row)


# --- timeline ----------------------------------------------------------------------------------


def timeline_chart(
    counts: list[tuple[str, str, int]], tv: TimeView, lo: date, hi: date
) -> alt.LayerChart | None:
    """Incidents per day by type (stacked bars), with the current window shaded.

    Over more than :data:`WEEKLY_ABOVE_DAYS` days the bars are weeks (Monday to Sunday): a
    few hundred bars instead of thousands, for the server that sends the chart on every step
    and for the browser that draws it."""
    if not counts:
        return None
    frame = pd.DataFrame(counts, columns=["day", "event_type", "n"])
    frame["day"] = pd.to_datetime(frame["day"])
    unit = "day"
    if (hi - lo).days > WEEKLY_ABOVE_DAYS:
        unit = "week"
        frame["day"] = frame["day"] - pd.to_timedelta(frame["day"].dt.day_of_week, unit="D")
        frame = frame.groupby(["day", "event_type"], as_index=False)["n"].sum()
    types = sorted(frame["event_type"].unique())
    domain = [pd.Timestamp(lo - timedelta(days=1)), pd.Timestamp(hi + timedelta(days=1))]
    x = alt.X("day:T", title=None, scale=alt.Scale(domain=domain))
    bars = (
        alt.Chart(frame)
        .mark_bar(size=4)
        .encode(
            x=x,
            y=alt.Y("sum(n):Q", title=f"per {unit}"),
            color=alt.Color(
                "event_type:N",
                title=None,
                scale=alt.Scale(domain=types, range=[event_color(t) for t in types]),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("day:T", title=unit if unit == "day" else "week from"),
                alt.Tooltip("event_type:N", title="type"),
                alt.Tooltip("sum(n):Q", title="incidents"),
            ],
        )
    )
    # a click on a bar selects its day (the week's Monday): the date jumps there
    bars = bars.add_params(alt.selection_point(name=_PICK, encodings=["x"], on="click"))
    start, end = tv.bounds
    if end is None:
        return bars.properties(height=170)
    first = start or lo - timedelta(days=1)
    last = end + timedelta(days=1)
    window = pd.DataFrame({"start": [pd.Timestamp(first)], "end": [pd.Timestamp(last)]})
    shade = (
        alt.Chart(window)
        .mark_rect(opacity=0.12, color="#1c7ed6")
        .encode(x=alt.X("start:T", scale=alt.Scale(domain=domain)), x2="end:T")
    )
    rule = (
        alt.Chart(pd.DataFrame({"day": [pd.Timestamp(end)]}))
        .mark_rule(color="#1c7ed6", strokeWidth=2)
        .encode(x=alt.X("day:T", scale=alt.Scale(domain=domain)))
    )
    return alt.layer(shade, bars, rule).properties(height=170)


def _timeline(
    view: data.StoreView, filters: IncidentFilter, tv: TimeView, lo: date, hi: date
) -> None:
    spec = _timeline_spec(view, view.path, view.version, filters, lo, hi)
    if spec is None:
        st.caption("No dated incidents match the filters.")
        return
    # the spec is built once per store version and filters (altair's validation costs more
    # than the rest of a step); a step only moves the shaded window and the rule
    start, end = tv.bounds
    shade, _bars, rule = spec["layer"]
    if end is None:
        spec["layer"] = [_bars]
    else:
        first = start or lo - timedelta(days=1)
        last = end + timedelta(days=1)
        spec["datasets"][shade["data"]["name"]] = [{"start": _iso(first), "end": _iso(last)}]
        spec["datasets"][rule["data"]["name"]] = [{"day": _iso(end)}]
    st.vega_lite_chart(
        spec,
        width="stretch",
        key=state.TIMELINE_KEY,
        on_select=partial(_jump_to_pick, lo, hi),
        selection_mode=_PICK,
    )


def picked_day(selection: Any) -> date | None:
    """The day of the bar a timeline click selected (Vega sends the x value as epoch
    milliseconds, UTC), or ``None``."""
    try:
        points = selection["selection"][_PICK]
        value = points[0]["day"]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _jump_to_pick(lo: date, hi: date) -> None:
    day = picked_day(st.session_state.get(state.TIMELINE_KEY))
    if day is not None:
        state.set_playing(False)
        state.set_date(clamp_date(day, lo, hi))


def _iso(day: date) -> str:
    return datetime.combine(day, datetime.min.time()).isoformat()  # as altair writes dates


@st.cache_data(show_spinner=False, max_entries=16)
def _timeline_spec(
    _view: data.StoreView,
    path: str,
    version: data.Version,
    filters: IncidentFilter,
    lo: date,
    hi: date,
) -> dict[str, Any] | None:
    """The timeline's Vega-Lite spec (shade, bars, rule) for the store's version and filters;
    its window datasets are set per step by :func:`_timeline`."""
    day = TimeView(day=hi, window="day", bounds=DateWindow(hi, hi))
    chart = timeline_chart(data.counts_per_day(_view, filters), day, lo, hi)
    return chart.to_dict() if chart is not None else None
