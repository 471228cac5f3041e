#!/usr/bin/env bash
# Benchmark: eBay Platform Notifications accepted per second (ack latency p50/p99 at several
# connection counts, the bare endpoint measured beside each) and notification -> Odoo latency, on
# H2 and on PostgreSQL (synchronous_commit=on, fsync=on). Runs the packaged jar with its simulated
# Odoo, or a real one (--odoo-url=...); the load comes from wrk. docs/benchmarks.md has the options.
#   bench/notifications.sh                 # both databases, default levels
#   bench/notifications.sh --db=postgresql --concurrency=32,64 --seconds=15 --processing=off
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build_benchmarks
run_on_each_database io.marketbridge.bench.NotificationBenchmark "$@"
