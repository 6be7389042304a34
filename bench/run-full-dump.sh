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

source "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh"

if [[ " $* " != *" --tools "* || " $* " == *pgcopydb* ]] && ! command -v pgcopydb >/dev/null; then
  echo "run-full-dump: pgcopydb is not installed (apt-get install pgcopydb), or leave it out: --tools ours,pgdump,limit" >&2
  exit 2
fi

run_bench run-full-dump dms.bench.FullDumpBench "$@"
