#!/usr/bin/env bash
# Benchmark: eBay orders imported per second into the simulated Odoo through the getOrders poll,
# and HTTP calls per order at each peer, on H2 and on PostgreSQL. Runs the packaged jar with its
# simulated peers; this script's JVM creates the orders and watches Odoo.
#   bench/orders.sh                        # both databases, 10,000 orders
#   bench/orders.sh --db=postgresql --orders=20000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build_benchmarks
run_on_each_database io.marketbridge.bench.OrdersBenchmark "$@"
