package org.sluice.support.interceptor;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;

/**
 * An interceptor factory whose keys are an annotation type ({@code Config}): the platform learns them from
 * {@link #configurationType()}, and {@link #create(ComponentContext, Object)} receives them converted. A
 * subclass is the DS component:
 *
 * <pre>
 * &#64;Component(service = InterceptorFactory.class)
 * &#64;SluiceType({"static", "org.apache.flume.interceptor.StaticInterceptor$Builder"})
 * public class StaticInterceptorFactory extends TypedInterceptorFactory&lt;StaticInterceptorFactory.Config&gt; {
 *     public StaticInterceptorFactory() {
 *         super(Config.class);
 *     }
 *     ...
 * }
 * </pre>
 *
 * @param <C> the configuration type
 */
public abstract class TypedInterceptorFactory<C> implements InterceptorFactory {
    private final Class<C> configurationType;

    protected TypedInterceptorFactory(Class<C> configurationType) {
        this.configurationType = configurationType;
    }

    @Override
    public final Class<?> configurationType() {
        return configurationType;
    }

    @Override
    public final Interceptor create(ComponentContext context) throws ConfigurationException {
        return create(context, context.config(configurationType));
    }

    /** Makes the interceptor from its converted configuration; checks what the types cannot express. */
    protected abstract Interceptor create(ComponentContext context, C config) throws ConfigurationException;
}
