# Shared by the benchmark scripts: build the jar and the test classpath once, then run a
# benchmark's main class in its own JVM against the packaged jar.
#   source bench/lib.sh; run_benchmark io.marketbridge.bench.OrdersBenchmark "$@"
build_benchmarks() {
  if ! command -v wrk >/dev/null; then # the load generator: Debian's wrk
    if [[ $(id -u) == 0 ]]; then apt-get install -y -q wrk; else sudo apt-get install -y -q wrk; fi
  fi
  ./mvnw -B -q -DskipTests package
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
  mkdir -p target/tmp
}

run_benchmark() {
  local main=$1; shift
  java -Xmx512m -Djava.io.tmpdir=target/tmp -Dmarketbridge.jar=target/quarkus-app/quarkus-run.jar \
    -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$main" "$@"
}

# Runs a benchmark on H2 and then on PostgreSQL, unless the arguments pick one with --db=.
run_on_each_database() {
  local main=$1; shift
  if [[ " $* " == *" --db="* ]]; then
    run_benchmark "$main" "$@"
  else
    run_benchmark "$main" --db=h2 "$@"
    run_benchmark "$main" --db=postgresql "$@"
  fi
}
