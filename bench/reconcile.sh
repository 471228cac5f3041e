#!/usr/bin/env bash
# Benchmark: a full reconciliation of a 100,000-SKU Odoo catalog against the simulated eBay,
# Cartona and Medusa with the service's heap capped at 512 MB (peak use sampled), then the calls
# per channel for 1,000 changed SKUs. The simulated peers run in a separate jar process.
#   bench/reconcile.sh                               # 25,000 templates x 4 variants
#   bench/reconcile.sh --templates=2500 --heap=256m --channels=cartona,medusa
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build_benchmarks
run_benchmark io.marketbridge.bench.ReconcileBenchmark "$@"
