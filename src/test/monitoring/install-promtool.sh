#!/usr/bin/env bash
# Prometheus' own rule checker (promtool, in Debian's prometheus package) for MonitoringTest,
# installed when missing. Needs root (CI runs as root) or sudo.
set -euo pipefail
if [ -x /usr/bin/promtool ]; then
    exit 0
fi
run() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq
run apt-get install -y -qq --no-install-recommends prometheus >/dev/null
/usr/bin/promtool --version
