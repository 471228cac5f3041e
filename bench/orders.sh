#!/usr/bin/env bash
# Benchmark: eBay orders imported per second into the simulated Odoo through the getOrders poll,
# and HTTP calls per order at each peer, on H2 and on PostgreSQL. Runs the packaged jar with its
# simulated peers; this script's JVM creates the orders and watches Odoo.
#   bench/orders.sh                        # both databases, 10,000 orders
#   bench/orders.sh --db=postgresql --orders=20000
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
mkdir -p target/tmp
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
run() { java -Xmx512m -Djava.io.tmpdir=target/tmp -Dmarketbridge.jar=target/quarkus-app/quarkus-run.jar \
          -cp "$cp" io.marketbridge.bench.OrdersBenchmark "$@"; }
if [[ " $* " == *" --db="* ]]; then
  run "$@"
else
  run --db=h2 "$@"
  run --db=postgresql "$@"
fi
