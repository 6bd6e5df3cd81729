/**
 * The jms source's converters: how a JMS message becomes events. The jms source turns every message with its own
 * converter unless {@code converter.type} names another; a converter of one's own is a bundle that registers a
 * {@link org.sluice.api.jms.JmsMessageConverterFactory} service whose {@code sluice.type} property
 * ({@link org.sluice.api.component.SluiceType}) lists the names a configuration gives in {@code converter.type}.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.jms;
