package org.sluice.source.syslog;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.source.SourceContext;
import org.sluice.support.tls.Tls;
import org.sluice.support.tls.TlsConfig;

/**
 * What {@code syslogtcp} and {@code multiport_syslogtcp} share: Flume 1.11's keys of both (and TLS's, and Sluice's
 * connection bounds), declared here once and included by each factory's configuration type, and the source they
 * make from them. Each factory keeps only the keys of its own (its ports, and the multiport source's charsets,
 * batch size and threads).
 */
final class SyslogTcpKeys {
    private SyslogTcpKeys() {
    }

    /** The keys both TCP syslog sources accept, with Flume's defaults. */
    @IncludeKeys(TlsConfig.ServerAuthenticatingClients.class)
    @interface Shared {
        /** Host name or address to listen on; empty: every interface. */
        String host() default "";

        /** Messages of this many bytes or more are cut here and marked Incomplete. */
        @Range(min = 1)
        int eventSize() default 2500;

        /** {@code none}, {@code all}, or any of {@code priority version timestamp hostname}. */
        String keepFields() default "none";

        /** Header that receives the client's IP address; empty: none. */
        String clientIPHeader() default "";

        /** Header that receives the client's host name (a reverse lookup per connection); empty: none. */
        String clientHostnameHeader() default "";

        /**
         * Sluice's: connections open at once; one more closes the connection idle the longest, so idle sockets cannot
         * lock senders out.
         */
        int max$_$connections() default 10_000;

        /**
         * Sluice's: seconds a connection may send nothing before it is closed; 0 (the default) for never: syslog
         * senders keep quiet connections open for hours, and a sender may lose the message it writes into a
         * connection closed under it. The connection bound alone keeps idle sockets from locking senders out.
         */
        long idle$_$timeout() default 0;
    }

    /** How one of the two sources differs from the other, from its own keys. */
    record Own(String description, List<Integer> ports, int threads, Dialect dialect, Charset charset,
            Map<Integer, Charset> portCharsets, String portHeader, int batchSize, Logger log) {
    }

    /** The source, from the shared keys and {@code own}; a bad value fails naming its key. */
    static SyslogTcpSource source(SourceContext context, Own own) throws ConfigurationException {
        Shared shared = context.config(Shared.class);
        int eventSize = shared.eventSize();
        SyslogStreamHandler.Settings settings = SyslogKeys.settings(context, own.dialect(), shared.keepFields(),
                own.charset(), own.portCharsets(), own.portHeader(), shared.clientIPHeader(),
                shared.clientHostnameHeader(), own.batchSize(), own.log());
        return new SyslogTcpSource(own.description() + " " + context.componentName(), shared.host().trim(),
                own.ports(), own.threads(), eventSize, settings,
                Tls.enabled(context) ? Tls.serverAuthenticatingClients(context) : null,
                SyslogKeys.connectionBounds(context, shared.max$_$connections(), shared.idle$_$timeout()));
    }
}
