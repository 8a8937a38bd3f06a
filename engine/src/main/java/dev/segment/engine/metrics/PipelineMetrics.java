package dev.segment.engine.metrics;

import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.live.SourceListener;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.pipeline.Pipeline;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The standard metrics of one pipeline, fed as its {@link PipelineListener} and as the source's
 * {@link SourceListener}: frames in/out, drops, output fps, reconnects, per-stage and capture-to-output latency
 * histograms, ring occupancy. Register it with {@code Pipeline.builder().listener(...)} and the source factory, then
 * {@link #bind(Pipeline)} once the pipeline has started so the callbacks can read it.
 *
 * <p>Every pipeline metric is registered in the constructor, in one place: a new metric goes there, a new
 * {@link FrameReport.Stage} gets its {@code segment_stage_seconds{stage=...}} series by itself. Names follow
 * Prometheus conventions: counters end in {@code _total}, durations are histograms in seconds.
 */
public final class PipelineMetrics implements PipelineListener, SourceListener {
    /** Latency buckets in seconds: 1 ms to 10 s, roughly x2 apart. */
    static final double[] LATENCY_SECONDS = {
        0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.0
    };

    private static final double FPS_SMOOTHING = 0.1;

    private final AtomicReference<Pipeline> pipeline = new AtomicReference<>();
    private final Counter framesOut;
    private final AtomicLong drops = new AtomicLong();
    private final Gauge fps;
    private final Map<FrameReport.Stage, DistributionDataPoint> stages = new EnumMap<>(FrameReport.Stage.class);
    private final Map<FrameReport.Stage, CounterDataPoint> stageCpu = new EnumMap<>(FrameReport.Stage.class);
    private final Histogram captureToOutput;
    private final Counter keyframes;
    private final Counter carried;
    private final Counter modelAsked;
    private final Counter connects;
    private final Counter reconnectAttempts;
    private final Counter disconnects;
    private final Counter sizeChanges;
    private final Gauge connected;
    private final Gauge epoch;
    private final Gauge width;
    private final Gauge height;
    private final Gauge crfWidth;
    private final Gauge crfHeight;
    private long lastFrameNanos;
    private double smoothedInterval;

    public PipelineMetrics(PrometheusRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        CounterWithCallback.builder()
                .name("segment_frames_in_total")
                .help("Frames decoded by the source (written + dropped + in flight)")
                .callback(c -> c.call(framesIn()))
                .register(registry);
        framesOut = Counter.builder()
                .name("segment_frames_out_total")
                .help("Frames written to every sink")
                .register(registry);
        CounterWithCallback.builder()
                .name("segment_frames_dropped_total")
                .help("Live frames dropped at the source because the pipeline was full (keeps latency bounded)")
                .callback(c -> c.call(drops.get()))
                .register(registry);
        fps = Gauge.builder()
                .name("segment_output_fps")
                .help("Output frames per second (from exponentially smoothed frame intervals)")
                .register(registry);
        GaugeWithCallback.builder()
                .name("segment_ring_occupancy")
                .help("Frames inside the pipeline's ring right now")
                .callback(c -> {
                    Pipeline p = pipeline.get();
                    c.call(p == null ? 0 : p.framesInFlight());
                })
                .register(registry);
        Histogram stageSeconds = latencyHistogram("segment_stage_seconds", "Time one frame spends in a pipeline stage")
                .labelNames("stage")
                .register(registry);
        Counter cpuSeconds = Counter.builder()
                .name("segment_stage_cpu_seconds_total")
                .help("CPU time of each stage's own thread (for infer, also TensorFlow's threads when the model runs"
                        + " in line); divide by segment_frames_out_total for CPU seconds a frame")
                .labelNames("stage")
                .register(registry);
        for (FrameReport.Stage s : FrameReport.Stage.values()) {
            stages.put(s, stageSeconds.labelValues(s.label()));
            stageCpu.put(s, cpuSeconds.labelValues(s.label()));
        }
        keyframes = Counter.builder()
                .name("segment_keyframes_total")
                .help("Frames out whose scores are the model's own, by why the model ran: start, restart, size, cut,"
                        + " interval, residual, uncertain, change; all = keyframes off. With"
                        + " segment_carried_frames_total it adds up to the frames out")
                .labelNames("reason")
                .register(registry);
        modelAsked = Counter.builder()
                .name("segment_model_asked_total")
                .help("Frames out that asked for the model, by why (on a live source the model runs beside the"
                        + " stream, so a frame may ask while its scores are carried)")
                .labelNames("reason")
                .register(registry);
        carried = Counter.builder()
                .name("segment_carried_frames_total")
                .help("Frames whose scores were carried from the last keyframe along the motion")
                .register(registry);
        captureToOutput = latencyHistogram(
                        "segment_capture_to_output_seconds",
                        "From the frame's capture (decode) to the last sink written")
                .register(registry);
        connects = Counter.builder()
                .name("segment_source_connects_total")
                .help("Successful source connections")
                .register(registry);
        CounterWithCallback.builder()
                .name("segment_source_reconnects_total")
                .help("Successful reconnections after a lost stream")
                .callback(c -> c.call(reconnects()))
                .register(registry);
        reconnectAttempts = Counter.builder()
                .name("segment_source_reconnect_attempts_total")
                .help("Reconnection attempts started (each after its backoff delay)")
                .register(registry);
        disconnects = Counter.builder()
                .name("segment_source_disconnects_total")
                .help("Source failures: lost streams and failed connection attempts")
                .register(registry);
        sizeChanges = Counter.builder()
                .name("segment_source_frame_size_changes_total")
                .help("Times the source's frame size changed (temporal state reset)")
                .register(registry);
        connected = gauge(registry, "segment_source_connected", "1 while the source is connected, else 0");
        epoch = gauge(registry, "segment_source_epoch", "Continuity generation of the source's frames");
        width = gauge(registry, "segment_source_width", "Frame width of the current stream");
        height = gauge(registry, "segment_source_height", "Frame height of the current stream");
        crfWidth = gauge(
                registry,
                "segment_crf_grid_width",
                "Width of the grid the CRF refined the last frame on (a camera's follows its pace); 0 with the CRF off");
        crfHeight = gauge(registry, "segment_crf_grid_height", "Height of that grid; 0 with the CRF off");
    }

    /** Classic buckets only: they are what the text format and every Prometheus version read. */
    private static Histogram.Builder latencyHistogram(String name, String help) {
        return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(LATENCY_SECONDS);
    }

    private static Gauge gauge(PrometheusRegistry registry, String name, String help) {
        return Gauge.builder().name(name).help(help).register(registry);
    }

    /** Lets the callbacks (frames in, ring occupancy) read the running pipeline. */
    public void bind(Pipeline running) {
        pipeline.set(Objects.requireNonNull(running, "running"));
    }

    /** Frames read from the source: written, dropped and in flight (0 before {@link #bind}). */
    public long framesIn() {
        Pipeline p = pipeline.get();
        return p == null ? 0 : p.framesWritten() + p.framesDropped() + p.framesInFlight();
    }

    /** Output frames per second, as {@code segment_output_fps} has it (0 before the second frame). */
    public double outputFps() {
        return fps.get();
    }

    /** Frames counted in {@code segment_keyframes_total}, every reason. */
    public long keyframes() {
        return (long) keyframes.collect().getDataPoints().stream()
                .mapToDouble(d -> d.getValue())
                .sum();
    }

    /** Frames counted in {@code segment_carried_frames_total}. */
    public long carriedFrames() {
        return carried.getLongValue();
    }

    /**
     * Whether the source is connected now ({@code segment_source_connected}); null for a source that reports no
     * connections (a file).
     */
    public Boolean sourceConnected() {
        if (connects.getLongValue() == 0 && disconnects.getLongValue() == 0) {
            return null;
        }
        return connected.get() > 0;
    }

    public long framesOut() {
        return framesOut.getLongValue();
    }

    public long drops() {
        return drops.get();
    }

    public long reconnects() {
        return Math.max(0, connects.getLongValue() - 1);
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
                stageCpu.get(s).inc(report.stageCpuNanos()[s.ordinal()] / 1e9);
            }
        }
        captureToOutput.observe(report.latencyNanos() / 1e9);
        crfWidth.set(report.crfWidth());
        crfHeight.set(report.crfHeight());
        FrameReport.Keyframe k = report.keyframe();
        if (k.model()) {
            keyframes.labelValues(k.keyframeReason().label()).inc();
        } else {
            carried.inc();
        }
        if (k.askedForModel()) {
            modelAsked.labelValues(k.reason().label()).inc();
        }
        long now = System.nanoTime();
        if (lastFrameNanos != 0) {
            // Smooth the intervals, not their inverses: frames that leave in a burst do not spike the rate.
            double interval = now - lastFrameNanos;
            smoothedInterval =
                    smoothedInterval == 0 ? interval : smoothedInterval + FPS_SMOOTHING * (interval - smoothedInterval);
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
