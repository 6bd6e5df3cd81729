package org.sluice.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Gogo commands run from lines of text, for the remote shells ({@link RemoteShell} on a loopback socket,
 * {@link SshShell} over SSH). The launcher is outside the framework and does not import Gogo's API: it calls the
 * command processor by reflection, as its service.
 */
final class GogoSession {
    static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    static final String COMMAND_SESSION = "org.apache.felix.service.command.CommandSession";
    static final String PROMPT = "sluice> ";

    /** Where a session's command lines come from; null at the end. */
    interface Lines {
        String readLine() throws IOException;
    }

    private GogoSession() {
    }

    /** Gogo's command processor; the kernel (with the Gogo runtime) has started. */
    static Object processor(BundleContext context) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + COMMAND_PROCESSOR + ")"), null);
        tracker.open(true);
        try {
            Object processor = tracker.waitForService(TimeUnit.SECONDS.toMillis(10));
            if (processor == null) {
                throw new IllegalStateException("No Gogo command processor: is the Gogo runtime in bundle/?");
            }
            return processor;
        } finally {
            tracker.close();
        }
    }

    /**
     * Runs the lines as commands until {@code exit}, {@code quit} or their end, printing each result (or the error)
     * to {@code print}, with a prompt before each line when {@code prompt} is set.
     *
     * @return false if a command failed
     */
    static boolean run(Object processor, Lines lines, PrintStream print, boolean prompt)
            throws IOException, ReflectiveOperationException {
        Method createSession = ServiceInterfaces.named(processor, COMMAND_PROCESSOR).getMethod("createSession",
                InputStream.class, OutputStream.class, OutputStream.class);
        Object session = createSession.invoke(processor, InputStream.nullInputStream(), print, print);
        Class<?> sessionType = ServiceInterfaces.named(session, COMMAND_SESSION);
        Method execute = sessionType.getMethod("execute", CharSequence.class);
        Method format = sessionType.getMethod("format", Object.class, int.class);
        boolean allSucceeded = true;
        try {
            while (true) {
                if (prompt) {
                    print.print(PROMPT);
                    print.flush();
                }
                String line = lines.readLine();
                if (line == null || line.trim().equals("exit") || line.trim().equals("quit")) {
                    return allSucceeded;
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Object result = execute.invoke(session, line);
                    if (result != null) {
                        // Converter.INSPECT (0): what the interactive shell prints.
                        print.println(format.invoke(session, result, 0));
                    }
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    print.println(cause.getClass().getSimpleName() + ": " + cause.getMessage());
                    allSucceeded = false;
                }
                print.flush();
            }
        } finally {
            sessionType.getMethod("close").invoke(session);
        }
    }
}
