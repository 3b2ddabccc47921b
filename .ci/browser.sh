#!/usr/bin/env bash
# Browser tests: Debian's headless Chromium (Playwright cannot download its own build here) and
# the npm packages the tests inject into pages (tests/js, pinned by package-lock.json).
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=/usr/lib/chromium/chromium-headless-shell
need=()
[ -x "$CHROMIUM" ] || need+=(chromium-headless-shell)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# npm ci only when the lock file changed since the last install
stamp=tests/js/node_modules/.lock-installed
if [ ! -f "$stamp" ] || ! cmp -s tests/js/package-lock.json "$stamp"; then
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
    cp tests/js/package-lock.json "$stamp"
fi
