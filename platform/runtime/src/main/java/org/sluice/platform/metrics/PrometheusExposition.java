package org.sluice.platform.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.sluice.platform.management.AgentRuntime;

/**
 * The agent's metrics in Prometheus's formats, written by Prometheus's Java client: a registry of this reporter's
 * own (never the library's JVM-wide default one, which would outlive this bundle) holding the Flume counters and
 * component states ({@link FlumeCollector}) and the client's JVM and process metrics, and its two text writers.
 *
 * <p>The JVM metric sets are the client's, taken one by one: memory and buffer pools, garbage collection, threads,
 * class loading, JIT compilation, runtime info and the process ({@code process_cpu_seconds_total},
 * {@code process_resident_memory_bytes}, open file descriptors). Two are left out: the memory pool allocation
 * counters register notification listeners with the JVM's collectors that cannot be removed, which would keep this
 * bundle's classes after a refresh; and the native memory metrics run a diagnostic command at every scrape and
 * report only under {@code -XX:NativeMemoryTracking}.
 */
final class PrometheusExposition {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

    /**
     * @param metrics the components' counters
     * @param runtime the agents' statuses; may answer null while the runtime is not there
     */
    PrometheusExposition(Metrics metrics, Supplier<AgentRuntime> runtime) {
        registry.register(new FlumeCollector(metrics, runtime));
        JvmMemoryMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    /** The media type of a Prometheus format, with its version and charset. */
    String contentType(ScrapeFormat format) {
        return writer(format).getContentType();
    }

    /** A scrape now, in the Prometheus text format or OpenMetrics. */
    byte[] scrape(ScrapeFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            writer(format).write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to be written", e);
        }
        return out.toByteArray();
    }

    private ExpositionFormatWriter writer(ScrapeFormat format) {
        return switch (format) {
            case PROMETHEUS_TEXT -> text;
            case OPENMETRICS -> openMetrics;
            case JSON -> throw new IllegalArgumentException("JSON is Flume's format, not a Prometheus one");
        };
    }
}
