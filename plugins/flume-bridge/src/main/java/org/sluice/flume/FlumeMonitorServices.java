package org.sluice.flume;

import org.apache.flume.Context;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.monitor.MonitorContext;
import org.sluice.api.monitor.MonitorService;
import org.sluice.api.monitor.MonitorServiceFactory;
import org.sluice.flume.counters.CounterScope;

/**
 * The monitoring services of one Flume {@code MonitorService} class of a plugin ({@code flume.monitoring.type =
 * com.example.Reporter}), made as Flume makes them: a public no-argument constructor, {@code configure} with the
 * {@code flume.monitoring.*} settings without the prefix, then started and stopped with the agent. A Flume service
 * reads the counters from JMX (Flume's {@code JMXPollUtil}), where the platform publishes them under Flume's names.
 */
final class FlumeMonitorServices implements MonitorServiceFactory {
    private final PluginClasses plugin;
    private final String className;

    FlumeMonitorServices(PluginClasses plugin, String className) {
        this.plugin = plugin;
        this.className = className;
    }

    @Override
    public MonitorService create(MonitorContext context) throws ConfigurationException {
        Class<?> type;
        try {
            type = plugin.loadClass(className);
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            throw context.configurationError("type", "Flume class " + className + " cannot be loaded from plugin "
                    + plugin.name() + ": " + e);
        }
        if (!org.apache.flume.instrumentation.MonitorService.class.isAssignableFrom(type)) {
            throw context.configurationError("type", "Flume class " + className + " is not an "
                    + org.apache.flume.instrumentation.MonitorService.class.getName());
        }
        // Counter groups the service creates are its own, published under Flume's names while it runs.
        PluginCall call = new PluginCall(plugin.classLoader(), new CounterScope(null, className, null));
        org.apache.flume.instrumentation.MonitorService service;
        try {
            service = call.call(() -> (org.apache.flume.instrumentation.MonitorService) type
                    .getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            throw context.configurationError("type", "Flume class " + className + " could not be made (Flume makes"
                    + " monitor services with a public no-argument constructor): " + cause);
        }
        try {
            call.run(() -> service.configure(new Context(context.properties())));
        } catch (RuntimeException | LinkageError e) {
            throw context.configurationError("type", "Flume monitor service " + className
                    + " refused its configuration: " + e);
        }
        return new MonitorService() {
            @Override
            public void start() {
                call.run(service::start);
            }

            @Override
            public void stop() {
                try {
                    call.run(service::stop);
                } finally {
                    call.counters().close();
                }
            }
        };
    }
}
