#!/usr/bin/env bash
# Quick start, command one: install, then start the demo hub on embedded PostgreSQL.
# Extra arguments go to `qhub serve` (e.g. --port 8080 --host 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# the officers' console: operations checked against the role contracts, then bundled
if [ ! -d console/node_modules ]; then
  (cd console && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd console && node tools/build.mjs)
# the applicants' and public's site: operations checked against the contracts, then bundled
if [ ! -d site/node_modules ]; then
  (cd site && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd site && node tools/build.mjs)
# GraphiQL's assets, served by the hub itself (no CDN)
if [ ! -d graphiql/node_modules ]; then
  (cd graphiql && npm ci --no-audit --no-fund --loglevel=error)
fi
exec .venv/bin/qhub serve --demo "$@"
