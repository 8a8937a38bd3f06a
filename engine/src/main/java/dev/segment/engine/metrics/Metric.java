package dev.segment.engine.metrics;

import java.util.Map;

/** One time series of a {@link MetricsRegistry}: a name, constant labels, a help line, and its current value(s). */
public sealed interface Metric permits Counter, Gauge, Histogram {
    String name();

    String help();

    /** Constant labels in the order given at registration (e.g. stage="infer"). */
    Map<String, String> labels();

    /** "counter", "gauge" or "histogram", as in the Prometheus text format. */
    String type();
}
