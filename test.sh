#!/usr/bin/env bash
# Quickstart 2/2: install dev tools into ./.venv, then lint, format-check and run every test.
#   ./test.sh                     -> everything (CI runs exactly this via .ci/run)
#   ./test.sh -m "not e2e" -x     -> extra arguments go to pytest
# The browser test needs Debian's /usr/bin/chromium, and the admin-1 boundary tests QGIS's world
# map from Debian's qgis-common (Natural Earth's states and provinces, nothing downloaded at run
# time); as root this script installs them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/venv.sh
source scripts/venv.sh

ensure_venv requirements-dev.txt

debs=()
[ -x /usr/bin/chromium ] || debs+=(chromium)
[ -f /usr/share/qgis/resources/data/world_map.gpkg ] || debs+=(qgis-common)
if [ "${#debs[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing ${debs[*]} with apt-get"
        apt-get update -qq
        if [[ " ${debs[*]} " == *" chromium "* ]]; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
        fi
        if [[ " ${debs[*]} " == *" qgis-common "* ]]; then
            # the data alone: its recommends are the QGIS desktop, which nothing here needs
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                qgis-common
        fi
    else
        echo "warning: ${debs[*]} missing and this is not root: the browser and admin-1 tests" \
            "will be skipped (and fail under CI=true). Install: sudo apt-get install ${debs[*]}" >&2
    fi
fi

echo "==> ruff check"
.venv/bin/ruff check .
echo "==> ruff format --check"
.venv/bin/ruff format --check .
echo "==> pytest"
exec .venv/bin/python -m pytest "$@"
