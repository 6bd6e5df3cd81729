package org.sluice.itests.osgi.support;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The next agent of a User Guide example's avro sink, played by a second agent in the same framework (written into
 * Config Admin, as etc/*.cfg would): avro source on 127.0.0.1 -> memory -> file_roll. Stopping it removes its
 * source, so its port refuses connections as when the next agent is down.
 */
public final class NextHop {

    private final ConfigurationAdmin admin;
    private final AgentRuntime runtime;
    private final String agent;
    private final int port;
    private final FileRollOutput output;

    private NextHop(ConfigurationAdmin admin, AgentRuntime runtime, String agent, int port, FileRollOutput output) {
        this.admin = admin;
        this.runtime = runtime;
        this.agent = agent;
        this.port = port;
        this.output = output;
    }

    public static NextHop start(ConfigurationAdmin admin, AgentRuntime runtime, String agent, int port) {
        Path directory = WorkDirs.create(agent);
        AgentConfigurations.agent(admin, agent)
                .channel("c1", Map.of("type", "memory", "capacity", "10000", "transactionCapacity", "1000"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", directory.toString(),
                        "sink.rollInterval", "0"));
        NextHop hop = new NextHop(admin, runtime, agent, port, new FileRollOutput(directory));
        hop.startSource();
        return hop;
    }

    public void startSource() {
        AgentConfigurations.agent(admin, agent).source("r1", Map.of("type", "avro", "channels", "c1",
                "bind", "127.0.0.1", "port", Integer.toString(port)));
        new AgentStatuses(runtime, agent).await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
    }

    /** Takes the source away; waits until it is gone from the runtime. */
    public void stopSource() {
        AgentConfigurations.agent(admin, agent).remove(ComponentKind.SOURCE, "r1");
        AgentStatuses statuses = new AgentStatuses(runtime, agent);
        Await.until(agent + " source r1 removed", statuses::all,
                all -> all.stream().noneMatch(s -> s.kind() == ComponentKind.SOURCE && s.name().equals("r1")));
    }

    public FileRollOutput output() {
        return output;
    }
}
