package org.sluice.api.source.http;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.source.SourceContext;

/**
 * Service interface of the http source's handler plugins. A bundle registers one per handler, with
 * {@link org.sluice.api.component.SluiceType} naming the class name a Flume configuration gives in the source's
 * {@code handler} key ({@code com.example.flume.RestHandler}), so the file runs unchanged once the bundle is deployed.
 * Until it is, the source does not start and says which handler it waits for; when the bundle goes, the source answers
 * 503 until it is back.
 */
@ConsumerType
public interface HttpSourceHandlerFactory {

    /**
     * The handler of one http source. Its settings are the source's {@code handler.*} keys
     * ({@code source.subProperties("handler.")}); a bad one is reported with
     * {@code source.configurationError("handler.<key>", message)}.
     */
    HttpSourceHandler create(SourceContext source) throws ConfigurationException;
}
