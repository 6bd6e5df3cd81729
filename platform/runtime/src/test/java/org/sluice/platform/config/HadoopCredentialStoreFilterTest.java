package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.config.Corpus.assertProblems;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;

/**
 * Flume's {@code hadoop} config filter on credential stores written by Hadoop's own credential provider API (what
 * {@code hadoop credential create NAME -provider jceks://file/PATH} runs), with Hadoop's ways of giving the store's
 * password.
 */
class HadoopCredentialStoreFilterTest {
    @TempDir
    Path directory;

    /** A store written by Hadoop, its password taken as Hadoop takes it (null: Hadoop's default). */
    private String store(String name, String storePassword, Map<String, String> credentials) throws Exception {
        String uri = "jceks://file" + directory.resolve(name);
        Configuration configuration = new Configuration(false);
        configuration.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, uri);
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader passwordDirectory = new URLClassLoader(new URL[] {directory.toUri().toURL()}, original)) {
            if (storePassword != null) {
                // Hadoop looks the password file up as a resource of the thread's class loader, as it would find
                // it in the configuration directory on a Hadoop or Flume class path.
                Files.writeString(directory.resolve(name + ".password"), storePassword + "\n");
                configuration.set("hadoop.security.credstore.java-keystore-provider.password-file",
                        name + ".password");
                thread.setContextClassLoader(passwordDirectory);
            }
            CredentialProvider provider = CredentialProviderFactory.getProviders(configuration).get(0);
            for (Map.Entry<String, String> credential : credentials.entrySet()) {
                provider.createCredentialEntry(credential.getKey(), credential.getValue().toCharArray());
            }
            provider.flush();
        } finally {
            thread.setContextClassLoader(original);
        }
        return uri;
    }

    private static ConfigFilter filter(Map<String, String> properties, Map<String, String> variables,
            Map<String, String> systemProperties) throws ConfigurationException {
        Map<String, String> all = new HashMap<>(properties);
        all.put("type", "hadoop");
        return ConfigFilter.create("a1", "f1", all, Environment.of(variables, systemProperties));
    }

    @Test
    void readsACredentialHadoopStoredWithItsDefaultPassword() throws Exception {
        String uri = store("creds.jceks", null, Map.of("my_keystore_password", "s3cr3t pässword"));

        ConfigFilter filter = filter(Map.of("credential.provider.path", uri), Map.of(), Map.of());

        assertEquals("s3cr3t pässword", filter.filter("my_keystore_password"));
        assertNull(filter.filter("not_there"));
    }

    @Test
    void takesThePasswordFromTheEnvironmentElseFromTheFileInTheConfigurationDirectory() throws Exception {
        String uri = store("protected.jceks", "storepass", Map.of("db.password", "hunter2"));
        Files.createDirectories(directory.resolve("conf"));
        Files.writeString(directory.resolve("conf/credstore.pass"), "  storepass \n");

        ConfigFilter fromFile = filter(Map.of("credential.provider.path", uri,
                "credstore.java-keystore-provider.password-file", "credstore.pass"), Map.of(),
                Map.of(LaunchSettings.CONF_DIRECTORY, directory.resolve("conf").toString()));
        ConfigFilter fromVariable = filter(Map.of("credential.provider.path", uri),
                Map.of("HADOOP_CREDSTORE_PASSWORD", "storepass"), Map.of());
        ConfigFilter wrong = filter(Map.of("credential.provider.path", uri), Map.of(), Map.of());

        assertEquals("hunter2", fromFile.filter("db.password"));
        assertEquals("hunter2", fromVariable.filter("db.password"));
        ConfigFilter.ConfigFilterException e = assertThrows(ConfigFilter.ConfigFilterException.class,
                () -> wrong.filter("db.password"));
        assertTrue(e.getMessage().contains("password is wrong"), e.getMessage());
    }

    @Test
    void severalStoresAreAskedInOrder() throws Exception {
        String first = store("first.jceks", null, Map.of("a", "from-first"));
        String second = store("second.jceks", null, Map.of("a", "from-second", "b", "only-second"));

        ConfigFilter filter = filter(Map.of("credential.provider.path", first + "," + second), Map.of(), Map.of());

        assertEquals("from-first", filter.filter("a"));
        assertEquals("only-second", filter.filter("b"));
    }

    @Test
    void storesSluiceCannotReadAreRefusedNamingTheKey() {
        for (String path : new String[] {"jceks://hdfs@namenode:8020/creds.jceks", "user:///", "bcfks://file/x"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> filter(Map.of("credential.provider.path", path), Map.of(), Map.of()));
            assertEquals("credential.provider.path", e.key());
        }
        assertThrows(ConfigurationException.class, () -> filter(Map.of(), Map.of(), Map.of()));
    }

    @Test
    void theUserGuidesExampleResolvesAKeystorePassword() throws Exception {
        String uri = store("guide.jceks", null, Map.of("my_keystore_password", "changeit"));

        AgentDefinition a1 = new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false).parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.configfilters = f1",
                "a1.configfilters.f1.type = hadoop",
                "a1.configfilters.f1.credential.provider.path = " + uri,
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.type = http",
                "a1.sources.r1.keystorePassword = ${f1['my_keystore_password']}",
                "a1.channels.c1.type = memory",
                ""), "a1");

        assertProblems(a1.problems(), "WARNING a1.sinks");
        assertEquals("changeit", a1.sources().get("r1").properties().get("keystorePassword"));
    }
}
