package org.sluice.launcher;

import sun.misc.Signal;

/**
 * Operating system signals, through the JDK's sun.misc.Signal (module jdk.unsupported, which exists to be
 * used this way): the only means to act on SIGTERM other than letting the JVM exit with 143.
 */
final class Signals {
    private Signals() {
    }

    /**
     * @return false if the JVM does not let this signal be handled (for instance with -Xrs), in which case
     *         the JVM's default applies
     */
    static boolean handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), signal -> action.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
