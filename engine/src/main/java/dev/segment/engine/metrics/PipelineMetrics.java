package dev.segment.engine.metrics;

import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.live.SourceListener;
import dev.segment.engine.FrameReport;
import dev.segment.engine.Pipeline;
import dev.segment.engine.PipelineListener;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The standard metrics of one pipeline, fed as its {@link PipelineListener} and as the source's
 * {@link SourceListener}: frames in/out, drops, output fps, reconnects, per-stage and capture-to-output latency
 * histograms, ring occupancy. Register it with {@code Pipeline.builder().listener(...)} and the source factory, then
 * {@link #bind(Pipeline)} once the pipeline has started so the suppliers can read it.
 */
public final class PipelineMetrics implements PipelineListener, SourceListener {
    private static final double FPS_SMOOTHING = 0.1;

    private final AtomicReference<Pipeline> pipeline = new AtomicReference<>();
    private final Counter framesOut;
    private final AtomicLong drops = new AtomicLong();
    private final Gauge fps;
    private final Map<FrameReport.Stage, Histogram> stages = new EnumMap<>(FrameReport.Stage.class);
    private final Histogram captureToOutput;
    private final Counter connects;
    private final Counter reconnectAttempts;
    private final Counter disconnects;
    private final Counter sizeChanges;
    private final Gauge connected;
    private final Gauge epoch;
    private final Gauge width;
    private final Gauge height;
    private long lastFrameNanos;
    private double smoothedInterval;

    public PipelineMetrics(MetricsRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        registry.counter("segment_frames_in_total", "Frames decoded by the source (written + dropped + in flight)",
                () -> {
                    Pipeline p = pipeline.get();
                    return p == null ? 0 : p.framesWritten() + p.framesDropped() + p.framesInFlight();
                });
        framesOut = registry.counter("segment_frames_out_total", "Frames written to every sink");
        registry.counter("segment_frames_dropped_total",
                "Live frames dropped at the source because the pipeline was full (keeps latency bounded)", drops::get);
        fps = registry.gauge("segment_output_fps", "Output frames per second (from exponentially smoothed frame intervals)");
        registry.gauge("segment_ring_occupancy", "Frames inside the pipeline's ring right now", () -> {
            Pipeline p = pipeline.get();
            return p == null ? 0 : p.framesInFlight();
        });
        for (FrameReport.Stage s : FrameReport.Stage.values()) {
            stages.put(s, registry.histogram("segment_stage_seconds", "Time one frame spends in a pipeline stage",
                    Histogram.LATENCY_SECONDS, "stage", s.label()));
        }
        captureToOutput = registry.histogram("segment_capture_to_output_seconds",
                "From the frame's capture (decode) to the last sink written", Histogram.LATENCY_SECONDS);
        connects = registry.counter("segment_source_connects_total", "Successful source connections");
        registry.counter("segment_source_reconnects_total", "Successful reconnections after a lost stream",
                () -> Math.max(0, connects.get() - 1));
        reconnectAttempts = registry.counter("segment_source_reconnect_attempts_total",
                "Reconnection attempts started (each after its backoff delay)");
        disconnects = registry.counter("segment_source_disconnects_total",
                "Source failures: lost streams and failed connection attempts");
        sizeChanges = registry.counter("segment_source_frame_size_changes_total",
                "Times the source's frame size changed (temporal state reset)");
        connected = registry.gauge("segment_source_connected", "1 while the source is connected, else 0");
        epoch = registry.gauge("segment_source_epoch", "Continuity generation of the source's frames");
        width = registry.gauge("segment_source_width", "Frame width of the current stream");
        height = registry.gauge("segment_source_height", "Frame height of the current stream");
    }

    /** Lets the suppliers (frames in, ring occupancy) read the running pipeline. */
    public void bind(Pipeline running) {
        pipeline.set(Objects.requireNonNull(running, "running"));
    }

    public Histogram captureToOutput() {
        return captureToOutput;
    }

    public Histogram stage(FrameReport.Stage stage) {
        return stages.get(stage);
    }

    public long framesOut() {
        return framesOut.get();
    }

    public long drops() {
        return drops.get();
    }

    public long reconnects() {
        return Math.max(0, connects.get() - 1);
    }

    @Override
    public void onStart(VideoInfo info) {
        width.set(info.width());
        height.set(info.height());
    }

    @Override
    public void onFrame(FrameReport report) {
        framesOut.inc();
        long[] nanos = report.stageNanos();
        for (FrameReport.Stage s : FrameReport.Stage.values()) {
            if (s.ordinal() < nanos.length) {
                stages.get(s).observe(nanos[s.ordinal()] / 1e9);
            }
        }
        captureToOutput.observe(report.latencyNanos() / 1e9);
        long now = System.nanoTime();
        if (lastFrameNanos != 0) {
            // Smooth the intervals, not their inverses: frames that leave in a burst do not spike the rate.
            double interval = now - lastFrameNanos;
            smoothedInterval = smoothedInterval == 0 ? interval
                    : smoothedInterval + FPS_SMOOTHING * (interval - smoothedInterval);
            fps.set(smoothedInterval > 0 ? 1e9 / smoothedInterval : 0);
        }
        lastFrameNanos = now;
    }

    @Override
    public void onDrop(long totalDrops) {
        drops.accumulateAndGet(totalDrops, Math::max);
    }

    @Override
    public void connected(VideoInfo info, int generation) {
        connects.inc();
        connected.set(1);
        epoch.set(generation);
        width.set(info.width());
        height.set(info.height());
    }

    @Override
    public void disconnected(String cause) {
        disconnects.inc();
        connected.set(0);
    }

    @Override
    public void reconnectAttempt(int attempt, long delayMillis) {
        reconnectAttempts.inc();
    }

    @Override
    public void frameSizeChanged(int oldWidth, int oldHeight, int newWidth, int newHeight) {
        sizeChanges.inc();
        width.set(newWidth);
        height.set(newHeight);
    }
}
