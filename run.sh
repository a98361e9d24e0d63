#!/usr/bin/env bash
# The one command that starts the app on the embedded demo database:
# creates .venv, installs requirements.txt, loads the demo into $DELIBERATION_DB on first
# start (default data/deliberation.db), then serves http://localhost:${PORT:-8501}.
# Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '[run.sh] %s\n' "$*" >&2; }

venv_ok() { [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys' >/dev/null 2>&1; }

if ! venv_ok; then
    log "creating .venv"
    rm -rf .venv
    python3 -m venv .venv
fi

stamp=.venv/.req-stamp-run
want="$( { .venv/bin/python --version; cat requirements.txt; } | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    log "installing requirements.txt into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
    printf '%s\n' "$want" >"$stamp"
fi

export DELIBERATION_DB="${DELIBERATION_DB:-data/deliberation.db}"
if [ ! -e "$DELIBERATION_DB" ]; then
    log "loading the demo cases into $DELIBERATION_DB"
    mkdir -p "$(dirname "$DELIBERATION_DB")"
    if ! .venv/bin/python -m deliberation demo --db "$DELIBERATION_DB"; then
        # Don't leave a half-loaded database behind: the next start retries.
        rm -f "$DELIBERATION_DB" "$DELIBERATION_DB-wal" "$DELIBERATION_DB-shm" "$DELIBERATION_DB-journal"
        log "loading the demo failed"
        exit 1
    fi
fi

exec .venv/bin/streamlit run app.py \
    --server.address "${HOST:-0.0.0.0}" --server.port "${PORT:-8501}" "$@"
