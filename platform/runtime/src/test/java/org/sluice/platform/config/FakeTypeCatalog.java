package org.sluice.platform.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.DefaultWhenUnparsable;

/**
 * A catalog with the types of Flume's User Guide examples, some with configuration types taken from
 * Flume's documented keys and defaults, some without (any key).
 */
final class FakeTypeCatalog implements TypeCatalog {

    @interface Netcat {
        String bind();

        int port();

        int max$_$line$_$length() default 512;

        boolean ack$_$every$_$event() default true;
    }

    @interface Memory {
        int capacity() default 100;

        int transactionCapacity() default 100;

        int keep$_$alive() default 3;

        int byteCapacity() default 0;
    }

    @interface Logger {
        int maxBytesToLog() default 16;
    }

    @interface FileRoll {
        String sink_directory();

        long sink_rollInterval() default 30;

        String sink_serializer() default "TEXT";

        int batchSize() default 100;
    }

    @interface Replicating {
        String[] optional() default {};
    }

    @interface Multiplexing {
        String header() default "flume.selector.header";

        String[] default$() default {};
    }

    @interface LoadBalancing {
        String policy() default "round_robin";
    }

    @interface RegexFilter {
        String regex() default ".*";

        boolean excludeEvents() default false;
    }

    /** As the failover plugin declares it: a maxpenalty that is not a number is the default, as in Flume. */
    @interface Failover {
        @DefaultWhenUnparsable
        long maxpenalty() default 30000;
    }

    @interface LoadBalance {
        boolean backoff() default false;

        String selector() default "round_robin";

        long selector_maxTimeOut() default 30000;
    }

    @interface None {
    }

    /** A custom load_balance selector: {@code processor.selector.maxTimeOut}, {@code processor.selector.weight.*}. */
    @interface Weighted {
        long maxTimeOut() default 30000;
    }

    private final Map<String, TypeInfo> types = new HashMap<>();

    FakeTypeCatalog() {
        add(ComponentKind.SOURCE, Netcat.class, Set.of(), "netcat");
        add(ComponentKind.SOURCE, null, Set.of(), "seq", "avro", "jms", "syslogtcp", "multiport_syslogtcp",
                "syslogudp", "http", "TAILDIR", "exec");
        add(ComponentKind.CHANNEL, Memory.class, Set.of(), "memory", "org.apache.flume.channel.MemoryChannel");
        add(ComponentKind.CHANNEL, null, Set.of(), "file");
        add(ComponentKind.SINK, Logger.class, Set.of(), "logger");
        add(ComponentKind.SINK, FileRoll.class, Set.of("sink.serializer."), "file_roll");
        add(ComponentKind.SINK, null, Set.of(), "avro", "hdfs");
        add(ComponentKind.SOURCE, null, Set.of(), "org.apache.flume.source.kafka.KafkaSource");
        add(ComponentKind.SINK, null, Set.of(), "org.apache.flume.sink.kafka.KafkaSink");
        add(ComponentKind.CHANNEL, null, Set.of(), "org.apache.flume.channel.kafka.KafkaChannel");
        add(ComponentKind.CHANNEL_SELECTOR, Replicating.class, Set.of(), "replicating");
        add(ComponentKind.CHANNEL_SELECTOR, Multiplexing.class, Set.of("mapping.", "optional."), "multiplexing");
        add(ComponentKind.CHANNEL_SELECTOR, LoadBalancing.class, Set.of(), "load_balancing");
        add(ComponentKind.INTERCEPTOR, null, Set.of(), "host", "org.apache.flume.interceptor.HostInterceptor$Builder",
                "timestamp", "org.apache.flume.interceptor.TimestampInterceptor$Builder", "static");
        add(ComponentKind.INTERCEPTOR, RegexFilter.class, Set.of(), "regex_filter");
        add(ComponentKind.SINK_PROCESSOR, None.class, Set.of(), "default");
        add(ComponentKind.SINK_PROCESSOR, Failover.class, Set.of("priority."), "failover");
        // As the load_balance plugin says: a selector other than round_robin and random comes from the registry.
        types.put(key(ComponentKind.SINK_PROCESSOR, "load_balance"), new TypeInfo(LoadBalance.class, Set.of(),
                "test.load_balance", "1.0.0", keys -> {
                    String selector = keys.getOrDefault("selector", "round_robin").toLowerCase(Locale.ROOT);
                    return selector.equals("round_robin") || selector.equals("random") ? null : "selector";
                }));
        add(ComponentKind.SINK_SELECTOR, Weighted.class, Set.of("weight."), "weighted", "com.example.Weighted");
    }

    FakeTypeCatalog without(ComponentKind kind, String type) {
        types.remove(key(kind, type));
        return this;
    }

    private void add(ComponentKind kind, Class<?> configurationType, Set<String> openPrefixes, String... names) {
        for (String name : names) {
            types.put(key(kind, name), new TypeInfo(configurationType, openPrefixes, "test." + names[0], "1.0.0"));
        }
    }

    @Override
    public Optional<TypeInfo> lookup(ComponentKind kind, String type) {
        return Optional.ofNullable(types.get(key(kind, type)));
    }

    private static String key(ComponentKind kind, String type) {
        return kind + ":" + type.toLowerCase(Locale.ROOT);
    }
}
