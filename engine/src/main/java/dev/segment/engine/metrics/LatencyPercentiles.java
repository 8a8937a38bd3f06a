package dev.segment.engine.metrics;

import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import java.util.Arrays;

/**
 * Exact capture-to-output latency percentiles over the run (its first 1M frames), for the end-of-run summary, the
 * browser preview and the benchmark; the Prometheus histogram has bucket resolution only. Thread-safe: frames come
 * from the output stage, questions from any thread.
 */
public final class LatencyPercentiles implements PipelineListener {
    private final long[] nanos = new long[1 << 20];
    private int n;
    private volatile long[] sorted = new long[0];

    @Override
    public synchronized void onFrame(FrameReport report) {
        if (n < nanos.length) {
            nanos[n++] = report.latencyNanos();
        }
    }

    /**
     * The {@code q} quantile (0..1) in milliseconds, NaN before the first frame. Sorts a copy outside the lock, so
     * that a question never holds up the output stage.
     */
    public double millis(double q) {
        long[] values;
        synchronized (this) {
            if (n == 0) {
                return Double.NaN;
            }
            values = sorted.length == n ? sorted : null;
            if (values == null) {
                values = Arrays.copyOf(nanos, n);
            }
        }
        if (values != sorted) {
            Arrays.sort(values);
            synchronized (this) {
                if (values.length > sorted.length) {
                    sorted = values;
                }
            }
        }
        int rank = (int) Math.ceil(q * values.length) - 1;
        return values[Math.min(values.length - 1, Math.max(0, rank))] / 1e6;
    }
}
