#!/usr/bin/env bash
# CDC benchmark: apply throughput and lag of the cdc-worker (a real process on the local stack, driven through the
# API) against PostgreSQL's native logical replication (CREATE SUBSCRIPTION, copy_data = false) on the same clusters
# and loads, in the same run: a backlog of single-row inserts, then a pgbench TPC-B load. ~6 minutes at the defaults;
# prints a table and writes bench/results/cdc-<date>.json.
#
#   bench/run-cdc.sh [--rows 500000] [--per-tx 1000] [--warm-up-rows 100000] [--scale 10] [--seconds 60]
#                    [--pgbench-warm-up 30] [--clients 4] [--scenarios backlog,pgbench] [--keep] [--out FILE.json]
#
# Smoke run: bench/run-cdc.sh --rows 20000 --warm-up-rows 5000 --scale 1 --seconds 10
# --keep leaves the work dir (/tmp/dms-cdc-bench-*) with the services', servers' and pgbench's logs.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh"

run_bench run-cdc dms.bench.CdcBench "$@"
