package org.sluice.sink.hdfs;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the sink finds the cluster's {@code core-site.xml} and {@code hdfs-site.xml}. Flume reads them from its class
 * path, on which {@code bin/flume-ng} puts the agent's conf directory ({@code -c conf}) first and then what
 * {@code hadoop classpath} or HADOOP_CONF_DIR give; Hadoop takes the first copy of each file it finds. This bundle
 * has no such class path, so it looks in the same places in the same order: the agent's conf directory, then
 * {@code $HADOOP_CONF_DIR}, then {@code $HADOOP_HOME/etc/hadoop}; each file is taken from the first of them that
 * has it.
 */
final class HadoopConfigurationFiles {
    static final String[] NAMES = {"core-site.xml", "hdfs-site.xml"};

    private final List<File> searched;
    private final Map<String, File> found;

    HadoopConfigurationFiles(List<File> directories) {
        this.searched = List.copyOf(directories);
        Map<String, File> files = new LinkedHashMap<>();
        for (String name : NAMES) {
            for (File directory : directories) {
                File file = new File(directory, name);
                if (file.isFile()) {
                    files.put(name, file);
                    break;
                }
            }
        }
        this.found = files;
    }

    /**
     * The places of this agent, in order.
     *
     * @param agentConfDir the agent's conf directory ({@code -c}), or null outside an agent
     */
    static HadoopConfigurationFiles of(File agentConfDir, Map<String, String> environment) {
        List<File> directories = new ArrayList<>();
        if (agentConfDir != null) {
            directories.add(agentConfDir);
        }
        String dir = environment.get("HADOOP_CONF_DIR");
        if (dir != null && !dir.isBlank()) {
            directories.add(new File(dir));
        } else {
            String home = environment.get("HADOOP_HOME");
            if (home != null && !home.isBlank()) {
                directories.add(new File(home, "etc/hadoop"));
            }
        }
        return new HadoopConfigurationFiles(directories);
    }

    /** The files found, core-site.xml first: each is added to Hadoop's configuration in this order. */
    List<File> files() {
        return new ArrayList<>(found.values());
    }

    File coreSite() {
        return found.get("core-site.xml");
    }

    /** Where core-site.xml came from, or where it was looked for in vain, for messages. */
    String describeCoreSite() {
        if (coreSite() != null) {
            return coreSite().toString();
        }
        if (searched.isEmpty()) {
            return "no conf directory, and HADOOP_CONF_DIR and HADOOP_HOME are not set";
        }
        return "no core-site.xml in " + searched.stream().map(File::toString).collect(Collectors.joining(", "));
    }
}
