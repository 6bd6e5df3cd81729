package org.sluice.launcher;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.LoggerFactory;

/**
 * Felix's own messages (a bundle that does not resolve, an activator that throws) into the log, instead of
 * Felix's default of printing to stdout.
 */
final class FelixLogBridge extends Logger {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    /**
     * Felix's {@code felix.log.level} matching the log's level for Felix: Felix builds no message the log would
     * drop. Felix applies this property to its logger, so it is set rather than the logger's level.
     */
    static String felixLogLevel() {
        return String.valueOf(LOG.isDebugEnabled() ? LOG_DEBUG : LOG.isInfoEnabled() ? LOG_INFO
                : LOG.isWarnEnabled() ? LOG_WARNING : LOG_ERROR);
    }

    @Override
    @SuppressWarnings("rawtypes") // Felix's signature
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String message = bundle == null ? msg : bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]: " + msg;
        switch (level) {
            case LOG_ERROR:
                LOG.error(message, throwable);
                break;
            case LOG_WARNING:
                LOG.warn(message, throwable);
                break;
            case LOG_INFO:
                LOG.info(message, throwable);
                break;
            default:
                LOG.debug(message, throwable);
                break;
        }
    }
}
