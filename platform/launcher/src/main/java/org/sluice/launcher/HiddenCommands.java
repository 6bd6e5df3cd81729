package org.sluice.launcher;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook;

/**
 * Gogo commands no bundle gets to see, so no shell can run them. Gogo's {@code telnetd} starts an unauthenticated
 * shell on any address it is given: from a shell reachable on the loopback address, anyone could have rebound it to
 * every address. Sluice's remote shell ({@link RemoteShell}) takes its place. Registered from the system bundle before
 * any bundle starts, so the command is never seen at all.
 */
final class HiddenCommands implements FindHook, EventListenerHook {
    /** The Gogo functions hidden. */
    static final Set<String> HIDDEN = Set.of("telnetd");
    private static final String FUNCTION = "osgi.command.function";

    private HiddenCommands() {
    }

    static void install(BundleContext systemContext) {
        HiddenCommands hook = new HiddenCommands();
        systemContext.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
                hook, null);
    }

    static boolean hidden(ServiceReference<?> reference) {
        Object functions = reference.getProperty(FUNCTION);
        if (functions instanceof String function) {
            return HIDDEN.contains(function);
        }
        if (functions instanceof String[] names) {
            for (String name : names) {
                if (HIDDEN.contains(name)) {
                    return true;
                }
            }
        }
        if (functions instanceof Collection<?> names) {
            return names.stream().anyMatch(HIDDEN::contains);
        }
        return false;
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (context.getBundle().getBundleId() != 0) {
            references.removeIf(HiddenCommands::hidden);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerHook.ListenerInfo>> listeners) {
        if (hidden(event.getServiceReference())) {
            listeners.keySet().removeIf(context -> context.getBundle().getBundleId() != 0);
        }
    }
}
