package org.sluice.channel.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.support.config.ConfigValues;

/** Flume's {@code jdbc} channel. */
@Component(service = ChannelFactory.class)
@SluiceType({"jdbc", "JDBC", "org.apache.flume.channel.jdbc.JdbcChannel", "org.sluice.channel.jdbc.JdbcChannel"})
public class JdbcChannelFactory implements ChannelFactory {

    static final String DERBY_DRIVER = "org.apache.derby.jdbc.EmbeddedDriver";
    static final String SYSPROP_PREFIX = "sysprop.";

    /** Flume's keys and defaults. */
    public @interface Config {
        /** The database vendor; as in Flume, only DERBY. */
        String db_type() default "DERBY";

        /** The JDBC driver; it must be in this bundle, which embeds Derby. */
        String driver_class() default DERBY_DRIVER;

        /** Empty: a Derby database {@code db} under the channel's data directory (see sysprop.user.home). */
        String driver_url() default "";

        String db_username() default "sa";

        String db_password() default "";

        /** A properties file of further connection properties. */
        String connection_properties_file() default "";

        /** Create the tables when they are missing. */
        boolean create_schema() default true;

        /** Index the headers by event when creating the tables. */
        boolean create_index() default true;

        /** Tie each header row to its event row by a foreign key when creating the tables. */
        boolean create_foreignkey() default true;

        /** READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE. */
        String transaction_isolation() default "READ_COMMITTED";

        /**
         * Database connections the channel opens at most (one per concurrent transaction). Not a number: the
         * default, with a warning, as in Flume. Below 1 is refused: Flume's pool then waits forever (0) or has no
         * limit (negative).
         */
        @DefaultWhenUnparsable
        @Range(min = 1)
        int maximum_connections() default 10;

        /** Events the channel holds at most; 0, less, or not a number: no limit, with a warning, as in Flume. */
        @DefaultWhenUnparsable
        @Range(min = 0, fallBack = true)
        long maximum_capacity() default 0;
    }

    /** Flume's jdbc channel database when its configuration names none: under Flume's user.home. */
    private final Path flumeDefaultDatabase;

    public JdbcChannelFactory() {
        this(Path.of(System.getProperty("user.home"), ".flume", "jdbc-channel", "db"));
    }

    JdbcChannelFactory(Path flumeDefaultDatabase) {
        this.flumeDefaultDatabase = flumeDefaultDatabase;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        // Flume's sysprop.<name>: system properties for the database engine (derby.*, user.home).
        return Set.of(SYSPROP_PREFIX);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public Channel create(ChannelContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        if (!"DERBY".equalsIgnoreCase(config.db_type().trim())) {
            throw context.configurationError("db.type", "only DERBY is supported (as in Flume), was '"
                    + config.db_type() + "'");
        }
        int isolation = isolation(context, config.transaction_isolation());
        String key = context.agentName() + "." + context.componentName();
        if (key.length() > Database.MAX_KEY_CHARS) {
            throw context.configurationError("type", "the agent and channel names, '" + key + "', are longer "
                    + "than the " + Database.MAX_KEY_CHARS + " characters that key the channel's rows");
        }

        Map<String, String> systemProperties = new LinkedHashMap<>(context.subProperties(SYSPROP_PREFIX));
        // Flume sets user.home for Derby's sake and builds its default database path from it; the JVM is
        // shared by every bundle here, so user.home only chooses where the default database goes.
        String userHome = systemProperties.remove("user.home");
        String url = config.driver_url().trim();
        if (url.isEmpty()) {
            Path directory;
            if (userHome != null && !userHome.isBlank()) {
                directory = ConfigValues.path(context, SYSPROP_PREFIX + "user.home", userHome).resolve(".flume")
                        .resolve("jdbc-channel").resolve("db");
            } else {
                refuseStrandingFlumesDatabase(context);
                directory = context.dataDirectory().resolve("db");
            }
            url = "jdbc:derby:" + directory.toAbsolutePath() + ";create=true";
        }

        Properties connectionProperties = new Properties();
        String file = config.connection_properties_file().trim();
        if (!file.isEmpty()) {
            Path properties = ConfigValues.path(context, "connection.properties.file", file);
            try (InputStream in = Files.newInputStream(properties)) {
                connectionProperties.load(in);
            } catch (IOException e) {
                throw context.configurationError("connection.properties.file", "cannot read '" + file + "': " + e);
            }
        }
        connectionProperties.setProperty("user", config.db_username());
        if (!config.db_password().isEmpty()) {
            connectionProperties.setProperty("password", config.db_password());
        }

        Database.Settings settings = new Database.Settings(config.driver_class().trim(), url, connectionProperties,
                config.create_schema(), config.create_index(), config.create_foreignkey(), isolation,
                config.maximum_connections());
        Database database = new Database(context.componentName(), key, settings);
        return new JdbcChannel(context.componentName(), database, config.maximum_capacity(), systemProperties,
                context.counter());
    }

    /**
     * A Flume jdbc channel configured with neither {@code driver.url} nor {@code sysprop.user.home} keeps its events
     * in Flume's default database under the user's home; Sluice's default is under its data directory, so the same
     * configuration would start empty beside Flume's events. Refused while that database exists, naming the key that
     * takes it over (Derby marks a database directory with its {@code service.properties}).
     */
    private void refuseStrandingFlumesDatabase(ChannelContext context) throws ConfigurationException {
        if (Files.isRegularFile(flumeDefaultDatabase.resolve("service.properties"))) {
            Path home = flumeDefaultDatabase.getParent().getParent().getParent();
            throw context.configurationError(SYSPROP_PREFIX + "user.home", "is not set (nor driver.url), and a Flume "
                    + "jdbc channel database is at Flume's default place " + flumeDefaultDatabase + " (Sluice's "
                    + "default is under its data directory); set sysprop.user.home = " + home + " to take over the "
                    + "events there (docs/upgrading-from-flume.md), or move that database away");
        }
    }

    private static int isolation(ChannelContext context, String value) throws ConfigurationException {
        switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "READ_UNCOMMITTED":
                return Connection.TRANSACTION_READ_UNCOMMITTED;
            case "READ_COMMITTED":
                return Connection.TRANSACTION_READ_COMMITTED;
            case "REPEATABLE_READ":
                return Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE":
                return Connection.TRANSACTION_SERIALIZABLE;
            default:
                throw context.configurationError("transaction.isolation", "must be READ_UNCOMMITTED, READ_COMMITTED, "
                        + "REPEATABLE_READ or SERIALIZABLE, was '" + value + "'");
        }
    }
}
