/**
 * Sinks, driven by the platform's sink runner, the sink processors that decide which sink of a group runs, and
 * the sink selectors a {@code load_balance} group can take from the registry.
 *
 * <p>1.1.0: sink selectors ({@link org.sluice.api.sink.SinkSelector}, its factory and context),
 * {@code SinkProcessorFactory.sinkSelectorKey} and {@code SinkProcessorContext.sinkSelector}.
 *
 * <p>1.2.0: the contexts inherit {@code ComponentContext.lookup} (org.sluice.api.component 1.3.0).
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.sluice.api.sink;
