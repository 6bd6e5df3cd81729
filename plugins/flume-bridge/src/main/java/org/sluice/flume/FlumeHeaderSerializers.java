package org.sluice.flume;

import org.apache.flume.interceptor.RegexExtractorInterceptorSerializer;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.interceptor.HeaderValueSerializer;
import org.sluice.api.interceptor.HeaderValueSerializerFactory;

/**
 * The header value serializers of one Flume {@code RegexExtractorInterceptorSerializer} class of a plugin (the
 * {@code serializers.<s>.type} of regex_extractor), made as Flume makes them: a public no-argument constructor, then
 * {@code configure} with the keys under {@code serializers.<s>.}.
 */
final class FlumeHeaderSerializers extends FlumeClassFactory implements HeaderValueSerializerFactory {

    FlumeHeaderSerializers(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public HeaderValueSerializer create(ComponentContext owner, String keyPrefix) throws ConfigurationException {
        String key = keyPrefix + "type";
        PluginCall call = call(owner, null, null);
        RegexExtractorInterceptorSerializer serializer = instantiate(RegexExtractorInterceptorSerializer.class, owner,
                call, key);
        try {
            call.run(() -> serializer.configure(flumeContext(owner.subProperties(keyPrefix))));
        } catch (RuntimeException | LinkageError e) {
            throw owner.configurationError(key, "Flume serializer " + className() + " refused its configuration: "
                    + e);
        }
        return value -> call.call(() -> serializer.serialize(value));
    }
}
