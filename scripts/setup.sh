#!/usr/bin/env bash
# Create the virtualenv and install modelgraph with its test, stack and browser-test extras, and
# Debian's chromium for the web UI's browser tests (Playwright drives it; it downloads no browser).
set -euo pipefail
python="${1:-python3}"
venv="${2:-.venv}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: Python 3.11+ is required (found: $("$python" --version 2>&1))" >&2
  exit 2
fi
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== installing Debian's chromium for the browser tests"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev,stack,browser,mlflow,examples]'
