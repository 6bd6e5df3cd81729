package org.sluice.itests.sinkselector;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.sink.SinkSelectorContext;
import org.sluice.api.sink.SinkSelectorFactory;

/**
 * Registers the reverse-order selector under a short name and under the selector's class name, the value a
 * Flume configuration would give: {@code processor.selector = org.sluice.itests.sinkselector.ReverseOrderSinkSelector}.
 */
@Component(service = SinkSelectorFactory.class)
@SluiceType({"reverse", "org.sluice.itests.sinkselector.ReverseOrderSinkSelector"})
public class ReverseOrderSinkSelectorFactory implements SinkSelectorFactory {

    /** The selector's keys, under {@code processor.selector.}. */
    public @interface Config {
        /** How long a failed sink is left out, in milliseconds; 0: offered again at once. */
        long pauseAfterFailure() default 0L;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public SinkSelector create(SinkSelectorContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        if (config.pauseAfterFailure() < 0) {
            throw context.configurationError("pauseAfterFailure", "must not be negative, was "
                    + config.pauseAfterFailure());
        }
        return new ReverseOrderSinkSelector(context.sinks(), config.pauseAfterFailure());
    }
}
