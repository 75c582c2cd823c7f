#!/bin/sh
# The hub container's program (Dockerfile, target hub): migrate, write the subgraphs' SDL
# for the gateway, serve. tests/hub/test_compose.py runs this same script against a test
# database, with the environment docker-compose.yml gives the container.
set -eu
qhub db upgrade
# one instance writes the subgraphs' SDL (QHUB_SDL_DIR set), naming itself (QHUB_SUBGRAPH_URL)
if [ -n "${QHUB_SDL_DIR:-}" ]; then
  qhub federation sdl --hub-url "${QHUB_SUBGRAPH_URL:-${QHUB_PUBLIC_URL:-http://hub:8000}}" \
    --out-dir "$QHUB_SDL_DIR"
fi
exec qhub serve --host "${QHUB_HOST:-0.0.0.0}" --port "${QHUB_PORT:-8000}" \
  --workers "${QHUB_WORKERS:-1}"
