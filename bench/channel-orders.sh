#!/usr/bin/env bash
# Benchmark: a channel's order placed -> its sale order readable in Odoo: Cartona's through the webhook and
# through the pull, Medusa's through its poll; on H2 and on PostgreSQL (synchronous_commit=on, fsync=on), with
# the bare endpoint of the same process timed for reference. Runs the packaged jar with its simulated peers.
#   bench/channel-orders.sh                                   # both databases, 150 orders at 5/s, polls every 10 s
#   bench/channel-orders.sh --db=postgresql --orders=300 --rate=10 --pull-period=1m
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build_benchmarks
run_on_each_database io.marketbridge.bench.ChannelOrdersBenchmark "$@"
