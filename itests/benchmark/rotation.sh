#!/usr/bin/env bash
# Taildir rotation under load, Flume 1.11.0 against Sluice: numbered lines written at a steady rate to a log that is
# rotated by rename and create, copytruncate, and rename and gzip in turn, tailed by each agent with the User Guide's
# `.*log.*` style file group; counts the duplicates and losses in what each agent delivered. Exits 1 if Sluice shows
# any. Writes itests/benchmark/target/rotation-results.md.
#
# Usage: itests/benchmark/rotation.sh [--skip-build] [--seconds 120] [--rate 20000] [--rotate-every 10]
#        [--agents flume,sluice] [--source-key KEY=VALUE ...]
#   --source-key   a key for both agents' taildir source, e.g. readerThreads=2 (Sluice's; Flume ignores keys it does not know)
# Takes about (seconds + the wait for the output, up to 150 s without growth for Flume) per agent: some 6 minutes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build=true
args=()
for arg in "$@"; do
  if [ "$arg" = --skip-build ]; then build=false; else args+=("$arg"); fi
done
if $build; then
  echo "Building the benchmark harness (and resolving Flume 1.11.0) and the Sluice distribution ..."
  mvn -q -f "$here/pom.xml" package -DskipTests
  mvn -q -f "$root/pom.xml" -pl distribution -am package -DskipTests
fi
sluice_home=""
for candidate in "$root"/distribution/target/sluice-*/; do
  if [ -x "${candidate}bin/sluice" ]; then sluice_home="${candidate%/}"; break; fi
done
[ -n "$sluice_home" ] || { echo "No Sluice distribution in $root/distribution/target: run without --skip-build" >&2; exit 1; }
jar=("$here"/target/sluice-benchmark-*.jar)
[ -f "${jar[0]}" ] || { echo "No harness jar in $here/target: run without --skip-build" >&2; exit 1; }
exec java -cp "${jar[0]}" org.sluice.benchmark.RotationCheck \
  --flume-classpath "$here/target/flume.classpath" \
  --sluice-home "$sluice_home" \
  --work-dir "$here/target/rotation-work" \
  --report "$here/target/rotation-results.md" \
  "${args[@]}"
