#!/usr/bin/env bash
# Quick start, command two: install everything the tests need, then run the whole suite.
# Extra arguments go to pytest (e.g. -k policy, -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/bootstrap.sh test
for dir in tests/js federation console graphiql site; do
  if [ -f "$dir/package.json" ] && [ ! -d "$dir/node_modules" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
echo "== console: operations checked against the role contracts, built output up to date"
(cd console && node tools/build.mjs --check)
echo "== site: operations checked against the public/applicant contracts, built output up to date"
(cd site && node tools/build.mjs --check)
echo "== ruff"; .venv/bin/ruff check .
echo "== mypy (strict for services/ and auth/)"; .venv/bin/mypy services auth hub resolvers schema
echo "== pytest"; .venv/bin/pytest -q "$@"
if [ $# -eq 0 ]; then
  # The GraphQL tests once more with the compiled executor switched off: both executors
  # must pass the same tests (the differential test already runs both side by side).
  echo "== pytest, GraphQL tests on graphql-core alone (QHUB_EXECUTOR=graphql-core)"
  QHUB_EXECUTOR=graphql-core .venv/bin/pytest -q tests/hub tests/auth tests/resolvers \
    --deselect tests/hub/test_executor_differential.py --deselect tests/hub/test_db_faults.py
fi
