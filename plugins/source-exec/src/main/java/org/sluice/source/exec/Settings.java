package org.sluice.source.exec;

import java.nio.charset.Charset;
import java.util.List;

/**
 * The exec source's configuration, checked.
 *
 * @param command     the command as configured
 * @param commandLine what is run: the shell's words and the command, or the command's words
 */
record Settings(String command, List<String> commandLine, long restartThrottle, boolean restart, boolean logStdErr,
                int batchSize, long batchTimeout, Charset charset, int maxLineLength) {
}
