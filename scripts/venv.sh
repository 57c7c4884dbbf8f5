# Sourced by run.sh and test.sh: `ensure_venv REQUIREMENTS_FILE` makes ./.venv (Python >= 3.11)
# and installs the file's packages into it, skipping pip when nothing changed since last time.
# Override the interpreter with PYTHON=/path/to/python3.11.

_find_python() {
    local cand
    for cand in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$cand" ] || continue
        if command -v "$cand" >/dev/null 2>&1 &&
            "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$cand"
            return 0
        fi
    done
    echo "error: Python >= 3.11 not found (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

_make_venv() {
    local py
    py="$(_find_python)"
    rm -rf .venv
    if "$py" -m venv .venv 2>/dev/null; then
        return 0
    fi
    # Debian/Ubuntu split venv/ensurepip into a package of its own.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        local ver
        ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        echo "==> installing python${ver}-venv with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${ver}-venv" ||
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        rm -rf .venv
        "$py" -m venv .venv
        return 0
    fi
    echo "error: '$py -m venv' failed; install your distribution's python3-venv package" >&2
    return 1
}

ensure_venv() {
    local req="$1" stamp sum
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys' 2>/dev/null; then
        echo "==> creating .venv"
        _make_venv
    fi
    stamp=".venv/.installed-$(basename "$req")"
    sum="$(cat "$req" requirements*.txt | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
        return 0
    fi
    echo "==> installing $req into .venv"
    .venv/bin/python -m pip install --quiet -r "$req"
    echo "$sum" >"$stamp"
}
