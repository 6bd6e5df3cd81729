package org.sluice.itests.osgi.support;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.ConfigurationAdmin;

/** A FileInstall watcher on a directory, as etc/org.apache.felix.fileinstall-deploy.cfg makes for deploy/. */
public final class DeployWatcher {
    private DeployWatcher() {
    }

    public static void watch(ConfigurationAdmin admin, Path directory) throws Exception {
        org.osgi.service.cm.Configuration watcher = admin.getFactoryConfiguration("org.apache.felix.fileinstall",
                "deploy", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("felix.fileinstall.dir", directory.toString());
        properties.put("felix.fileinstall.filter", ".*\\.jar");
        properties.put("felix.fileinstall.poll", "500");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.bundles.new.start", "true");
        watcher.update(properties);
    }
}
