#!/bin/sh
# The gateway container's program (Dockerfile, target gateway): compose the supergraph
# from the SDL the hub wrote, then serve it (never with JIT: see gateway.config.mjs).
set -eu
sdl="${QHUB_SDL_DIR:-/srv/sdl}"
supergraph="${QHUB_SUPERGRAPH:-/tmp/supergraph.graphql}"
node compose.mjs --config "$sdl/subgraphs.json" --out "$supergraph"
exec node node_modules/@graphql-hive/gateway/dist/bin.js supergraph "$supergraph" \
  -c gateway.config.mjs --host 0.0.0.0 --port "${GATEWAY_PORT:-4000}"
