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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/**
 * Flume plugin jars nobody here wrote, unchanged from Maven Central, loaded by {@code bin/flume-ng} the ways Flume
 * loads plugins: Flume 1.11.0's irc sink (with its irclib) in a plugins.d directory named by {@code --plugins-path},
 * talking to a real IRC server (ngircd, from Debian); Flume's http sink on {@code FLUME_CLASSPATH} set in the
 * {@code -c} directory's flume-env.sh, posting to a local HTTP server; a third party's custom interceptor (Keedio's
 * enrichment interceptor, built against Flume 1.5) in the installation's own plugins.d.
 */
class FlumePluginsIT {
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    /** The jar or plugin directory the build resolved for {@code property}. */
    private static Path fromBuild(String property) {
        String path = System.getProperty(property);
        if (path == null || path.startsWith("${")) {
            throw new IllegalStateException("system property " + property + " names no file: run through Maven");
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
        Files.copy(fromBuild("sluice.itests.flume.ircsink"), lib.resolve("flume-irc-sink-1.11.0.jar"));
        Files.copy(fromBuild("sluice.itests.flume.irclib"), libext.resolve("irclib-1.10.jar"));
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
                    "FLUME_CLASSPATH=\"" + fromBuild("sluice.itests.flume.httpsink") + "\"\n");
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

    @Test
    void aThirdPartyInterceptorInTheInstallationsPluginsDirectoryEnrichesEveryEvent() throws Exception {
        Installation installation = Installation.fresh();
        // Keedio's enrichment interceptor as its users install it: the jar in lib/, and in libext/ the libraries
        // its pom leaves to the agent (Jackson 1, juniversalchardet, named-regexp). No --plugins-path: the
        // installation's own plugins.d, as $FLUME_HOME/plugins.d is Flume's default.
        installation.installFlumePlugin(fromBuild("sluice.itests.flume.enrichment"));
        Path work = Files.createDirectories(installation.home().resolve("work"));
        // The interceptor adds every entry of this file, and the named groups of its regular expressions, to each
        // event, and rewrites the body as JSON: {"extraData":{...},"message":"<the original body>"}.
        Path extraData = work.resolve("enrichment.properties");
        Files.writeString(extraData, "datacenter=mad1\nteam=ingest\n");
        Path output = Files.createDirectories(work.resolve("out"));
        int port = NetcatClient.freePort();
        Path config = work.resolve("enrichment.conf");
        Files.writeString(config, netcatMemoryTo(port,
                "a1.sources.r1.interceptors = i1",
                "a1.sources.r1.interceptors.i1.type = "
                        + "org.keedio.flume.interceptor.enrichment.interceptor.EnrichmentInterceptor$EnrichmentBuilder",
                "a1.sources.r1.interceptors.i1.properties.filename = " + extraData,
                "a1.sources.r1.interceptors.i1.event.type = DEFAULT",
                "a1.sources.r1.interceptors.i1.custom.regexp.user = user=(?<user>[a-z0-9]+)",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                "a1.sinks.k1.channel = c1"));
        List<String> sent = lines("user=alice", 30);
        try (AgentProcess agent = AgentProcess.startScript(installation, Map.of(), "bin/flume-ng", "agent",
                "-n", "a1", "-c", "conf", "-f", config.toString())) {
            agent.awaitListening(port);
            new NetcatClient(port).sendAll(sent);
            await("every event written by file_roll").atMost(DELIVERY)
                    .until(() -> DistributionIT.fileRollLines(output).size() >= sent.size());
            assertEquals(0, agent.terminate());
            String log = installation.logText() + agent.output();
            assertTrue(log.contains("flume.plugin.enrichment"),
                    "the plugin directory became bundle flume.plugin.enrichment");
        }
        ObjectMapper json = new ObjectMapper();
        List<String> messages = new ArrayList<>();
        for (String line : DistributionIT.fileRollLines(output)) {
            JsonNode event = json.readTree(line);
            String message = event.path("message").asText();
            messages.add(message);
            String user = message.substring("user=".length());
            assertEquals(Map.of("datacenter", "mad1", "team", "ingest", "user", user),
                    json.convertValue(event.path("extraData"), Map.class), line);
        }
        assertEquals(sent, messages, "each event once, enriched, in the order sent");
    }

    /** An agent a1: a netcat source on {@code port}, a memory channel, and the given keys (sink k1's, and more). */
    private static String netcatMemoryTo(int port, String... keys) {
        return String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1", "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1", "a1.sources.r1.port = " + port, "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory", String.join("\n", keys), "");
    }
}
