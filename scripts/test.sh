#!/usr/bin/env bash
# The test command: static checks, policy checks, then unit + integration + e2e tests
# against a real Neo4j, OPA and S3 stack (profile "test", ports shifted by 10000).
set -euo pipefail
venv="${1:-.venv}"
bin="$venv/bin"
export MODELGRAPH_PROFILE="${MODELGRAPH_TEST_PROFILE:-test}"

"$bin/modelgraph" stack up
trap '"$bin/modelgraph" stack down || true' EXIT

echo "== ruff"; "$bin/ruff" check app modelgraph tests $([ -d bench ] && echo bench)
echo "== mypy"; "$bin/mypy"
echo "== graphql schema is current"; "$bin/modelgraph" export-schema --check
echo "== generated client is current"; bash scripts/codegen.sh --check
bash scripts/policy-check.sh
echo "== migrate"; "$bin/modelgraph" migrate
echo "== pytest"
status=0
"$bin/python" -m pytest "${@:2}" || status=$?
if [ "$status" -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi
exit "$status"
