#!/usr/bin/env bash
# The month close benchmark (docs/performance.md), run inside the control plane's executable jar through Spring Boot's
# PropertiesLauncher, with the benchmark classes added on loader.path:
#   scripts/bench-month-close.sh                                 1,000 tenants × 5 instances through last month, durable PostgreSQL
#   scripts/bench-month-close.sh --tenants=1000 --instances-per-tenant=5 --days=whole-month --month=2026-10 --workers=2 --samples=100 --seed=1
#   scripts/bench-month-close.sh --smoke                         a few seconds: 20 tenants × 2 instances, the month's last 7 days
# Builds the jars first when they are missing (`mvn -B -DskipTests package`). The database lives in a temporary
# directory, removed at the end; the full run needs about 4 GB free there (java.io.tmpdir).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/control-plane/target/freehold-control-plane.jar"
CLASSES="$ROOT/bench/target/classes"

if [ ! -f "$JAR" ] || [ ! -f "$CLASSES/io/freehold/bench/MonthCloseBenchmark.class" ]; then
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl api-spec,agent,control-plane,bench)
fi
exec java ${BENCH_JAVA_OPTS:-} -Dloader.path="$CLASSES" -Dloader.main=io.freehold.bench.MonthCloseBenchmark -cp "$JAR" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@"
