package dev.segment.engine.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Registries for a process that serves metrics. The Prometheus Java client does the registry, the exposition
 * formats (Prometheus text, OpenMetrics, protobuf, by content negotiation) and the histograms; this project only
 * chooses what to register.
 */
public final class MetricsRegistries {
    private MetricsRegistries() {}

    /**
     * A new registry with the JVM's and the process's own metrics (heap and pools, GC pauses, threads, buffer pools,
     * CPU seconds, resident memory, open files: {@code jvm_*} and {@code process_*}), read at scrape time. Add the
     * pipeline's with {@code new PipelineMetrics(registry)}.
     */
    public static PrometheusRegistry withJvmAndProcess() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        return registry;
    }
}
