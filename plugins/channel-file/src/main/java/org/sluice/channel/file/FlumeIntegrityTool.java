package org.sluice.channel.file;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code flume-ng tool FCINTEGRITYTOOL -l DIR[,DIR...]}: Flume's file channel integrity tool, mapped onto Sluice's
 * check ({@link FileChannelCheck}) of the data directories alone.
 *
 * <p>Flume's tool rewrites each damaged record as a no-op (keeping a {@code .bak} copy of the file), because a
 * damaged record stops Flume's channel from starting. Sluice's channel skips a damaged record at every start and
 * logs it with its file and offset, so there is nothing to repair: the tool reports what it finds and changes no
 * file. Its exit status says the outcome (0 OK, 1 DAMAGED, 2 wrong command line or no such directory, 3 the check
 * failed), where Flume's always exits with 0.
 *
 * <p>Flume's {@code -e/--eventValidator} (a class judging each event) is refused: an event validator drops events
 * from the files, and this check never changes them.
 */
public final class FlumeIntegrityTool {
    static final String TOOL = "FCINTEGRITYTOOL";

    static final String USAGE = String.join("\n",
            "Usage: flume-ng tool FCINTEGRITYTOOL -l DIR[,DIR...]",
            "",
            "  -l, --dataDirs DIR[,DIR...]  the file channel's data directories (required)",
            "  -h, --help                   this help",
            "",
            "Checks every record of the data files and reports damaged ones with their file and offset (Sluice's",
            "'check-file-channel --dataDirs'). Unlike Flume's tool it changes no file: Sluice's file channel skips a",
            "damaged record when it starts, and logs it. Exit status: 0 OK, 1 DAMAGED, 2 wrong command line or no",
            "such directory, 3 the check failed.",
            "");

    private FlumeIntegrityTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** {@code args}: the tool's name, then its options, as {@code flume-ng tool} passes them. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("flume-ng tool: name the tool and its options: " + TOOL + " -l DIR[,DIR...]");
            return FileChannelCheck.EXIT_USAGE;
        }
        if (!args[0].toUpperCase(Locale.ROOT).equals(TOOL)) {
            err.println("flume-ng tool: there is no tool '" + args[0] + "'; the tool is " + TOOL.toLowerCase(Locale.ROOT));
            return FileChannelCheck.EXIT_USAGE;
        }
        String dataDirs = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String option = arg;
            String value = null;
            if (arg.startsWith("--") && arg.indexOf('=') > 0) {
                option = arg.substring(0, arg.indexOf('='));
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (arg.startsWith("-l") && arg.length() > 2) {
                option = "-l";
                value = arg.substring(2);
            }
            switch (option) {
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return FileChannelCheck.EXIT_OK;
                }
                case "-l", "--dataDirs" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            return usage(err, option + " needs the data directories");
                        }
                        value = args[++i];
                    }
                    if (dataDirs != null && !dataDirs.equals(value)) {
                        return usage(err, option + " is given twice");
                    }
                    dataDirs = value;
                }
                case "-e", "--eventValidator" -> {
                    return usage(err, option + " is not supported: an event validator removes events from the "
                            + "files, and Sluice's check changes no file (its channel skips damaged records itself)");
                }
                default -> {
                    if (arg.startsWith("-D")) {
                        // Flume passes -D to its event validator only, which is not supported: nothing reads them.
                        err.println("flume-ng tool: " + arg + " ignored (properties of an event validator)");
                    } else {
                        return usage(err, "unknown option " + arg);
                    }
                }
            }
        }
        if (dataDirs == null) {
            return usage(err, "dataDirs is required (-l DIR[,DIR...])");
        }
        int status = FileChannelCheck.run(new String[] {"--dataDirs", dataDirs}, out, err);
        if (status == FileChannelCheck.EXIT_DAMAGED) {
            out.println("No file was changed: Sluice's file channel skips the damaged records when it starts and "
                    + "logs each one (Flume's tool would rewrite them as no-ops).");
        }
        return status;
    }

    private static int usage(PrintStream err, String message) {
        err.println("flume-ng tool " + TOOL + ": " + message);
        err.print(USAGE);
        return FileChannelCheck.EXIT_USAGE;
    }
}
