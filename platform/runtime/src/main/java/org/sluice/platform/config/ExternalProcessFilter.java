package org.sluice.platform.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sluice.api.component.ConfigurationException;

/**
 * Flume's {@code external} config filter: runs {@code <command> <key>} and takes the first line it prints,
 * if it exits with 0. Unlike Flume's, a command that does not finish within {@link #TIMEOUT_SECONDS} is
 * killed, so a hanging secret helper cannot block configuration forever.
 */
final class ExternalProcessFilter implements ConfigFilter {

    static final long TIMEOUT_SECONDS = 30;

    private final List<String> command;
    private final Charset charset;

    private ExternalProcessFilter(List<String> command, Charset charset) {
        this.command = command;
        this.charset = charset;
    }

    static ExternalProcessFilter of(String agent, String name, Map<String, String> properties)
            throws ConfigurationException {
        String command = properties.get("command");
        if (command == null || command.isBlank()) {
            throw new ConfigurationException(agent, name, "command", "an external filter needs a command");
        }
        String charsetName = properties.getOrDefault("charset", "UTF-8");
        Charset charset;
        try {
            charset = Charset.forName(charsetName);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ConfigurationException(agent, name, "charset", "'" + charsetName + "' is not a supported"
                    + " charset", e);
        }
        return new ExternalProcessFilter(Arrays.asList(command.trim().split("\\s+")), charset);
    }

    @Override
    public String filter(String key) throws ConfigFilterException {
        List<String> commandLine = new ArrayList<>(command);
        commandLine.add(key);
        Process process;
        try {
            process = new ProcessBuilder(commandLine).start();
        } catch (IOException e) {
            throw new ConfigFilterException("cannot run " + commandLine + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            // Both streams are drained while the process runs, so a chatty command cannot block on a full pipe.
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> firstLine(
                    process.getInputStream()));
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> firstLine(
                    process.getErrorStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new ConfigFilterException(commandLine + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                String stderr = errors.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                throw new ConfigFilterException(commandLine + " exited with " + process.exitValue()
                        + (stderr == null ? "" : ": " + stderr));
            }
            return firstLine.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigFilterException("interrupted while running " + commandLine, e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            throw new ConfigFilterException("cannot read the output of " + commandLine + ": " + e, e);
        } finally {
            process.destroyForcibly();
        }
    }

    private String firstLine(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, charset))) {
            String first = reader.readLine();
            // Read to the end so the process never blocks writing; only the first line counts, as in Flume.
            while (reader.readLine() != null) {
                // discard
            }
            return first;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
