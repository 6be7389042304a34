#!/usr/bin/env bash
# Full-dump benchmark: time from :start to RUNNING/CDC of a job migrating a >= 500 MB database (pgbench scale 20 plus
# a 1 M row table with jsonb, numeric, text, timestamptz and two secondary indexes), against pgcopydb clone, pg_dump +
# pg_restore and two plain COPY pipelines plus post-data (the practical limit), between the same two PostgreSQL
# clusters of the local stack (real Kafka, real PostgreSQL; orchestrator, API and dump-worker as processes).
# A repetition of the four tools takes a few minutes at the default size; prints a table and writes
# bench/results/full-dump-<date>.json.
#
#   bench/run-full-dump.sh [--scale 20] [--wide-rows 1000000] [--reps 3] [--tools ours,pgcopydb,pgdump,limit]
#                          [--parallelism OPTIMAL] [--worker-prop dms.dump.range-bytes=67108864]
#                          [--orchestrator-prop dms.dump.worker-cores=3]
#                          [--variant LABEL:parallelism=MAX,dms.dump.range-bytes=...] [--variant-runs 1]
#                          [--keep] [--out FILE.json]        (--help for all)
#
# Smoke run: bench/run-full-dump.sh --scale 2 --wide-rows 100000 --reps 1
# Needs pgcopydb for that tool (apt-get install pgcopydb), else leave it out of --tools.
# --keep leaves the work dir (/tmp/dms-fulldump-*) with the services', servers' and tools' logs.
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
  echo "run-full-dump: building (mvn -B -q install -DskipTests) ..."
  mvn -B -q install -DskipTests
fi

if [[ " $* " != *" --tools "* || " $* " == *pgcopydb* ]] && ! command -v pgcopydb >/dev/null; then
  echo "run-full-dump: pgcopydb is not installed (apt-get install pgcopydb), or leave it out: --tools ours,pgdump,limit" >&2
  exit 2
fi

# The run takes many minutes and others rebuild the checkout meanwhile: the bench runs from a copy of its jars (the
# services from a copy of their builds, which the bench takes itself), so a rebuild cannot pull a jar from under it.
CP_DIR="$(mktemp -d /tmp/dms-fulldump-cp-XXXXXX)"
trap 'rm -rf "$CP_DIR"' EXIT
cp bench/target/bench.jar "$CP_DIR/"
cp -r bench/target/lib "$CP_DIR/lib"
java -Ddms.repo.root="$ROOT" -cp "$CP_DIR/bench.jar:$CP_DIR/lib/*" dms.bench.FullDumpBench "$@"
