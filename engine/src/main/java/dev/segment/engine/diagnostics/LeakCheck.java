package dev.segment.engine.diagnostics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "After a warm-up, these counters grow by no more than this": the judgement of a {@link MemorySeries}, for leak
 * tests and for {@code segment soak}. Each limit is a fixed slack in the counter's unit plus, optionally, a percentage
 * of the value at the end of the warm-up. Counters without a limit are not checked; counters a platform cannot read
 * (-1) are skipped.
 *
 * <pre>{@code
 * LeakCheck.afterWarmup(300)
 *         .allow(MemoryCounter.JAVACPP_BYTES, 256 * 1024)
 *         .allow(MemoryCounter.DIRECT_BYTES, 1 << 20)
 *         .allowPercent(MemoryCounter.RSS, 64L << 20, 10)
 *         .verify(series);
 * }</pre>
 */
public final class LeakCheck {
    private final long warmup;
    private final Map<MemoryCounter, Limit> limits = new EnumMap<>(MemoryCounter.class);

    /** Fixed slack plus a share of the value after the warm-up. */
    private record Limit(long slack, double percent) {
        long of(long baseline) {
            return slack + Math.round(baseline * percent / 100.0);
        }
    }

    private LeakCheck(long warmup) {
        this.warmup = warmup;
    }

    /** Growth is measured from the first sample at or after {@code warmup} iterations to the last sample. */
    public static LeakCheck afterWarmup(long warmup) {
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
        return new LeakCheck(warmup);
    }

    /** {@code counter} may grow by at most {@code maxGrowth} (bytes or objects). */
    public LeakCheck allow(MemoryCounter counter, long maxGrowth) {
        return allowPercent(counter, maxGrowth, 0);
    }

    /** {@code counter} may grow by at most {@code maxGrowth} plus {@code percent} % of its value after the warm-up. */
    public LeakCheck allowPercent(MemoryCounter counter, long maxGrowth, double percentOfBaseline) {
        if (maxGrowth < 0 || !(percentOfBaseline >= 0)) {
            throw new IllegalArgumentException(
                    "limits for " + counter + " must be >= 0, got " + maxGrowth + " and " + percentOfBaseline + " %");
        }
        limits.put(counter, new Limit(maxGrowth, percentOfBaseline));
        return this;
    }

    /** One message per counter that grew beyond its limit; empty when none did. */
    public List<String> violations(MemorySeries series) {
        MemorySample base = series.baseline(warmup);
        MemorySample last = series.last();
        List<String> out = new ArrayList<>();
        for (Map.Entry<MemoryCounter, Limit> e : limits.entrySet()) {
            MemoryCounter c = e.getKey();
            long from = base.get(c);
            long to = last.get(c);
            if (from < 0 || to < 0) {
                continue;
            }
            long limit = e.getValue().of(from);
            if (to - from > limit) {
                out.add(String.format(
                        Locale.ROOT,
                        "%s grew by %s (from %s at %d to %s at %d), limit %s",
                        c.label(),
                        amount(c, to - from),
                        amount(c, from),
                        base.iteration(),
                        amount(c, to),
                        last.iteration(),
                        amount(c, limit)));
            }
        }
        return out;
    }

    /** Throws {@link IllegalStateException} listing every violation, with the series as a table. */
    public void verify(MemorySeries series) {
        List<String> v = violations(series);
        if (!v.isEmpty()) {
            throw new IllegalStateException("memory grew after the warm-up of " + warmup + ": " + String.join("; ", v)
                    + "\n" + series.table("iter"));
        }
    }

    private static String amount(MemoryCounter c, long value) {
        return c.isBytes() ? String.format(Locale.ROOT, "%.2f MiB", value / (1024.0 * 1024.0)) : Long.toString(value);
    }
}
