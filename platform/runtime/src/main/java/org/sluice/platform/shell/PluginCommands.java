package org.sluice.platform.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.platform.runtime.AgentControl;

/**
 * {@code sluice:plugins}: the bundles that provide component types, with their versions and the types of each
 * family they provide; {@code sluice:bundles}: every bundle of the framework, with the same columns.
 */
@Component(service = PluginCommands.class, property = {
    "osgi.command.scope=sluice",
    "osgi.command.function=plugins",
    "osgi.command.function=bundles"
})
public final class PluginCommands {

    /** A bundle as the commands show it. */
    record BundleRow(long id, String name, String version, String state) {
    }

    private final AgentControl control;
    private final java.util.function.Supplier<List<BundleRow>> bundles;

    @Activate
    public PluginCommands(BundleContext context, @Reference AgentControl control) {
        this(control, () -> rows(context.getBundles()));
    }

    PluginCommands(AgentControl control, java.util.function.Supplier<List<BundleRow>> bundles) {
        this.control = control;
        this.bundles = bundles;
    }

    /** {@code sluice:plugins}. */
    public String plugins() {
        return table(true);
    }

    /** {@code sluice:bundles}. */
    public String bundles() {
        return table(false);
    }

    private String table(boolean providersOnly) {
        // bundle name + version -> family -> types
        Map<String, Map<String, List<String>>> provided = new LinkedHashMap<>();
        for (AgentControl.ProvidedTypes types : control.providedTypes()) {
            provided.computeIfAbsent(types.bundle() + " " + types.version(), b -> new TreeMap<>())
                    .computeIfAbsent(ComponentRef.kindWord(types.family()).replace("channelselector", "selector")
                            .replace("sinkprocessor", "processor"), f -> new ArrayList<>())
                    .addAll(types.types());
        }
        TextTable table = new TextTable("ID", "STATE", "BUNDLE", "VERSION", "TYPES");
        List<BundleRow> rows = new ArrayList<>(bundles.get());
        rows.sort(Comparator.comparingLong(BundleRow::id));
        int shown = 0;
        for (BundleRow row : rows) {
            Map<String, List<String>> types = provided.getOrDefault(row.name() + " " + row.version(), Map.of());
            if (providersOnly && types.isEmpty()) {
                continue;
            }
            StringBuilder cell = new StringBuilder();
            types.forEach((family, names) -> cell.append(cell.length() == 0 ? "" : "; ").append(family).append(": ")
                    .append(String.join(", ", names)));
            table.row(row.id(), row.state(), row.name(), row.version(), cell.toString());
            shown++;
        }
        if (shown == 0) {
            return providersOnly ? "No bundle provides component types." : "No bundles.";
        }
        return table.toString();
    }

    private static List<BundleRow> rows(Bundle[] bundles) {
        List<BundleRow> rows = new ArrayList<>();
        for (Bundle bundle : bundles) {
            rows.add(new BundleRow(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                    state(bundle.getState())));
        }
        return rows;
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
