package org.sluice.platform.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * What {@code flume-ng avro-client} was asked to do, from the framework properties the launcher sets
 * ({@code sluice.client.*}): where to send (host and port, or Flume's RPC client properties file), what to send
 * (a file, standard input, or a spooling directory) and which headers every event carries.
 *
 * @param sinkType the sink that sends: {@code avro}, or {@code thrift} for an RPC client properties file of
 *                 {@code client.type = thrift}
 * @param sinkKeys the sink's keys
 * @param target   {@code host:port}, for messages
 * @param file     the file to send; null for standard input or a directory
 * @param dirname  the spooling directory to send; null for a file or standard input
 * @param headers  the headers of every event (Flume's {@code --headerFile}); empty for none
 */
record AvroClientSettings(String sinkType, Map<String, String> sinkKeys, String target, Path file, Path dirname,
        Map<String, String> headers) {

    static final String HOST = "sluice.client.host";
    static final String PORT = "sluice.client.port";
    static final String RPC_PROPS = "sluice.client.rpcProps";
    static final String FILE = "sluice.client.file";
    static final String DIRNAME = "sluice.client.dirname";
    static final String HEADER_FILE = "sluice.client.headerFile";

    /** Flume's client sends batches of 5 when given a host and port (RpcClientFactory.getDefaultInstance(h, p, 5)). */
    static final int COMMAND_LINE_BATCH_SIZE = 5;

    AvroClientSettings {
        sinkKeys = Map.copyOf(sinkKeys);
        headers = Map.copyOf(headers);
    }

    /** Why the settings cannot be used, in words for the user. */
    static final class SettingsException extends Exception {
        private static final long serialVersionUID = 1L;

        SettingsException(String message) {
            super(message);
        }
    }

    /** The settings from framework properties. */
    static AvroClientSettings read(UnaryOperator<String> properties) throws SettingsException {
        String rpcProps = properties.apply(RPC_PROPS);
        String sinkType;
        Map<String, String> sinkKeys;
        String target;
        if (rpcProps != null) {
            Properties client = load(Path.of(rpcProps), "--rpcProps");
            String type = client.getProperty("client.type", "default").trim();
            sinkType = switch (type.toLowerCase(Locale.ROOT)) {
                case "default", "" -> "avro";
                case "thrift" -> "thrift";
                default -> throw new SettingsException(rpcProps + ": client.type = " + type + " is not supported by "
                        + "Sluice's avro-client (default and thrift, with one host, are)");
            };
            List<String> hosts = List.of(client.getProperty("hosts", "").trim().split("\\s+"));
            if (hosts.get(0).isEmpty()) {
                throw new SettingsException(rpcProps + ": hosts is not set (hosts = h1, hosts.h1 = HOST:PORT)");
            }
            String address = client.getProperty("hosts." + hosts.get(0));
            if (address == null || address.trim().lastIndexOf(':') <= 0) {
                throw new SettingsException(rpcProps + ": hosts." + hosts.get(0) + " must be HOST:PORT");
            }
            address = address.trim();
            sinkKeys = new LinkedHashMap<>();
            for (String key : client.stringPropertyNames()) {
                if (!key.equals("client.type") && !key.equals("hosts") && !key.startsWith("hosts.")) {
                    sinkKeys.put(key, client.getProperty(key).trim());
                }
            }
            sinkKeys.put("hostname", address.substring(0, address.lastIndexOf(':')));
            sinkKeys.put("port", address.substring(address.lastIndexOf(':') + 1));
            target = address;
        } else {
            String host = properties.apply(HOST);
            String port = properties.apply(PORT);
            if (host == null || port == null) {
                throw new SettingsException("Either --rpcProps or both --host and --port must be specified.");
            }
            sinkType = "avro";
            sinkKeys = new LinkedHashMap<>(Map.of("hostname", host, "port", port,
                    "batch-size", String.valueOf(COMMAND_LINE_BATCH_SIZE)));
            target = host + ":" + port;
        }
        sinkKeys.put("type", sinkType);
        Map<String, String> headers = new LinkedHashMap<>();
        String headerFile = properties.apply(HEADER_FILE);
        if (headerFile != null) {
            Properties loaded = load(Path.of(headerFile), "--headerFile");
            loaded.stringPropertyNames().forEach(key -> headers.put(key, loaded.getProperty(key)));
        }
        String file = properties.apply(FILE);
        String dirname = properties.apply(DIRNAME);
        return new AvroClientSettings(sinkType, sinkKeys, target, file == null ? null : Path.of(file),
                dirname == null ? null : Path.of(dirname), headers);
    }

    /** A properties file, read as Flume reads these two (java.util.Properties from a stream). */
    private static Properties load(Path file, String option) throws SettingsException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new SettingsException(option + ": cannot read " + file + ": " + e.getMessage());
        }
        return properties;
    }
}
