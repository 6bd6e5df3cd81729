#!/usr/bin/env bash
# Sluice against Apache Flume 1.11.0: the same scenarios (scenarios/*.properties) on both agents, each in its own
# JVM, alternating over rounds; prints events/s, agent CPU seconds per million events and peak RSS with the
# ratios, and writes them as markdown to itests/benchmark/target/benchmark-results.md.
#
# Usage: itests/benchmark/run.sh [--skip-build] [harness options]
#   --skip-build   use what is built: the harness jar, target/flume.classpath and the Sluice distribution
#   harness options (--rounds, --warmup, --window, --heap, --scenario, --agents, ...): run.sh --help
#   --startup      start-up time and idle RSS instead of throughput (netcat -> memory -> file_roll, 5 rounds),
#                  written to itests/benchmark/target/startup-results.md
#
# It builds the harness (which resolves Flume 1.11.0 from Maven Central into target/flume.classpath) and, unless
# --sluice-home or --agents flume is given, the Sluice distribution with what it needs (mvn -pl distribution -am).
# Takes about (rounds x scenarios x 2 agents) x (start + warm-up + window + stop), about a minute each: some 100
# minutes for all 23 scenarios at 3 rounds. Scenarios on ${hdfs.uri} also start a MiniDFSCluster (about 10 s), those on
# ${kafka.bootstrap} a Kafka broker (KRaft) and fill the topics they read (benchmark.kafka.prefill);
# taildir-memory-null-prefilled writes 16 GB of lines before its first run (benchmark.load = taildir-backlog).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

build=true
want_sluice=true
sluice_home=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-build) build=false ;;
    --help|-h) args+=("$1"); build=false; want_sluice=false ;;
    --agents)
      [ $# -ge 2 ] || { echo "--agents needs a value" >&2; exit 2; }
      [[ ",$2," == *",sluice,"* ]] || want_sluice=false
      args+=("$1" "$2"); shift ;;
    --sluice-home)
      [ $# -ge 2 ] || { echo "--sluice-home needs a value" >&2; exit 2; }
      sluice_home="$2"; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

if $build; then
  echo "Building the benchmark harness (and resolving Flume 1.11.0) ..."
  mvn -q -f "$root/pom.xml" -pl itests/kafka-broker -am install -DskipTests
  mvn -q -f "$here/pom.xml" package
  if $want_sluice && [ -z "$sluice_home" ]; then
    echo "Building the Sluice distribution ..."
    mvn -q -f "$root/pom.xml" -pl distribution -am package -DskipTests
  fi
fi

if $want_sluice && [ -z "$sluice_home" ]; then
  for candidate in "$root"/distribution/target/sluice-*/; do
    if [ -x "${candidate}bin/sluice" ]; then
      sluice_home="${candidate%/}"
      break
    fi
  done
  if [ -z "$sluice_home" ]; then
    echo "No Sluice distribution in $root/distribution/target (bin/sluice): build it, pass --sluice-home DIR," \
         "or run Flume alone with --agents flume" >&2
    exit 1
  fi
fi

jar=("$here"/target/sluice-benchmark-*.jar)
[ -f "${jar[0]}" ] || { echo "No harness jar in $here/target: run without --skip-build" >&2; exit 1; }

# The disk's own fdatasync-bound write bandwidth, measured with fio in the directory the agents write to, so the
# file channel scenarios can be read against what the disk can do at all. fio comes from Debian's packages.
measure_disk() {
  local out="$1" dir="$here/target/benchmark-work/disk"
  if ! command -v fio >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing fio (Debian package) to measure the disk ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q fio >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fio >/dev/null 2>&1; } || true
  fi
  if ! command -v fio >/dev/null 2>&1; then
    echo "fio is not installed: no disk figure (apt-get install fio)" > "$out"
    return
  fi
  mkdir -p "$dir"
  {
    echo "Disk: sequential writes with an fdatasync after each, fio $(fio --version), in $dir"
    # 4 KiB: a small commit; 512 KiB: a batch of 1000 events of 500 bytes, what the file channel scenarios commit.
    for spec in 4k:16m 512k:256m; do
      local bs="${spec%%:*}" size="${spec##*:}"
      fio --name="fdatasync-$bs" --directory="$dir" --rw=write --bs="$bs" --size="$size" --fdatasync=1 \
          --ioengine=sync --end_fsync=1 --unlink=1 2>&1 | grep -E '^ +WRITE:' | sed "s/^ */  block $bs: /"
    done
  } > "$out"
  rm -rf "$dir"
}

cd "$here"
disk="$here/target/disk-fdatasync.txt"
if [[ " ${args[*]:-} " != *" --help "* && " ${args[*]:-} " != *" -h "* && " ${args[*]:-} " != *" --startup "* ]]; then
  measure_disk "$disk"
  cat "$disk"
fi
report="$here/target/benchmark-results.md"
if [[ " ${args[*]:-} " == *" --startup "* ]]; then
  report="$here/target/startup-results.md"
fi
status=0
java -cp "${jar[0]}:$(cat "$here/target/kafka-broker.classpath")" org.sluice.benchmark.Harness \
  --scenario-dir "$here/scenarios" \
  --flume-classpath "$here/target/flume.classpath" \
  --minidfs-classpath "$here/target/minidfs.classpath" \
  --work-dir "$here/target/benchmark-work" \
  --report "$report" \
  ${sluice_home:+--sluice-home "$sluice_home"} \
  "${args[@]}" || status=$?
if [[ " ${args[*]:-} " != *" --startup "* ]] && [ -f "$disk" ] && [ -f "$here/target/benchmark-results.md" ]; then
  { echo; echo "## The disk"; echo; echo '```'; cat "$disk"; echo '```'; } >> "$here/target/benchmark-results.md"
fi
exit $status
