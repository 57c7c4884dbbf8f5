"""Every session-state key of the app, and their sync with the URL's query parameters.

The URL holds only what differs from the defaults, e.g. ``?roles=literal&tiles=osm``, so a
view can be shared as a link.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from extract.article import ROLES

__all__ = [
    "DEFAULT_ROLES",
    "ROLES_KEY",
    "TILES_KEY",
    "MapSettings",
    "init_state",
    "map_settings",
    "sync_query_params",
]

#: Widget key: the place roles shown (list of names from :data:`extract.article.ROLES`).
ROLES_KEY = "dl_roles"
#: Widget key: draw OpenStreetMap tiles (needs internet).
TILES_KEY = "dl_osm_tiles"
_INIT_KEY = "dl_state_initialized"

DEFAULT_ROLES: tuple[str, ...] = ROLES
_Q_ROLES = "roles"
_Q_TILES = "tiles"


@dataclass(frozen=True, slots=True)
class MapSettings:
    """What the map shows."""

    roles: tuple[str, ...]
    osm_tiles: bool


def _roles_from_query(value: str | None) -> list[str]:
    if value is None:
        return list(DEFAULT_ROLES)
    wanted = {v.strip().lower() for v in value.split(",")}
    return [r for r in ROLES if r in wanted]


def init_state() -> None:
    """Seed the session state from the query parameters, once per session."""
    if st.session_state.get(_INIT_KEY):
        return
    params = st.query_params
    st.session_state[ROLES_KEY] = _roles_from_query(params.get(_Q_ROLES))
    st.session_state[TILES_KEY] = params.get(_Q_TILES) == "osm"
    st.session_state[_INIT_KEY] = True


def map_settings() -> MapSettings:
    """The current map settings (call :func:`init_state` first)."""
    roles = st.session_state.get(ROLES_KEY, list(DEFAULT_ROLES))
    return MapSettings(
        roles=tuple(r for r in ROLES if r in roles),
        osm_tiles=bool(st.session_state.get(TILES_KEY, False)),
    )


def sync_query_params() -> None:
    """Write the settings that differ from the defaults into the URL (widget callback)."""
    settings = map_settings()
    if settings.roles != DEFAULT_ROLES:
        st.query_params[_Q_ROLES] = ",".join(settings.roles)
    else:
        st.query_params.pop(_Q_ROLES, None)
    if settings.osm_tiles:
        st.query_params[_Q_TILES] = "osm"
    else:
        st.query_params.pop(_Q_TILES, None)
