package org.sluice.source.http;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.api.source.http.HttpSourceHandler;
import org.sluice.api.source.http.HttpSourceHandlerFactory;
import org.sluice.support.config.ConfigValues;
import org.sluice.support.guard.RateLimitedLog;
import org.sluice.support.tls.Tls;
import org.sluice.support.tls.TlsConfig;

/**
 * Flume's {@code http} source. Its handler is Flume's JSONHandler (the default) or BlobHandler, built in, or a
 * {@link HttpSourceHandlerFactory} another bundle registers under the class name the {@code handler} key gives.
 */
@Component(service = SourceFactory.class)
@SluiceType({"http", "org.apache.flume.source.http.HTTPSource"})
public class HttpSourceFactory implements SourceFactory {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.http.HTTPSource");
    private static final String HANDLER_PREFIX = "handler.";
    /** Flume's deprecated names of TLS keys, and the names that replace them. */
    private static final Map<String, String> DEPRECATED = Map.of("keystorePassword", "keystore-password",
            "excludeProtocols", "exclude-protocols");

    private final HandlerRegistry handlers = new HandlerRegistry();

    /** Flume 1.11's keys and defaults, and Sluice's bounds on one request. */
    @IncludeKeys(TlsConfig.ServerAuthenticatingClients.class)
    public @interface Config {
        /** TCP port to listen on. */
        @Range(min = 0, max = 65535)
        int port();

        /** Host name or address to listen on. */
        String bind() default "0.0.0.0";

        /** The handler's class name: Flume's JSONHandler, BlobHandler, or one another bundle provides. */
        String handler() default JsonHandler.FLUME_NAME;

        /** BlobHandler's: a body longer than this is cut (handler.maxBlobLength). */
        @Range(min = 1)
        int handler_maxBlobLength() default BlobHandler.DEFAULT_MAX_BLOB_LENGTH;

        /** Flume's deprecated name of {@code ssl}. */
        boolean enableSSL() default false;

        /** Flume's deprecated name of {@code keystore-password}. */
        String keystorePassword() default "";

        /** Flume's deprecated name of {@code exclude-protocols}. */
        String excludeProtocols() default "";

        /**
         * Sluice's: the largest request body, in bytes, as sent and after gzip (64 MiB); a larger one is answered
         * 413. Flume has no bound.
         */
        @Range(min = 1)
        long max$_$request$_$size() default 64L * 1024 * 1024;

        /** Sluice's: the most events one request may carry; more is answered 413. */
        @Range(min = 1)
        int max$_$events$_$per$_$request() default 100_000;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(HANDLER_PREFIX, HttpSource.THREAD_POOL, HttpSource.HTTP_CONFIGURATION,
                HttpSource.SSL_CONTEXT_FACTORY, HttpSource.SERVER_CONNECTOR);
    }

    @Reference(service = HttpSourceHandlerFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addHandler(HttpSourceHandlerFactory factory, Map<String, Object> properties) {
        handlers.add(names(properties), factory);
    }

    void removeHandler(HttpSourceHandlerFactory factory, Map<String, Object> properties) {
        handlers.remove(names(properties), factory);
    }

    /** The registry of handler factories, for tests that register one without a framework. */
    HandlerRegistry handlers() {
        return handlers;
    }

    private static List<String> names(Map<String, Object> properties) {
        Object type = properties.get(ComponentFactory.TYPE);
        if (type instanceof String name) {
            return List.of(name);
        }
        if (type instanceof String[] names) {
            return List.of(names);
        }
        return List.of();
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        long maxRequestSize = config.max$_$request$_$size();
        int maxEvents = config.max$_$events$_$per$_$request();
        String handlerName = ConfigValues.nonEmpty(context, "handler", config.handler().trim());
        HttpSourceHandler builtIn = null;
        if (handlerName.equals(JsonHandler.FLUME_NAME)) {
            builtIn = new JsonHandler(maxRequestSize, maxEvents);
        } else if (handlerName.equals(BlobHandler.FLUME_NAME)) {
            builtIn = new BlobHandler(config.handler_maxBlobLength());
        }
        Tls tls = Tls.enabled(context) || config.enableSSL()
                ? Tls.serverAuthenticatingClients(withDeprecatedKeys(context)) : null;
        EventsHandler.Settings settings = new EventsHandler.Settings(context.componentName(),
                context.channelProcessor(), context.counter(), maxRequestSize, maxEvents, LOG, new RateLimitedLog(LOG));
        return new HttpSource(context, config.bind().trim().equals("0.0.0.0") ? "" : config.bind().trim(),
                config.port(), tls, new HttpSource.HandlerSource(handlerName, builtIn, handlers), settings);
    }

    /**
     * The context as TLS reads it: Flume 1.11 still reads {@code keystorePassword} and {@code excludeProtocols}, its
     * deprecated names, when the new key is not set. A view, not an implementation of the platform's context type.
     */
    private static ComponentContext withDeprecatedKeys(SourceContext context) {
        Map<String, String> properties = new HashMap<>(context.properties());
        boolean renamed = false;
        for (Map.Entry<String, String> deprecated : DEPRECATED.entrySet()) {
            String value = properties.get(deprecated.getKey());
            if (value != null && !properties.containsKey(deprecated.getValue())) {
                properties.put(deprecated.getValue(), value);
                renamed = true;
            }
        }
        if (!renamed) {
            return context;
        }
        Map<String, String> view = Map.copyOf(properties);
        return (ComponentContext) Proxy.newProxyInstance(HttpSourceFactory.class.getClassLoader(),
                new Class<?>[] {ComponentContext.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("properties") && method.getParameterCount() == 0) {
                        return view;
                    }
                    try {
                        return method.invoke(context, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
