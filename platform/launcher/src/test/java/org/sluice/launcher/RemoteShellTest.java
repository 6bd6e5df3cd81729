package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote shell on the real kernel: loopback only, a token first, no way to rebind it (issue 15). */
class RemoteShellTest {
    @TempDir
    Path home;

    private AgentKernel agent;
    private Kernel kernel;
    private Layout layout;
    private RemoteShell shell;

    @BeforeEach
    void boot() throws Exception {
        agent = AgentKernel.start(home);
        kernel = agent.kernel();
        layout = agent.layout();
        shell = RemoteShell.start(kernel.context(), layout.data(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (shell != null) {
            shell.close();
        }
        agent.stop();
    }

    private String token() throws IOException {
        return Files.readString(layout.data().resolve(RemoteShell.TOKEN_FILE)).trim();
    }

    /** Sends the lines and returns everything the shell said until it closed the connection. */
    private String converse(String... lines) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), shell.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            return in.lines().collect(Collectors.joining("\n"));
        }
    }

    @Test
    void nothingRunsWithoutTheToken() throws Exception {
        String answer = converse("not-the-token", "lb");
        assertTrue(answer.contains("Wrong token"), answer);
        assertFalse(answer.contains("Apache Felix"), answer);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                layout.data().resolve(RemoteShell.TOKEN_FILE))));
    }

    @Test
    void theTokenOpensASessionOnLoopbackOnly() throws Exception {
        String answer = converse(token(), "lb", "exit");
        assertTrue(answer.contains("Apache Felix Gogo Runtime"), answer);
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), shell.port())) {
            assertTrue(probe.getLocalAddress().isLoopbackAddress());
        }
    }

    @Test
    void theShellCannotRebindItselfToEveryAddress() throws Exception {
        // The finding: "telnetd --ip=0.0.0.0 --port=P start" from inside opened an unauthenticated shell to all.
        String answer = converse(token(), "telnetd --ip=0.0.0.0 --port=0 start", "exit");
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("command not found"), answer);
    }

    @Test
    void exitEndsTheSessionNotTheAgent() throws Exception {
        converse(token(), "exit");
        assertEquals(org.osgi.framework.Bundle.ACTIVE, kernel.framework().getState());
        assertTrue(converse(token(), "lb", "exit").contains("Apache Felix Gogo Runtime"));
    }

    @Test
    void bin_sluice_shellAttachesWithThePortAndTokenTheAgentWrote() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                layout.data().resolve(RemoteShell.PORT_FILE))));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = ShellClient.run(layout.data(), new java.io.ByteArrayInputStream(
                "lb\n".getBytes(StandardCharsets.UTF_8)), new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        String said = out.toString(StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_OK, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(said.contains("Apache Felix Gogo Runtime"), said);
        assertFalse(said.contains("Token"), "the client answers the token prompt itself: " + said);
        assertEquals(org.osgi.framework.Bundle.ACTIVE, kernel.framework().getState(), "the end of input ends the"
                + " session, not the agent");
    }

    @Test
    void withoutAShellTheClientSaysSoAndExits3() throws Exception {
        shell.close();
        shell = null;
        assertFalse(Files.exists(layout.data().resolve(RemoteShell.PORT_FILE)), "closing removes the port file");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = ShellClient.run(layout.data(), java.io.InputStream.nullInputStream(), System.out,
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.EXIT_UNAVAILABLE, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no agent shell to attach to"), err.toString());
    }
}
