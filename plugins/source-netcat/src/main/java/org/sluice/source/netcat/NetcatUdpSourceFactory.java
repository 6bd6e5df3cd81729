package org.sluice.source.netcat;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;

/** Flume's {@code netcatudp} source: one event per UDP datagram, up to its first newline. */
@Component(service = SourceFactory.class)
@SluiceType({"netcatudp", "org.apache.flume.source.NetcatUdpSource", "org.sluice.source.netcat.NetcatUdpSource"})
public class NetcatUdpSourceFactory implements SourceFactory {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** Host name or address to listen on; empty: every interface. */
        String bind() default "";

        /** UDP port to listen on. */
        int port();

        /** Header that receives the sender's address ({@code /127.0.0.1:5000}); empty: none. */
        String remoteAddressHeader() default "";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Ports.check(context, config.port());
        String header = config.remoteAddressHeader().trim();
        return new NetcatUdpSource(context, config.bind().trim(), config.port(), header.isEmpty() ? null : header);
    }
}
