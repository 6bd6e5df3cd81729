# Environment of bin/sluice and bin/flume-ng, read before the JVM starts (like Flume's flume-env.sh;
# a flume-env.sh in the -c directory is read too, after this file).

# The Java to run (17 or later); by default the `java` on the PATH.
# export JAVA_HOME=/usr/lib/jvm/java-17-openjdk

# JVM options: heap (memory channels hold their events on the heap), JMX, GC logging... They come after the
# options bin/sluice chooses (serial collector up to -Xmx1g, native heap trimming, class data sharing; see
# docs/operations.md), so they win; SLUICE_JVM_DEFAULTS=off and SLUICE_CDS=off leave those out.
# export JAVA_OPTS="-Xms256m -Xmx1g"
# export JAVA_OPTS="$JAVA_OPTS -Dcom.sun.management.jmxremote"

# Flume's HTTP JSON metrics: http://localhost:41414/metrics
# export JAVA_OPTS="$JAVA_OPTS -Dflume.monitoring.type=http -Dflume.monitoring.port=41414"

# The Gogo shell over telnet, on 127.0.0.1 only (no authentication): telnet localhost 8101
# export JAVA_OPTS="$JAVA_OPTS -Dsluice.shell.telnet.port=8101"

# How long a stopping agent may take to drain its channels (seconds, default 60), and how long
# `sluice stop` waits for it (default 75).
# export JAVA_OPTS="$JAVA_OPTS -Dsluice.stop.timeout=60"
# export SLUICE_STOP_WAIT=75

# Where `sluice start` keeps its pid file and logs.
# export SLUICE_PID_FILE=/run/sluice/sluice.pid
# export SLUICE_LOG_DIR=/var/log/sluice
