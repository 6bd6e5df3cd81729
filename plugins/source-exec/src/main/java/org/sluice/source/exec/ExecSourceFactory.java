package org.sluice.source.exec;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.support.config.ConfigValues;

/** Flume's {@code exec} source. */
@Component(service = SourceFactory.class)
@SluiceType({"exec", "org.apache.flume.source.ExecSource", "org.sluice.source.exec.ExecSource"})
public class ExecSourceFactory implements SourceFactory {

    /** The most maxLineLength may be: a line's characters are held in one buffer. */
    static final int MAX_LINE_LENGTH_LIMIT = 128 * 1024 * 1024;

    /** Flume 1.11's keys and defaults; then Sluice's. */
    public @interface Config {
        /** The command to run; required. */
        String command();

        /** A shell to run the command with, as its last argument ({@code /bin/sh -c}); none: run it directly. */
        String shell() default "";

        /** Milliseconds to wait before running the command again, with restart. */
        @Range(min = 0)
        long restartThrottle() default 10_000;

        /** Run the command again when it ends. */
        boolean restart() default false;

        /** Log the command's standard error (at INFO); otherwise it is discarded. */
        boolean logStdErr() default false;

        /** Lines per channel transaction at most. */
        @Range(min = 1)
        int batchSize() default 20;

        /** Milliseconds a line waits at most for its batch to fill. */
        @Range(min = 1)
        long batchTimeout() default 3000;

        /** Character set of the command's output, and of the event bodies. */
        String charset() default "UTF-8";

        /** Sluice's: the most characters of one line; the rest of a longer one is dropped. */
        @Range(min = 1, max = MAX_LINE_LENGTH_LIMIT)
        int maxLineLength() default 1024 * 1024;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        return new ExecSource(context, settings(context));
    }

    static Settings settings(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        String command = config.command().trim();
        if (command.isEmpty()) {
            throw context.configurationError("command", "is required: the command to run");
        }
        Charset charset = ConfigValues.charset(context, "charset", config.charset());
        // As Flume: the shell's words, then the command as one argument; without a shell, the command's words.
        List<String> commandLine = new ArrayList<>();
        String shell = config.shell().trim();
        if (shell.isEmpty()) {
            commandLine.addAll(Arrays.asList(command.split("\\s+")));
        } else {
            commandLine.addAll(Arrays.asList(shell.split("\\s+")));
            commandLine.add(config.command());
        }
        return new Settings(command, List.copyOf(commandLine), config.restartThrottle(), config.restart(),
                config.logStdErr(), config.batchSize(), config.batchTimeout(), charset, config.maxLineLength());
    }
}
