#!/usr/bin/env bash
# Generate the typed GraphQL clients of modelgraph.client (sync and async) from the committed SDL and
# modelgraph/client/operations/*.graphql with ariadne-codegen; `--check` fails when the committed
# code differs from what the generator makes. The generator runs in its own virtualenv (in the cache,
# outside the repo): it needs graphql-core 3.2 while the server's Strawberry needs 3.3.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/modelgraph/codegen-venv"
version="0.19.0"
# The generator formats its output with ruff and reads the SDL with graphql-core: pinned too, so the
# committed code is byte for byte what any machine generates.
pins=("ariadne-codegen==$version" "ruff==0.15.22" "graphql-core==3.2.14")
if ! "$venv/bin/python" -m pip freeze 2>/dev/null | grep -qx "ruff==0.15.22" \
   || ! "$venv/bin/ariadne-codegen" --version 2>/dev/null | grep -q "$version"; then
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
fi
out="modelgraph/client"
if [ "${1:-}" = "--check" ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
for mode in sync async; do
  config="modelgraph/client/codegen/$mode.toml"
  if [ "$out" != "modelgraph/client" ]; then
    sed "s#^target_package_path = .*#target_package_path = \"$out\"#" "$config" > "$out/$mode.toml"
    config="$out/$mode.toml"
  fi
  "$venv/bin/ariadne-codegen" client --config "$config" > /dev/null
done
if [ "${1:-}" = "--check" ]; then
  for mode in sync async; do
    if ! diff -r -x __pycache__ "$out/api_$mode" "modelgraph/client/api_$mode" > /dev/null; then
      echo "modelgraph/client/api_$mode is stale: run scripts/codegen.sh" >&2
      exit 1
    fi
  done
fi
