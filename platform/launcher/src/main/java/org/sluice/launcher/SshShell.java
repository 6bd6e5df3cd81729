package org.sluice.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell over SSH (Apache MINA SSHD), started only when {@code -Dsluice.shell.ssh.port} is given: public-key
 * authentication alone, against an authorized_keys file ({@code -Dsluice.shell.ssh.authorizedKeys}, default
 * {@code authorized_keys} of the configuration directory); without that file it does not open at all. It listens on
 * 127.0.0.1 unless {@code -Dsluice.shell.ssh.host} names another address. The host key is generated once into
 * {@code data/ssh-host-key} (data/ is the agent user's alone). {@code ssh -p PORT host} opens an interactive shell;
 * {@code ssh -p PORT host 'sluice:components'} runs commands and exits 1 if one failed.
 */
final class SshShell implements AutoCloseable {
    static final String PORT_PROPERTY = "sluice.shell.ssh.port";
    static final String HOST_PROPERTY = "sluice.shell.ssh.host";
    static final String AUTHORIZED_KEYS_PROPERTY = "sluice.shell.ssh.authorizedKeys";
    static final String AUTHORIZED_KEYS_FILE = "authorized_keys";
    static final String HOST_KEY_FILE = "ssh-host-key";
    private static final Logger LOG = LoggerFactory.getLogger(SshShell.class);

    private final SshServer server;

    private SshShell(SshServer server) {
        this.server = server;
    }

    static SshShell start(BundleContext context, Path data, Path authorizedKeys, String host, int port)
            throws Exception {
        if (!Files.isRegularFile(authorizedKeys)) {
            throw new IllegalStateException("no authorized keys file " + authorizedKeys + " (-D"
                    + AUTHORIZED_KEYS_PROPERTY + "): the SSH shell does not open without public-key authentication");
        }
        Object processor = GogoSession.processor(context);
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(host);
        server.setPort(port);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(data.resolve(HOST_KEY_FILE)));
        // Public keys alone: no password, keyboard-interactive or host-based login can be configured in.
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        // The token shell's bounds: a client has 10 s to log in, a session silent for 15 minutes is closed, and one
        // user has at most 4 sessions. MINA holds no thread per connection.
        CoreModuleProperties.AUTH_TIMEOUT.set(server, Duration.ofSeconds(RemoteShell.LOGIN_TIMEOUT_SECONDS));
        CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ofMinutes(RemoteShell.IDLE_TIMEOUT_MINUTES));
        CoreModuleProperties.MAX_CONCURRENT_SESSIONS.set(server, RemoteShell.MAX_SESSIONS);
        server.setShellFactory(channel -> new GogoCommand(processor, null));
        server.setCommandFactory((channel, command) -> new GogoCommand(processor, command));
        server.start();
        LOG.info("SSH shell on {}:{}: public keys of {}", host, server.getPort(), authorizedKeys);
        return new SshShell(server);
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** One SSH channel's shell, or its command (exec request), on a thread of its own. */
    private static final class GogoCommand implements Command {
        private static final AtomicInteger COUNT = new AtomicInteger();
        private final Object processor;
        private final String commandLine;
        private InputStream in;
        private OutputStream out;
        private ExitCallback exit;
        private Thread thread;

        GogoCommand(Object processor, String commandLine) {
            this.processor = processor;
            this.commandLine = commandLine;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            // Results and errors go to the output, as on the console shell.
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment environment) {
            // A pseudo-terminal was asked for (ssh without -T): the client shows only what the server echoes.
            boolean terminal = environment.getEnv().get(Environment.ENV_TERM) != null
                    || !environment.getPtyModes().isEmpty();
            thread = new Thread(() -> run(terminal), "sluice-ssh-shell-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }

        private void run(boolean terminal) {
            int status = 0;
            try {
                OutputStream shown = terminal ? TerminalLines.crlf(out) : out;
                PrintStream print = new PrintStream(shown, true, StandardCharsets.UTF_8);
                GogoSession.Lines lines;
                if (commandLine != null) {
                    BufferedReader reader = new BufferedReader(new StringReader(commandLine));
                    lines = reader::readLine;
                } else if (terminal) {
                    lines = new TerminalLines(in, out);
                } else {
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    lines = reader::readLine;
                }
                if (!GogoSession.run(processor, lines, print, commandLine == null)) {
                    status = 1;
                }
                print.flush();
            } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                LOG.warn("SSH shell: a session ended: {}", e.toString());
                status = 1;
            }
            exit.onExit(status);
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
