"""A Streamlit client that speaks the browser's websocket protocol, without rendering.

What the Streamlit 1.67 frontend does, and this client repeats:

- it fetches ``/_stcore/health`` and ``/_stcore/host-config`` first; the health answer sets the
  ``_streamlit_xsrf`` cookie (``server.enableXsrfProtection``);
- it opens ``/_stcore/stream`` with the subprotocols ``["streamlit", <xsrf cookie value>]``
  (the second entry is the token the server checks against the cookie), sending the cookie
  and a same-origin ``Origin`` header;
- its first ``BackMsg`` is ``rerun_script`` with the page's query string, no widget state, no
  page hash and the browser's ``context_info``;
- every later rerun sends the value of every widget on the page (all of them: a widget left
  out would keep its old server value, but the browser always sends the lot), the current query
  string (the app rewrites it through ``page_info_changed``), the page hash from
  ``new_session``, the hashes of the large messages it has cached, and, for a widget inside
  an ``st.fragment``, the fragment's id (only the fragment reruns);
- the server answers ``new_session``, deltas (elements, blocks) and ``script_finished``. A
  cached message comes back as a ``ref_hash`` to be resolved from the client's cache
  (``metadata.cacheable`` messages are cached; entries a run did not use expire after
  ``config.max_cached_message_age`` runs, as in the frontend's ``ForwardMsgCache``).

Widgets inside a popover or a form are not sent (the browser holds their values apart until
the popover opens or the form is submitted); buttons send a trigger only when pressed.

The messages are Streamlit's, declared in :mod:`bench._stream_proto` with the ``protobuf``
package alone: bench/ does not import Streamlit.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from bench._stream_proto import BackMsg, ForwardMsg, WidgetState

__all__ = ["RunResult", "StreamClient", "date_micros", "marker_count"]

INCIDENTS_MARK = "/*dateline-incidents*/"
#: What Chromium reports (``context_info``) in the load test's headless browser.
CONTEXT = {"timezone": "UTC", "timezone_offset": 0, "locale": "en-US", "color_scheme": "light"}
#: What the map component sends when Leaflet is ready (Chromium sends this first, then the
#: position after ``fit_bounds``): a value for the map widget, so later reruns carry one.
MAP_READY = {"last_object_clicked_tooltip": None, "zoom": 2, "center": {"lat": 30, "lng": 20}}
_HIDDEN_BLOCKS = {"popover", "form"}


def date_micros(day: date) -> float:
    """A date slider's value in a ``WidgetState``: microseconds since the epoch at midnight UTC
    (``streamlit.elements.widgets.slider``)."""
    return (day - date(1970, 1, 1)).days * 86_400_000_000.0


def marker_count(json_args: str) -> int | None:
    """Features of the incident layer in an ``st_folium`` element's arguments (None: none)."""
    args = json.loads(json_args)
    for value in args.values():
        if isinstance(value, str) and INCIDENTS_MARK in value:
            start = value.index(INCIDENTS_MARK) + len(INCIDENTS_MARK)
            data, _ = json.JSONDecoder().raw_decode(value, start)
            return len(data["features"])
    return None


@dataclass
class RunResult:
    """One script run as the client saw it."""

    status: int | None = None
    #: seconds from the rerun request to the map element, and to ``script_finished``
    map_s: float | None = None
    done_s: float | None = None
    markers: int | None = None
    #: the date slider's value sent back by the run (set_value), as a date
    slider_day: date | None = None
    errors: list[str] = field(default_factory=list)
    messages: int = 0
    bytes: int = 0


@dataclass
class _Widget:
    kind: str
    path: tuple[int, ...]
    fragment: str
    hidden: bool
    run: str


class StreamClient:
    """One browser-like session on ``/_stcore/stream``.

    Parameters
    ----------
    url
        The app, e.g. ``http://127.0.0.1:8501``.
    timeout_s
        Bound on connecting and on each run.
    """

    def __init__(self, url: str, *, timeout_s: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self.ws: Any = None
        self.query_string = ""
        self.page_hash = ""
        self.max_cache_age = 2
        self.runs = 0
        #: widget id → its state proto (the browser's WidgetStateManager)
        self.values: dict[str, Any] = {}
        self.widgets: dict[str, _Widget] = {}
        self.blocks: dict[tuple[int, ...], str] = {}
        #: hash → [serialized message, run it was last used in, its fragment]
        self.cache: dict[str, list[Any]] = {}
        #: the id of the map component (``st_folium`` with the incident layer)
        self.map_id = ""

    # --- connection -------------------------------------------------------------------------

    async def connect(self) -> None:
        """Fetch the XSRF cookie as the browser does, then open the websocket."""
        from tornado.httpclient import AsyncHTTPClient, HTTPRequest
        from tornado.websocket import websocket_connect

        http = AsyncHTTPClient()
        health = await http.fetch(f"{self.url}/_stcore/health", request_timeout=self.timeout_s)
        await http.fetch(f"{self.url}/_stcore/host-config", request_timeout=self.timeout_s)
        cookies = dict(
            c.split(";", 1)[0].split("=", 1) for c in health.headers.get_list("Set-Cookie")
        )
        token = cookies.get("_streamlit_xsrf", "")
        headers = {"Origin": self.url}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = HTTPRequest(
            self.url.replace("http", "ws", 1) + "/_stcore/stream",
            headers=headers,
            connect_timeout=self.timeout_s,
            request_timeout=self.timeout_s,
        )
        self.ws = await websocket_connect(
            request,
            subprotocols=["streamlit", token or "PLACEHOLDER_AUTH_TOKEN"],
            max_message_size=1 << 30,
        )

    def close(self) -> None:
        """Close the websocket (the server then ends the session)."""
        if self.ws is not None:
            self.ws.close()
            self.ws = None

    # --- widgets ----------------------------------------------------------------------------

    def widget_id(self, key: str) -> str:
        """The id of the widget with user key ``key`` (``$$ID-<hash>-<key>``)."""
        found = [w for w in self.widgets if w.endswith(f"-{key}")]
        if len(found) != 1:
            raise KeyError(f"widget {key!r}: {len(found)} on the page")
        return found[0]

    def fragment_of(self, key: str) -> str:
        """The fragment the widget ``key`` is in ('' when none)."""
        return self.widgets[self.widget_id(key)].fragment

    def set_value(self, key: str, **value: Any) -> None:
        """Set a widget's value as the browser does on input, e.g.
        ``set_value("dl_date", double_array_value=[...])``."""
        wid = self.widget_id(key)
        state = WidgetState(id=wid)
        for name, v in value.items():
            if name.endswith("_array_value"):
                getattr(state, name).data.extend(v)
            else:
                setattr(state, name, v)
        self.values[wid] = state

    def set_component_value(self, wid: str, value: Any) -> None:
        """The value a custom component reports (JSON), as the component's iframe does."""
        self.values[wid] = WidgetState(id=wid, json_value=json.dumps(value))

    def _note_widget(self, path: tuple[int, ...], kind: str, el: Any, frag: str, run: str) -> None:
        wid = getattr(el, "id", "")
        if not wid:
            return
        hidden = bool(getattr(el, "form_id", "")) or any(
            self.blocks.get(path[:k]) in _HIDDEN_BLOCKS for k in range(1, len(path))
        )
        new = wid not in self.widgets
        self.widgets[wid] = _Widget(kind, path, frag, hidden, run)
        if hidden:
            self.values.pop(wid, None)
            return
        if not (new or getattr(el, "set_value", False)):
            return
        state = _widget_state(kind, el)
        if state is not None:
            self.values[wid] = state

    def _drop_stale(self, run: str, fragments: list[str]) -> None:
        """After a run: forget widgets it did not send (in the fragments it reran)."""
        for wid, w in list(self.widgets.items()):
            if w.run != run and (not fragments or w.fragment in fragments):
                del self.widgets[wid]
                self.values.pop(wid, None)

    # --- runs -------------------------------------------------------------------------------

    async def rerun(
        self, *, query_string: str | None = None, fragment: str = "", first: bool = False
    ) -> RunResult:
        """Ask for a run with the current widget values and wait for its end.

        Parameters
        ----------
        query_string
            The page URL's query (default: the one the app set last).
        fragment
            Rerun only this fragment (a widget inside it changed).
        first
            The opening run: no widget state, no page hash (what the browser sends first).
        """
        msg = BackMsg()
        cs = msg.rerun_script
        if query_string is not None:  # the browser went to this URL
            self.query_string = query_string
        cs.query_string = self.query_string
        if not first:
            cs.page_script_hash = self.page_hash
            cs.widget_states.widgets.extend(
                s
                for wid, s in self.values.items()
                if wid in self.widgets and not self.widgets[wid].hidden
            )
            cs.cached_message_hashes.extend(self.cache)
        else:
            cs.widget_states.SetInParent()
        if fragment:
            cs.fragment_id = fragment
        for name, v in CONTEXT.items():
            setattr(cs.context_info, name, v)
        cs.context_info.url = f"{self.url}/"
        cs.context_info.is_embedded = False
        t0 = time.perf_counter()
        await self.ws.write_message(msg.SerializeToString(), binary=True)
        result = await asyncio.wait_for(self._read_run(t0), self.timeout_s)
        # triggers (buttons) last one run in the browser too
        for wid, s in list(self.values.items()):
            if isinstance(s, WidgetState) and s.WhichOneof("value") == "trigger_value":
                del self.values[wid]
        return result

    async def _read_run(self, t0: float) -> RunResult:
        """Read messages until a run finishes for good (not "early for rerun")."""
        result = RunResult()
        run_id, fragments = "", []
        while True:
            data = await self.ws.read_message()
            if data is None:
                raise ConnectionError("the server closed the websocket")
            result.messages += 1
            result.bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            msg = self._resolve(msg, data)
            kind = msg.WhichOneof("type")
            if msg.metadata.HasField("run") and msg.metadata.run.script_run_id:
                run_id = msg.metadata.run.script_run_id
                fragments = list(msg.metadata.run.fragment_ids)
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
                if msg.new_session.config.max_cached_message_age:
                    self.max_cache_age = msg.new_session.config.max_cached_message_age
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta":
                self._delta(msg, run_id, t0, result)
            elif kind == "session_event":
                event = msg.session_event.WhichOneof("type")
                if event == "script_compilation_exception":
                    exc = msg.session_event.script_compilation_exception
                    result.errors.append(f"compile error: {exc.type}: {exc.message}")
            elif kind == "page_not_found":
                result.errors.append("page not found")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                result.status = status
                result.done_s = time.perf_counter() - t0
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    result.errors.append("script finished with a compile error")
                self.runs += 1
                self._drop_stale(run_id, fragments)
                self._expire_cache(fragments)
                return result

    def _resolve(self, msg: Any, data: bytes) -> Any:
        """Cache a cacheable message; replace a ``ref_hash`` by the cached message."""
        if msg.WhichOneof("type") == "ref_hash":
            entry = self.cache.get(msg.ref_hash)
            if entry is None:
                raise RuntimeError(f"cached ForwardMsg missing: {msg.ref_hash}")
            entry[1] = self.runs
            full = ForwardMsg()
            full.ParseFromString(entry[0])
            full.metadata.CopyFrom(msg.metadata)
            return full
        if msg.metadata.cacheable and msg.hash and msg.hash not in self.cache:
            self.cache[msg.hash] = [data, self.runs, msg.delta.fragment_id]
        elif msg.hash in self.cache:
            self.cache[msg.hash][1] = self.runs
        return msg

    def _expire_cache(self, fragments: list[str]) -> None:
        for key, (_, used, frag) in list(self.cache.items()):
            if fragments and frag not in fragments:
                continue
            if self.runs - used > self.max_cache_age:
                del self.cache[key]

    def _delta(self, msg: Any, run_id: str, t0: float, result: RunResult) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        which = delta.WhichOneof("type")
        if which == "add_block":
            self.blocks[path] = delta.add_block.WhichOneof("type") or ""
            return
        if which != "new_element":
            return
        el = delta.new_element
        kind = el.WhichOneof("type")
        sub = getattr(el, kind) if kind else None
        if kind == "exception" and not sub.is_warning:
            result.errors.append(f"exception on the page: {sub.type}: {sub.message[:200]}")
        elif kind == "alert" and sub.format == sub.ERROR:
            result.errors.append(f"error on the page: {sub.body[:200]}")
        elif kind == "component_instance" and INCIDENTS_MARK in sub.json_args:
            result.map_s = time.perf_counter() - t0
            self.map_id = sub.id
            result.markers = marker_count(sub.json_args)
        elif kind == "slider" and sub.id.endswith("-dl_date") and sub.set_value and sub.value:
            micros = int(sub.value[0])
            result.slider_day = datetime.fromtimestamp(micros / 1e6, UTC).date()
        if sub is not None:
            self._note_widget(path, kind, sub, delta.fragment_id, run_id)


def _widget_state(kind: str, el: Any) -> Any:
    """The state the browser keeps for a widget element just received (None: none kept)."""
    s = WidgetState(id=el.id)
    set_value = getattr(el, "set_value", False)
    if kind == "slider" and el.type == el.SELECT_SLIDER:  # its state is the options' labels
        chosen = el.value if set_value else el.default
        s.string_array_value.data.extend(el.options[int(i)] for i in chosen)
    elif kind == "slider":
        s.double_array_value.data.extend(el.value if set_value else el.default)
    elif kind == "checkbox":
        s.bool_value = el.value if set_value else el.default
    elif kind in ("text_input", "text_area"):
        s.string_value = el.value if set_value and el.HasField("value") else el.default
    elif kind == "number_input":
        v = el.value if set_value and el.HasField("value") else el.default
        if el.data_type == el.INT:
            s.int_value = int(v)
        else:
            s.double_value = v
    elif kind == "multiselect":
        chosen = list(el.raw_values) if set_value else [el.options[i] for i in el.default]
        s.string_array_value.data.extend(chosen)
    elif kind == "button_group":
        chosen = list(el.raw_values) if set_value else [el.options[i].content for i in el.default]
        s.string_array_value.data.extend(chosen)
    else:  # buttons (triggers), components (until they report), others the app lacks
        return None
    return s
