package org.sluice.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.sluice.support.tls.GlobalTls;

/**
 * What Flume's agent does at start: each agent-wide TLS setting that is not a system property yet
 * ({@code javax.net.ssl.keyStore}, {@code flume.ssl.exclude.protocols}, ...) is taken from its environment variable
 * ({@code FLUME_SSL_KEYSTORE_PATH}, ...). Sluice's TLS components read the variables themselves too; setting the
 * properties as well gives every other reader of the JSSE properties in the agent (the JDK's default trust, a
 * client library) the same values, as under Flume.
 */
final class SslEnvironment {
    private SslEnvironment() {
    }

    /** Sets the missing properties from {@code environment}; returns the names of those it set (never values). */
    static List<String> apply(Properties system, Map<String, String> environment) {
        List<String> set = new ArrayList<>();
        for (GlobalTls.Setting setting : GlobalTls.Setting.values()) {
            String value = environment.get(setting.environmentVariable());
            if (value != null && system.getProperty(setting.systemProperty()) == null) {
                system.setProperty(setting.systemProperty(), value);
                set.add(setting.systemProperty());
            }
        }
        return set;
    }
}
