#!/usr/bin/env bash
# JMH benchmarks of Sluice's hot paths beside Apache Flume 1.11.0's (src/main/java: the Avro source's request
# decoding, the Avro sink's request encoding, the memory channel on one and on two threads, the file channel, the
# interceptor chain, the http source's JSON handler). Prints JMH's table and writes a markdown table to
# itests/jmh/target/jmh-results.md.
#
# Usage: itests/jmh/run.sh [--quick] [--no-gc] [--skip-build] [--offline] [JMH options] [benchmark regex ...]
#   --quick        1 warm-up and 2 measured iterations of 1 s (a smoke run: about 3 s per benchmark and parameter)
#   --no-gc        without JMH's GC profiler (-prof gc), which adds the bytes allocated per operation
#   --skip-build   use what is built (target/classes and target/jmh.classpath)
#   --offline      build with mvn -o (everything already in ~/.m2)
#   JMH options    anything org.openjdk.jmh.Main takes, e.g. -p batch=1000, -p storage=target, -lp, -h;
#                  -wi, -i, -w, -r and -f replace the defaults below
#
# Defaults: -wi 3 -i 5 -w 1s -r 1s -f 1 -prof gc, forks with -Xms1g -Xmx1g: short runs, for a machine shared with
# other work (about 9 s per benchmark and parameter, about 7 minutes for everything). Lengthen them on a quiet one.
#
# The build is the module with what it needs from this checkout (mvn -pl itests/jmh -am package, installing
# nothing), so the benchmarks measure the plugins as they are here, not whatever snapshot is in ~/.m2.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

build=true
offline=()
gc=(-prof gc)
declare -A preset=([-wi]=3 [-i]=5 [-w]=1s [-r]=1s [-f]=1)
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) preset[-wi]=1; preset[-i]=2 ;;
    --no-gc) gc=() ;;
    --skip-build) build=false ;;
    --offline) offline=(-o) ;;
    --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -wi|-i|-w|-r|-f)
      [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
      preset[$1]="$2"; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

if $build; then
  echo "Building the JMH benchmarks and the modules they measure (resolving JMH 1.37 and Flume 1.11.0) ..."
  mvn -B -q "${offline[@]}" -f "$root/pom.xml" -Pbenchmark -pl itests/jmh -am package -DskipTests
fi
[ -f "$here/target/jmh.classpath" ] && [ -f "$here/target/classes/META-INF/BenchmarkList" ] \
  || { echo "Nothing built in $here/target: run without --skip-build" >&2; exit 1; }

options=()
for flag in -wi -i -w -r -f; do
  options+=("$flag" "${preset[$flag]}")
done

cd "$here"
exec java -cp "$here/target/classes:$(cat "$here/target/jmh.classpath")" \
  -Dsluice.jmh.report="$here/target/jmh-results.md" \
  org.sluice.jmh.JmhReport "${options[@]}" -jvmArgs "-Xms1g -Xmx1g" "${gc[@]}" ${args[@]+"${args[@]}"}
