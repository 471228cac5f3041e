#!/usr/bin/env bash
# Benchmark: a Cartona order placed -> its sale order readable in Odoo, through the webhook and through
# the pull, on H2 and on PostgreSQL (synchronous_commit=on, fsync=on), with the bare endpoint of the same
# process timed for reference. Runs the packaged jar with its simulated peers.
#   bench/cartona-orders.sh                                   # both databases, 150 orders at 5/s, pull every 10 s
#   bench/cartona-orders.sh --db=postgresql --orders=300 --rate=10 --pull-period=1m
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build_benchmarks
run_on_each_database io.marketbridge.bench.CartonaOrdersBenchmark "$@"
