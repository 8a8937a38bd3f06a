package dev.segment.engine.metrics;

import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Capture-to-output latency percentiles over the whole run, for the end-of-run summary, the browser preview and the
 * benchmark; the Prometheus histogram has bucket resolution only. An HdrHistogram of three significant digits (a
 * percentile is within 0.1% of the value recorded, from 1 µs to an hour; longer latencies count as an hour) in a few
 * hundred kilobytes whatever the run's length. Frames come from the output stage (one writer, which never waits);
 * questions from any thread.
 */
public final class LatencyPercentiles implements PipelineListener {
    static final long LOWEST_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
    static final int DIGITS = 3;

    private final Recorder recorder = new Recorder(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
    /** Everything recorded up to the last question; guarded by {@code this}. */
    private final Histogram total = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);

    private Histogram interval;

    @Override
    public void onFrame(FrameReport report) {
        recorder.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, report.latencyNanos())));
    }

    /** The quantiles {@code qs} (0..1) in milliseconds of the values so far, all NaN before the first frame. */
    public synchronized double[] millis(double... qs) {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        double[] out = new double[qs.length];
        if (total.getTotalCount() == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        for (int k = 0; k < qs.length; k++) {
            out[k] = total.getValueAtPercentile(100 * qs[k]) / 1e6;
        }
        return out;
    }
}
