package org.sluice.api.interceptor;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentFactory;

/**
 * Service interface of interceptor plugins. The context's properties are the interceptor's own keys
 * ({@code a1.sources.r1.interceptors.i1.*} without that prefix).
 */
@ConsumerType
public interface InterceptorFactory extends ComponentFactory<ComponentContext, Interceptor> {
}
