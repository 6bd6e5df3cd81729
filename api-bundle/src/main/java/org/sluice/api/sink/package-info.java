/**
 * Sinks, driven by the platform's sink runner, the sink processors that decide which sink of a group runs, and
 * the sink selectors a {@code load_balance} group can take from the registry.
 *
 * <p>1.1.0: sink selectors ({@link org.sluice.api.sink.SinkSelector}, its factory and context),
 * {@code SinkProcessorFactory.sinkSelectorKey} and {@code SinkProcessorContext.sinkSelector}.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.sluice.api.sink;
