#!/usr/bin/env bash
# The project's two entry points, for a fresh machine with Python 3.11+ and nothing else:
#   ./dev.sh serve   install, load the bundled corpus into the embedded store, serve the API
#   ./dev.sh test    install (test tools, web assets, a headless browser, Virtuoso 7), run the tests
set -euo pipefail
cd "$(dirname "$0")"

python=${PYTHON:-python3}
venv=.venv

install() {  # $1: the pip extra to install ("" or "test")
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    if [ -n "$1" ]; then
        "$venv/bin/python" -m pip install -q -e ".[$1]"
    else
        "$venv/bin/python" -m pip install -q -e .
    fi
}

# apt waits for another install (a parallel session, unattended-upgrades) instead of failing.
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }

browser() {  # The web page is tested in Debian's headless Chromium; install it where we can.
    if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
        export CCMKG_BROWSER_TESTS=1
    elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing chromium and chromium-driver for the browser tests" >&2
        (apt_get update -qq && apt_get install -y -qq chromium chromium-driver >/dev/null) \
            && export CCMKG_BROWSER_TESTS=1 \
            || echo "could not install chromium: browser tests will be skipped" >&2
    else
        echo "chromium not found and not root: browser tests will be skipped" >&2
    fi
}

web_assets() {  # YASGUI, Swagger UI, ReDoc from the npm registry into web/node_modules (ignored).
    if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing nodejs and npm for the web assets" >&2
        (apt_get update -qq && apt_get install -y -qq nodejs npm >/dev/null) \
            || echo "could not install npm" >&2
    fi
    if ! command -v npm >/dev/null; then
        echo "npm not found: the page keeps a plain SPARQL text box and /docs only links" \
             "/openapi.json (install Node.js and npm, then re-run)" >&2
        return 0
    fi
    # npm ci: exactly the versions of the committed package-lock.json; skipped when current.
    if [ ! -f web/node_modules/.package-lock.json ] \
        || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
        (cd web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null) \
            || echo "npm ci failed in web/: the page falls back to a plain SPARQL text box" >&2
    fi
}

virtuoso() {  # The remote-store suite also runs on Debian's Virtuoso 7; install it where we can.
    command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing virtuoso-opensource for the remote-store tests" >&2
        (apt_get update -qq && apt_get install -y -qq virtuoso-opensource >/dev/null) \
            || echo "could not install virtuoso-opensource: its store tests will fail" >&2
    else
        echo "virtuoso-t not found and not root: the Virtuoso store tests will fail" >&2
    fi
}

case "${1:-}" in
    serve)
        install ""
        web_assets
        shift
        exec "$venv/bin/ccmkg" serve "$@"
        ;;
    test)
        install test
        web_assets
        browser
        virtuoso
        shift
        # Keep compiled bytecode (and pytest's rewritten test modules) between runs even where
        # the environment turns it off: every test process, CLI subprocess and query worker
        # would otherwise compile the project anew (~2.5 s of CPU per pytest process).
        unset PYTHONDONTWRITEBYTECODE
        # Two test processes unless the caller chose (-n, --numprocesses, -p no:xdist): most
        # tests wait on a server, a worker or a subprocess, so two halve the wall time on two
        # cores (stop 25: 726 -> 375 s). One file per process (--dist loadfile), so a module's
        # shared store and server are built once.
        parallel=(-n auto --maxprocesses 2 --dist loadfile)
        for arg in "$@"; do
            case "$arg" in -n | -n* | --numprocesses* | no:xdist) parallel=() ;; esac
        done
        exec "$venv/bin/python" -m pytest -q -p no:cacheprovider \
            ${parallel[@]+"${parallel[@]}"} "$@"
        ;;
    *)
        echo "usage: ./dev.sh serve [ccmkg serve options] | ./dev.sh test [pytest options]" >&2
        exit 64
        ;;
esac
