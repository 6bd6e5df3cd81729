package org.sluice.channel.file;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo command {@code sluice:filechannel}, the read-only check ({@link FileChannelCheck}) from the shell:
 *
 * <ul>
 * <li>{@code sluice:filechannel}: the file channels this bundle configured, and the usage;</li>
 * <li>{@code sluice:filechannel <agent> <channel>}: checks that channel's directories, as last configured;</li>
 * <li>{@code sluice:filechannel <checkpointDir> <dataDir>[,<dataDir>...] [<backupCheckpointDir>]}: checks
 *     those directories (two arguments that do not name a configured channel are taken as directories).</li>
 * </ul>
 *
 * A running channel is not disturbed: the report says its files are in use and may be stale.
 */
@Component(service = FileChannelCommand.class, property = {
    "osgi.command.scope=sluice",
    "osgi.command.function=filechannel"
})
public final class FileChannelCommand {
    static final String USAGE = String.join("\n",
            "Usage: sluice:filechannel <agent> <channel>",
            "       sluice:filechannel <checkpointDir> <dataDir>[,<dataDir>...] [<backupCheckpointDir>]",
            "Checks a file channel's directories without changing them; see docs/file-channel.md.",
            "");

    private final FileChannelFactory factory;

    @Activate
    public FileChannelCommand(@Reference FileChannelFactory factory) {
        this.factory = factory;
    }

    /** {@code sluice:filechannel}: the configured file channels and the usage. */
    public String filechannel() {
        Map<String, List<String>> channels = factory.configuredChannels();
        StringBuilder out = new StringBuilder();
        if (channels.isEmpty()) {
            out.append("No file channel is configured.\n");
        } else {
            out.append("File channels:\n");
            channels.forEach((agent, names) -> names.forEach(name -> {
                Directories dirs = factory.configured(agent, name).orElseThrow();
                out.append("  ").append(agent).append(' ').append(name).append("  checkpointDir ")
                        .append(dirs.checkpointDir()).append(", dataDirs ").append(dirs.dataDirs()).append('\n');
            }));
        }
        return out.append(USAGE).toString();
    }

    /** {@code sluice:filechannel <agent> <channel>}, or {@code <checkpointDir> <dataDirs>}. */
    public String filechannel(String first, String second) throws IOException {
        Optional<Directories> configured = factory.configured(first, second);
        if (configured.isPresent()) {
            return check(configured.get());
        }
        if (!first.contains("/") && !second.contains("/")) {
            // Neither looks like a path: most likely a typo in an agent or channel name.
            return "No file channel " + second + " of agent " + first + " is configured.\n" + filechannel();
        }
        return directories(first, second, null);
    }

    /** {@code sluice:filechannel <checkpointDir> <dataDirs> <backupCheckpointDir>}. */
    public String filechannel(String checkpointDir, String dataDirs, String backupCheckpointDir) throws IOException {
        return directories(checkpointDir, dataDirs, backupCheckpointDir);
    }

    private String directories(String checkpointDir, String dataDirs, String backupCheckpointDir)
            throws IOException {
        Directories dirs;
        try {
            dirs = Directories.resolve(checkpointDir, backupCheckpointDir != null, backupCheckpointDir, dataDirs,
                    () -> {
                        throw new IllegalStateException("both directories are given: no default is needed");
                    }, (key, message) -> new FileChannelCheck.UsageException(key + ": " + message));
        } catch (FileChannelCheck.UsageException e) {
            return e.getMessage() + "\n" + USAGE;
        }
        return check(dirs);
    }

    private static String check(Directories dirs) throws IOException {
        try {
            return FileChannelCheck.check(dirs).text();
        } catch (FileChannelCheck.UsageException e) {
            // A directory that does not exist: told as text, like the platform's commands tell an unknown agent.
            return e.getMessage() + "\n" + USAGE;
        }
    }
}
