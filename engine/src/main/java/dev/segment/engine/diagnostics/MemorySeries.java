package dev.segment.engine.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory samples in the order they were taken, and how the counters moved between the end of a warm-up and the last
 * sample. Safe to add to from one thread (a pipeline's output stage) while another reads.
 */
public final class MemorySeries {
    private static final double MIB = 1024.0 * 1024.0;

    private final List<MemorySample> samples = new ArrayList<>();

    public synchronized void add(MemorySample sample) {
        if (!samples.isEmpty()
                && sample.iteration() < samples.get(samples.size() - 1).iteration()) {
            throw new IllegalArgumentException("samples must come in iteration order: " + sample.iteration() + " after "
                    + samples.get(samples.size() - 1).iteration());
        }
        samples.add(sample);
    }

    public synchronized List<MemorySample> samples() {
        return List.copyOf(samples);
    }

    public synchronized int size() {
        return samples.size();
    }

    /** The first sample taken at or after {@code warmup} iterations: the reference growth is measured from. */
    public synchronized MemorySample baseline(long warmup) {
        for (MemorySample s : samples) {
            if (s.iteration() >= warmup) {
                return s;
            }
        }
        throw new IllegalStateException("no sample at or after iteration " + warmup + " (last sample at "
                + (samples.isEmpty() ? "none" : samples.get(samples.size() - 1).iteration()) + ")");
    }

    public synchronized MemorySample last() {
        if (samples.isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        return samples.get(samples.size() - 1);
    }

    /** Last value minus the value at the end of the warm-up. */
    public long growth(MemoryCounter counter, long warmup) {
        return last().get(counter) - baseline(warmup).get(counter);
    }

    /** {@link #growth} in percent of the value at the end of the warm-up (NaN when that value is not positive). */
    public double growthPercent(MemoryCounter counter, long warmup) {
        long base = baseline(warmup).get(counter);
        return base <= 0 ? Double.NaN : 100.0 * growth(counter, warmup) / base;
    }

    /** Largest value after the warm-up. */
    public synchronized long maxAfter(MemoryCounter counter, long warmup) {
        long max = Long.MIN_VALUE;
        for (MemorySample s : samples) {
            if (s.iteration() >= warmup) {
                max = Math.max(max, s.get(counter));
            }
        }
        return max;
    }

    /** A fixed-width table, one line per sample, bytes in MiB; {@code unit} names the iteration column. */
    public String table(String unit) {
        StringBuilder b = new StringBuilder(header(unit)).append('\n');
        for (MemorySample s : samples()) {
            b.append(row(s)).append('\n');
        }
        return b.toString();
    }

    /** The column names of {@link #table} (to print rows one at a time while a run goes on). */
    public static String header(String unit) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%8s", unit));
        for (MemoryCounter c : MemoryCounter.values()) {
            b.append(String.format(Locale.ROOT, " %10s", c.label() + (c.isBytes() ? " MiB" : "")));
        }
        return b.toString();
    }

    /** One line of {@link #table}. */
    public static String row(MemorySample s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%8d", s.iteration()));
        for (MemoryCounter c : MemoryCounter.values()) {
            b.append(' ').append(format(c, s.get(c)));
        }
        return b.toString();
    }

    /** One value as the table prints it: MiB with one decimal for bytes, else the count; "n/a" when unknown. */
    public static String format(MemoryCounter c, long value) {
        if (value < 0) {
            return String.format(Locale.ROOT, "%10s", "n/a");
        }
        return c.isBytes()
                ? String.format(Locale.ROOT, "%10.1f", value / MIB)
                : String.format(Locale.ROOT, "%10d", value);
    }
}
