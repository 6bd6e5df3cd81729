package org.sluice.itests.e2e;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real IRC server, ngircd from Debian's package (installed by .ci/prerequisites), listening on a free port of
 * 127.0.0.1 with a configuration of its own, for Flume's irc sink to talk to.
 */
final class IrcServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path output;

    private IrcServer(Process process, int port, Path output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    static IrcServer start(Path directory) throws IOException, InterruptedException {
        int port = NetcatClient.freePort();
        Path config = directory.resolve("ngircd.conf");
        Files.writeString(config, String.join("\n",
                "[Global]",
                "Name = irc.sluice.test",
                "Info = Sluice test server",
                "Listen = 127.0.0.1",
                "Ports = " + port,
                "MotdPhrase = \"Sluice test\"",
                "[Limits]",
                // No flood penalties: the sink sends one PRIVMSG per event, faster than a person types.
                "MaxPenaltyTime = 0",
                "[Options]",
                "PAM = no",
                "Ident = no",
                "DNS = no",
                ""));
        Path output = directory.resolve("ngircd.out");
        Process process = new ProcessBuilder(binary(), "-n", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        IrcServer server = new IrcServer(process, port, output);
        server.awaitListening();
        return server;
    }

    /** ngircd lives in /usr/sbin, which need not be on the PATH of the user running the tests. */
    private static String binary() {
        for (String candidate : new String[] {"/usr/sbin/ngircd", "/usr/local/sbin/ngircd"}) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        return "ngircd";
    }

    int port() {
        return port;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("ngircd ended with " + process.exitValue() + ": " + Files.readString(output));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("ngircd does not listen on " + port + ": " + Files.readString(output));
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
