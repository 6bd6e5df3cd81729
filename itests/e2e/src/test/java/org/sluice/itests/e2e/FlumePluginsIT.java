package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/**
 * Flume 1.11.0's own sink jars, unchanged from Maven Central, loaded by {@code bin/flume-ng} the ways Flume loads
 * plugins: the irc sink (with its irclib) in a plugins.d directory named by {@code --plugins-path}, talking to a real
 * IRC server (ngircd, from Debian); the http sink on {@code FLUME_CLASSPATH} set in the {@code -c} directory's
 * flume-env.sh, posting to a local HTTP server.
 */
class FlumePluginsIT {
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static Path jar(String property) {
        String path = System.getProperty(property);
        if (path == null || path.startsWith("${")) {
            throw new IllegalStateException("system property " + property + " names no jar: run through Maven");
        }
        return Paths.get(path);
    }

    private static List<String> lines(String prefix, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(prefix + i);
        }
        return lines;
    }

    @Test
    void flumesIrcSinkFromAPluginsDirectorySaysEveryEventInTheChannel() throws Exception {
        Installation installation = Installation.fresh();
        Path work = Files.createDirectories(installation.home().resolve("work"));
        // plugins.d as the Flume User Guide lays it out: the plugin in lib/, its dependency in libext/.
        Path pluginsD = work.resolve("plugins.d");
        Path lib = Files.createDirectories(pluginsD.resolve("irc/lib"));
        Path libext = Files.createDirectories(pluginsD.resolve("irc/libext"));
        Files.copy(jar("sluice.itests.flume.ircsink"), lib.resolve("flume-irc-sink-1.11.0.jar"));
        Files.copy(jar("sluice.itests.flume.irclib"), libext.resolve("irclib-1.10.jar"));
        int port = NetcatClient.freePort();
        try (IrcServer irc = IrcServer.start(work); IrcWatcher watcher = IrcWatcher.join(irc.port(), "flume")) {
            Path config = work.resolve("irc.conf");
            Files.writeString(config, netcatMemoryTo(port,
                    "a1.sinks.k1.type = org.apache.flume.sink.irc.IRCSink",
                    "a1.sinks.k1.hostname = 127.0.0.1",
                    "a1.sinks.k1.port = " + irc.port(),
                    "a1.sinks.k1.nick = flumebot",
                    "a1.sinks.k1.chan = flume",
                    "a1.sinks.k1.channel = c1"));
            try (AgentProcess agent = AgentProcess.startScript(installation, Map.of(), "bin/flume-ng", "agent",
                    "-n", "a1", "-c", "conf", "-f", config.toString(), "--plugins-path", pluginsD.toString())) {
                agent.awaitListening(port);
                List<String> sent = lines("irc event ", 20);
                new NetcatClient(port).sendAll(sent);
                await("every event said in #flume").atMost(DELIVERY)
                        .until(() -> watcher.messages().containsAll(sent));
                assertEquals(0, agent.terminate());
                String log = installation.logText() + agent.output();
                assertTrue(log.contains("flume.plugin.irc"), "the plugin directory became bundle flume.plugin.irc");
            }
        }
    }

    @Test
    void aPluginJarOnFlumeClasspathOfFlumeEnvRuns() throws Exception {
        Installation installation = Installation.fresh();
        Path work = Files.createDirectories(installation.home().resolve("work"));
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            // A Flume user's conf directory: log4j2.xml, and flume-env.sh setting FLUME_CLASSPATH without export.
            Path conf = Files.createDirectories(work.resolve("conf"));
            Files.copy(installation.resolve("conf/log4j2.xml"), conf.resolve("log4j2.xml"));
            Files.writeString(conf.resolve("flume-env.sh"),
                    "FLUME_CLASSPATH=\"" + jar("sluice.itests.flume.httpsink") + "\"\n");
            int port = NetcatClient.freePort();
            Path config = work.resolve("http.conf");
            Files.writeString(config, netcatMemoryTo(port,
                    "a1.sinks.k1.type = org.apache.flume.sink.http.HttpSink",
                    "a1.sinks.k1.endpoint = http://127.0.0.1:" + server.getAddress().getPort() + "/events",
                    "a1.sinks.k1.incrementMetrics.200 = true",
                    "a1.sinks.k1.backoff.200 = false",
                    "a1.sinks.k1.rollback.200 = false",
                    "a1.sinks.k1.channel = c1"));
            try (AgentProcess agent = AgentProcess.startScript(installation, Map.of("FLUME_CLASSPATH", ""),
                    "bin/flume-ng", "agent", "-n", "a1", "-c", conf.toString(), "-f", config.toString())) {
                agent.awaitListening(port);
                List<String> sent = lines("http event ", 50);
                new NetcatClient(port).sendAll(sent);
                await("every event posted").atMost(DELIVERY).until(() -> received.containsAll(sent));
                assertEquals(0, agent.terminate());
            }
        } finally {
            server.stop(0);
        }
    }

    /** An agent a1: a netcat source on {@code port}, a memory channel, and sink k1 of the given keys. */
    private static String netcatMemoryTo(int port, String... sinkKeys) {
        return String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1", "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1", "a1.sources.r1.port = " + port, "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory", String.join("\n", sinkKeys), "");
    }
}
