#!/usr/bin/env bash
# The usage rollup benchmark (docs/performance.md), run inside the control plane's executable jar through
# Spring Boot's PropertiesLauncher, with the benchmark classes added on loader.path:
#   scripts/bench-usage.sh                                       100,000 instances × 30 days, 2 workers, durable PostgreSQL
#   scripts/bench-usage.sh --instances=10000 --days=30 --workers=2 --batch-size=16 --samples=1000 --sweep=true --seed=1
#   scripts/bench-usage.sh --smoke                               a few seconds: 300 instances × 7 days
# Builds the jars first when they are missing (`mvn -B -DskipTests package`). The database lives in a temporary
# directory, removed at the end; the full run needs about 40 GB free there (java.io.tmpdir).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/control-plane/target/freehold-control-plane.jar"
CLASSES="$ROOT/bench/target/classes"

if [ ! -f "$JAR" ] || [ ! -f "$CLASSES/io/freehold/bench/UsageRollupBenchmark.class" ]; then
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl api-spec,agent,control-plane,bench)
fi
exec java ${BENCH_JAVA_OPTS:-} -Dloader.path="$CLASSES" -Dloader.main=io.freehold.bench.UsageRollupBenchmark -cp "$JAR" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@"
