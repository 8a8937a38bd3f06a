package dev.segment.engine.metrics;

import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import java.time.Duration;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * Capture-to-output latency percentiles of the last minute or so, for a camera that runs for months: its state should
 * say how it does now, not since it started (its start-up frames, which wait for the model and a cold JIT, weigh on
 * a whole-run percentile for days). The window is cut into slices of HdrHistograms (the same precision as
 * {@link LatencyPercentiles}); a question sums the slices that started within the window, so the answer covers between
 * {@code window - slice} and {@code window} of frames. One writer (the output stage), questions from any thread.
 */
public final class RecentLatency implements PipelineListener {
    private static final long LOWEST_NANOS = LatencyPercentiles.LOWEST_NANOS;
    private static final long HIGHEST_NANOS = LatencyPercentiles.HIGHEST_NANOS;
    private static final int DIGITS = LatencyPercentiles.DIGITS;

    private final long sliceNanos;
    private final Histogram[] slices;
    private final long[] starts;
    private final Histogram sum = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
    private int current;

    /** Percentiles over the last {@code window}, in {@code count} slices. */
    public RecentLatency(Duration window, int count) {
        if (count < 2 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("need a positive window and at least 2 slices");
        }
        sliceNanos = window.toNanos() / count;
        slices = new Histogram[count];
        starts = new long[count];
        long now = System.nanoTime();
        for (int i = 0; i < count; i++) {
            slices[i] = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
            starts[i] = now - (long) (count - i) * sliceNanos - 1; // older than any window: empty
        }
        current = count - 1;
        starts[current] = now;
    }

    @Override
    public void onFrame(FrameReport report) {
        record(System.nanoTime(), report.latencyNanos());
    }

    synchronized void record(long now, long latencyNanos) {
        rotate(now);
        slices[current].recordValue(Math.min(HIGHEST_NANOS, Math.max(LOWEST_NANOS, latencyNanos)));
    }

    /** The quantiles {@code qs} (0..1) in milliseconds of the frames of the window, all NaN when it has none. */
    public double[] millis(double... qs) {
        return millis(System.nanoTime(), qs);
    }

    synchronized double[] millis(long now, double... qs) {
        rotate(now);
        sum.reset();
        long window = sliceNanos * slices.length;
        for (int i = 0; i < slices.length; i++) {
            if (now - starts[i] < window) {
                sum.add(slices[i]);
            }
        }
        double[] out = new double[qs.length];
        if (sum.getTotalCount() == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        for (int k = 0; k < qs.length; k++) {
            out[k] = sum.getValueAtPercentile(100 * qs[k]) / 1e6;
        }
        return out;
    }

    /** Starts new slices for the time passed since the current one started (a long quiet spell empties them all). */
    private void rotate(long now) {
        int steps = 0;
        while (now - starts[current] >= sliceNanos && steps++ < slices.length) {
            long next = starts[current] + sliceNanos;
            current = (current + 1) % slices.length;
            slices[current].reset();
            starts[current] = now - next >= sliceNanos * slices.length ? now : next;
        }
        if (now - starts[current] >= sliceNanos) {
            starts[current] = now;
        }
    }
}
