package dev.segment.engine.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The metrics of one process part (a pipeline, a test): counters, gauges and histograms by name and constant labels.
 * An ordinary object, no global default: whoever builds a pipeline owns its registry. Registering is rare and
 * thread-safe; updating a metric is lock-free. A series (name + labels) is registered once; a name keeps one type.
 */
public final class MetricsRegistry {
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();
    private final Map<String, Metric> bySeries = new ConcurrentHashMap<>();
    private final Map<String, String> typeByName = new ConcurrentHashMap<>();

    public Counter counter(String name, String help, String... labels) {
        return register(new Counter(Names.metric(name), help(help), Names.labels(labels), null));
    }

    /** A counter read from {@code supplier} at scrape time (it must not go down). */
    public Counter counter(String name, String help, LongSupplier supplier, String... labels) {
        if (supplier == null) {
            throw new IllegalArgumentException(name + ": supplier must not be null");
        }
        return register(new Counter(Names.metric(name), help(help), Names.labels(labels), supplier));
    }

    public Gauge gauge(String name, String help, String... labels) {
        return register(new Gauge(Names.metric(name), help(help), Names.labels(labels), null));
    }

    /** A gauge read from {@code supplier} at scrape time. */
    public Gauge gauge(String name, String help, DoubleSupplier supplier, String... labels) {
        if (supplier == null) {
            throw new IllegalArgumentException(name + ": supplier must not be null");
        }
        return register(new Gauge(Names.metric(name), help(help), Names.labels(labels), supplier));
    }

    public Histogram histogram(String name, String help, double[] bounds, String... labels) {
        if (bounds == null) {
            throw new IllegalArgumentException(name + ": bounds must not be null");
        }
        return register(new Histogram(Names.metric(name), help(help), Names.labels(labels), bounds));
    }

    /** All metrics in registration order. */
    public List<Metric> metrics() {
        return new ArrayList<>(metrics);
    }

    /** The metric registered under {@code name} and exactly these labels, or null. */
    public Metric find(String name, String... labels) {
        return bySeries.get(key(name, Names.labels(labels)));
    }

    private synchronized <M extends Metric> M register(M m) {
        String previousType = typeByName.putIfAbsent(m.name(), m.type());
        if (previousType != null && !previousType.equals(m.type())) {
            throw new IllegalArgumentException(m.name() + " is already registered as a " + previousType
                    + ", cannot add a " + m.type());
        }
        String key = key(m.name(), m.labels());
        if (bySeries.putIfAbsent(key, m) != null) {
            throw new IllegalArgumentException("metric " + key + " is already registered");
        }
        metrics.add(m);
        return m;
    }

    private static String key(String name, Map<String, String> labels) {
        return labels.isEmpty() ? name : name + labels;
    }

    private static String help(String help) {
        if (help == null || help.isBlank()) {
            throw new IllegalArgumentException("every metric needs a help text");
        }
        return help;
    }
}
