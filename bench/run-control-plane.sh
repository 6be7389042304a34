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

source "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh"

run_bench run-control-plane dms.bench.ControlPlaneBench "$@"
