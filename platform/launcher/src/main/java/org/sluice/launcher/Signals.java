package org.sluice.launcher;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Operating system signals, through the JDK's sun.misc.Signal (module jdk.unsupported, which exists to be
 * used this way): the only means to act on SIGTERM other than letting the JVM exit with 143.
 */
final class Signals {
    private Signals() {
    }

    /**
     * @return false if the JVM does not let this signal be handled (for instance with -Xrs), in which case
     *         the JVM's default applies; also false for HUP, INT and TERM when the process was started with the
     *         signal ignored ({@code nohup} ignores HUP, a shell's background job INT): the JVM then leaves it
     *         ignored, and installs no handler
     */
    static boolean handle(String name, Runnable action) {
        try {
            SignalHandler previous = Signal.handle(new Signal(name), signal -> action.run());
            return previous != SignalHandler.SIG_IGN;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
