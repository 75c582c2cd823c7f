#!/usr/bin/env bash
# Makes ./secrets/ for docker-compose.yml once: a random PostgreSQL password and the hub's
# database URL with it. Existing files are kept (the database already uses them).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p secrets
chmod 700 secrets
if [ ! -f secrets/postgres_password ]; then
  (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > secrets/postgres_password)
fi
if [ ! -f secrets/database_url ]; then
  (umask 077 && printf 'postgresql+psycopg://qhub:%s@postgres:5432/qhub' \
    "$(cat secrets/postgres_password)" > secrets/database_url)
fi
echo "secrets/ listo (no lo versione)."
