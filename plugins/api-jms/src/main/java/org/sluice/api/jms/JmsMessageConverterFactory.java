package org.sluice.api.jms;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * Service interface of converter bundles. Register one per converter, with
 * {@link org.sluice.api.component.SluiceType} listing the names a configuration gives in {@code converter.type}:
 * the class name a Flume file names ({@code com.example.MyConverter$Builder}), and a short name if you like. Class
 * names match exactly, short names in any case.
 *
 * <p>While no bundle provides the configured type, the jms source does not start and says why; it starts once such a
 * bundle is deployed. When the bundle goes, the sources using it stop consuming (their open batch is rolled back, so
 * nothing is lost) until it comes back.
 */
@ConsumerType
public interface JmsMessageConverterFactory {

    /**
     * Makes a converter for one jms source.
     *
     * @param source the jms source's context: agent and component names, the source's keys as configured
     *               ({@code source.subProperties("converter.")} are the converter's own keys), typed views by the
     *               usual naming rules (an element {@code converter_charset()} reads {@code converter.charset}), and
     *               {@link ComponentContext#configurationError(String, String)} for errors naming the key
     */
    JmsMessageConverter create(ComponentContext source) throws ConfigurationException;
}
