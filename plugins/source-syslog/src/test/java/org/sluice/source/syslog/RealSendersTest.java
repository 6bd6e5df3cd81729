package org.sluice.source.syslog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.event.Event;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceFactory;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/**
 * Real syslog senders: util-linux's {@code logger} in both formats over TCP (with both framings) and UDP, and rsyslog
 * forwarding to all three sources, as a user's rsyslog would. Both are Debian packages, installed if missing.
 */
class RealSendersTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** local3.warning: facility 19, severity 4. */
    private static final String PRIORITY = "local3.warning";

    @TempDir
    Path data;

    private final List<Source> started = new ArrayList<>();
    private Process rsyslog;

    @AfterEach
    void stop() throws Exception {
        if (rsyslog != null) {
            rsyslog.destroy();
            if (!rsyslog.waitFor(10, TimeUnit.SECONDS)) {
                rsyslog.destroyForcibly();
            }
        }
        for (Source source : started) {
            source.stop();
        }
    }

    private <S extends Source> S start(SourceFactory factory, RecordingChannelProcessor processor,
            Map<String, String> keys) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("host", "127.0.0.1"));
        properties.putAll(keys);
        @SuppressWarnings("unchecked")
        S source = (S) factory.create(TestContexts.source("r" + started.size(), properties, processor, data));
        source.start();
        started.add(source);
        return source;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running: " + command);
        assertEquals(0, process.exitValue(), command + ": " + output);
    }

    private static String hostname() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    private Event only(RecordingChannelProcessor processor, String text) throws IOException {
        try {
            await().atMost(WAIT).until(() -> processor.accepted().stream().anyMatch(e -> body(e).endsWith(text)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder got = new StringBuilder();
            for (Event event : processor.accepted()) {
                got.append(event.getHeaders()).append(' ').append(body(event)).append('\n');
            }
            Path rsyslogOutput = data.resolve("rsyslog").resolve("rsyslogd.out");
            throw new AssertionError("no event ends with '" + text + "'; got:\n" + got
                    + (Files.exists(rsyslogOutput) ? "rsyslogd said:\n" + Files.readString(rsyslogOutput) : ""), e);
        }
        return processor.accepted().stream().filter(e -> body(e).endsWith(text)).findFirst().orElseThrow();
    }

    /** What every message of {@code logger -p local3.warning -t sluice-test} carries, whichever way it came. */
    private static void assertLoggerHeaders(Event event, String priorityHeader) throws IOException {
        Map<String, String> headers = event.getHeaders();
        assertEquals("19", headers.get("Facility"), headers.toString());
        assertEquals("4", headers.get("Severity"), headers.toString());
        assertEquals("156", headers.get(priorityHeader), headers.toString());
        assertEquals(hostname(), headers.get("host"), headers.toString());
        assertEquals(null, headers.get("flume.syslog.status"), headers.toString());
        // logger and rsyslog write RFC 3164 timestamps in local time; read in local time, they are now.
        long timestamp = Long.parseLong(headers.get("timestamp"));
        assertTrue(Math.abs(System.currentTimeMillis() - timestamp) < 120_000, headers.toString());
        assertTrue(body(event).contains("sluice-test"), body(event));
    }

    @Test
    void loggerOverTcpAndUdpInBothFormats() throws Exception {
        Path logger = DebianTools.require("logger", "bsdutils");
        RecordingChannelProcessor tcpEvents = new RecordingChannelProcessor();
        RecordingChannelProcessor udpEvents = new RecordingChannelProcessor();
        SyslogTcpSource tcp = start(new SyslogTcpSourceFactory(), tcpEvents, Map.of("port", "0"));
        SyslogUdpSource udp = start(new SyslogUdpSourceFactory(), udpEvents, Map.of("port", "0"));
        String tcpPort = Integer.toString(tcp.ports().get(0));
        String udpPort = Integer.toString(udp.port());
        for (String format : List.of("--rfc3164", "--rfc5424")) {
            run(List.of(logger.toString(), "--tcp", "-n", "127.0.0.1", "-P", tcpPort, format, "-t", "sluice-test",
                    "-p", PRIORITY, "tcp line " + format));
            run(List.of(logger.toString(), "--tcp", "--octet-count", "-n", "127.0.0.1", "-P", tcpPort, format, "-t",
                    "sluice-test", "-p", PRIORITY, "tcp frame " + format));
            run(List.of(logger.toString(), "--udp", "-n", "127.0.0.1", "-P", udpPort, format, "-t", "sluice-test",
                    "-p", PRIORITY, "udp datagram " + format));
        }
        for (String format : List.of("--rfc3164", "--rfc5424")) {
            String versionWanted = format.equals("--rfc5424") ? "1" : null;
            for (Event event : List.of(only(tcpEvents, "tcp line " + format), only(tcpEvents, "tcp frame " + format),
                    only(udpEvents, "udp datagram " + format))) {
                assertLoggerHeaders(event, "priority");
                assertEquals(versionWanted, event.getHeaders().get("version"));
            }
        }
        assertEquals(4, tcpEvents.accepted().size());
        assertEquals(2, udpEvents.accepted().size());
    }

    @Test
    void rsyslogForwardsToEverySource() throws Exception {
        Path rsyslogd = DebianTools.require("rsyslogd", "rsyslog");
        Path logger = DebianTools.require("logger", "bsdutils");
        RecordingChannelProcessor lines = new RecordingChannelProcessor();
        RecordingChannelProcessor frames = new RecordingChannelProcessor();
        RecordingChannelProcessor datagrams = new RecordingChannelProcessor();
        SyslogTcpSource tcp = start(new SyslogTcpSourceFactory(), lines, Map.of("port", "0"));
        SyslogTcpSource multiport = start(new MultiportSyslogTcpSourceFactory(), frames, Map.of("ports", "0"));
        SyslogUdpSource udp = start(new SyslogUdpSourceFactory(), datagrams, Map.of("port", "0"));

        int input;
        try (ServerSocket free = new ServerSocket(0)) {
            input = free.getLocalPort();
        }
        Path work = Files.createDirectories(data.resolve("rsyslog"));
        Path config = work.resolve("rsyslog.conf");
        Files.writeString(config, String.join("\n",
                "global(workDirectory=\"" + work + "\")",
                "module(load=\"imtcp\")",
                "input(type=\"imtcp\" port=\"" + input + "\" address=\"127.0.0.1\")",
                "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + tcp.ports().get(0) + "\" protocol=\"tcp\" "
                        + "template=\"RSYSLOG_TraditionalForwardFormat\")",
                "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + multiport.ports().get(0) + "\" protocol=\"tcp\" "
                        + "TCP_Framing=\"octet-counted\" template=\"RSYSLOG_SyslogProtocol23Format\")",
                "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + udp.port() + "\" protocol=\"udp\" "
                        + "template=\"RSYSLOG_SyslogProtocol23Format\")",
                ""));
        rsyslog = new ProcessBuilder(rsyslogd.toString(), "-n", "-f", config.toString(), "-i",
                work.resolve("rsyslogd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("rsyslogd.out").toFile()).start();
        // rsyslog listens once it has read its configuration (logger reports no refused connection).
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            new java.net.Socket("127.0.0.1", input).close();
            return true;
        });
        run(List.of(logger.toString(), "--tcp", "-n", "127.0.0.1", "-P", Integer.toString(input), "--rfc3164", "-t",
                "sluice-test", "-p", PRIORITY, "through rsyslog"));

        Event line = only(lines, "through rsyslog");
        assertLoggerHeaders(line, "priority");
        Event frame = only(frames, "through rsyslog");
        assertLoggerHeaders(frame, "Priority");
        assertEquals("1", frame.getHeaders().get("Version"));
        Event datagram = only(datagrams, "through rsyslog");
        assertLoggerHeaders(datagram, "priority");
        assertEquals("1", datagram.getHeaders().get("version"));
    }
}
