package org.sluice.launcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote shell: Gogo's telnet server, started when {@code -Dsluice.shell.telnet.port} is given and bound
 * to 127.0.0.1 only (it has no authentication). Gogo's classes live inside the framework, so the launcher
 * reaches its command processor through the service's interfaces by reflection.
 */
final class RemoteShell {
    static final String PORT_PROPERTY = "sluice.shell.telnet.port";
    private static final Logger LOG = LoggerFactory.getLogger(RemoteShell.class);
    private static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String COMMAND_SESSION = "org.apache.felix.service.command.CommandSession";

    private RemoteShell() {
    }

    /** Starts telnetd on 127.0.0.1:port; the kernel (with the Gogo shell) has started. */
    static void start(BundleContext context, int port) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + COMMAND_PROCESSOR + ")"), null);
        tracker.open(true);
        try {
            Object processor = tracker.waitForService(TimeUnit.SECONDS.toMillis(10));
            if (processor == null) {
                throw new IllegalStateException("No Gogo command processor: is the Gogo runtime in bundle/?");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
            Method createSession = ServiceInterfaces.named(processor, COMMAND_PROCESSOR)
                    .getMethod("createSession", java.io.InputStream.class, java.io.OutputStream.class,
                            java.io.OutputStream.class);
            Object session = createSession.invoke(processor, new ByteArrayInputStream(new byte[0]), out, out);
            Class<?> sessionType = ServiceInterfaces.named(session, COMMAND_SESSION);
            try {
                sessionType.getMethod("execute", CharSequence.class)
                        .invoke(session, "telnetd --ip=127.0.0.1 --port=" + port + " start");
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("telnetd did not start on 127.0.0.1:" + port + ": "
                        + output.toString(StandardCharsets.UTF_8).trim(), e.getCause());
            } finally {
                sessionType.getMethod("close").invoke(session);
            }
            LOG.info("Remote shell: telnet 127.0.0.1 {} (loopback only; no authentication)", port);
        } finally {
            tracker.close();
        }
    }
}
