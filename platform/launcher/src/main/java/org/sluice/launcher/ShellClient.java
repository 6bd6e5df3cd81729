package org.sluice.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code sluice shell}: attaches the terminal (or a pipe) to the remote shell of the agent that runs in the
 * background ({@code bin/sluice start}). It reads the port and the token the agent wrote to {@code data/}, both
 * readable by the agent's user alone, sends the token, then copies what it reads to the shell and what the shell
 * says to its output until either side ends. The end of its input ends the session after the commands sent so far
 * have run; the agent keeps running.
 */
final class ShellClient {
    private static final int GREETING_LIMIT = 8192;

    private ShellClient() {
    }

    /** Exit status: 0 the session ended, 1 the agent refused or the connection failed, 3 no shell to attach to. */
    static int run(Path data, InputStream in, PrintStream out, PrintStream err) {
        Path portFile = data.resolve(RemoteShell.PORT_FILE);
        Path tokenFile = data.resolve(RemoteShell.TOKEN_FILE);
        int port;
        String token;
        try {
            port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
            token = Files.readString(tokenFile, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            err.println("sluice: no agent shell to attach to: " + e.getFile() + " does not exist (is the agent running,"
                    + " started with bin/sluice start, and without -Dsluice.shell.telnet.port=off?)");
            return Main.EXIT_UNAVAILABLE;
        } catch (IOException | NumberFormatException e) {
            err.println("sluice: cannot read the agent shell's port and token in " + data + ": " + e);
            return Main.EXIT_FAILURE;
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            InputStream fromShell = socket.getInputStream();
            OutputStream toShell = socket.getOutputStream();
            String greeting = readGreeting(fromShell);
            if (greeting == null) {
                err.println("sluice: the agent closed the shell connection: " + readRest(fromShell).trim());
                return Main.EXIT_FAILURE;
            }
            toShell.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
            toShell.flush();
            Thread input = new Thread(() -> copyInput(in, socket, toShell), "sluice-shell-input");
            input.setDaemon(true);
            input.start();
            byte[] buffer = new byte[8192];
            for (int n; (n = fromShell.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
            }
            out.println();
            return Main.EXIT_OK;
        } catch (ConnectException e) {
            err.println("sluice: no agent shell listens on 127.0.0.1:" + port + " (" + portFile
                    + " is stale: is the agent running?)");
            return Main.EXIT_UNAVAILABLE;
        } catch (IOException e) {
            err.println("sluice: the shell connection failed: " + e);
            return Main.EXIT_FAILURE;
        }
    }

    /** The greeting up to the token prompt, or null if the agent closed the connection instead. */
    private static String readGreeting(InputStream fromShell) throws IOException {
        ByteArrayOutputStream greeting = new ByteArrayOutputStream();
        while (greeting.size() < GREETING_LIMIT) {
            int b = fromShell.read();
            if (b < 0) {
                return null;
            }
            greeting.write(b);
            if (greeting.toString(StandardCharsets.UTF_8).endsWith(RemoteShell.TOKEN_PROMPT_END)) {
                return greeting.toString(StandardCharsets.UTF_8);
            }
        }
        throw new IOException("the agent's greeting did not end in a token prompt");
    }

    private static String readRest(InputStream fromShell) throws IOException {
        return new String(fromShell.readNBytes(GREETING_LIMIT), StandardCharsets.UTF_8);
    }

    /** Our input to the shell; at its end, half-closes the connection so the shell ends after the last command. */
    private static void copyInput(InputStream in, Socket socket, OutputStream toShell) {
        try {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0;) {
                toShell.write(buffer, 0, n);
                toShell.flush();
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // The shell closed the connection first; the reading side reports the end.
        }
    }
}
