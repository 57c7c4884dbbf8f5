#!/usr/bin/env bash
# Quickstart 1/2: install Dateline into ./.venv (first run only) and start the map app.
#   ./run.sh                      -> http://localhost:8501
#   PORT=8600 ./run.sh            -> another port; extra arguments go to `streamlit run`
#   DATELINE_WATCH=0 ./run.sh     -> without the feed watcher (it follows the feeds of the
#                                    Feeds page; log in data/watcher.log)
#   (the source-file watcher is off: restart after editing code, or pass
#    --server.fileWatcherType auto)
# The first page load builds the gazetteer index (about a minute); later starts take seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/venv.sh
source scripts/venv.sh

ensure_venv requirements.txt

# the map's admin-1 boundaries: QGIS's world map from Debian's qgis-common (data only)
if [ ! -f /usr/share/qgis/resources/data/world_map.gpkg ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing qgis-common with apt-get (admin-1 boundaries)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            qgis-common || echo "warning: no qgis-common: the map has no admin-1 boundaries" >&2
    else
        echo "note: without qgis-common the map has no admin-1 boundaries" \
            "(sudo apt-get install --no-install-recommends qgis-common)" >&2
    fi
fi
# the feed watcher (python -m extract watch) runs beside the app and stops with it
watch_pid=""
if [ "${DATELINE_WATCH:-1}" != 0 ]; then
    log="${DATELINE_WATCH_LOG:-data/watcher.log}"
    mkdir -p "$(dirname "$log")"
    echo "==> starting the feed watcher (log: $log; DATELINE_WATCH=0 ./run.sh leaves it off)"
    .venv/bin/python -m extract watch --stop-with-parent >>"$log" 2>&1 &
    watch_pid=$!
fi
stop_watcher() {
    if [ -n "$watch_pid" ]; then
        kill "$watch_pid" 2>/dev/null || true
        wait "$watch_pid" 2>/dev/null || true
    fi
}
trap stop_watcher EXIT
echo "==> starting Dateline on http://localhost:${PORT:-8501}"
# in the background, so that a TERM or Ctrl-C reaches the traps at once (bash runs them only
# after a foreground command ends); stopping the app then stops the watcher too
.venv/bin/python -m streamlit run app.py \
    --server.headless true \
    --server.port "${PORT:-8501}" \
    --browser.gatherUsageStats false \
    --server.fileWatcherType none \
    "$@" &
app_pid=$!
trap 'kill -TERM "$app_pid" 2>/dev/null; wait "$app_pid"; exit 143' TERM
trap 'kill -INT "$app_pid" 2>/dev/null; wait "$app_pid"; exit 130' INT
wait "$app_pid"
