#!/usr/bin/env bash
# Run every check kg has: lint, types, and the test suite against a real, separate Neo4j.
# The test instance lives apart from your dev data (its own directory and ports) and is
# left running for the next run; stop it with: scripts/test.sh --stop
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

export KG_NEO4J_HOME="${KG_TEST_NEO4J_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/kg/neo4j-test}"
export KG_BOLT_PORT="${KG_TEST_BOLT_PORT:-17687}"
export KG_HTTP_PORT="${KG_TEST_HTTP_PORT:-17474}"
export KG_NEO4J_URI="bolt://127.0.0.1:${KG_BOLT_PORT}"
unset KG_NEO4J_PASSWORD

if [ "${1:-}" = "--stop" ]; then exec kg neo4j stop; fi

kg neo4j start
failed=()
echo "== ruff";   { ruff check . && ruff format --check .; } || failed+=(ruff)
echo "== mypy";   mypy || failed+=(mypy)
if command -v cargo >/dev/null; then  # the compiled bulk-load steps (native/): lint, unit tests
  echo "== cargo"
  (cd native && export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kg/native-target}" \
    && cargo fmt --check && cargo clippy --quiet -- -D warnings && cargo test --quiet) \
    || failed+=(cargo)
fi
echo "== pytest"; python -m pytest "$@" || failed+=(pytest)
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED: ${failed[*]}"; exit 1; fi
