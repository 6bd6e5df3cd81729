package org.sluice.launcher;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The command line of {@code sluice dist}: which plugins of this installation's deploy/ to keep, which bundles to
 * add, the default agent configuration, the distribution's name and where to write it. The output's file name
 * says what to write: {@code .tar.gz} or {@code .tgz} a tarball, {@code .deb} a Debian package, anything else
 * a directory.
 *
 * @param plugins  the plugins to keep, by name; empty: every plugin of deploy/
 * @param added    bundles to add to deploy/ (a user's own plugins)
 * @param confFile the agent configuration the distribution runs when no -f is given
 * @param agent    the agent of confFile to run; empty: the only agent it defines
 * @param name     the distribution's name: the tarball's top directory, the Debian package and its service
 * @param output   where to write it
 * @param format   what to write
 * @param validate whether the distribution's own {@code validate} checks confFile before it is written
 */
record DistOptions(Optional<List<String>> plugins, List<Path> added, Optional<Path> confFile, Optional<String> agent,
                   String name, Path output, Format format, boolean validate) {

    enum Format { TAR_GZ, DEB, DIRECTORY }

    /** A Debian package name (Debian policy 5.6.1), which also makes a safe directory, user and unit name. */
    private static final Pattern DEBIAN_NAME = Pattern.compile("[a-z0-9][a-z0-9.+-]+");
    private static final Pattern DIRECTORY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    static final String DEFAULT_DEB_NAME = "sluice";

    DistOptions {
        plugins = plugins.map(List::copyOf);
        added = List.copyOf(added);
    }

    static DistOptions parse(List<String> args) throws UsageException {
        List<String> plugins = null;
        List<Path> added = new ArrayList<>();
        Path confFile = null;
        String agent = null;
        String name = null;
        Path output = null;
        boolean validate = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            CommandLine.Argument argument = CommandLine.Argument.of(arg);
            String option = argument.option();
            String inline = argument.inlineValue();
            switch (option) {
                case "--plugins":
                    if (plugins == null) {
                        plugins = new ArrayList<>();
                    }
                    plugins.addAll(commaList(option, inline != null ? inline : value(args, ++i, option)));
                    break;
                case "--add":
                    for (String jar : commaList(option, inline != null ? inline : value(args, ++i, option))) {
                        added.add(path(option, jar));
                    }
                    break;
                case "--conf":
                case "--conf-file":
                case "-f":
                    confFile = path(option, inline != null ? inline : value(args, ++i, option));
                    break;
                case "--agent":
                    agent = inline != null ? inline : value(args, ++i, option);
                    break;
                case "--name":
                    name = inline != null ? inline : value(args, ++i, option);
                    break;
                case "-o":
                case "--output":
                    output = path(option, inline != null ? inline : value(args, ++i, option));
                    break;
                case "--no-validate":
                    validate = false;
                    break;
                default:
                    throw new UsageException(arg.startsWith("-") ? "dist: unknown option '" + arg + "'"
                            : "dist: unexpected argument '" + arg + "'");
            }
        }
        if (output == null) {
            throw new UsageException("dist needs an output (-o NAME.tar.gz, NAME.deb or a directory)");
        }
        if (agent != null && confFile == null) {
            throw new UsageException("dist: --agent names the agent of --conf FILE; no --conf was given");
        }
        Format format = formatOf(output);
        if (name == null) {
            name = format == Format.DEB ? DEFAULT_DEB_NAME : stripExtension(output.getFileName().toString());
        }
        Pattern allowed = format == Format.DEB ? DEBIAN_NAME : DIRECTORY_NAME;
        if (!allowed.matcher(name).matches()) {
            throw new UsageException("dist: '" + name + "' is not a valid distribution name"
                    + (format == Format.DEB ? " for a Debian package (lower case letters, digits, '.', '+', '-';"
                    + " at least two characters)" : " (letters, digits, '.', '_', '+', '-')") + "; give one with --name");
        }
        return new DistOptions(Optional.ofNullable(plugins), added, Optional.ofNullable(confFile),
                Optional.ofNullable(agent), name, output, format, validate);
    }

    static Format formatOf(Path output) {
        String file = output.getFileName() == null ? "" : output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.endsWith(".tar.gz") || file.endsWith(".tgz")) {
            return Format.TAR_GZ;
        }
        return file.endsWith(".deb") ? Format.DEB : Format.DIRECTORY;
    }

    private static String stripExtension(String file) {
        for (String extension : new String[] {".tar.gz", ".tgz", ".deb"}) {
            if (file.toLowerCase(Locale.ROOT).endsWith(extension)) {
                return file.substring(0, file.length() - extension.length());
            }
        }
        return file;
    }

    private static List<String> commaList(String option, String value) throws UsageException {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        if (items.isEmpty()) {
            throw new UsageException(option + " needs at least one name");
        }
        return items;
    }

    private static String value(List<String> args, int index, String option) throws UsageException {
        if (index >= args.size() || args.get(index).isEmpty()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(index);
    }

    private static Path path(String option, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(option + ": not a valid path: " + value);
        }
    }
}
