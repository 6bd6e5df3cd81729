#!/usr/bin/env bash
# File channel replay time for N events (default 1,000,000), Sluice against Flume 1.11.0, on this machine.
# For each agent: a seq source fills a file channel (no sink) with N events; the agent is stopped; then an agent
# with only that channel is started on the same directories, and the time from its start to the channel's
# "started" log line is measured: once after SIGTERM (the checkpoint written on close is used) and once with
# the checkpoint deleted (a full replay of the data files). A run of the same agent on an empty channel gives
# the start-up time without replay, subtracted from both.
# Usage: itests/benchmark/replay.sh [EVENTS]   (build first, as run.sh does: the harness module, for
#        target/flume.classpath, and the distribution)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
events="${1:-1000000}"
# curl reads the agents' HTTP metrics; Debian's package when it is missing.
command -v curl >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl >/dev/null; } \
  || { echo "replay.sh needs curl" >&2; exit 1; }
sluice_home=$(ls -d "$root"/distribution/target/sluice-*/ | head -n 1)
flume_cp=$(cat "$here/target/flume.classpath")
work="$here/target/replay-work"
rm -rf "$work"; mkdir -p "$work"

log4j="$work/flume-log4j2.xml"
cat > "$log4j" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn"><Appenders><Console name="c" target="SYSTEM_OUT"><PatternLayout pattern="%d{ISO8601} %-5p [%t] %c - %m%n"/></Console></Appenders>
<Loggers><Root level="info"><AppenderRef ref="c"/></Root></Loggers></Configuration>
XML

write_conf() { # file, with-source(yes|no), dir
  {
    echo "a1.channels = c1"
    echo "a1.channels.c1.type = file"
    echo "a1.channels.c1.checkpointDir = $3/checkpoint"
    echo "a1.channels.c1.dataDirs = $3/data"
    echo "a1.channels.c1.capacity = $((events * 2))"
    echo "a1.channels.c1.transactionCapacity = 1000"
    if [ "$2" = no ]; then
      # Flume starts no channel that no source or sink uses: a null sink, which starts after the channel
      # has replayed, so it does not shorten what is measured.
      echo "a1.sinks = k1"
      echo "a1.sinks.k1.type = null"
      echo "a1.sinks.k1.channel = c1"
    fi
    if [ "$2" = yes ]; then
      echo "a1.sources = r1"
      echo "a1.sources.r1.type = seq"
      echo "a1.sources.r1.batchSize = 1000"
      echo "a1.sources.r1.totalEvents = $events"
      echo "a1.sources.r1.channels = c1"
    fi
  } > "$1"
}

start_agent() { # agent, conf, out
  if [ "$1" = sluice ]; then
    SLUICE_LOG_DIR="$work/logs" "$sluice_home/bin/sluice" agent -n a1 -f "$2" --no-reload-conf --no-shell \
      -Xmx1g -Dflume.monitoring.type=http -Dflume.monitoring.port=34599 > "$3" 2>&1 &
  else
    java -Xmx1g -Dflume.monitoring.type=http -Dflume.monitoring.port=34599 -Dlog4j.configurationFile="$log4j" \
      -cp "$flume_cp" org.apache.flume.node.Application -n a1 -f "$2" --no-reload-conf > "$3" 2>&1 &
  fi
  echo $!
}

# The line each agent logs once its channel is open and replayed (Flume logs "Component ... started" before
# it replays, so its replay's own closing line is the one).
started_pattern() { [ "$1" = sluice ] && echo 'channel c1 started' || echo 'Queue Size after replay'; }

stop_agent() { kill -TERM "$1" 2>/dev/null || true; for _ in $(seq 1 600); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "$1" || true; }

timed_start() { # agent, conf -> seconds to the started line
  local out="$work/start-$1-$RANDOM.out" t0 pid
  t0=$(date +%s.%N)
  pid=$(start_agent "$1" "$2" "$out")
  local pattern; pattern=$(started_pattern "$1")
  local seen=no
  for _ in $(seq 1 6000); do
    if grep -q "$pattern" "$out" "$work/logs/sluice.log" 2>/dev/null; then seen=yes; break; fi
    sleep 0.05
  done
  [ "$seen" = yes ] || { echo "$1 did not log '$pattern' within 300 s; see $out" >&2; stop_agent "$pid"; exit 1; }
  local t1; t1=$(date +%s.%N)
  stop_agent "$pid"
  rm -rf "$work/logs"
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", a - b }'
}

fill() { # agent, dir
  local conf="$work/$1-fill.properties" out="$work/$1-fill.out" pid
  write_conf "$conf" yes "$2"
  pid=$(start_agent "$1" "$conf" "$out")
  for _ in $(seq 1 3000); do
    n=$(curl -s localhost:34599/metrics | grep -o '"EventPutSuccessCount":"[0-9]*"' | grep -o '[0-9]*' || echo 0)
    [ "${n:-0}" -ge "$events" ] && break
    sleep 0.2
  done
  stop_agent "$pid"
  rm -rf "$work/logs"
}

minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }

for agent in flume sluice; do
  dir="$work/$agent"
  empty="$work/$agent-empty"
  write_conf "$work/$agent-empty.properties" no "$empty"
  base=$(timed_start "$agent" "$work/$agent-empty.properties")
  fill "$agent" "$dir"
  # The null sink drains what it can before the agent is stopped: the full replay starts from a copy of the
  # directories as the fill left them, less the checkpoint.
  cp -a "$dir" "$dir.filled"
  write_conf "$work/$agent-channel.properties" no "$dir"
  with_checkpoint=$(timed_start "$agent" "$work/$agent-channel.properties")
  rm -rf "$dir"
  mv "$dir.filled" "$dir"
  rm -rf "$dir/checkpoint" "$dir/backupCheckpoint"
  full=$(timed_start "$agent" "$work/$agent-channel.properties")
  printf '%-7s %8d events: start-up %6.2f s; with checkpoint %6.2f s (replay %6.2f s); full replay %6.2f s (replay %6.2f s)\n' \
    "$agent" "$events" "$base" "$with_checkpoint" "$(minus "$with_checkpoint" "$base")" "$full" "$(minus "$full" "$base")"
done
