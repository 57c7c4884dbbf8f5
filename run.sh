#!/usr/bin/env bash
# Quickstart 1/2: install Dateline into ./.venv (first run only) and start the map app.
#   ./run.sh                      -> http://localhost:8501
#   PORT=8600 ./run.sh            -> another port; extra arguments go to `streamlit run`
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
echo "==> starting Dateline on http://localhost:${PORT:-8501}"
exec .venv/bin/python -m streamlit run app.py \
    --server.headless true \
    --server.port "${PORT:-8501}" \
    --browser.gatherUsageStats false \
    --server.fileWatcherType none \
    "$@"
