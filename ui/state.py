"""Every session-state key of the app, and their sync with the URL's query parameters.

The URL holds only what differs from the defaults, e.g.
``?date=2024-11-03&window=week&type=Battles&q=kursk&cluster=1``, so a view can be shared as a
link. Filters live here, shared by the Map and Incidents pages. The view's parameters are
always written together from the session state (:func:`url_params`), never one by one into the
query string a run started with, which can be older than the last update the browser got.

Query parameters: ``date`` (YYYY-MM-DD), ``window`` (day, week, month, all), ``type``,
``country``, ``actor`` (repeatable), ``q`` (text search), ``minfat`` (minimum fatalities),
``tiles=osm``, ``cluster=1``, ``heat=1``, ``places=1`` (faint places without incidents),
``center=LAT,LON`` and ``zoom=Z`` (the map's position, as the map last reported it),
``snapshot=ID`` (a saved snapshot, shown read-only instead of the live map) and, on the
Incidents page, ``missing=any|date|place`` (only the incidents the map cannot draw: without a
date, a point, or either; the Map page links there with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from geodata.dates import iso_date
from geodata.errors import InputError
from geodata.maps.snapshot import MapView
from geodata.view import DEFAULT_WINDOW, WINDOWS, DateWindow, IncidentFilter, clamp_date

__all__ = [
    "ACTORS_KEY",
    "ADD_ARTICLE_KEY",
    "ADD_DATE_KEY",
    "ADD_ERRORS_KEY",
    "ADD_FEEDS_KEY",
    "ADD_FILES_KEY",
    "ADD_PENDING_KEY",
    "ADD_RESULT_KEY",
    "ADD_TEXT_KEY",
    "ADD_TITLE_KEY",
    "ADD_URL_KEY",
    "ARTICLES_PAGE_KEY",
    "ARTICLES_SEARCH_KEY",
    "ARTICLES_TABLE_KEY",
    "ARTICLE_OPEN_KEY",
    "CLUSTER_KEY",
    "COUNTRIES_KEY",
    "DATE_KEY",
    "DELETE_ARTICLE_KEY_PREFIX",
    "DOWNLOAD_KEY_PREFIX",
    "FEED_ACTION_KEY_PREFIX",
    "FEED_ADD_KEY",
    "FEED_DONE_KEY",
    "FEED_INTERVAL_KEY",
    "FEED_LANGUAGE_KEY",
    "FEED_NAME_KEY",
    "FEED_PICK_KEY",
    "FEED_TAGS_KEY",
    "FEED_URL_KEY",
    "FETCH_KEY",
    "FIX_DONE_KEY",
    "FIX_DROP_KEY_PREFIX",
    "FIX_ENTRY_KEY_PREFIX",
    "FIX_MENTION_KEY_PREFIX",
    "FIX_QUERY_KEY_PREFIX",
    "FIX_SAVE_KEY_PREFIX",
    "HEAT_KEY",
    "INC_MISSING_KEY",
    "INC_WINDOW_KEY",
    "INGEST_KEY",
    "LAST_CLICK_KEY",
    "LIVE_INTERVAL",
    "LIVE_KEY",
    "MAP_KEY",
    "MAP_POSITION_KEY",
    "MAP_TARGET_KEY",
    "MIN_FAT_KEY",
    "MISSING_CHOICES",
    "MISSING_PARAM",
    "PLACES_KEY",
    "OPEN_ARTICLE_KEY_PREFIX",
    "PLAYING_KEY",
    "PLAY_KEY",
    "SNAPSHOT_PARAM",
    "SNAP_DELETE_KEY_PREFIX",
    "SNAP_FORM_KEY",
    "SNAP_MAP_KEY",
    "SNAP_NOTE_KEY",
    "SNAP_RENAME_KEY_PREFIX",
    "SNAP_SAVED_KEY",
    "SNAP_TITLE_KEY",
    "EXPORT_KEY_PREFIX",
    "PLAYBACK_KEY_PREFIX",
    "PLAY_TICK_KEY",
    "PLAY_SPEEDS",
    "SPEED_KEY",
    "STEP_CHOICES",
    "STEP_KEY",
    "READ_FEED_KEY",
    "READ_FILES_KEY",
    "READ_TEXT_KEY",
    "REEXTRACT_DONE_KEY",
    "REEXTRACT_KEY_PREFIX",
    "REEXTRACT_SCOPE_KEY",
    "SELECTED_KEY",
    "STEP_BACK_KEY",
    "STEP_FWD_KEY",
    "TABLE_KEY",
    "TIMELINE_KEY",
    "TEXT_KEY",
    "TILES_KEY",
    "TYPES_KEY",
    "WINDOW_KEY",
    "MapLayers",
    "LiveView",
    "TimeView",
    "date_chosen",
    "ensure_date",
    "filters",
    "init_state",
    "live",
    "live_changed",
    "live_news",
    "require_app",
    "live_view",
    "play_interval",
    "map_position",
    "map_target",
    "note_map_position",
    "note_explorer_run",
    "map_layers",
    "follow_missing_param",
    "missing_changed",
    "table_missing",
    "select",
    "selected",
    "set_date",
    "set_playing",
    "share_link",
    "step_unit",
    "show_only_snapshot",
    "snapshot_id",
    "sync_query_params",
    "time_view",
    "url_params",
]

# --- widget and state keys -------------------------------------------------------------------
#: Filters (sidebar): event types, countries (ISO alpha-2), actors (lists of str).
TYPES_KEY = "dl_types"
COUNTRIES_KEY = "dl_countries"
ACTORS_KEY = "dl_actors"
#: Filter: words that must all occur in the sentence, place, actors or a source title.
TEXT_KEY = "dl_text"
#: Filter: minimum fatalities (int, 0 = no filter).
MIN_FAT_KEY = "dl_min_fatalities"
#: Map layers: OSM tiles, marker clustering, density grid, faint places without incidents.
TILES_KEY = "dl_osm_tiles"
CLUSTER_KEY = "dl_cluster"
HEAT_KEY = "dl_heat"
PLACES_KEY = "dl_faint_places"
#: Time scrubber: the date (datetime.date) and the window ending on it (see WINDOWS).
DATE_KEY = "dl_date"
WINDOW_KEY = "dl_window"
#: True while Play advances the date.
PLAYING_KEY = "dl_playing"
#: The incident row (dict) clicked on the map or chosen in the table.
SELECTED_KEY = "dl_selected"
#: Incidents page: limit the table to the map's time window.
INC_WINDOW_KEY = "dl_incidents_in_window"
#: Incidents page: all incidents, or only those the map cannot draw (a MISSING_CHOICES key).
INC_MISSING_KEY = "dl_incidents_missing"
#: Add articles page: pasted text, URL, publication date, last result.
ADD_TEXT_KEY = "dl_add_text"
ADD_URL_KEY = "dl_add_url"
ADD_DATE_KEY = "dl_add_published"
ADD_RESULT_KEY = "dl_add_result"
#: Map page: time of the last Play step; the last map click seen (its tooltip text).
PLAY_TICK_KEY = "dl_play_last_tick"
#: Play speed (a PLAY_SPEEDS value: steps per PLAY_INTERVAL) and the step of ◀/▶ and Play
#: (a STEP_CHOICES key: the window's length, or a day, week or month whatever the window).
SPEED_KEY = "dl_play_speed"
STEP_KEY = "dl_play_step"
LAST_CLICK_KEY = "dl_last_map_click"
#: Map page buttons, and the map component.
STEP_BACK_KEY = "dl_step_back"
STEP_FWD_KEY = "dl_step_fwd"
PLAY_KEY = "dl_play"
MAP_KEY = "map"
#: The timeline chart (a click on a bar selects its day: the date jumps there).
TIMELINE_KEY = "dl_timeline"
#: Incidents page: the table (its row selection) and the download buttons (+ format).
TABLE_KEY = "dl_incident_table"
DOWNLOAD_KEY_PREFIX = "dl_download_"
#: Add articles page: records read and waiting, reader messages, inputs and buttons.
ADD_PENDING_KEY = "dl_add_pending"
ADD_ERRORS_KEY = "dl_add_errors"
ADD_TITLE_KEY = "dl_add_title"
ADD_FILES_KEY = "dl_add_files"
ADD_FEEDS_KEY = "dl_add_feeds"
READ_TEXT_KEY = "dl_read_text"
READ_FILES_KEY = "dl_read_files"
READ_FEED_KEY = "dl_read_feed"
FETCH_KEY = "dl_fetch"
INGEST_KEY = "dl_ingest"
ADD_ARTICLE_KEY = "dl_add_article"
#: Place fixes (Add articles and Articles pages): the mention picker (+ article id), then the
#: gazetteer query, entry and buttons (+ article id and the mention's span, so a choice never
#: carries over to another mention), and the message shown after a fix.
FIX_MENTION_KEY_PREFIX = "dl_fix_mention_"
FIX_QUERY_KEY_PREFIX = "dl_fix_query_"
FIX_ENTRY_KEY_PREFIX = "dl_fix_entry_"
FIX_SAVE_KEY_PREFIX = "dl_fix_save_"
FIX_DROP_KEY_PREFIX = "dl_fix_drop_"
FIX_DONE_KEY = "dl_fixed"
#: Articles page: the article open, the list's search box, page and table (+ the ids listed),
#: re-extraction (scope, buttons + what, the message after a run) and deleting (+ article id).
ARTICLE_OPEN_KEY = "dl_article_open"
ARTICLES_SEARCH_KEY = "dl_articles_search"
ARTICLES_PAGE_KEY = "dl_articles_page"
ARTICLES_TABLE_KEY = "dl_articles_table"
REEXTRACT_SCOPE_KEY = "dl_reextract_scope"
REEXTRACT_KEY_PREFIX = "dl_reextract_"
REEXTRACT_DONE_KEY = "dl_reextracted"
DELETE_ARTICLE_KEY_PREFIX = "dl_delete_article_"
#: "Open the article" under an incident's sources (+ incident id and article id).
OPEN_ARTICLE_KEY_PREFIX = "dl_open_article_"
#: Map page, Live: the toggle, and how many incidents the store held when it was turned on.
LIVE_KEY = "dl_live"
_LIVE_BASE_KEY = "dl_live_base"
#: Seconds between two looks at the store for new incidents while Live is on.
LIVE_INTERVAL = 10.0
#: Feeds page: the add form (address, name, interval, language, tags, button), the feed chosen
#: in the list, its buttons (+ action and feed id), and the message after an action.
FEED_URL_KEY = "dl_feed_url"
FEED_NAME_KEY = "dl_feed_name"
FEED_INTERVAL_KEY = "dl_feed_interval"
FEED_LANGUAGE_KEY = "dl_feed_language"
FEED_TAGS_KEY = "dl_feed_tags"
FEED_ADD_KEY = "dl_feed_add"
FEED_PICK_KEY = "dl_feed_pick"
FEED_ACTION_KEY_PREFIX = "dl_feed_"
FEED_DONE_KEY = "dl_feed_done"
#: Map position: as the map last reported it (``((lat, lon), zoom)``), and the position the
#: map was asked to show (from the URL at the start of the session).
MAP_POSITION_KEY = "dl_map_position"
MAP_TARGET_KEY = "dl_map_target"
#: Save snapshot form (title, note) and the id of the snapshot saved last in this session.
SNAP_FORM_KEY = "dl_snap_form"
SNAP_TITLE_KEY = "dl_snap_title"
SNAP_NOTE_KEY = "dl_snap_note"
SNAP_SAVED_KEY = "dl_snap_saved"
#: A snapshot's map; the Snapshots page's rename inputs and delete buttons (+ snapshot id).
SNAP_MAP_KEY = "snapshot_map"
SNAP_RENAME_KEY_PREFIX = "dl_snap_rename_"
SNAP_DELETE_KEY_PREFIX = "dl_snap_delete_"
#: Export controls (+ where they are and what): PNG size inputs, the PNG made last.
EXPORT_KEY_PREFIX = "dl_export_"
#: Prefix of the playback export's widgets (options, the button, the file made last).
PLAYBACK_KEY_PREFIX = "dl_playback_"
_INIT_KEY = "dl_state_initialized"
#: The ``missing`` query parameter as last seen (a new value sets INC_MISSING_KEY).
_MISSING_SEEN_KEY = "dl_missing_param_seen"
_DATE_CHOSEN_KEY = "dl_date_chosen"
#: The Map page's runs so far, and the run count when the app last set the slider's date
#: itself (``None`` once a later run showed that the browser has it; see note_explorer_run).
_RUNS_KEY = "dl_explorer_runs"
_DATE_SENT_KEY = "dl_date_sent_at_run"

#: Window choices: label shown → days (None: everything up to the date).

_Q_DATE, _Q_WINDOW, _Q_TYPE, _Q_COUNTRY, _Q_ACTOR = "date", "window", "type", "country", "actor"
_Q_TEXT, _Q_MINFAT, _Q_TILES, _Q_CLUSTER, _Q_HEAT, _Q_PLACES = (
    "q",
    "minfat",
    "tiles",
    "cluster",
    "heat",
    "places",
)
_Q_CENTER, _Q_ZOOM = "center", "zoom"
#: ``live=1``: the Map page follows the newest data (see :func:`live_changed`).
_Q_LIVE = "live"
#: The query parameter naming a saved snapshot.
SNAPSHOT_PARAM = "snapshot"
#: The Incidents page's query parameter for MISSING_CHOICES (all but "all").
MISSING_PARAM = "missing"
#: Incidents page choices: "all", or a ``missing=`` of
#: :meth:`geodata.store.event_store.Store.incidents` (what an incident lacks to be drawn on the
#: map) → its label.
MISSING_CHOICES: dict[str, str] = {
    "all": "All",
    "any": "Not on the map",
    "date": "Undated",
    "place": "Without a place",
}
#: The query parameters of the live view, written together by :func:`sync_query_params`.
_VIEW_PARAMS = frozenset(
    {_Q_DATE, _Q_WINDOW, _Q_TYPE, _Q_COUNTRY, _Q_ACTOR, _Q_TEXT, _Q_MINFAT, _Q_TILES}
    | {_Q_CLUSTER, _Q_HEAT, _Q_PLACES, _Q_CENTER, _Q_ZOOM, _Q_LIVE}
)
_LIST_PARAMS = {_Q_TYPE: TYPES_KEY, _Q_COUNTRY: COUNTRIES_KEY, _Q_ACTOR: ACTORS_KEY}
_FLAG_PARAMS = {_Q_CLUSTER: CLUSTER_KEY, _Q_HEAT: HEAT_KEY, _Q_PLACES: PLACES_KEY}


#: The map's position: ``((lat, lon), zoom)``.
MapPosition = tuple[tuple[float, float], int]


@dataclass(frozen=True, slots=True)
class MapLayers:
    """What the map draws besides the incidents."""

    osm_tiles: bool = False
    cluster: bool = False
    heat: bool = False
    faint_places: bool = False


@dataclass(frozen=True, slots=True)
class TimeView:
    """The scrubber: a date and the window ending on it."""

    day: date | None
    window: str = DEFAULT_WINDOW
    playing: bool = False
    bounds: DateWindow = field(default_factory=DateWindow)


@dataclass(frozen=True, slots=True)
class LiveView:
    """The live map's whole state, typed once: what the URL holds (:func:`sync_query_params`
    writes it), what the store is asked (:attr:`query`), and what a share link, a snapshot and
    an export carry (:meth:`map_view`)."""

    time: TimeView
    filters: IncidentFilter
    layers: MapLayers
    position: MapPosition | None

    @property
    def query(self) -> IncidentFilter:
        """The store filter of the view: the sidebar filters within the time window."""
        return self.filters.within(self.time.bounds)

    def map_view(self, *, title: str = "", note: str = "") -> MapView:
        """The view as a :class:`~geodata.maps.snapshot.MapView` (window, filters, map
        position, layers) for exports and snapshots."""
        return MapView(
            title=title.strip() or "Dateline incidents",
            note=note.strip(),
            start=self.time.bounds.start,
            end=self.time.bounds.end,
            filters=self.filters,
            center=self.position[0] if self.position else None,
            zoom=self.position[1] if self.position else None,
            cluster=self.layers.cluster,
            heat=self.layers.heat,
        )

    def saved_view(self, *, title: str, note: str) -> dict[str, Any]:
        """What a snapshot stores of the view: :meth:`map_view`'s dict with the scrubber's
        date and window, so the live map can be restored from it."""
        saved = self.map_view(title=title, note=note).to_dict()
        saved["date"] = self.time.day.isoformat() if self.time.day else None
        saved["window"] = self.time.window
        return saved


#: Seconds between two Play steps at 1×.
PLAY_INTERVAL = 1.5
#: Play speeds offered (0.5× to 8×): label → steps per PLAY_INTERVAL. The widget's values are
#: the labels (strings), which every client sends back as they are.
PLAY_SPEEDS = {"0.5×": 0.5, "1×": 1.0, "2×": 2.0, "4×": 4.0, "8×": 8.0}
#: What one step moves by.
STEP_CHOICES = {"window": "Window", "day": "Day", "week": "Week", "month": "Month"}


# --- pure helpers ------------------------------------------------------------------------------


def _parse_date(value: str | None) -> date | None:
    try:
        return iso_date(value)
    except InputError:
        return None  # a hand-edited link: the view falls back to the newest data


def _parse_position(center: str | None, zoom: str | None) -> MapPosition | None:
    """``((lat, lon), zoom)`` from ``center=LAT,LON`` and ``zoom=Z``, or ``None`` if invalid."""
    try:
        lat, lon = (float(v) for v in (center or "").split(","))
        z = int(zoom or "")
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -540 <= lon <= 540 and 0 <= z <= 20):
        return None
    return (lat, lon), z


def _parse_int(value: str | None) -> int:
    try:
        return max(0, int(value)) if value else 0
    except ValueError:
        return 0


# --- session state -----------------------------------------------------------------------------


def require_app() -> None:
    """Make sure a page runs inside ``app.py`` (its navigation, sidebar and state).

    Called first by every page. On a fresh server, Streamlit keeps its legacy "pages folder"
    mode until ``app.py`` has called ``st.navigation`` once; if the first request names a page
    (a bookmarked ``/incidents?…`` after a restart), that mode runs the page script alone:
    no sidebar, no filters from the link. Switch the mode off and run again, through ``app.py``,
    on the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def init_state() -> None:
    """Seed the session state from the query parameters, once per session."""
    if st.session_state.get(_INIT_KEY):
        return
    params = st.query_params
    for name, key in _LIST_PARAMS.items():
        values = [v.strip() for raw in params.get_all(name) for v in raw.split(",")]
        st.session_state[key] = list(dict.fromkeys(v for v in values if v))
    st.session_state[TEXT_KEY] = params.get(_Q_TEXT, "")
    st.session_state[MIN_FAT_KEY] = _parse_int(params.get(_Q_MINFAT))
    st.session_state[TILES_KEY] = params.get(_Q_TILES) == "osm"
    for name, key in _FLAG_PARAMS.items():
        st.session_state[key] = params.get(name) in ("1", "true", "on", "yes")
    window = params.get(_Q_WINDOW)
    st.session_state[WINDOW_KEY] = window if window in WINDOWS else DEFAULT_WINDOW
    wanted = _parse_date(params.get(_Q_DATE))
    if wanted is not None:
        st.session_state[DATE_KEY] = wanted  # before the slider exists: not _put_date
        st.session_state[_DATE_CHOSEN_KEY] = True
    position = _parse_position(params.get(_Q_CENTER), params.get(_Q_ZOOM))
    st.session_state[MAP_TARGET_KEY] = position
    st.session_state[MAP_POSITION_KEY] = position
    st.session_state[PLAYING_KEY] = False
    st.session_state[LIVE_KEY] = params.get(_Q_LIVE) in ("1", "true", "on", "yes")
    if st.session_state[LIVE_KEY]:
        st.session_state.pop(_DATE_CHOSEN_KEY, None)  # live: the newest date, whatever the link
    st.session_state[SPEED_KEY] = "1×"
    st.session_state[STEP_KEY] = "window"
    st.session_state[INC_WINDOW_KEY] = True
    st.session_state[INC_MISSING_KEY] = "all"
    follow_missing_param()
    st.session_state[_INIT_KEY] = True


def filters() -> IncidentFilter:
    """The current sidebar filters."""
    ss = st.session_state
    try:
        min_fat = max(0, int(ss.get(MIN_FAT_KEY) or 0))
    except (TypeError, ValueError):
        min_fat = 0
    return IncidentFilter(
        types=tuple(ss.get(TYPES_KEY) or ()),
        countries=tuple(ss.get(COUNTRIES_KEY) or ()),
        actors=tuple(ss.get(ACTORS_KEY) or ()),
        text=str(ss.get(TEXT_KEY) or ""),
        min_fatalities=min_fat,
    )


def _missing_param() -> str | None:
    value = st.query_params.get(MISSING_PARAM)
    return value if value in MISSING_CHOICES and value != "all" else None


def follow_missing_param() -> None:
    """Set the Incidents page's choice from ``?missing=`` when the parameter is new (a link
    from the Map page); otherwise the session keeps the user's choice. Call before the widget
    is drawn."""
    value = _missing_param()
    if value == st.session_state.get(_MISSING_SEEN_KEY):
        return
    st.session_state[_MISSING_SEEN_KEY] = value
    if value is not None:
        st.session_state[INC_MISSING_KEY] = value


def missing_changed() -> None:
    """Put the Incidents page's choice into the URL (the widget's callback)."""
    value = table_missing()
    _write_url({MISSING_PARAM: value})
    st.session_state[_MISSING_SEEN_KEY] = value


def table_missing() -> str | None:
    """The Incidents page's choice as the store's ``missing=`` (``None``: all incidents)."""
    value = st.session_state.get(INC_MISSING_KEY)
    return value if value in MISSING_CHOICES and value != "all" else None


def map_layers() -> MapLayers:
    ss = st.session_state
    return MapLayers(
        osm_tiles=bool(ss.get(TILES_KEY, False)),
        cluster=bool(ss.get(CLUSTER_KEY, False)),
        heat=bool(ss.get(HEAT_KEY, False)),
        faint_places=bool(ss.get(PLACES_KEY, False)),
    )


def ensure_date(lo: date, hi: date) -> date:
    """The scrubber date, defaulting to the last date and kept within ``[lo, hi]``."""
    current = st.session_state.get(DATE_KEY)
    if not isinstance(current, date) or not st.session_state.get(_DATE_CHOSEN_KEY):
        current = hi  # until the user picks a date, follow the newest data
    current = clamp_date(current, lo, hi)
    if DATE_KEY not in st.session_state:
        st.session_state[DATE_KEY] = current  # the slider is new: no older date can come back
    elif st.session_state[DATE_KEY] != current:
        # only a change: setting the slider sends its value to the browser, which would pull
        # the thumb back from a key press still on its way
        _put_date(current)
    if st.session_state.get(WINDOW_KEY) not in WINDOWS:
        st.session_state[WINDOW_KEY] = DEFAULT_WINDOW
    return current


def time_view() -> TimeView:
    """The scrubber's date, window and bounds (call :func:`ensure_date` first)."""
    day = st.session_state.get(DATE_KEY)
    day = day if isinstance(day, date) else None
    window = st.session_state.get(WINDOW_KEY, DEFAULT_WINDOW)
    window = window if window in WINDOWS else DEFAULT_WINDOW
    return TimeView(
        day=day,
        window=window,
        playing=bool(st.session_state.get(PLAYING_KEY, False)),
        bounds=DateWindow.ending(day, window),
    )


def live_view() -> LiveView:
    """The live map's state (call :func:`ensure_date` first)."""
    return LiveView(time_view(), filters(), map_layers(), map_position())


def play_interval() -> float:
    """Seconds between two Play steps at the chosen speed."""
    return PLAY_INTERVAL / PLAY_SPEEDS.get(st.session_state.get(SPEED_KEY), 1.0)


def step_unit() -> str:
    """What ◀/▶ and Play move by: the chosen step, or the window's length (a week for "up to
    date")."""
    unit = st.session_state.get(STEP_KEY, "window")
    return unit if unit in STEP_CHOICES and unit != "window" else time_view().window


def set_date(day: date) -> None:
    """Move the scrubber (before its slider is drawn in this run, or from a callback) and put
    the date into the URL (a date chosen so ends Live)."""
    st.session_state[LIVE_KEY] = False
    _put_date(day)
    st.session_state[_DATE_CHOSEN_KEY] = True
    sync_query_params()


def _put_date(day: date) -> None:
    """Set the slider's date from the app (Streamlit sends the value to the browser), and note
    the run: until a later run shows that the browser has it, a date the slider sends back may
    be from before it (see :func:`date_chosen`)."""
    st.session_state[DATE_KEY] = day
    st.session_state[_DATE_SENT_KEY] = st.session_state.get(_RUNS_KEY, 0)


def note_explorer_run() -> None:
    """Count a run of the Map page's scrubber: call it once per run, after Play's step and
    before the slider is drawn.

    Every request from the browser carries the slider's value. A run after the one that set
    the slider, whose request did not bring another date (the slider's callback did not run),
    shows that the browser has the app's date; from then on a date the slider sends is the
    user's own move, and :func:`date_chosen` takes it as it is.
    """
    runs = st.session_state.get(_RUNS_KEY, 0)
    sent = st.session_state.get(_DATE_SENT_KEY)
    if sent is not None and sent < runs:
        st.session_state[_DATE_SENT_KEY] = None
    st.session_state[_RUNS_KEY] = runs + 1


def set_playing(playing: bool) -> None:
    st.session_state[PLAYING_KEY] = bool(playing)
    if playing:
        st.session_state[LIVE_KEY] = False  # Play moves through the past: not live


def live() -> bool:
    """Whether the Map page follows the newest data (Live)."""
    return bool(st.session_state.get(LIVE_KEY))


def live_changed() -> None:
    """The Live toggle's callback: on, the date follows the newest data and Play stops; the
    incidents stored now are the base "new" ones are counted from. Off: the date stays."""
    if st.session_state.get(LIVE_KEY):
        st.session_state[PLAYING_KEY] = False
        st.session_state.pop(_DATE_CHOSEN_KEY, None)
        st.session_state.pop(_LIVE_BASE_KEY, None)
    else:
        day = st.session_state.get(DATE_KEY)
        if isinstance(day, date):
            st.session_state[_DATE_CHOSEN_KEY] = True  # keep the day it showed in the link
    sync_query_params()


def live_news(stored: int) -> int:
    """How many incidents arrived since Live was turned on (``stored``: how many the store
    holds now; the first call sets the base)."""
    base = st.session_state.get(_LIVE_BASE_KEY)
    if not isinstance(base, int) or base > stored:
        st.session_state[_LIVE_BASE_KEY] = base = stored
    return stored - base


def selected() -> dict[str, Any] | None:
    value = st.session_state.get(SELECTED_KEY)
    return value if isinstance(value, dict) else None


def select(row: dict[str, Any] | None) -> None:
    st.session_state[SELECTED_KEY] = dict(row) if row else None


def _view_params() -> dict[str, list[str]]:
    """The live view's query parameters as the session state has them (only what differs
    from the defaults)."""
    live = live_view()
    f, layers, view = live.filters, live.layers, live.time
    day = view.day if st.session_state.get(_DATE_CHOSEN_KEY) else None  # else: the newest
    params: dict[str, list[str]] = {
        _Q_DATE: [day.isoformat()] if day is not None else [],
        _Q_WINDOW: [view.window] if view.window != DEFAULT_WINDOW else [],
        _Q_TYPE: list(f.types),
        _Q_COUNTRY: list(f.countries),
        _Q_ACTOR: list(f.actors),
        _Q_TEXT: [f.text.strip()] if f.text.strip() else [],
        _Q_MINFAT: [str(f.min_fatalities)] if f.min_fatalities > 0 else [],
        _Q_TILES: ["osm"] if layers.osm_tiles else [],
        _Q_CLUSTER: ["1"] if layers.cluster else [],
        _Q_HEAT: ["1"] if layers.heat else [],
        _Q_PLACES: ["1"] if layers.faint_places else [],
        _Q_LIVE: ["1"] if st.session_state.get(LIVE_KEY) else [],
    }
    if live.position is not None:
        (lat, lon), zoom = live.position
        params[_Q_CENTER] = [f"{lat:.4f},{lon:.4f}"]
        params[_Q_ZOOM] = [str(zoom)]
    return {name: values for name, values in params.items() if values}


def url_params(changes: dict[str, str | None] | None = None) -> dict[str, list[str]]:
    """The query parameters the URL should hold: the whole live view as the session state has
    it, the parameters the view does not own (``missing``, ``snapshot``) as the request had
    them, and ``changes`` (a parameter outside the view, ``None`` to drop it).

    A run's ``st.query_params`` is the query string the browser sent with its request. If the
    URL update of an earlier run was still on its way then, that string is stale: setting one
    parameter in it sends the stale rest back to the address bar (a map position report just
    after a date step put the day before back into the link), and a link built from it is
    stale too. So the view always comes from the state, whole.
    """
    current = {name: st.query_params.get_all(name) for name in st.query_params}
    wanted = {name: values for name, values in current.items() if name not in _VIEW_PARAMS}
    for name, value in (changes or {}).items():
        wanted.pop(name, None)
        if value:
            wanted[name] = [value]
    wanted.update(_view_params())
    return wanted


def _write_url(changes: dict[str, str | None] | None = None) -> None:
    """Make the URL hold :func:`url_params`, in one update."""
    wanted = url_params(changes)
    if wanted != {name: st.query_params.get_all(name) for name in st.query_params}:
        st.query_params.from_dict(wanted)  # (no message when the URL already holds it)


def sync_query_params() -> None:
    """Write the live view into the URL (the widgets' callback; see :func:`url_params`)."""
    _write_url()


def map_position() -> MapPosition | None:
    """Where the map is: ``((lat, lon), zoom)`` as it last reported, or from the URL."""
    value = st.session_state.get(MAP_POSITION_KEY)
    return value if isinstance(value, tuple) else None


def map_target() -> MapPosition | None:
    """The position the session's URL asked for (passed to the map, which moves there)."""
    value = st.session_state.get(MAP_TARGET_KEY)
    return value if isinstance(value, tuple) else None


def note_map_position(reported: dict[str, Any] | None) -> bool:
    """Keep the position the map sent back (``{"center": {"lat", "lng"}, "zoom"}``) and put
    it into the URL; ``True`` if it changed."""
    if not reported or not isinstance(reported.get("center"), dict):
        return False  # the map has not reported yet: its value is the component's default
    try:
        center = reported["center"]
        lat, lon = round(float(center["lat"]), 4), round(float(center["lng"]), 4)
        zoom = int(reported["zoom"])
    except (KeyError, TypeError, ValueError):
        return False
    position = ((lat, lon), zoom)
    if position == map_position():
        return False
    st.session_state[MAP_POSITION_KEY] = position
    sync_query_params()
    return True


def snapshot_id() -> str | None:
    """The snapshot the URL names (``?snapshot=ID``), or ``None`` for the live map."""
    value = st.query_params.get(SNAPSHOT_PARAM)
    return value.strip() if value and value.strip() else None


def show_only_snapshot(snap_id: str) -> None:
    """Make the address bar read ``?snapshot=ID`` alone while a snapshot is open: a reload or a
    copied address then shows the snapshot, not the live view whose parameters it came with."""
    if dict(st.query_params) != {SNAPSHOT_PARAM: snap_id}:
        st.query_params.from_dict({SNAPSHOT_PARAM: snap_id})


def share_link(
    params: dict[str, str | list[str]] | None = None, *, strip_page: str | None = None
) -> str:
    """The absolute link of the current page with ``params`` (default: the current query
    parameters); relative (``?…``) when the app's address is unknown. ``strip_page``: the
    current page's URL path, removed so that the link opens the app's default page."""
    if params is None:
        params = {name: st.query_params.get_all(name) for name in st.query_params}
    query = urlencode(params, doseq=True)
    base = ""
    try:
        base = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (tests, bare mode)
        base = ""
    if base:
        parts = urlsplit(base)
        path = parts.path
        if strip_page and path.rstrip("/").endswith("/" + strip_page):
            path = path.rstrip("/")[: -len(strip_page)]
        base = urlunsplit(parts._replace(path=path or "/", query="", fragment=""))
    return f"{base}?{query}" if query else (base or "?")


def date_chosen() -> None:
    """The slider's callback: the date is the user's (it goes into the URL from now on), and
    the URL follows it.

    While a date the app set (◀ ▶, Play, a timeline click) is on its way to the browser, the
    slider can send back the date from before it with another event: the map's position report
    carries every widget's value. Nothing tells that date from a move, so the app takes it; it
    then sets the slider to it as well (sent back like ◀ ▶'s dates), because the browser
    would otherwise go on showing the app's date while the map and the URL use this one.
    """
    st.session_state[_DATE_CHOSEN_KEY] = True
    if st.session_state.get(_DATE_SENT_KEY) is None:
        # the user took the date: no longer following (a stale value that comes back while
        # the app's newest date is on its way is not the user's choice)
        st.session_state[LIVE_KEY] = False
    elif st.session_state.get(LIVE_KEY):
        st.session_state[_DATE_CHOSEN_KEY] = False
    if st.session_state.get(_DATE_SENT_KEY) is not None and isinstance(
        st.session_state.get(DATE_KEY), date
    ):
        _put_date(st.session_state[DATE_KEY])
    sync_query_params()
