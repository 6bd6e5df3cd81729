package org.sluice.source.netcat;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;

/** Flume's {@code netcat} source: one event per line of text received over TCP. */
@Component(service = SourceFactory.class)
@SluiceType({"netcat", "org.apache.flume.source.NetcatSource", "org.sluice.source.netcat.NetcatSource"})
public class NetcatSourceFactory implements SourceFactory {

    /** Flume's keys and defaults, and {@code max-connections}, Sluice's bound on concurrent clients. */
    public @interface Config {
        /** Host name or address to listen on. */
        String bind();

        /** TCP port to listen on. */
        int port();

        /** The longest line in characters, newline included; a longer one fails and closes the connection. */
        int max$_$line$_$length() default 512;

        /** Answer "OK" for every line the channels accepted. */
        boolean ack$_$every$_$event() default true;

        /** Charset of the received text and of the answers; event bodies are UTF-8, as in Flume. */
        String encoding() default "utf-8";

        /**
         * Sluice's: clients served at once, one thread each (Flume serves any number, with a thread each). One
         * more closes the connection idle the longest, so idle sockets cannot lock clients out.
         */
        int max$_$connections() default 128;

        /** Sluice's: seconds a connection may send nothing before it is closed; 0 for never. */
        int idle$_$timeout() default 600;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Ports.check(context, config.port());
        if (config.max$_$line$_$length() < 1) {
            throw context.configurationError("max-line-length",
                    "must be at least 1, was " + config.max$_$line$_$length());
        }
        if (config.max$_$connections() < 1) {
            throw context.configurationError("max-connections",
                    "must be at least 1, was " + config.max$_$connections());
        }
        if (config.idle$_$timeout() < 0 || config.idle$_$timeout() > Integer.MAX_VALUE / 1000) {
            throw context.configurationError("idle-timeout", "must be 0 (never) or a number of seconds, was "
                    + config.idle$_$timeout());
        }
        Charset charset;
        try {
            charset = Charset.forName(config.encoding().trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw context.configurationError("encoding", "'" + config.encoding() + "' is not a charset this JVM knows");
        }
        return new NetcatTcpSource(context, config.bind().trim(), config.port(), config.max$_$line$_$length(),
                config.ack$_$every$_$event(), charset, config.max$_$connections(), config.idle$_$timeout() * 1000);
    }
}
