#!/usr/bin/env bash
# CDC benchmark: apply throughput and lag of the cdc-worker (a real process on the local stack, driven through the
# API) against PostgreSQL's native logical replication (CREATE SUBSCRIPTION, copy_data = false) on the same clusters
# and loads, in the same run: a backlog of single-row inserts, then a pgbench TPC-B load. ~6 minutes at the defaults;
# prints a table and writes bench/results/cdc-<date>.json.
#
#   bench/run-cdc.sh [--rows 500000] [--per-tx 1000] [--warm-up-rows 100000] [--scale 10] [--seconds 60]
#                    [--clients 4] [--scenarios backlog,pgbench] [--keep] [--out FILE.json]
#
# Smoke run: bench/run-cdc.sh --rows 20000 --warm-up-rows 5000 --scale 1 --seconds 10
# --keep leaves the work dir (/tmp/dms-cdc-bench-*) with the services', servers' and pgbench's logs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

needs_build() {
  [[ -f bench/target/bench.jar ]] || return 0
  compgen -G "devstack/kafka-libs/target/lib/*.jar" >/dev/null || return 0
  local s
  for s in job-orchestrator job-api dump-worker cdc-worker; do
    [[ -f "$s/target/quarkus-app/quarkus-run.jar" ]] || return 0
  done
  return 1
}

if needs_build; then
  echo "run-cdc: building (mvn -B -q install -DskipTests) ..."
  mvn -B -q install -DskipTests
fi

# The bench runs from a copy of its jars (and the services from a copy of their builds): a rebuild meanwhile
# cannot change what is measured.
CP_DIR="$(mktemp -d /tmp/dms-cdc-cp-XXXXXX)"
trap 'rm -rf "$CP_DIR"' EXIT
cp bench/target/bench.jar "$CP_DIR/"
cp -r bench/target/lib "$CP_DIR/lib"
java -Ddms.repo.root="$ROOT" -cp "$CP_DIR/bench.jar:$CP_DIR/lib/*" dms.bench.CdcBench "$@"
