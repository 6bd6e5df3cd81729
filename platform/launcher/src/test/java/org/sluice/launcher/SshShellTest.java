package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshShellTest {
    @TempDir
    Path home;

    private AgentKernel agent;
    private Kernel kernel;
    private Layout layout;
    private SshShell shell;
    private SshClient client;
    private final KeyPair allowed = keyPair();

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void boot() throws Exception {
        agent = AgentKernel.start(home);
        kernel = agent.kernel();
        layout = agent.layout();
        client = SshClient.setUpDefaultClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        if (shell != null) {
            shell.close();
        }
        agent.stop();
    }

    private Path authorizedKeys() throws IOException {
        Files.createDirectories(layout.conf());
        return Files.writeString(layout.conf().resolve(SshShell.AUTHORIZED_KEYS_FILE),
                PublicKeyEntry.toString(allowed.getPublic()) + " operator@example\n");
    }

    private ClientSession login(KeyPair key) throws IOException {
        ClientSession session = client.connect("operator", "127.0.0.1", shell.port())
                .verify(Duration.ofSeconds(20)).getSession();
        session.addPublicKeyIdentity(key);
        session.auth().verify(Duration.ofSeconds(20));
        return session;
    }

    @Test
    void anAuthorizedKeyRunsCommands() throws Exception {
        shell = SshShell.start(kernel.context(), layout.data(), authorizedKeys(), "127.0.0.1", 0);
        try (ClientSession session = login(allowed)) {
            String answer = session.executeRemoteCommand("lb");
            assertTrue(answer.contains("Apache Felix Gogo Runtime"), answer);
        }
        assertTrue(Files.exists(layout.data().resolve(SshShell.HOST_KEY_FILE)));
    }

    @Test
    void anInteractiveTerminalIsEchoedAndEdited() throws Exception {
        shell = SshShell.start(kernel.context(), layout.data(), authorizedKeys(), "127.0.0.1", 0);
        try (ClientSession session = login(allowed); ChannelShell channel = session.createShellChannel()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            channel.setUsePty(true);
            channel.setOut(out);
            channel.setErr(out);
            channel.open().verify(Duration.ofSeconds(20));
            // "lbx", Backspace, Enter, then Ctrl-D.
            channel.getInvertedIn().write("lbx\u007f\r\u0004".getBytes(StandardCharsets.UTF_8));
            channel.getInvertedIn().flush();
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TimeUnit.SECONDS.toMillis(30));
            String said = out.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("lbx\b \b\r\n"), "echoed and erased: " + said);
            assertTrue(said.contains("Apache Felix Gogo Runtime"), said);
            assertTrue(said.contains("\r\n"), said);
        }
    }

    @Test
    void anyOtherKeyIsRefused() throws Exception {
        shell = SshShell.start(kernel.context(), layout.data(), authorizedKeys(), "127.0.0.1", 0);
        assertThrows(IOException.class, () -> login(keyPair()).close());
    }

    @Test
    void withoutAnAuthorizedKeysFileNothingListens() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SshShell.start(kernel.context(),
                layout.data(), layout.conf().resolve("missing"), "127.0.0.1", 0));
        assertTrue(e.getMessage().contains("does not open without public-key authentication"), e.getMessage());
        assertFalse(Files.exists(layout.data().resolve(SshShell.HOST_KEY_FILE)));
    }
}
