package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.ArtemisBroker;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.UserGuideExample;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The User Guide's JMS Source example, as printed but for the broker's address, run through the properties-file bridge
 * in Felix, with the JMS provider supplied as a Flume user supplies it: ActiveMQ 5's client jars in
 * {@code plugins.d/activemq/libext} and the JNDI name the example uses ({@code GenericConnectionFactory}) in
 * {@code conf/jndi.properties}. The broker is a real ActiveMQ Artemis beside the framework, speaking OpenWire; the
 * messages wait in its queue until the source, inside the framework, takes them. The Flume plugin bridge runs too,
 * as in the distribution, watching the same plugins.d: it makes the provider's directory a bundle of its own (with no
 * Flume components), and the jms source reads the jars itself all the same.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideJmsIT {

    private static final String WORK = "sluice.itests.ug.work";
    private static final int MESSAGES = 200;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws Exception {
        // Runs outside the framework: the broker and the test's client live on the test class path.
        String broker = ArtemisBroker.start();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            texts.add(Integer.toString(i));
        }
        ArtemisBroker.sendTexts(broker, "BUSINESS_DATA", texts);

        Path work = WorkDirs.create("ug-jms");
        Path home = Files.createDirectories(work.resolve("home"));
        Path libext = Files.createDirectories(home.resolve("plugins.d/activemq/libext"));
        for (String jar : System.getProperty("sluice.itests.jms.provider").split(",")) {
            Path file = Paths.get(jar);
            Files.copy(file, libext.resolve(file.getFileName()));
        }
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("jndi.properties"), "connectionFactoryNames = GenericConnectionFactory\n");
        Path file = UserGuideExample.load("source-jms.properties")
                .set("a1.sources.r1.providerURL", broker, "the test's broker on 127.0.0.1 instead of mqserver")
                .set("a1.sinks.k1.sink.directory", Files.createDirectory(work.resolve("k1")).toString(),
                        "a directory of the test's own instead of /var/log/flume")
                .writeTo(work);
        return options(SluiceOptions.kernel(), SluiceOptions.fileInstall(),
                bundle(SluiceOptions.bundleLocation("jms.api")),
                bundle(SluiceOptions.bundleLocation("sluice.jms.api")),
                SluiceOptions.plugins("source:jms", "channel_selector:replicating", "channel:memory",
                        "sink:file_roll"),
                frameworkProperty("sluice.home").value(home.toString()),
                frameworkProperty("sluice.conf.dir").value(conf.toString()),
                SluiceOptions.agentFromFile(file, "a1", work.resolve("data")),
                systemProperty(WORK).value(work.toString()));
    }

    @Test
    public void everyMessageOfTheQueueBecomesAnEvent() {
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        FileRollOutput output = new FileRollOutput(Paths.get(System.getProperty(WORK)).resolve("k1"));
        output.awaitAll(0, MESSAGES);
        assertEquals("each message once", MESSAGES, output.lines().size());
        Bundle provider = Await.until("the bridge's bundle of plugins.d/activemq",
                () -> Arrays.stream(context.getBundles())
                        .filter(bundle -> "flume.plugin.activemq".equals(bundle.getSymbolicName())).findFirst()
                        .orElse(null),
                bundle -> bundle != null
                        && bundle.getState() == Bundle.ACTIVE);
        assertNull("no Flume components in a JMS provider's jars",
                provider.getHeaders().get("Sluice-Flume-Components"));
    }
}
