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
    private volatile List<PreviewFigures.ClassShare> classes = List.of();
    private volatile PreviewFigures.Crf crf;
    private volatile FrameReport.Keyframe keyframe;
    private long rateStartNanos;
    private long rateStartFrames;
    private volatile Double fpsIn;

    public LiveFigures(PipelineMetrics metrics, LatencyPercentiles latency) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    @Override
    public void onFrame(FrameReport report) {
        classes = PreviewFigures.classesInView(report.classPixels(), report.pixels());
        crf = new PreviewFigures.Crf(report.crfIterations() > 0, report.crfWidth(), report.crfHeight(),
                report.crfIterations(), report.crfWarm());
        keyframe = report.keyframe();
        measureInputRate();
    }

    /** The figures as of now. */
    public PreviewFigures now() {
        long framesIn = metrics.framesIn();
        long framesOut = metrics.framesOut();
        FrameReport.Keyframe k = keyframe;
        return new PreviewFigures(fpsIn, framesOut > 1 ? metrics.outputFps() : null, framesIn,
                framesOut, metrics.drops(), measured(latency.millis(0.5)), measured(latency.millis(0.99)), classes,
                crf, k == null ? null : new PreviewFigures.Keyframe(k.model(), k.keyframeReason().label(),
                metrics.keyframes(), metrics.carriedFrames()), metrics.sourceConnected(),
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
