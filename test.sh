#!/usr/bin/env bash
# The one command that runs every test, the real-browser ones included, on a fresh
# Debian 12 machine: installs Debian's Chromium, CJK fonts, poppler-utils, nginx, openssl and
# systemd-analyze if missing (deploy/ is tested: nginx in front of two app processes, the units),
# creates .venv and installs requirements-dev.txt, then runs pytest.
#   ./test.sh                 all tests
#   ./test.sh -m "not e2e"    everything but the browser tests (any pytest arguments pass through)
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '[test.sh] %s\n' "$*" >&2; }

# Run a command as root: directly when root, through sudo when available.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root (or sudo) to run: $*"
        return 1
    fi
}

# Run quietly; on failure show the tail of what it printed.
quietly() {
    local out rc=0
    out="$(mktemp)"
    "$@" >"$out" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        log "failed ($rc): $*"
        tail -n 40 "$out" >&2
    fi
    rm -f "$out"
    return "$rc"
}

system_packages_missing() {
    command -v chromium >/dev/null 2>&1 || return 0
    command -v pdftoppm >/dev/null 2>&1 || return 0
    command -v fc-list >/dev/null 2>&1 || return 0
    [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || return 0
    command -v openssl >/dev/null 2>&1 || return 0
    command -v systemd-analyze >/dev/null 2>&1 || return 0
    # (no `grep -q`: with pipefail, an early exit would SIGPIPE fc-list and look like a miss)
    [ -n "$(fc-list ':lang=zh' family 2>/dev/null | grep -i 'CJK')" ] || return 0
    return 1
}

if system_packages_missing; then
    log "installing Debian packages: chromium fonts-noto-cjk fonts-droid-fallback poppler-utils nginx openssl systemd"
    export DEBIAN_FRONTEND=noninteractive
    quietly as_root apt-get update
    # nginx: Debian 12's smallest build with gzip, proxy, upstream hash and WebSocket (nginx-light
    # only adds the echo module); the tests run it on loopback ports of their own, never as a service.
    # systemd: only for `systemd-analyze verify` of deploy/systemd (Debian 12 images have it already).
    quietly as_root apt-get install -y --no-install-recommends \
        chromium fonts-noto-cjk fonts-droid-fallback poppler-utils nginx openssl systemd
fi

# --- Python environment -------------------------------------------------------------
venv_ok() { [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys' >/dev/null 2>&1; }

if ! venv_ok; then
    log "creating .venv"
    rm -rf .venv
    if ! python3 -m venv .venv 2>/dev/null; then
        # Debian's system python needs python3-venv for ensurepip.
        rm -rf .venv
        quietly as_root apt-get update
        quietly as_root apt-get install -y --no-install-recommends python3-venv
        python3 -m venv .venv
    fi
fi

stamp=.venv/.req-stamp
want="$( { .venv/bin/python --version; cat requirements*.txt; } | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    log "installing requirements-dev.txt into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
    printf '%s\n' "$want" >"$stamp"
fi

# --- axe-core (the resident pages' accessibility check, tests/e2e/axe.py) --------------
# From npm into the git-ignored .cache/axe; Debian's nodejs+npm when npm is missing.
AXE_VERSION=4.14.1
AXE_DIR=.cache/axe/node_modules/axe-core
if [ ! -s "$AXE_DIR/axe.min.js" ] || ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/package.json"; then
    if ! command -v npm >/dev/null 2>&1; then
        log "installing Debian packages: nodejs npm"
        export DEBIAN_FRONTEND=noninteractive
        quietly as_root apt-get update
        quietly as_root apt-get install -y --no-install-recommends nodejs npm
    fi
    log "installing axe-core $AXE_VERSION from npm into .cache/axe"
    mkdir -p .cache/axe
    quietly npm install --no-save --no-audit --no-fund --prefix .cache/axe "axe-core@$AXE_VERSION"
fi

# Playwright drives Debian's /usr/bin/chromium (tests/e2e/conftest.py); never `playwright install`.
rc=0
.venv/bin/python -m pytest -q "$@" || rc=$?
exit "$rc"
