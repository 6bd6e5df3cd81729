package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration read from files and URIs ({@code --conf-file}, {@code --conf-uri}), against a real HTTP server on
 * 127.0.0.1: Flume 1.10+'s basic authorization, conditional requests when polling, and the backup copy.
 */
class ConfigSourcesTest {

    private static final String CONFIG = """
            a1.sources = r1
            a1.channels = c1
            a1.sources.r1.type = seq
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.channels.c1.capacity = ${env:CAPACITY}
            """;
    private static final Instant CHANGED = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path directory;
    private HttpServer server;
    /** What the server serves at /flume.conf; null: 404. */
    private final AtomicReference<String> served = new AtomicReference<>(CONFIG);
    private final AtomicReference<String> requiredAuthorization = new AtomicReference<>();
    private final List<Map<String, String>> requests = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private synchronized void serve(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        requests.add(headers);
        String required = requiredAuthorization.get();
        String text = served.get();
        if (required != null && !required.equals(headers.get("authorization"))) {
            exchange.sendResponseHeaders(401, -1);
        } else if (!exchange.getRequestURI().getPath().equals("/flume.conf") || text == null) {
            exchange.sendResponseHeaders(404, -1);
        } else if (headers.containsKey("if-modified-since")) {
            exchange.sendResponseHeaders(304, -1);
        } else {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Last-Modified",
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(CHANGED.atZone(ZoneOffset.UTC)));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private LaunchSettings settings(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent(LaunchSettings.AGENT_NAME, "a1");
        return LaunchSettings.read(all::get);
    }

    private ConfigSources sources(String... locations) {
        return ConfigSources.of(settings(Map.of(LaunchSettings.CONF_SOURCES, String.join("\n", locations))), null,
                null);
    }

    @Test
    void aUriIsReadOverHttpAndMergedBeforeTheFiles() throws IOException {
        Path override = Files.writeString(directory.resolve("override.conf"), "a1.channels.c1.capacity = 50\n");
        ConfigSources sources = sources(url("/flume.conf"), override.toString());

        ConfigSources.Snapshot snapshot = sources.read(false);

        assertEquals(List.of(url("/flume.conf"), override.toString()), sources.locations());
        assertEquals(List.of(CONFIG, "a1.channels.c1.capacity = 50\n"),
                snapshot.texts().stream().map(ConfigText::text).toList());
        AgentDefinition a1 = new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false)
                .parse(snapshot.texts(), "a1");
        assertEquals("50", a1.channels().get("c1").properties().get("capacity"));
        assertTrue(sources.overHttp());
    }

    @Test
    void basicAuthorizationIsSentWithUserAndPassword() throws IOException {
        requiredAuthorization.set("Basic " + Base64.getEncoder().encodeToString("flume:s3cret".getBytes(
                StandardCharsets.UTF_8)));
        ConfigSources anonymous = sources(url("/flume.conf"));
        ConfigSources authorized = ConfigSources.of(settings(Map.of(LaunchSettings.CONF_SOURCES, url("/flume.conf"),
                LaunchSettings.USER, "flume", LaunchSettings.PASSWORD, "s3cret")), null, null);

        IOException refused = assertThrows(IOException.class, () -> anonymous.read(false));
        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--conf-user"), refused.getMessage());
        assertEquals(CONFIG, authorized.read(false).texts().get(0).text());
    }

    @Test
    void aPollOfAnUnchangedConfigurationAsksIfModifiedSinceAndKeepsTheText() throws IOException {
        ConfigSources sources = sources(url("/flume.conf"));
        ConfigSources.Snapshot first = sources.read(false);

        ConfigSources.Snapshot second = sources.read(false);

        assertEquals(first.identity(), second.identity());
        assertEquals(CONFIG, second.texts().get(0).text());
        assertNull(requests.get(0).get("if-modified-since"));
        assertEquals("Wed, 1 May 2024 10:00:00 GMT", requests.get(1).get("if-modified-since"));
    }

    @Test
    void aMissingConfigurationIsAnErrorNamingTheUri() {
        IOException missing = assertThrows(IOException.class, () -> sources(url("/other.conf")).read(false));

        assertTrue(missing.getMessage().contains(url("/other.conf")), missing.getMessage());
        assertTrue(missing.getMessage().contains("404"), missing.getMessage());
    }

    @Test
    void credentialsInAUriAreNeverShown() {
        ConfigSources sources = sources("http://flume:s3cret@127.0.0.1:" + server.getAddress().getPort()
                + "/flume.conf");

        assertEquals(List.of(url("/flume.conf")), sources.locations());
    }

    @Test
    void theBackupKeepsTheTextAsWrittenForItsOwnerAndStandsInAtStartOnly() throws IOException {
        Path backups = directory.resolve("backups");
        ConfigSources sources = ConfigSources.of(settings(Map.of(LaunchSettings.CONF_SOURCES, url("/flume.conf"),
                LaunchSettings.BACKUP_DIRECTORY, backups.toString())), null, null);
        sources.read(false);
        Path backup = backups.resolve(".a1.properties");

        assertTrue(Files.readString(backup).contains("a1.channels.c1.capacity = ${env:CAPACITY}"),
                "the reference is kept, never the secret it stands for");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(backup));

        served.set(null);
        ConfigSources restarted = ConfigSources.of(settings(Map.of(LaunchSettings.CONF_SOURCES, url("/flume.conf"),
                LaunchSettings.BACKUP_DIRECTORY, backups.toString())), null, null);
        assertThrows(IOException.class, () -> restarted.read(false));
        ConfigSources.Snapshot fromBackup = restarted.read(true);

        assertTrue(fromBackup.warning().contains(backup.toString()), fromBackup.warning());
        AgentDefinition a1 = new FlumeConfigParser(Environment.of(Map.of("CAPACITY", "70"), Map.of()), false)
                .parse(fromBackup.texts(), "a1");
        assertEquals("70", a1.channels().get("c1").properties().get("capacity"));
    }

    @Test
    void aClasspathUriIsAFileOfTheConfigurationDirectoryInFlumesThreeSpellings() throws IOException {
        Files.writeString(directory.resolve("example.conf"), CONFIG);
        for (String uri : List.of("classpath://example.conf", "classpath:/example.conf", "classpath:example.conf")) {
            ConfigSources sources = ConfigSources.of(settings(Map.of(LaunchSettings.CONF_SOURCES, uri,
                    LaunchSettings.CONF_DIRECTORY, directory.toString())), null, null);

            assertEquals(List.of(directory.resolve("example.conf").toString()), sources.locations(), uri);
            assertEquals(CONFIG, sources.read(false).texts().get(0).text(), uri);
        }
        Path file = Files.writeString(directory.resolve("x.conf"), CONFIG);
        assertEquals(CONFIG, sources(file.toUri().toString()).read(false).texts().get(0).text());
    }

    @Test
    void aSchemeSluiceCannotReadIsRefusedRatherThanSkipped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sources("zk://host/flume"));

        assertTrue(e.getMessage().contains("zk://host/flume"), e.getMessage());
    }

    @Test
    void theSyncKeepsTheRunningConfigurationWhileOnePartCannotBeRead() throws IOException {
        Path override = Files.writeString(directory.resolve("override.conf"), "a1.channels.c1.capacity = 50\n");
        InMemoryConfigurationAdmin configurationAdmin = new InMemoryConfigurationAdmin();
        ConfigFileSync sync = new ConfigFileSync(sources(url("/flume.conf"), override.toString()), "a1",
                new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false), configurationAdmin);
        ReloadSummary first = sync.reload();
        assertEquals(List.of("a1", "a1.channels.c1", "a1.sources.r1"), first.added());
        Set<String> running = configurationAdmin.pids();

        served.set(null);
        Files.writeString(override, "a1.channels.c1.capacity = 60\n");
        ReloadSummary broken = sync.reloadIfChanged().orElseThrow();

        assertEquals(running, configurationAdmin.pids());
        assertEquals("50", configurationAdmin.properties("org.sluice.channel~a1.c1").get("capacity"));
        assertTrue(broken.problems().get(0).message().contains("running configuration is kept"),
                broken.problems().get(0)::toString);
        assertEquals(url("/flume.conf") + " + " + override, sync.origin());
    }

    @Test
    void httpsUsesTheAgentsProtocolAndCipherSuiteLists() throws Exception {
        SSLContext context = ConfigTls.context();
        String suite = context.getDefaultSSLParameters().getCipherSuites()[0];
        Map<String, String> properties = Map.of("flume.ssl.include.protocols", "TLSv1.2,TLSv1.3",
                "flume.ssl.exclude.protocols", "TLSv1.3");
        Map<String, String> environment = Map.of("FLUME_SSL_INCLUDE_CIPHERSUITES", suite,
                "FLUME_SSL_EXCLUDE_PROTOCOLS", "TLSv1.2");

        SSLParameters parameters = ConfigTls.parameters(context, properties::get, environment::get);

        assertArrayEquals(new String[] {"TLSv1.2"}, parameters.getProtocols(),
                "the property wins over its environment variable");
        assertArrayEquals(new String[] {suite}, parameters.getCipherSuites());
        SSLParameters defaults = ConfigTls.parameters(context, name -> null, name -> null);
        assertFalse(List.of(defaults.getProtocols()).contains("SSLv3"));
        assertEquals(List.of(context.getDefaultSSLParameters().getCipherSuites()), List.of(defaults.getCipherSuites()));
    }

    @Test
    void aFileUriIsAPathAndAPlainPathHasNoScheme() {
        assertNull(ConfigSources.uriOrNull("/etc/flume/flume.conf"));
        assertNull(ConfigSources.uriOrNull("conf/flume.conf"));
        assertEquals(URI.create("file:///etc/flume.conf"), ConfigSources.uriOrNull("file:///etc/flume.conf"));
    }
}
