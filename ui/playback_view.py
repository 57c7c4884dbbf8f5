"""The playback export in the app: the map view stepped through a date range, as an animated
GIF, an MP4 or a WebM (:func:`geodata.maps.playback.write_playback`), with a progress bar."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from geodata.errors import DatelineError
from geodata.maps.frame_plan import STEPS, WINDOWS
from geodata.maps.playback import PLAYBACK_FORMATS, write_playback
from geodata.maps.snapshot import MapView, find_browser, no_browser_message
from geodata.view import clamp_date
from ui import data, state

__all__ = ["FPS_CHOICES", "playback_controls"]

#: Frames per second offered: 0.5× to 8× the default speed of 1 frame a second.
FPS_CHOICES = (0.5, 1.0, 2.0, 4.0, 8.0)
_WINDOW_LABELS = {"rolling": "that step only", "cumulative": "everything up to it"}
_MIME = {"gif": "image/gif", "mp4": "video/mp4", "webm": "video/webm"}


def playback_controls(
    source: Any, mv: MapView, *, lo: date | None, hi: date | None, key: str, stem: str
) -> None:
    """Options and a "Make playback" button; the file made last is offered for download.

    Parameters
    ----------
    source
        The store (the live view: its filters are asked for each step) or the incident rows
        (a snapshot).
    mv
        The view drawn: framing, layers, title, filters.
    lo, hi
        The dates the range may cover (the first and last incident).
    key
        Makes the widget keys unique per view.
    stem
        The download's file name without suffix.
    """
    if lo is None or hi is None:
        st.caption("No dated incident to play back.")
        return
    if find_browser() is None:
        st.caption(no_browser_message())
        return
    prefix = f"{state.PLAYBACK_KEY_PREFIX}{key}_"
    c_from, c_to = st.columns(2)
    first = c_from.date_input(
        "From",
        value=clamp_date(mv.start or lo, lo, hi),
        min_value=lo,
        max_value=hi,
        key=f"{prefix}from",
    )
    last = c_to.date_input(
        "To", value=clamp_date(mv.end or hi, lo, hi), min_value=lo, max_value=hi, key=f"{prefix}to"
    )
    step = st.segmented_control(
        "Step", list(STEPS), default="week", required=True, key=f"{prefix}step"
    )
    window = st.radio(
        "Each frame shows",
        list(WINDOWS),
        format_func=_WINDOW_LABELS.get,
        horizontal=True,
        key=f"{prefix}window",
    )
    fmt = st.segmented_control(
        "Format",
        list(PLAYBACK_FORMATS),
        format_func=str.upper,
        default="gif",
        required=True,
        key=f"{prefix}format",
    )
    fps = st.select_slider("Frames per second", FPS_CHOICES, value=2.0, key=f"{prefix}fps")
    signature = (repr(mv.to_dict()), first, last, step, window, fmt, fps)
    made_key = f"{prefix}made"
    if st.button("Make playback", key=f"{prefix}make", icon=":material/movie:"):
        bar = st.progress(0.0, text="Drawing the frames in a headless browser…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Frame {done} of {total}")

        with tempfile.TemporaryDirectory(prefix="dateline-playback-") as tmp:
            out = Path(tmp) / f"playback{PLAYBACK_FORMATS[str(fmt)]}"
            try:
                made = write_playback(
                    source,
                    out,
                    mv,
                    start=first,
                    end=last,
                    step=str(step),
                    window=str(window),
                    fps=float(fps),
                    progress=progress,
                )
                st.session_state[made_key] = (signature, out.read_bytes(), made.frames)
            except DatelineError as exc:
                data.show_error(exc, "Cannot make the playback")
        bar.empty()
    stored = st.session_state.get(made_key)
    if isinstance(stored, tuple) and stored[0] == signature:
        _, payload, frames = stored
        st.download_button(
            f"Download {str(fmt).upper()} ({frames} frames)",
            data=payload,
            file_name=f"{stem}{PLAYBACK_FORMATS[str(fmt)]}",
            mime=_MIME[str(fmt)],
            key=f"{prefix}download",
            icon=":material/download:",
            on_click="ignore",
            type="primary",
            width="stretch",
        )
