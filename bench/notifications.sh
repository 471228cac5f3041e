#!/usr/bin/env bash
# Benchmark: eBay Platform Notifications accepted per second (ack latency p50/p99 at several
# concurrency levels) and notification -> Odoo write latency, on H2 and on PostgreSQL.
# Runs the packaged jar with its simulated Odoo; the load comes from a separate JVM.
#   bench/notifications.sh                 # both databases, default levels
#   bench/notifications.sh --db=postgresql --concurrency=32,64 --requests=10000
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
mkdir -p target/tmp
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
run() { java -Xmx512m -Djava.io.tmpdir=target/tmp -Dmarketbridge.jar=target/quarkus-app/quarkus-run.jar \
          -cp "$cp" io.marketbridge.bench.NotificationBenchmark "$@"; }
if [[ " $* " == *" --db="* ]]; then
  run "$@"
else
  run --db=h2 "$@"
  run --db=postgresql "$@"
fi
