#!/usr/bin/env bash
# Benchmark: eBay Platform Notifications accepted per second (ack latency p50/p99 at several
# concurrency levels) and notification -> Odoo write latency, on H2 and on PostgreSQL.
# Runs the packaged jar with its simulated Odoo; the load comes from a separate JVM.
#   bench/notifications.sh                 # both databases, default levels
#   bench/notifications.sh --db=postgresql --concurrency=32,64 --requests=10000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build_benchmarks
run_on_each_database io.marketbridge.bench.NotificationBenchmark "$@"
