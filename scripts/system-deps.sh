#!/usr/bin/env bash
# Debian packages the test suite uses as independent checkers and real components.
# Installs only what is missing; quick when everything is present.
set -euo pipefail

declare -A NEEDS=(
  [pdfsig]=poppler-utils
  [pdftoppm]=poppler-utils
  [zbarimg]=zbar-tools
  [certutil]=libnss3-tools
  [softhsm2-util]=softhsm2
  [chromium]=chromium
)
missing=()
for cmd in "${!NEEDS[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEEDS[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "Instalando paquetes del sistema: ${packages[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q >/dev/null
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
