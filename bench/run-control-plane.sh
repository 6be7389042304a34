#!/usr/bin/env bash
# Control-plane benchmark: command round trip (REST call -> state visible in GET) and a batch stop
# of 200 running jobs, on the local stack (real Kafka, real PostgreSQL, the services as processes).
# Takes a few minutes; prints a table and writes bench/results/control-plane-<date>.json.
#
#   bench/run-control-plane.sh [--actions 1000] [--warmup 100] [--batch-size 200] [--batch-rounds 3]
#                              [--keep] [--out FILE.json]
#
# --keep leaves the stack's work dir (/tmp/dms-bench-*) with the services' logs for a look afterwards.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

needs_build() {
  [[ -f bench/target/bench.jar ]] || return 0
  compgen -G "devstack/kafka-libs/target/lib/*.jar" >/dev/null || return 0
  local s
  for s in job-orchestrator job-api; do
    [[ -f "$s/target/quarkus-app/quarkus-run.jar" ]] || return 0
  done
  return 1
}

if needs_build; then
  echo "run-control-plane: building (mvn -B -q install -DskipTests) ..."
  mvn -B -q install -DskipTests
fi

exec java -cp "bench/target/bench.jar:bench/target/lib/*" dms.bench.ControlPlaneBench "$@"
