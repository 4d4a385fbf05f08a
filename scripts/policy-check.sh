#!/usr/bin/env bash
# opa fmt (check), opa check --strict, opa test with coverage >= 90%.
set -euo pipefail
opa="$(.venv/bin/python -c 'from app.config import load_settings; from app.stack.opa import binary; print(binary(load_settings().cache_dir))')"
echo "== opa fmt"
unformatted="$("$opa" fmt --list policies)"
if [ -n "$unformatted" ]; then echo "not formatted (run: opa fmt -w policies): $unformatted" >&2; exit 1; fi
echo "== opa check --strict"; "$opa" check --strict policies
echo "== opa test"; "$opa" test policies
coverage="$("$opa" test policies --coverage --format=json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["coverage"])')"
echo "policy coverage: ${coverage}%"
.venv/bin/python -c "import sys; sys.exit(0 if float('$coverage') >= 90 else 1)" || { echo "policy coverage below 90%" >&2; exit 1; }
