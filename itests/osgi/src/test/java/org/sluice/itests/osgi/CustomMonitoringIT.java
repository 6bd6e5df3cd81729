package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.monitor.MonitorContext;
import org.sluice.api.monitor.MonitorService;
import org.sluice.api.monitor.MonitorServiceFactory;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;

/**
 * {@code -Dflume.monitoring.type=com.example.RecordingMonitor}: a monitoring type no platform code knows, provided by
 * a bundle that registers its factory under that name (here the test's own), is found in the registry, started
 * with the {@code flume.monitoring.*} settings, reads the running agent's counters, and stops when its bundle
 * withdraws it; registered again, it starts again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CustomMonitoringIT {

    private static final String TYPE = "com.example.RecordingMonitor";
    private static final long EVENTS = 250;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws Exception {
        Path work = WorkDirs.create("custom-monitoring");
        Path file = work.resolve("flume.properties");
        Files.writeString(file, String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = " + EVENTS,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1",
                ""), StandardCharsets.UTF_8);
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:seq", "channel_selector:replicating", "channel:memory", "sink:null"),
                frameworkProperty("sluice.conf.file").value(file.toString()),
                frameworkProperty("sluice.agent.name").value("a1"),
                frameworkProperty("sluice.data").value(work.resolve("data").toString()),
                systemProperty("flume.monitoring.type").value(TYPE),
                systemProperty("flume.monitoring.node").value("collector.example:332"));
    }

    /** Reports nothing anywhere: keeps what it was given and what it read, for the test to look at. */
    static final class RecordingMonitor implements MonitorService {
        static final AtomicReference<RecordingMonitor> LAST = new AtomicReference<>();
        final MonitorContext context;
        volatile boolean running;

        RecordingMonitor(MonitorContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            running = true;
            LAST.set(this);
        }

        @Override
        public void stop() {
            running = false;
        }
    }

    private ServiceRegistration<MonitorServiceFactory> register() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ComponentFactory.TYPE, TYPE);
        return context.registerService(MonitorServiceFactory.class, RecordingMonitor::new, properties);
    }

    @Test
    public void aMonitorServiceOfAPluginIsFoundByTypeAndReadsTheAgentsCounters() {
        ServiceRegistration<MonitorServiceFactory> registration = register();
        RecordingMonitor monitor = Await.until("the monitor service to start", RecordingMonitor.LAST::get,
                started -> started != null && started.running);
        assertEquals(Map.of("type", TYPE, "node", "collector.example:332"), monitor.context.properties());

        Map<String, Map<String, String>> counters = Await.until("the seq source's events in the counters",
                monitor.context::counters, read -> read.containsKey("SINK.k1")
                        && Long.toString(EVENTS).equals(read.get("SINK.k1").get("EventDrainSuccessCount")));
        assertEquals(Long.toString(EVENTS), counters.get("SOURCE.r1").get("EventAcceptedCount"));
        assertEquals("CHANNEL", counters.get("CHANNEL.c1").get("Type"));

        registration.unregister();
        assertTrue("withdrawn with its bundle's registration", !monitor.running);

        register();
        RecordingMonitor again = Await.until("the monitor service to start again", RecordingMonitor.LAST::get,
                started -> started != monitor && started.running);
        assertNotNull(again);
    }
}
