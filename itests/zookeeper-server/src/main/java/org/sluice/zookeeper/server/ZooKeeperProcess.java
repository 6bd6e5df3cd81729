package org.sluice.zookeeper.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache ZooKeeper server for tests: one standalone server ({@code ZooKeeperServerMain}, as {@code zkServer.sh}
 * runs it) in a child JVM, listening on 127.0.0.1 only, on the class path this module's build resolved from Maven
 * Central. Its port and data directory stay the same across {@link #stop()}, {@link #kill()} and {@link #start()},
 * so clients see a server that went away and came back with its znodes.
 *
 * <pre>{@code
 * try (ZooKeeperProcess zookeeper = ZooKeeperProcess.start(dir);
 *      ZnodeWriter znodes = zookeeper.writer()) {
 *     znodes.write("/flume/a1", "a1.sources = r1 ...");
 * }
 * }</pre>
 */
public final class ZooKeeperProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final String classPath;
    private Process process;

    private ZooKeeperProcess(Path dir) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.port = freePort();
        this.classPath = readClassPath();
        Files.createDirectories(this.dir.resolve("data"));
        // clientPortAddress keeps it on the loopback interface; no admin HTTP server (Jetty is not on the class path);
        // srvr answers the readiness check.
        Files.writeString(this.dir.resolve("zoo.cfg"), String.join("\n",
                "tickTime=2000",
                "dataDir=" + this.dir.resolve("data"),
                "clientPort=" + port,
                "clientPortAddress=127.0.0.1",
                "admin.enableServer=false",
                "4lw.commands.whitelist=srvr",
                ""), StandardCharsets.UTF_8);
    }

    /** Makes a server with its files under {@code dir} and starts it. */
    public static ZooKeeperProcess start(Path dir) throws IOException, InterruptedException {
        ZooKeeperProcess server = new ZooKeeperProcess(dir);
        server.start();
        return server;
    }

    /** {@code 127.0.0.1:PORT}, what {@code -z} takes. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the server (again) on the same port and data directory and waits until it answers. */
    public synchronized void start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("the ZooKeeper server is running already");
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.logFile=" + dir.resolve("server.log"),
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", classPath, "org.apache.zookeeper.server.ZooKeeperServerMain", dir.resolve("zoo.cfg").toString());
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()))
                .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "zookeeper-server-reaper"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!serving()) {
            if (!process.isAlive()) {
                throw new IOException("The ZooKeeper server exited with " + process.exitValue() + " at start; see "
                        + dir.resolve("server.log") + " and " + dir.resolve("server.out"));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("The ZooKeeper server did not answer within " + START_TIMEOUT.toSeconds()
                        + " s; see " + dir.resolve("server.log"));
            }
            Thread.sleep(100);
        }
    }

    /** Stops the server with SIGTERM, as an operator's service manager does, and waits until its JVM has exited. */
    public synchronized void stop() throws InterruptedException {
        if (!isRunning()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Kills the server with SIGKILL, as a crash would. */
    public synchronized void kill() throws InterruptedException {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The ZooKeeper server (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    /** A client of this server that writes znodes; close it when done. */
    public ZnodeWriter writer() throws IOException, InterruptedException {
        return new ZnodeWriter(connectString());
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /**
     * ZooKeeper's four-letter {@code srvr}: its version and statistics once the server serves clients (before, or
     * when it failed to load its data, it says that it is not serving requests).
     */
    private boolean serving() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).startsWith("Zookeeper version");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String readClassPath() throws IOException {
        try (InputStream in = ZooKeeperProcess.class.getResourceAsStream("server.classpath")) {
            if (in == null) {
                throw new IOException("server.classpath is missing beside " + ZooKeeperProcess.class.getName()
                        + ": build itests/zookeeper-server with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
