package org.sluice.source.jms;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** Configuration errors name agent, component and key, and what Flume's keys mean is checked before a start. */
class JmsSourceFactoryTest {
    @TempDir
    Path temp;

    private ConfigurationException refused(String... keyValues) {
        return assertThrows(ConfigurationException.class, () -> create(keyValues));
    }

    private void create(String... keyValues) throws ConfigurationException {
        Map<String, String> properties = new HashMap<>(Map.of("initialContextFactory", "com.example.Jndi",
                "providerURL", "tcp://mqserver:61616", "destinationName", "BUSINESS_DATA", "destinationType", "QUEUE"));
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                properties.remove(keyValues[i]);
            } else {
                properties.put(keyValues[i], keyValues[i + 1]);
            }
        }
        new JmsSourceFactory().create(TestContexts.source("r1", properties, new RecordingChannelProcessor(), temp));
    }

    private static void assertNames(ConfigurationException e, String key) {
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("r1"), e.getMessage());
    }

    @Test
    void theUserGuidesExampleKeysAreEnough() {
        // tcp:// in providerURL is a broker address, not a JNDI server: allowed without -DJndiAllowedProtocols.
        assertDoesNotThrow(() -> create());
        assertDoesNotThrow(() -> create("destinationType", "topic", "converter.charset", "ISO-8859-1"));
    }

    @Test
    void requiredKeysAndValuesAreNamed() {
        assertNames(refused("initialContextFactory", null), "initialContextFactory");
        assertNames(refused("providerURL", " "), "providerURL");
        assertNames(refused("destinationName", null), "destinationName");
        assertNames(refused("destinationType", "exchange"), "destinationType");
        assertNames(refused("destinationLocator", "ldap"), "destinationLocator");
        assertNames(refused("batchSize", "0"), "batchSize");
        assertNames(refused("pollTimeout", "-1"), "pollTimeout");
        assertNames(refused("converter.charset", "no-such-charset"), "converter.charset");
        assertNames(refused("passwordFile", temp.resolve("missing").toString()), "passwordFile");
        assertNames(refused("maxEventSize", "0"), "maxEventSize");
    }

    @Test
    void aDurableSubscriptionNeedsATopicAClientIdAndAName() {
        assertNames(refused("createDurableSubscription", "true", "clientId", "c", "durableSubscriptionName", "s"),
                "createDurableSubscription");
        assertNames(refused("destinationType", "topic", "createDurableSubscription", "true",
                "durableSubscriptionName", "s"), "clientId");
        assertNames(refused("destinationType", "topic", "createDurableSubscription", "true", "clientId", "c"),
                "durableSubscriptionName");
        assertDoesNotThrow(() -> create("destinationType", "topic", "createDurableSubscription", "true",
                "clientId", "c", "durableSubscriptionName", "s"));
    }

    @Test
    void jndiNamesThatReachAnotherServerAreRefused() {
        assertNames(refused("connectionFactory", "ldap://attacker.example/cf"), "connectionFactory");
        assertNames(refused("destinationLocator", "JNDI", "destinationName", "rmi://attacker.example/q"),
                "destinationName");
        assertNames(refused("providerURL", "ldap://attacker.example/"), "providerURL");
        assertDoesNotThrow(() -> create("connectionFactory", "java:comp/env/jms/cf"));
        assertDoesNotThrow(() -> create("destinationLocator", "JNDI", "destinationName", "dynamicQueues/q"));
    }

    @Test
    void jndiAllowedProtocolsAllowsWhatItLists() throws ConfigurationException {
        JndiNames allowing = JndiNames.of("ldap, rmi");
        var context = TestContexts.source("r1", Map.of(), new RecordingChannelProcessor(), temp);
        allowing.checkName(context, "connectionFactory", "ldap://directory/cf");
        allowing.checkProviderUrl(context, "providerURL", "rmi://registry:1099");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JndiNames.of(null).checkProviderUrl(context, "providerURL", "iiop://orb"));
        assertTrue(e.getMessage().contains("JndiAllowedProtocols"), e.getMessage());
    }

    @Test
    void relativeProviderClasspathEntriesAreUnderSluiceHome() throws Exception {
        var context = TestContexts.source("r1", Map.of(), new RecordingChannelProcessor(), temp);
        ProviderClasspath classpath = ProviderClasspath.of(context, "providerClasspath", new String[] {"jms/lib"},
                ProviderClasspath.Defaults.of(temp, null));
        java.nio.file.Files.createDirectories(temp.resolve("jms/lib"));
        java.nio.file.Files.writeString(temp.resolve("jms/lib/provider.jar"), "");
        assertEquals(2, classpath.urls().size(), "the directory (for resources) and its jar");
        assertNames(assertThrows(ConfigurationException.class, () -> ProviderClasspath.of(context,
                "providerClasspath", new String[] {"jms/lib"}, ProviderClasspath.Defaults.NONE)), "providerClasspath");
    }
}
