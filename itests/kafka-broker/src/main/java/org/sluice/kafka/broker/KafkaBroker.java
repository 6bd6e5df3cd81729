package org.sluice.kafka.broker;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker for tests: one KRaft node (broker and controller) in a child JVM on 127.0.0.1, on the
 * class path this module's build resolved from Maven Central. It keeps its ports and log directory across
 * {@link #stop()}, {@link #kill()} and {@link #start()}, so clients see a broker that went away and came back.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.builder(dir).secureListener().start()) {
 *     broker.createTopic("events", 3);
 *     String servers = broker.bootstrapServers();
 * }
 * }</pre>
 *
 * The secure listeners, added together: SASL_SSL with PLAIN (users {@code admin}, {@code flume}), SCRAM-SHA-256 and
 * SCRAM-SHA-512 (user {@code flume}); SASL_PLAINTEXT with PLAIN; and SSL that requires a client certificate, which
 * {@link #clientKeystore()} holds. The broker's certificate (for 127.0.0.1) is made with the JDK's keytool, and
 * {@link #truststore()} trusts it. With {@link Builder#kerberos} the broker also takes Kerberos (GSSAPI, service name
 * {@link #KERBEROS_SERVICE}): on a SASL_PLAINTEXT listener of its own, and on the SASL_SSL listener beside the others.
 */
public final class KafkaBroker implements AutoCloseable {
    /** Password of the SASL users and of the key and trust stores. */
    public static final String USER = "flume";
    public static final String PASSWORD = "flume-secret";
    public static final String STORE_PASSWORD = "changeit";
    /** The service name of the broker's Kerberos principal, {@code kafka/HOST@REALM}. */
    public static final String KERBEROS_SERVICE = "kafka";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final int plainPort;
    private final int securePort;
    private final int sslPort;
    private final int saslPlaintextPort;
    private final int kerberosPort;
    private final int controllerPort;
    private final String heap;
    private final List<String> jvmOptions;
    private final String classPath;
    private Process process;
    private Writer commands;
    private BlockingQueue<String> answers;

    private KafkaBroker(Builder builder) throws IOException {
        this.dir = builder.dir;
        this.heap = builder.heap;
        List<String> options = new ArrayList<>(builder.jvmOptions);
        if (builder.kerberos != null) {
            options.add("-Djava.security.krb5.conf=" + builder.kerberos.krb5Conf());
        }
        this.jvmOptions = List.copyOf(options);
        int[] ports = freePorts(2 + (builder.secure ? 3 : 0) + (builder.kerberos != null ? 1 : 0));
        int next = 0;
        this.plainPort = ports[next++];
        this.securePort = builder.secure ? ports[next++] : -1;
        this.sslPort = builder.secure ? ports[next++] : -1;
        this.saslPlaintextPort = builder.secure ? ports[next++] : -1;
        this.kerberosPort = builder.kerberos != null ? ports[next++] : -1;
        this.controllerPort = ports[next];
        this.classPath = ownLocation() + File.pathSeparator + readClassPath();
        Files.createDirectories(dir);
        if (builder.secure) {
            makeStores();
        }
        Files.writeString(dir.resolve("server.properties"), serverProperties(builder), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("log4j2.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="warn">
                  <Appenders>
                    <File name="file" fileName="%s" append="true">
                      <PatternLayout pattern="%%d{ISO8601} %%-5p [%%t] %%c - %%m%%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Logger name="kafka" level="info"/>
                    <Logger name="org.apache.kafka" level="warn"/>
                    <Root level="warn"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(dir.resolve("broker.log")), StandardCharsets.UTF_8);
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** How the broker is set up before its first start. */
    public static final class Builder {
        private final Path dir;
        private boolean secure;
        private boolean autoCreateTopics = true;
        private String heap = "512m";
        /** For tests: a quick start matters more than peak speed (the benchmark sets its own). */
        private List<String> jvmOptions = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        private final List<String> extra = new ArrayList<>();
        private Kerberos kerberos;

        private Builder(Path dir) {
            this.dir = dir.toAbsolutePath();
        }

        /** Adds the SASL_SSL, SASL_PLAINTEXT and SSL listeners. */
        public Builder secureListener() {
            secure = true;
            return this;
        }

        /**
         * Adds a SASL_PLAINTEXT listener that takes Kerberos (GSSAPI) only, and GSSAPI on the SASL_SSL listener when
         * there is one.
         *
         * @param krb5Conf the KDC's krb5.conf, for the broker's JVM
         * @param keytab holds the key of {@code principal}
         * @param principal the broker's principal, {@code kafka/HOST@REALM}, where HOST is the name clients give
         *     127.0.0.1
         */
        public Builder kerberos(Path krb5Conf, Path keytab, String principal) {
            kerberos = new Kerberos(krb5Conf.toAbsolutePath(), keytab.toAbsolutePath(), principal);
            return this;
        }

        /** Kafka's auto.create.topics.enable (true by default, as in Kafka). */
        public Builder autoCreateTopics(boolean enabled) {
            autoCreateTopics = enabled;
            return this;
        }

        public Builder heap(String maxHeap) {
            heap = maxHeap;
            return this;
        }

        /** The broker JVM's options besides -Xmx (by default a quick start: serial GC, C1 only). */
        public Builder jvmOptions(List<String> options) {
            jvmOptions = List.copyOf(options);
            return this;
        }

        /** Any other broker setting, {@code key=value}. */
        public Builder setting(String keyValue) {
            extra.add(keyValue);
            return this;
        }

        /** Makes the broker and starts it. */
        public KafkaBroker start() throws IOException, InterruptedException {
            KafkaBroker broker = new KafkaBroker(this);
            broker.start();
            return broker;
        }
    }

    private record Kerberos(Path krb5Conf, Path keytab, String principal) {
    }

    /** The PLAINTEXT listener, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + plainPort;
    }

    /** The SASL_SSL listener, {@code 127.0.0.1:PORT}. */
    public String secureBootstrapServers() {
        secureListenerRequired();
        return "127.0.0.1:" + securePort;
    }

    /** The SSL listener (a client certificate required), {@code 127.0.0.1:PORT}. */
    public String sslBootstrapServers() {
        secureListenerRequired();
        return "127.0.0.1:" + sslPort;
    }

    /** The SASL_PLAINTEXT listener (PLAIN), {@code 127.0.0.1:PORT}. */
    public String saslPlaintextBootstrapServers() {
        secureListenerRequired();
        return "127.0.0.1:" + saslPlaintextPort;
    }

    /** The SASL_PLAINTEXT listener that takes Kerberos (GSSAPI) only, {@code 127.0.0.1:PORT}. */
    public String kerberosBootstrapServers() {
        if (kerberosPort < 0) {
            throw new IllegalStateException("this broker takes no Kerberos: build it with kerberos(...)");
        }
        return "127.0.0.1:" + kerberosPort;
    }

    private void secureListenerRequired() {
        if (securePort < 0) {
            throw new IllegalStateException("this broker has no secure listener: build it with secureListener()");
        }
    }

    /** A JKS trust store that trusts the secure listener's certificate; password {@link #STORE_PASSWORD}. */
    public Path truststore() {
        return dir.resolve("client-trust.jks");
    }

    /**
     * A JKS key store whose certificate the SSL listener accepts from a client; store and key password
     * {@link #STORE_PASSWORD}. It is the broker's own key pair: the listener trusts {@link #truststore()}, which holds
     * that certificate, so one keytool run serves both directions.
     */
    public Path clientKeystore() {
        return dir.resolve("broker.jks");
    }

    /** The broker's JVM, for CPU accounting. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker (again) on the same ports and log directory and waits until it serves clients. */
    public synchronized void start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("the broker is running already");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.xml"), "-cp", classPath,
                BrokerMain.class.getName(), dir.toString()));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(
                dir.resolve("broker.err").toFile())).start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "kafka-broker-reaper"));
        answers = new ArrayBlockingQueue<>(64);
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BlockingQueue<String> lines = answers;
        Thread reader = new Thread(() -> readAnswers(started, lines), "kafka-broker-reader");
        reader.setDaemon(true);
        reader.start();
        String ready = answers.poll(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!"ready".equals(ready)) {
            // Said before the process is destroyed, which would make a broker that hung look like one that exited.
            String why = ready != null ? ready : "no answer within " + START_TIMEOUT.toSeconds() + " s";
            process.destroyForcibly();
            throw new IOException("The Kafka broker did not start (" + why + "); the end of "
                    + dir.resolve("broker.err") + ":\n" + tail(dir.resolve("broker.err")) + "\nthe end of "
                    + dir.resolve("broker.log") + ":\n" + tail(dir.resolve("broker.log")));
        }
    }

    /** Stops the broker cleanly (as SIGTERM would) and waits until its JVM has exited. */
    public synchronized void stop() throws InterruptedException {
        if (!isRunning()) {
            return;
        }
        try {
            commands.close();
        } catch (IOException e) {
            // It is going away already.
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Kills the broker with SIGKILL, as a crash or an OOM killer would. */
    public synchronized void kill() throws InterruptedException {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The Kafka broker (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    /** Creates a topic with replication factor 1 and the given topic settings ({@code max.message.bytes=1000}). */
    public void createTopic(String name, int partitions, String... settings) {
        call("create-topic " + name + " " + partitions + " " + String.join(" ", settings), "ok");
    }

    /** Writes {@code count} records of {@code bytes} random printable bytes, without keys, acks=all. */
    public void produce(String topic, long count, int bytes) {
        call("produce " + topic + " " + count + " " + bytes, "ok");
    }

    /** Writes records whose values are the numbers {@code from} ... {@code from + count - 1} as text, acks=all. */
    public void produceNumbers(String topic, long from, long count) {
        call("produce-numbers " + topic + " " + from + " " + count, "ok");
    }

    /** The sum of the topic's partitions' end offsets: how many records it has ever held. */
    public long endOffsets(String topic) {
        return Long.parseLong(call("end-offsets " + topic, "offsets ").substring("offsets ".length()));
    }

    /** The sum of a consumer group's committed offsets on a topic (0 when it committed none). */
    public long committedOffsets(String group, String topic) {
        return Long.parseLong(call("committed " + group + " " + topic, "offsets ").substring("offsets ".length()));
    }

    private synchronized String call(String command, String expected) {
        if (!isRunning()) {
            throw new IllegalStateException("the broker is not running; see " + dir.resolve("broker.log"));
        }
        try {
            commands.write(command + "\n");
            commands.flush();
            String answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null || !answer.startsWith(expected)) {
                throw new IllegalStateException("kafka broker: '" + command + "': " + (answer == null ? "no answer"
                        : answer));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void readAnswers(Process process, BlockingQueue<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(BrokerMain.PREFIX)) {
                    lines.put(line.substring(BrokerMain.PREFIX.length()));
                }
            }
        } catch (IOException e) {
            // The process is gone: said below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // Whoever waits for an answer learns at once that none will come.
        try {
            lines.offer("it exited with code " + process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String serverProperties(Builder builder) {
        StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + plainPort);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (builder.secure) {
            listeners.append(",SASL_SSL://127.0.0.1:").append(securePort)
                    .append(",SSL://127.0.0.1:").append(sslPort)
                    .append(",SASL_PLAINTEXT://127.0.0.1:").append(saslPlaintextPort);
            protocols.append(",SASL_SSL:SASL_SSL,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT");
        }
        if (builder.kerberos != null) {
            listeners.append(",KERBEROS://127.0.0.1:").append(kerberosPort);
            protocols.append(",KERBEROS:SASL_PLAINTEXT");
        }
        listeners.append(",CONTROLLER://127.0.0.1:").append(controllerPort);
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listeners=" + listeners,
                "advertised.listeners=" + listeners.toString().replace(",CONTROLLER://127.0.0.1:" + controllerPort, ""),
                "listener.security.protocol.map=" + protocols,
                "log.dirs=" + dir.resolve("logs"),
                "auto.create.topics.enable=" + builder.autoCreateTopics,
                "num.partitions=1",
                // One broker: every internal topic has one replica; few partitions start faster.
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // Tests run with small session timeouts so that a killed consumer is noticed in seconds.
                "group.min.session.timeout.ms=2000",
                "sluice.cluster.id=" + clusterId(),
                "sluice.plain.bootstrap=" + bootstrapServers()));
        if (builder.secure) {
            String jaasPlain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                    + "password=\"admin-secret\" user_admin=\"admin-secret\" user_" + USER + "=\"" + PASSWORD + "\";";
            lines.addAll(List.of(
                    "listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"
                            + (builder.kerberos != null ? ",GSSAPI" : ""),
                    "listener.name.sasl_ssl.plain.sasl.jaas.config=" + jaasPlain,
                    "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config="
                            + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                            + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                    "listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN",
                    "listener.name.sasl_plaintext.plain.sasl.jaas.config=" + jaasPlain,
                    "listener.name.ssl.ssl.client.auth=required",
                    "listener.name.ssl.ssl.truststore.location=" + truststore(),
                    "listener.name.ssl.ssl.truststore.password=" + STORE_PASSWORD,
                    "listener.name.ssl.ssl.truststore.type=JKS",
                    "ssl.keystore.location=" + dir.resolve("broker.jks"),
                    "ssl.keystore.password=" + STORE_PASSWORD,
                    "ssl.key.password=" + STORE_PASSWORD,
                    "ssl.keystore.type=JKS",
                    "sluice.scram.credentials=SCRAM-SHA-256=[name=" + USER + ",password=" + PASSWORD + "];"
                            + "SCRAM-SHA-512=[name=" + USER + ",password=" + PASSWORD + "]"));
        }
        if (builder.kerberos != null) {
            // The broker logs in from its keytab; clients ask the KDC for a ticket to kafka/HOST.
            String jaasKerberos = "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true "
                    + "keyTab=\"" + builder.kerberos.keytab() + "\" principal=\"" + builder.kerberos.principal() + "\";";
            lines.addAll(List.of(
                    "sasl.kerberos.service.name=" + KERBEROS_SERVICE,
                    "listener.name.kerberos.sasl.enabled.mechanisms=GSSAPI",
                    "listener.name.kerberos.gssapi.sasl.jaas.config=" + jaasKerberos,
                    "listener.name.sasl_ssl.gssapi.sasl.jaas.config=" + jaasKerberos));
        }
        lines.addAll(builder.extra);
        return String.join("\n", lines) + "\n";
    }

    /**
     * A cluster id in Kafka's form: a UUID's 16 bytes, URL-safe base64 without padding, and not starting with a dash
     * (as Kafka's own ids never do): {@code kafka-storage format -t -abc...} would read the id as an option and fail
     * (one start in 64 did).
     */
    private static String clusterId() {
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        } while (id.startsWith("-"));
        return id;
    }

    /** A key pair for 127.0.0.1 in broker.jks and a trust store with its certificate, made with the JDK's keytool. */
    private void makeStores() throws IOException {
        Path keystore = dir.resolve("broker.jks");
        Path certificate = dir.resolve("broker.crt");
        if (Files.exists(truststore())) {
            return;
        }
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(List.of(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "30", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore",
                keystore.toString(), "-storetype", "JKS", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD));
        keytool(List.of(keytool, "-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass",
                STORE_PASSWORD, "-file", certificate.toString()));
        keytool(List.of(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", truststore().toString(), "-storetype", "JKS", "-storepass", STORE_PASSWORD));
    }

    private static void keytool(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + command + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    private static String readClassPath() throws IOException {
        try (var in = KafkaBroker.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IOException("broker.classpath is missing beside " + KafkaBroker.class.getName()
                        + ": build itests/kafka-broker with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    /** The last lines of a log file, for a message; what could be read. */
    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read it: " + e + ")";
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(KafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ports free now, all different: each socket stays bound until every port is chosen, so the kernel cannot hand
     * the same one out twice. Another process may still take one before the broker binds it; the broker then exits
     * and {@link #start} says so at once.
     */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
