#!/usr/bin/env bash
# Set up and run kg: a virtualenv with kg, a local Neo4j (fetched once with Maven), the
# schema, the bundled sample of arXiv records, then the GraphQL server. Flags go to `kg up`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec kg up "$@"
