package org.sluice.source.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.sluice.platform.config.TypedConfiguration;

/**
 * The two TCP sources declare their keys in one place each (their own, the shared, TLS's): every key Flume 1.11
 * and Sluice give them is still known to the platform, so none is reported as unknown and each is checked.
 */
class SyslogTcpKeysTest {
    private static final Set<String> SHARED = Set.of("host", "eventSize", "keepFields", "clientIPHeader",
            "clientHostnameHeader", "max-connections", "idle-timeout", "ssl", "keystore", "keystore-password",
            "keystore-type", "exclude-protocols", "include-protocols", "exclude-cipher-suites",
            "include-cipher-suites", "ssl-client-auth", "truststore", "truststore-password", "truststore-type");

    @Test
    void syslogtcpAcceptsItsPortAndTheSharedKeys() {
        assertEquals(sorted(SHARED, Set.of("port")),
                sorted(TypedConfiguration.keys(SyslogTcpSourceFactory.Config.class)));
    }

    @Test
    void multiportAcceptsItsOwnKeysAndTheSharedKeys() {
        assertEquals(sorted(SHARED, Set.of("ports", "portHeader", "charset.default", "batchSize", "readBufferSize",
                "numProcessors")), sorted(TypedConfiguration.keys(MultiportSyslogTcpSourceFactory.Config.class)));
    }

    @SafeVarargs
    private static Set<String> sorted(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }
}
