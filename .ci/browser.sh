#!/usr/bin/env bash
# Browser tests: Debian's headless Chromium (Playwright cannot download its own build here) and
# the npm packages the tests load into pages, each folder pinned by its package-lock.json:
# tests/js (axe-core, for the web pages) and tests/interop/js (LHC-Forms and HL7's FHIR JSON
# schemas, for the FHIR exports). Idempotent and quick when everything is already there.
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
# npm ci only when a lock file changed since the last install
for dir in tests/js tests/interop/js; do
    [ -f "$dir/package-lock.json" ] || continue
    stamp=$dir/node_modules/.lock-installed
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
        # --ignore-scripts: the packages are used as files, no install script is needed
        npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error
        cp "$dir/package-lock.json" "$stamp"
    fi
done
