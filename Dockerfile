# syntax=docker/dockerfile:1
# Qoricancha Hub images, built by docker-compose.yml (nothing is installed when a
# container starts):
#   hub      the Python service (qhub serve), with GraphiQL's assets
#   gateway  Hive Gateway with the hub's federation configuration
# Both run as an unprivileged user; secrets arrive as files (/run/secrets, QHUB_*_FILE).

FROM node:20-slim AS graphiql-assets
WORKDIR /build/graphiql
COPY graphiql/package.json graphiql/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.12-slim AS hub
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    QHUB_DATA_DIR=/var/lib/qhub
WORKDIR /app
COPY pyproject.toml README.md ./
COPY hub hub
COPY auth auth
COPY services services
COPY schema schema
COPY resolvers resolvers
COPY models models
COPY federation/__init__.py federation/compose.py federation/gateway.py federation/
COPY console/__init__.py console/
COPY console/public console/public
# editable: the hub finds console/public and graphiql/ beside its package, as in a checkout
RUN pip install -e .
COPY graphiql/init.js graphiql/page.css graphiql/
COPY --from=graphiql-assets /build/graphiql/node_modules graphiql/node_modules
COPY scripts/container-hub.sh /usr/local/bin/qhub-container
RUN useradd --system --uid 10001 --home-dir /var/lib/qhub qhub \
    && mkdir -p /var/lib/qhub /var/lib/qhub-keys /srv/sdl \
    && chown qhub /var/lib/qhub /var/lib/qhub-keys /srv/sdl
USER qhub
EXPOSE 8000
CMD ["qhub-container"]

FROM node:20-slim AS gateway
ENV NODE_ENV=production
WORKDIR /app/federation
COPY federation/package.json federation/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY federation/compose.mjs federation/gateway.config.mjs federation/honest_failures.mjs \
     federation/hub_instances.mjs ./
COPY scripts/container-gateway.sh /usr/local/bin/gateway-container
USER node
EXPOSE 4000
CMD ["gateway-container"]
