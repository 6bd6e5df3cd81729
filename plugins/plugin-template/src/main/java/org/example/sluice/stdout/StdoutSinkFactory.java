package org.example.sluice.stdout;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;

/**
 * The plugin's entry point: a Declarative Services component that registers a {@link SinkFactory} service.
 * Sluice finds it by the names in {@link SluiceType}: a configuration with {@code a1.sinks.k1.type = stdout}
 * gets its sinks from here. Rename the type when you copy the template: two factories answering to one
 * name cannot both be used.
 */
@Component(service = SinkFactory.class)
@SluiceType({"stdout", "org.example.sluice.stdout.StdoutSink"})
public class StdoutSinkFactory implements SinkFactory {

    /**
     * The keys this sink reads, with their defaults. An element's name is its key: {@code batchSize()} is
     * {@code batchSize}; an underscore stands for a dot ({@code sink_directory()} is {@code sink.directory})
     * and {@code $_$} for a dash ({@code keep$_$alive()} is {@code keep-alive}). Sluice converts and checks
     * the values before {@link #create} and reports keys that are not declared here. A key's bounds go on its
     * element ({@link Range}): the agent, {@code validate} and the API test kit all apply them, with an error
     * naming the key, so {@code create} need not check them again.
     */
    public @interface Config {
        /** Events taken, printed and flushed per transaction. */
        @Range(min = 1)
        int batchSize() default 100;

        /** Print the headers before each body, as {@code {k=v} body}. */
        boolean printHeaders() default false;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        return new StdoutSink(context.channel(), context.counter(), System.out, config.batchSize(),
                config.printHeaders());
    }
}
