package org.sluice.flume;

import org.apache.flume.interceptor.Interceptor;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.interceptor.InterceptorFactory;

/** Makes the interceptors of one Flume {@code Interceptor.Builder} class of a plugin, as Flume names them. */
final class FlumeInterceptorFactory extends FlumeClassFactory implements InterceptorFactory {

    FlumeInterceptorFactory(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public org.sluice.api.interceptor.Interceptor create(ComponentContext context) throws ConfigurationException {
        PluginCall call = call(context, "INTERCEPTOR", null);
        Interceptor.Builder builder = instantiate(Interceptor.Builder.class, context, call);
        configure(builder, context.properties(), context, call);
        Interceptor interceptor;
        try {
            interceptor = call.call(builder::build);
        } catch (RuntimeException | LinkageError e) {
            throw context.configurationError(null, "Flume interceptor builder " + className() + " failed to build: "
                    + e);
        }
        if (interceptor == null) {
            throw context.configurationError(null, "Flume interceptor builder " + className() + " built nothing");
        }
        return new FlumeInterceptorAdapter(interceptor, call);
    }
}
