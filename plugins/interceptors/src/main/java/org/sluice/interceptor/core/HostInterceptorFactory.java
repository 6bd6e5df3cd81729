package org.sluice.interceptor.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.support.interceptor.HeaderWriter;
import org.sluice.support.interceptor.InPlace;
import org.sluice.support.interceptor.TypedInterceptorFactory;

/** Flume's {@code host} interceptor: the agent's IP address or host name in a header. */
@Component(service = InterceptorFactory.class)
@SluiceType({"host", "org.apache.flume.interceptor.HostInterceptor$Builder",
        "org.sluice.interceptor.core.HostInterceptor"})
public class HostInterceptorFactory extends TypedInterceptorFactory<HostInterceptorFactory.Config> {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** Keep a value the event already has. */
        boolean preserveExisting() default false;

        /** The IP address if true, the canonical host name if false. */
        boolean useIP() default true;

        /** The header the address or name goes into. */
        String hostHeader() default "host";
    }

    /** How the local host is found; a seam for tests. */
    interface HostLookup {
        String find(boolean useIP) throws UnknownHostException;
    }

    static final HostLookup LOCAL = useIP -> {
        InetAddress local = InetAddress.getLocalHost();
        return useIP ? local.getHostAddress() : local.getCanonicalHostName();
    };

    public HostInterceptorFactory() {
        super(Config.class);
    }

    @Override
    protected Interceptor create(ComponentContext context, Config config) throws ConfigurationException {
        return new HostInterceptor(context.componentName(), HeaderWriter.configured(context, "hostHeader",
                config.hostHeader(), config.preserveExisting()), config.useIP(), LOCAL);
    }

    static final class HostInterceptor implements Interceptor {
        private final String name;
        private final HeaderWriter header;
        private final boolean useIP;
        private final HostLookup lookup;
        private volatile String host;

        HostInterceptor(String name, HeaderWriter header, boolean useIP, HostLookup lookup) {
            this.name = name;
            this.header = header;
            this.useIP = useIP;
            this.lookup = lookup;
        }

        /**
         * Looks the host up once, here rather than in create() (a name lookup may wait on DNS). Flume logs a
         * failed lookup and passes events on without the header; this fails the start instead, so the
         * source is reported FAILED and retried, and no event leaves without the header users route on.
         */
        @Override
        public void start() throws UnknownHostException {
            try {
                host = lookup.find(useIP);
            } catch (UnknownHostException e) {
                UnknownHostException failure = new UnknownHostException(
                        "host interceptor " + name + ": cannot find the local host's "
                                + (useIP ? "address" : "name") + ": " + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
        }

        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            if (host == null) {
                throw new IllegalStateException("host interceptor " + name + " used before it was started");
            }
            header.write(event, host);
            return event;
        }
    }
}
