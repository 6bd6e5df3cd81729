package org.sluice.jmh.interceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.flume.Context;
import org.apache.flume.interceptor.HostInterceptor;
import org.apache.flume.interceptor.InterceptorChain;
import org.apache.flume.interceptor.StaticInterceptor;
import org.apache.flume.interceptor.TimestampInterceptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.interceptor.core.HostInterceptorFactory;
import org.sluice.interceptor.core.StaticInterceptorFactory;
import org.sluice.interceptor.core.TimestampInterceptorFactory;
import org.sluice.jmh.BenchmarkEvents;
import org.sluice.testkit.TestContexts;

/**
 * A source's interceptor chain on one batch: {@code timestamp}, {@code host} (defaults: the IP address in header
 * {@code host}) and {@code static} ({@code key = datacenter}, {@code value = dc1}), each one's batch form in turn,
 * as the platform's channel processor runs them; Flume 1.11.0's same three interceptors, built by their Builders
 * from the same keys, in Flume's InterceptorChain. Every operation runs over the same events, so from the second
 * on the headers are overwritten rather than added (for both).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InterceptorChainBenchmark {
    private static final Map<String, String> STATIC = Map.of("key", "datacenter", "value", "dc1");

    @Param({"100", "1000"})
    public int batch;

    private List<Event> sluiceEvents;
    private List<Interceptor> sluiceChain;
    private List<org.apache.flume.Event> flumeEvents;
    private InterceptorChain flumeChain;

    @Setup
    public void setUp() throws Exception {
        sluiceEvents = BenchmarkEvents.sluice(batch);
        sluiceChain = List.of(sluice(new TimestampInterceptorFactory(), Map.of()),
                sluice(new HostInterceptorFactory(), Map.of()), sluice(new StaticInterceptorFactory(), STATIC));

        flumeEvents = BenchmarkEvents.flume(batch);
        List<org.apache.flume.interceptor.Interceptor> flume = new ArrayList<>();
        flume.add(flume(new TimestampInterceptor.Builder(), Map.of()));
        flume.add(flume(new HostInterceptor.Builder(), Map.of()));
        flume.add(flume(new StaticInterceptor.Builder(), STATIC));
        flumeChain = new InterceptorChain();
        flumeChain.setInterceptors(flume);
        flumeChain.initialize();

        check(sluice().get(0).getHeaders(), "sluice");
        check(flume().get(0).getHeaders(), "flume");
    }

    private static Interceptor sluice(InterceptorFactory factory, Map<String, String> properties) throws Exception {
        Interceptor interceptor = factory.create(TestContexts.plain(ComponentKind.INTERCEPTOR, "r1.interceptors.i",
                properties));
        interceptor.start();
        return interceptor;
    }

    private static org.apache.flume.interceptor.Interceptor flume(
            org.apache.flume.interceptor.Interceptor.Builder builder, Map<String, String> properties) {
        builder.configure(new Context(properties));
        return builder.build();
    }

    private static void check(Map<String, String> headers, String variant) {
        if (!headers.containsKey("timestamp") || !headers.containsKey("host")
                || !"dc1".equals(headers.get("datacenter"))
                || !BenchmarkEvents.HEADER_VALUE.equals(headers.get(BenchmarkEvents.HEADER))) {
            throw new IllegalStateException(variant + "'s chain made headers " + headers);
        }
    }

    @Benchmark
    public List<Event> sluice() {
        List<Event> kept = sluiceEvents;
        for (Interceptor interceptor : sluiceChain) {
            kept = interceptor.intercept(kept);
        }
        return kept;
    }

    @Benchmark
    public List<org.apache.flume.Event> flume() {
        return flumeChain.intercept(flumeEvents);
    }
}
