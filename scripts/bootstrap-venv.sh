#!/usr/bin/env bash
# Create the project's virtual environment with the system python3.
# Debian ships python3 without the venv module (package python3-venv); install it when we can.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python not found. Install Python 3.11 or newer (Debian: apt-get install python3)." >&2
  exit 1
fi
"$python" - <<'PY' || { echo "error: Python 3.11 or newer is needed." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import pip" >/dev/null 2>&1; then
  exit 0
fi
rm -rf "$venv"
if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
  rm -rf "$venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "python3 -m venv failed: installing Debian's python3-venv"
    apt-get update -qq
    ver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${ver}-venv" || \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    "$python" -m venv "$venv"
  else
    echo "error: '$python -m venv' failed. On Debian run: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
