#!/usr/bin/env bash
# The placement benchmarks (docs/performance.md), run inside the control plane's executable jar through
# Spring Boot's PropertiesLauncher, with the benchmark classes added on loader.path:
#   scripts/bench-placement.sh planner [--hosts=10000] [--seconds=10] ...   decisions/s of the pure planner, one thread
#   scripts/bench-placement.sh commit  [--hosts=10000] [--seconds=20] ...   committed placements/s, two replicas, durable PostgreSQL
# Builds the jars first when they are missing (`mvn -B -DskipTests package`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/control-plane/target/freehold-control-plane.jar"
CLASSES="$ROOT/bench/target/classes"

case "${1:-}" in
    planner) MAIN=io.freehold.bench.PlannerBenchmark ;;
    commit) MAIN=io.freehold.bench.PlacementCommitBenchmark ;;
    *) echo "usage: $0 planner|commit [--option=value ...]" >&2; exit 2 ;;
esac
shift

if [ ! -f "$JAR" ] || [ ! -d "$CLASSES/io/freehold/bench" ]; then
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl api-spec,agent,control-plane,bench)
fi
exec java ${BENCH_JAVA_OPTS:-} -Dloader.path="$CLASSES" -Dloader.main="$MAIN" -cp "$JAR" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@"
