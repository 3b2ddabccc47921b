#!/usr/bin/env bash
# Make sure PostgreSQL server binaries (initdb, pg_ctl) exist for the records tests, which
# start their own throwaway server. Idempotent and quiet: does nothing when they are found.
set -euo pipefail

have_postgres() {
    command -v initdb >/dev/null 2>&1 && return 0
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null 2>&1
}

if have_postgres; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "postgres.sh: PostgreSQL server binaries missing; install the 'postgresql' package" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# Debian's package also creates and starts a cluster of its own; the tests do not use it.
apt-get install -y -qq --no-install-recommends postgresql >/dev/null

if ! have_postgres; then
    echo "postgres.sh: installed postgresql but initdb is still not found" >&2
    exit 1
fi
