#!/usr/bin/env bash
# Benchmark: start-up of the production jar (no simulators) and its resident memory after start.
# Each run starts the jar twice with the settings production requires (its peers unreachable:
# start-up must not wait for them): first on a fresh H2 file, which it migrates, then again on that
# database, as a restarted pod would. It times launch -> first live answer, reads the process's CPU
# time then (above the wall time: the JIT compilers work beside the main thread) and RSS, and takes
# Quarkus' and Camel's own figures from the log.
#   bench/startup.sh               # 5 runs
#   bench/startup.sh 10 -XX:TieredStopAtLevel=1   # runs, then JVM options to try
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java AOT=1 bench/startup.sh
#       # JDK 25: an unmeasured training start writes an ahead-of-time cache (JEP 483, 515) as it
#       # exits; the measured starts load their classes and profiles from it
#   MARKETBRIDGE_ROUTES=file:bench/no-routes.yaml bench/startup.sh
#       # the floor: the same jar with no route files, what the platform costs before any route
#   GC=-XX:+UseG1GC bench/startup.sh   # another collector than the images' serial one
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
./mvnw -B -q -DskipTests package -Dproduction
jar=target/quarkus-app/quarkus-run.jar
work=$(mktemp -d target/startup.XXXX)
port=28112
java=${JAVA:-java}
gc=${GC:--XX:+UseSerialGC} # as both images run the service
options=("$@")

ticks=$(getconf CLK_TCK)

# Starts the jar on the named database with these JVM options, waits for it to be live, prints a
# table row (unless the label is empty), then stops it.
start_once() {
  local label=$1 db=$2; shift 2
  local log="$work/run-${label//[^a-z0-9]/-}.log" start pid live cpu rss quarkus camel
  start=$(date +%s%N)
  MARKETBRIDGE_DB_URL="jdbc:h2:file:$PWD/$work/db-$db;WRITE_DELAY=0" QUARKUS_HTTP_PORT=$port \
  QUARKUS_CAMEL_JOLOKIA_SERVER_PORT=28879 MARKETBRIDGE_ODOO_URL=http://127.0.0.1:9 MARKETBRIDGE_ODOO_DATABASE=odoo \
  MARKETBRIDGE_ODOO_USERNAME=admin MARKETBRIDGE_ODOO_API_KEY=key MARKETBRIDGE_EBAY_APP_ID=app MARKETBRIDGE_EBAY_DEV_ID=dev \
  MARKETBRIDGE_EBAY_CERT_ID=cert MARKETBRIDGE_ADMIN_PASSWORD=startup-benchmark \
    "$java" "$gc" "$@" -jar "$jar" >"$log" 2>&1 &
  pid=$!
  until curl -sf "http://localhost:$port/q/health/live" >/dev/null; do
    kill -0 $pid 2>/dev/null || { echo "the service exited:"; tail -20 "$log"; exit 1; }
    sleep 0.02
  done
  live=$(( ($(date +%s%N) - start) / 1000000 ))
  cpu=$(awk -v t="$ticks" '{print int(($14 + $15) * 1000 / t)}' /proc/$pid/stat)
  rss=$(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 ))
  quarkus=$(grep -o 'started in [0-9.]*s' "$log" | tail -1 | cut -d' ' -f3)
  camel=$(grep -o 'boot:[0-9a-z]*' "$log" | tail -1 | cut -d: -f2)
  if [[ -z $label ]]; then
    sleep 5 # the training start also sees the service's first seconds of work
  else
    echo "| $label | $live | $cpu | $quarkus | $camel | $rss |"
  fi
  kill $pid; wait $pid 2>/dev/null || true
}

if [[ -n "${AOT:-}" ]]; then
  start_once "" training "${options[@]}" -XX:AOTCacheOutput="$work/app.aot"
  options+=(-XX:AOTCache="$work/app.aot")
fi
echo "| run | launch → live ms | CPU ms by then | Quarkus started in | Camel boot | RSS after start MiB |"
echo "|---|---:|---:|---:|---:|---:|"
for run in $(seq "$runs"); do
  start_once "$run, first start" "$run" "${options[@]}"
  start_once "$run, restart" "$run" "${options[@]}"
done
rm -rf "$work"
