package dev.segment.engine.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Counts observations into fixed buckets chosen at registration (upper bounds, inclusive, as Prometheus' "le").
 * {@link #observe} is lock-free and allocation-free: a binary search and two atomic adds.
 */
public final class Histogram implements Metric {
    /** Latency buckets in seconds: 1 ms to 10 s, roughly x2 apart. */
    public static final double[] LATENCY_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64,
        1.28, 2.56, 5.12, 10.0};

    private final String name;
    private final String help;
    private final Map<String, String> labels;
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(String name, String help, Map<String, String> labels, double[] bounds) {
        if (bounds.length == 0) {
            throw new IllegalArgumentException(name + ": a histogram needs at least one bucket bound");
        }
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException(name + ": bucket bounds must be finite and strictly increasing, got "
                        + Arrays.toString(bounds));
            }
        }
        this.name = name;
        this.help = help;
        this.labels = labels;
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    public void observe(double value) {
        int i = Arrays.binarySearch(bounds, value);
        int bucket = i >= 0 ? i : -i - 1;
        counts.incrementAndGet(bucket);
        sum.add(value);
    }

    /** Upper bounds of the finite buckets (a copy); the last, implicit bucket is +Inf. */
    public double[] bounds() {
        return bounds.clone();
    }

    /** Cumulative counts per bucket, +Inf last: a consistent-enough snapshot for scraping. */
    public long[] cumulativeCounts() {
        long[] c = new long[bounds.length + 1];
        long running = 0;
        for (int i = 0; i < c.length; i++) {
            running += counts.get(i);
            c[i] = running;
        }
        return c;
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    public double sum() {
        return sum.sum();
    }

    /**
     * The q-quantile estimated by linear interpolation inside the bucket that holds it (as Prometheus'
     * histogram_quantile); NaN when empty. Resolution is the bucket width.
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        long[] c = cumulativeCounts();
        long total = c[c.length - 1];
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= rank) {
                if (i == bounds.length) {
                    return bounds[bounds.length - 1];
                }
                double lo = i == 0 ? 0 : bounds[i - 1];
                long below = i == 0 ? 0 : c[i - 1];
                long in = c[i] - below;
                return in == 0 ? bounds[i] : lo + (bounds[i] - lo) * (rank - below) / in;
            }
        }
        return bounds[bounds.length - 1];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public String type() {
        return "histogram";
    }
}
