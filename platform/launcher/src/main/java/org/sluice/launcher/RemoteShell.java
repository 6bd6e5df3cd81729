package org.sluice.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote shell, started when {@code -Dsluice.shell.telnet.port} is given: Gogo commands over a plain TCP
 * connection ({@code telnet 127.0.0.1 PORT}, or {@code nc}), on the loopback address only, and only after the client
 * has sent the token the agent wrote to {@code data/shell.token} when it started (readable by the agent's user
 * alone). Whoever can read that file can read the agent's memory anyway; nobody else gets a command in. It replaces
 * Gogo's {@code telnetd}, which had no authentication and could be told, from inside, to listen on every address:
 * that command is hidden ({@link HiddenCommands}). {@code exit} ends a session, never the agent.
 *
 * <p>At most {@value #MAX_SESSIONS} sessions at once; a session silent for {@value #IDLE_TIMEOUT_MINUTES} minutes
 * is closed, and a client has {@value #LOGIN_TIMEOUT_SECONDS} seconds to send the token.
 */
final class RemoteShell implements AutoCloseable {
    static final String PORT_PROPERTY = "sluice.shell.telnet.port";
    /** The port property's value that keeps the remote shell off ({@code bin/sluice start} turns it on otherwise). */
    static final String OFF = "off";
    static final String TOKEN_FILE = "shell.token";
    /** Where the agent writes the port it listens on, for {@code bin/sluice shell}. */
    static final String PORT_FILE = "shell.port";
    /** The greeting ends with this; the client then sends the token. */
    static final String TOKEN_PROMPT_END = "): ";
    static final int MAX_SESSIONS = 4;
    static final int IDLE_TIMEOUT_MINUTES = 15;
    static final int LOGIN_TIMEOUT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(RemoteShell.class);

    private final Object processor;
    private final byte[] token;
    private final Path tokenFile;
    private final Path portFile;
    private final ServerSocket server;
    private final ExecutorService sessions;
    private final Thread acceptor;

    private RemoteShell(Object processor, byte[] token, Path tokenFile, Path portFile, ServerSocket server) {
        this.processor = processor;
        this.token = token;
        this.tokenFile = tokenFile;
        this.portFile = portFile;
        this.server = server;
        AtomicInteger count = new AtomicInteger();
        this.sessions = new ThreadPoolExecutor(0, MAX_SESSIONS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "sluice-remote-shell-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.acceptor = new Thread(this::acceptLoop, "sluice-remote-shell");
        acceptor.setDaemon(true);
    }

    /**
     * Writes a new token to {@code data/shell.token}, listens on 127.0.0.1:port (0: a free port) and writes the port
     * to {@code data/shell.port}, where {@code bin/sluice shell} finds both; the kernel (with the Gogo runtime) has
     * started.
     */
    static RemoteShell start(BundleContext context, Path data, int port) throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("-D" + PORT_PROPERTY + "=" + port + " is not a port number");
        }
        Object processor = GogoSession.processor(context);
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        String text = HexFormat.of().formatHex(token);
        Path tokenFile = data.resolve(TOKEN_FILE);
        writePrivately(tokenFile, text + "\n");
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        // The loopback address, whatever anyone configures: there is no setting for another.
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Path portFile = data.resolve(PORT_FILE);
        writePrivately(portFile, server.getLocalPort() + "\n");
        RemoteShell shell = new RemoteShell(processor, text.getBytes(StandardCharsets.US_ASCII), tokenFile, portFile,
                server);
        shell.acceptor.start();
        LOG.info("Remote shell on {}:{} (loopback only): send the token of {} first", server.getInetAddress()
                .getHostAddress(), server.getLocalPort(), tokenFile);
        return shell;
    }

    int port() {
        return server.getLocalPort();
    }

    private static void writePrivately(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("The remote shell could not accept a connection: {}", e.toString());
                }
                continue;
            }
            try {
                sessions.execute(() -> serve(client));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                answerAndClose(client, "Too many remote shell sessions (" + MAX_SESSIONS + "); try again later\n");
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(LOGIN_TIMEOUT_SECONDS));
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            out.write(("Sluice remote shell. Token (from " + tokenFile + TOKEN_PROMPT_END)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String offered = lines.readLine();
            if (offered == null || !MessageDigest.isEqual(token, offered.trim().getBytes(StandardCharsets.UTF_8))) {
                LOG.warn("Remote shell: a client from {} sent a wrong token; closed", client.getRemoteSocketAddress());
                out.write("Wrong token\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            client.setSoTimeout((int) TimeUnit.MINUTES.toMillis(IDLE_TIMEOUT_MINUTES));
            LOG.info("Remote shell: session opened from {}", client.getRemoteSocketAddress());
            session(lines, out);
        } catch (SocketTimeoutException e) {
            LOG.debug("Remote shell: a session timed out");
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Remote shell: a session ended: {}", e.toString());
        }
    }

    private void session(BufferedReader lines, OutputStream out) throws IOException, ReflectiveOperationException {
        GogoSession.run(processor, lines::readLine, new PrintStream(out, true, StandardCharsets.UTF_8), true);
    }

    private static void answerAndClose(Socket client, String message) {
        try (client) {
            client.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The client went away; nothing to tell it.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sessions.shutdownNow();
        Files.deleteIfExists(portFile);
        Files.deleteIfExists(tokenFile);
    }
}
