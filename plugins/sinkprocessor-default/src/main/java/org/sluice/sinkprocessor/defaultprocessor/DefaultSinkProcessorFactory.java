package org.sluice.sinkprocessor.defaultprocessor;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkProcessorContext;
import org.sluice.api.sink.SinkProcessorFactory;

/**
 * Flume's {@code default} sink processor: the group has exactly one sink, and the processor runs it. Flume
 * uses it for every sink outside a sink group.
 */
@Component(service = SinkProcessorFactory.class)
@SluiceType({"default", "org.apache.flume.sink.DefaultSinkProcessor", "org.sluice.sinkprocessor.defaultprocessor.DefaultSinkProcessor"})
public class DefaultSinkProcessorFactory implements SinkProcessorFactory {

    /** Flume's default processor reads no keys. */
    public @interface Config {
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public SinkProcessor create(SinkProcessorContext context) throws ConfigurationException {
        List<Sink> sinks = context.sinks();
        if (sinks.size() != 1) {
            throw context.configurationError("sinks", "the default sink processor runs exactly one sink, the group "
                    + "has " + sinks.size() + " " + context.sinksByName().keySet()
                    + "; choose processor.type = failover or load_balance for more");
        }
        return new DefaultSinkProcessor(sinks.get(0));
    }
}
