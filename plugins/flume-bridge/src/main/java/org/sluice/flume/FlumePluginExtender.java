package org.sluice.flume;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentFactory;

/**
 * The extender of Flume plugin bundles: for each active bundle whose manifest lists Flume components
 * ({@link PluginComponents}) it registers one Sluice factory service per class, with the class name as the type
 * name, so the registry finds {@code a1.sinks.k1.type = com.example.MySink} the way it finds {@code logger}. The
 * services are registered with the plugin's own bundle context: the shell shows the plugin as the provider, and they
 * go when the plugin stops. They are taken down first, on the plugin's STOPPING event, so the platform stops the
 * components made from the plugin while its classes still work.
 */
@Component(immediate = true)
public final class FlumePluginExtender {
    private static final Logger LOG = LoggerFactory.getLogger(FlumePluginExtender.class);

    private final BundleTracker<List<ServiceRegistration<?>>> tracker;

    @Activate
    public FlumePluginExtender(BundleContext context) {
        tracker = new BundleTracker<>(context, Bundle.STARTING | Bundle.ACTIVE, null) {
            @Override
            public List<ServiceRegistration<?>> addingBundle(Bundle bundle, BundleEvent event) {
                String header = bundle.getHeaders("").get(PluginComponents.HEADER);
                return header == null ? null : register(bundle, header);
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, List<ServiceRegistration<?>> registrations) {
                unregister(bundle, registrations);
            }
        };
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    private static List<ServiceRegistration<?>> register(Bundle bundle, String header) {
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        BundleContext context = bundle.getBundleContext();
        if (context == null) {
            return registrations;
        }
        PluginComponents components;
        try {
            components = PluginComponents.parse(header);
        } catch (IllegalArgumentException e) {
            LOG.error("Flume plugin {} {}: its {} header cannot be read; it provides nothing", bundle.getSymbolicName(),
                    bundle.getVersion(), PluginComponents.HEADER, e);
            return registrations;
        }
        components.classes().forEach((className, kind) -> {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(ComponentFactory.TYPE, new String[] {className});
            properties.put("sluice.flume.class", className);
            registrations.add(context.registerService(kind.service.getName(), kind.factory(PluginClasses.of(bundle), className),
                    properties));
        });
        LOG.info("Flume plugin {} {} provides {}", bundle.getSymbolicName(), bundle.getVersion(),
                components.classes().keySet());
        return registrations;
    }

    private static void unregister(Bundle bundle, List<ServiceRegistration<?>> registrations) {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // Already gone with the bundle.
            }
        }
        LOG.debug("Flume plugin {} {} withdrawn", bundle.getSymbolicName(), bundle.getVersion());
    }
}
