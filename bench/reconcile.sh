#!/usr/bin/env bash
# Benchmark: a full reconciliation of a 100,000-SKU Odoo catalog against the simulated eBay,
# Cartona and Medusa with the service's heap capped at 512 MB (peak use sampled), then the calls
# per channel for 1,000 changed SKUs. The simulated peers run in a separate jar process.
#   bench/reconcile.sh                               # 25,000 templates x 4 variants
#   bench/reconcile.sh --templates=2500 --heap=256m --channels=cartona,medusa
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
mkdir -p target/tmp
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
java -Xmx512m -Djava.io.tmpdir=target/tmp -Dmarketbridge.jar=target/quarkus-app/quarkus-run.jar \
  -cp "$cp" io.marketbridge.bench.ReconcileBenchmark "$@"
