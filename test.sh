#!/usr/bin/env bash
# Quickstart 2/2: install dev tools into ./.venv, then lint, format-check and run every test.
#   ./test.sh                     -> everything (CI runs exactly this via .ci/run)
#   ./test.sh -m "not e2e" -x     -> extra arguments go to pytest
# The browser test needs Debian's /usr/bin/chromium; as root this script installs it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/venv.sh
source scripts/venv.sh

ensure_venv requirements-dev.txt

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing chromium with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    else
        echo "warning: /usr/bin/chromium is missing and this is not root: the browser test" \
            "will be skipped (and fails under CI=true). Install it: sudo apt-get install chromium" >&2
    fi
fi

echo "==> ruff check"
.venv/bin/ruff check .
echo "==> ruff format --check"
.venv/bin/ruff format --check .
echo "==> pytest"
exec .venv/bin/python -m pytest "$@"
