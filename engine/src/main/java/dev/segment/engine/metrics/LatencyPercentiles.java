package dev.segment.engine.metrics;

import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import java.util.Arrays;

/**
 * Exact capture-to-output latency percentiles over the run (its first 1M frames), for the end-of-run summary, the
 * browser preview and the benchmark; the Prometheus histogram has bucket resolution only. Frames come from the
 * output stage (one writer), questions from any thread; no lock: the array only grows, and the volatile count
 * publishes each value written before it.
 */
public final class LatencyPercentiles implements PipelineListener {
    private final long[] nanos = new long[1 << 20];
    private volatile int n;
    private volatile long[] sorted = new long[0];

    @Override
    public void onFrame(FrameReport report) {
        int i = n;
        if (i < nanos.length) {
            nanos[i] = report.latencyNanos();
            n = i + 1;
        }
    }

    /**
     * The quantiles {@code qs} (0..1) in milliseconds, from one sorted copy of the values so far (reused until a new
     * frame comes), all NaN before the first frame. The output stage never waits for a question.
     */
    public double[] millis(double... qs) {
        double[] out = new double[qs.length];
        int count = n;
        if (count == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        long[] values = sorted;
        if (values.length != count) {
            values = Arrays.copyOf(nanos, count);
            Arrays.sort(values);
            sorted = values;
        }
        for (int k = 0; k < qs.length; k++) {
            int rank = (int) Math.ceil(qs[k] * count) - 1;
            out[k] = values[Math.min(count - 1, Math.max(0, rank))] / 1e6;
        }
        return out;
    }
}
