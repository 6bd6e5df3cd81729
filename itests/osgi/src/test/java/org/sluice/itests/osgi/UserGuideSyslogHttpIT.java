package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.UserGuideExample;
import org.sluice.itests.osgi.support.WorkDirs;

/**
 * The User Guide's syslog and http source examples, each run as a file through the bridge, one after another in one
 * agent (the bridge reads the file again when it changes): what a real sender sends arrives with Flume's headers. The
 * http example's handler, {@code org.example.rest.RestHandler}, is a service of another bundle
 * (itests/http-handler-example). What a test machine needs changed (ports, loopback, the output directory) is set by
 * key, with the reason.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideSyslogHttpIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CONF = "sluice.itests.ug.conf";

    @Configuration
    public Option[] configuration() throws Exception {
        Path work = WorkDirs.create("ug-syslog-http");
        Path conf = work.resolve("a1.properties");
        Files.writeString(conf, "");
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:syslogtcp", "source:multiport_syslogtcp", "source:syslogudp",
                        "source:http", "channel_selector:replicating", "channel:memory", "sink:file_roll"),
                bundle(SluiceOptions.bundleLocation("httphandler")),
                frameworkProperty("sluice.conf.file").value(conf.toString()),
                frameworkProperty("sluice.conf.poll.interval").value("1"),
                frameworkProperty("sluice.agent.name").value("a1"),
                frameworkProperty("sluice.data").value(work.resolve("data").toString()),
                org.ops4j.pax.exam.CoreOptions.systemProperty(CONF).value(conf.toString()));
    }

    /** Puts the example in the agent's file, with its output in a directory of its own. */
    private static FileRollOutput run(UserGuideExample example, String name) throws IOException {
        Path conf = Path.of(System.getProperty(CONF));
        Path output = Files.createDirectories(conf.getParent().resolve(name));
        example.set("a1.sinks.k1.sink.directory", output.toString(), "a directory of the test's own");
        Path written = example.writeTo(Files.createDirectories(conf.getParent().resolve("examples")));
        Files.copy(written, conf, StandardCopyOption.REPLACE_EXISTING);
        return new FileRollOutput(output);
    }

    /** Sends until a line of the output matches: the source starts a moment after the file changes. */
    private static String sendUntil(FileRollOutput output, Predicate<String> wanted, SendAction send) {
        return Await.until("a line in " + output.directory(), () -> {
            try {
                send.send();
            } catch (IOException e) {
                return null; // not listening yet
            }
            return output.lines().stream().filter(wanted).findFirst().orElse(null);
        }, line -> line != null, WAIT);
    }

    private interface SendAction {
        void send() throws IOException;
    }

    private static void tcp(int port, String text) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    public void theGuidesSyslogAndHttpExamplesRunUnchanged() throws Exception {
        // Syslog TCP: an RFC 3164 line; file_roll's header_and_text shows Flume's headers.
        int tcpPort = NetcatFeeder.freePort();
        FileRollOutput tcp = run(UserGuideExample.load("source-syslogtcp.properties")
                .set("a1.sources.r1.port", Integer.toString(tcpPort), "5140 may be taken on a test machine"),
                "syslogtcp");
        String line = sendUntil(tcp, l -> l.endsWith("guide syslogtcp"),
                () -> tcp(tcpPort, "<13>Oct 11 22:14:15 host1 guide syslogtcp\n"));
        assertTrue(line, line.contains("Facility=1") && line.contains("Severity=5") && line.contains("priority=13")
                && line.contains("host=host1") && line.contains("timestamp="));

        // Multiport: the same message on each of its three ports, each event with the port it came in on.
        int[] ports = {NetcatFeeder.freePort(), NetcatFeeder.freePort(), NetcatFeeder.freePort()};
        FileRollOutput multiport = run(UserGuideExample.load("source-multiport-syslogtcp.properties")
                .set("a1.sources.r1.ports", ports[0] + " " + ports[1] + " " + ports[2],
                        "10001-10003 may be taken on a test machine")
                .set("a1.sources.r1.host", "127.0.0.1", "tests listen on loopback only"), "multiport");
        for (int port : ports) {
            String frame = "<165>1 2003-10-11T22:14:15.003Z host2 app - - - guide multiport " + port;
            String got = sendUntil(multiport, l -> l.endsWith("guide multiport " + port),
                    () -> tcp(port, frame.length() + " " + frame));
            assertTrue(got, got.contains("port=" + port) && got.contains("Priority=165") && got.contains("Version=1")
                    && got.contains("timestamp=1065910455003") && got.contains("host=host2"));
        }

        // Syslog UDP: one datagram, sent again until the source listens.
        int udpPort = NetcatFeeder.freePort();
        FileRollOutput udp = run(UserGuideExample.load("source-syslogudp.properties")
                .set("a1.sources.r1.port", Integer.toString(udpPort), "5140 may be taken on a test machine"),
                "syslogudp");
        byte[] datagram = "<14>Oct 11 22:14:15 host3 guide syslogudp".getBytes(StandardCharsets.UTF_8);
        String got = sendUntil(udp, l -> l.endsWith("guide syslogudp"), () -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), udpPort));
            }
        });
        assertTrue(got, got.contains("Severity=6") && got.contains("host=host3"));

        // HTTP, with the handler the guide names, from another bundle; its Jetty settings apply.
        int httpPort = NetcatFeeder.freePort();
        FileRollOutput http = run(UserGuideExample.load("source-http.properties")
                .set("a1.sources.r1.port", Integer.toString(httpPort), "5140 may be taken on a test machine")
                .set("a1.sources.r1.bind", "127.0.0.1", "tests listen on loopback only"), "http");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String>[] last = new HttpResponse[1];
        String first = sendUntil(http, l -> l.endsWith("guide http two"), () -> {
            try {
                last[0] = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
                        .POST(HttpRequest.BodyPublishers.ofString("guide http one\nguide http two")).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        });
        assertTrue(first, first.contains("nickname=random props"));
        assertEquals(200, last[0].statusCode());
        assertFalse("HttpConfiguration.sendServerVersion = false", last[0].headers().firstValue("Server").isPresent());
        List<String> lines = http.lines();
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.endsWith("guide http one")));
    }
}
