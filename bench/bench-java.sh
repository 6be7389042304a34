# Sourced by the bench/run-*.sh scripts: builds what is missing, then runs a benchmark's main class.
#   run_bench NAME MAIN_CLASS "$@"
# The bench runs from a copy of its jars (and the services from a copy of their builds, which the bench takes
# itself): the runs take minutes and a rebuild meanwhile must not change what is measured.

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

run_bench() {
  local name="$1" main="$2"
  shift 2
  if needs_build; then
    echo "$name: building (mvn -B -q install -DskipTests) ..."
    mvn -B -q install -DskipTests
  fi
  CP_DIR="$(mktemp -d "/tmp/dms-$name-cp-XXXXXX")"
  trap 'rm -rf "$CP_DIR"' EXIT
  cp bench/target/bench.jar "$CP_DIR/"
  cp -r bench/target/lib "$CP_DIR/lib"
  java -Ddms.repo.root="$ROOT" -cp "$CP_DIR/bench.jar:$CP_DIR/lib/*" "$main" "$@"
}
