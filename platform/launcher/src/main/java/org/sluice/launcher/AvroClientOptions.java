package org.sluice.launcher;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Flume's {@code flume-ng avro-client} options, checked as Flume checks them.
 *
 * @param host       {@code -H/--host}: the avro source's host
 * @param port       {@code -p/--port}: its port
 * @param rpcProps   {@code -P/--rpcProps}: an RPC client properties file instead of host and port
 * @param file       {@code -F/--filename}: the text file to send; neither it nor {@code dirname}: standard input
 * @param dirname    {@code --dirname}: a spooling directory of finished files to send
 * @param headerFile {@code -R/--headerFile}: headers every event carries, a properties file
 */
record AvroClientOptions(Optional<String> host, Optional<Integer> port, Optional<Path> rpcProps, Optional<Path> file,
        Optional<Path> dirname, Optional<Path> headerFile) {

    /** The framework properties the platform's avro client reads. */
    static final String HOST = "sluice.client.host";
    static final String PORT = "sluice.client.port";
    static final String RPC_PROPS = "sluice.client.rpcProps";
    static final String FILE = "sluice.client.file";
    static final String DIRNAME = "sluice.client.dirname";
    static final String HEADER_FILE = "sluice.client.headerFile";

    /** From option values by Flume's long names, in Flume's order of checks and with its messages. */
    static AvroClientOptions of(Map<String, String> values) throws UsageException {
        if (values.containsKey("filename") && values.containsKey("dirname")) {
            throw new UsageException("--filename and --dirname options cannot be used simultaneously");
        }
        if (!values.containsKey("port") && !values.containsKey("host") && !values.containsKey("rpcProps")) {
            throw new UsageException("Either --rpcProps or both --host and --port must be specified.");
        }
        Optional<Path> rpcProps = Optional.empty();
        Optional<String> host = Optional.empty();
        Optional<Integer> port = Optional.empty();
        if (values.containsKey("rpcProps")) {
            Path props = path("--rpcProps", values.get("rpcProps"));
            if (!Files.isRegularFile(props)) {
                throw new UsageException("RPC client properties file " + props + " does not exist!");
            }
            rpcProps = Optional.of(props);
        } else {
            if (!values.containsKey("port")) {
                throw new UsageException("You must specify a port to connect to with --port");
            }
            port = Optional.of(port(values.get("port")));
            if (!values.containsKey("host")) {
                throw new UsageException("You must specify a hostname to connect to with --host");
            }
            host = Optional.of(values.get("host"));
        }
        Optional<Path> file = Optional.empty();
        if (values.containsKey("filename")) {
            Path path = path("--filename", values.get("filename"));
            if (!Files.isRegularFile(path)) {
                throw new UsageException("--filename: " + path + " is not a file");
            }
            file = Optional.of(path);
        }
        Optional<Path> dirname = Optional.empty();
        if (values.containsKey("dirname")) {
            Path path = path("--dirname", values.get("dirname"));
            if (!Files.isDirectory(path)) {
                throw new UsageException("--dirname: " + path + " is not a directory");
            }
            dirname = Optional.of(path);
        }
        Optional<Path> headerFile = Optional.empty();
        if (values.containsKey("headerFile")) {
            Path path = path("--headerFile", values.get("headerFile"));
            if (!Files.isRegularFile(path)) {
                throw new UsageException("--headerFile: " + path + " is not a file");
            }
            headerFile = Optional.of(path);
        }
        return new AvroClientOptions(host, port, rpcProps, file, dirname, headerFile);
    }

    /** The framework properties for the platform. */
    Map<String, String> frameworkProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        host.ifPresent(value -> properties.put(HOST, value));
        port.ifPresent(value -> properties.put(PORT, value.toString()));
        rpcProps.ifPresent(value -> properties.put(RPC_PROPS, absolute(value)));
        file.ifPresent(value -> properties.put(FILE, absolute(value)));
        dirname.ifPresent(value -> properties.put(DIRNAME, absolute(value)));
        headerFile.ifPresent(value -> properties.put(HEADER_FILE, absolute(value)));
        return properties;
    }

    private static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private static int port(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--port: '" + value + "' is not a port number (1 to 65535)");
    }

    private static Path path(String option, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(option + ": not a valid path: " + value);
        }
    }
}
