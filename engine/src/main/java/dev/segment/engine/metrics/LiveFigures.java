package dev.segment.engine.metrics;

import dev.segment.codecs.preview.PreviewFigures;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import java.util.List;
import java.util.Objects;

/**
 * Feeds the browser preview page ({@code MjpegHttpSink.showFigures(figures::now)}): the counters, rates and latency
 * come from the run's {@link PipelineMetrics} and {@link LatencyPercentiles}, the classes in view and the CRF and
 * keyframe state from the last {@link FrameReport}, the input rate from the frames read, measured as frames come out.
 * Register it as a pipeline listener after them. Thread-safe.
 */
public final class LiveFigures implements PipelineListener {
    /** The input rate is measured over at least this long, so that a burst of frames does not make it jump. */
    private static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    private final PipelineMetrics metrics;
    private final LatencyPercentiles latency;
    /** The last frame out, with its own copy of the class counts (the pipeline reuses its array). */
    private volatile Last last;

    private long rateStartNanos;
    private long rateStartFrames;
    private volatile Double fpsIn;

    public LiveFigures(PipelineMetrics metrics, LatencyPercentiles latency) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    @Override
    public void onFrame(FrameReport report) {
        last = new Last(report, report.classPixels().clone()); // the page's figures are made when it asks
        measureInputRate();
    }

    private record Last(FrameReport report, long[] classPixels) {}

    /** The figures as of now. */
    public PreviewFigures now() {
        long framesIn = metrics.framesIn();
        long framesOut = metrics.framesOut();
        Last l = last;
        FrameReport r = l == null ? null : l.report();
        List<PreviewFigures.ClassShare> classes =
                r == null ? List.of() : PreviewFigures.classesInView(l.classPixels(), r.pixels());
        PreviewFigures.Crf crf = r == null
                ? null
                : new PreviewFigures.Crf(
                        r.crfIterations() > 0, r.crfWidth(), r.crfHeight(), r.crfIterations(), r.crfWarm());
        FrameReport.Keyframe k = r == null ? null : r.keyframe();
        double[] p = latency.millis(0.5, 0.99);
        return new PreviewFigures(
                fpsIn,
                framesOut > 1 ? metrics.outputFps() : null,
                framesIn,
                framesOut,
                metrics.drops(),
                measured(p[0]),
                measured(p[1]),
                classes,
                crf,
                k == null
                        ? null
                        : new PreviewFigures.Keyframe(
                                k.model(), k.keyframeReason().label(), metrics.keyframes(), metrics.carriedFrames()),
                metrics.sourceConnected(),
                metrics.reconnects());
    }

    /** Frames read per second over the last window of at least {@link #RATE_WINDOW_NANOS} (output thread). */
    private void measureInputRate() {
        long now = System.nanoTime();
        long framesIn = metrics.framesIn();
        if (rateStartNanos == 0 || framesIn < rateStartFrames) {
            rateStartNanos = now;
            rateStartFrames = framesIn;
        } else if (now - rateStartNanos >= RATE_WINDOW_NANOS) {
            fpsIn = (framesIn - rateStartFrames) * 1e9 / (now - rateStartNanos);
            rateStartNanos = now;
            rateStartFrames = framesIn;
        }
    }

    private static Double measured(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
