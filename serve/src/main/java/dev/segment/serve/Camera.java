package dev.segment.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpServer;
import dev.segment.codecs.FrameSink;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.Redact;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.live.LiveOptions;
import dev.segment.codecs.live.SourceListener;
import dev.segment.codecs.live.SourceSpec;
import dev.segment.codecs.live.Sources;
import dev.segment.codecs.preview.MjpegHttpSink;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.FrameReport;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.StatsWriter;
import dev.segment.engine.app.OutputSettings;
import dev.segment.engine.app.SourceSettings;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.metrics.LatencyPercentiles;
import dev.segment.engine.metrics.LiveFigures;
import dev.segment.engine.metrics.PipelineMetrics;
import dev.segment.engine.metrics.RecentLatency;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.pipeline.Pipelines;
import dev.segment.serve.events.Event;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running camera of the service: its own pipeline (source at the analysis rate, keyframes through the process's
 * one model scheduler, CRF, overlay, outputs, preview, rules), its own metrics registry, and a thread that connects
 * and runs it, so that a camera that never answers holds up nothing else. {@link #close()} stops it and finalizes its
 * outputs (recordings get their trailers).
 */
final class Camera implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Camera.class);

    /** What a camera is doing, as its state reports it. */
    enum Status {
        CONNECTING,
        RUNNING,
        ENDED,
        FAILED,
        STOPPED
    }

    private volatile CameraSpec spec;
    private final ZoneEvents zoneEvents;
    private final SegmentConfig config;
    private final DeepLabModel model;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry);
    private final LatencyPercentiles latency = new LatencyPercentiles();
    /** The state's latency: the last minute, in six slices of 10 s. */
    private final RecentLatency recentLatency = new RecentLatency(java.time.Duration.ofSeconds(60), 6);

    private final Thread thread;
    private final List<FrameSink> sinks = new ArrayList<>();
    private final MjpegHttpSink preview;
    private final LiveFigures figures = new LiveFigures(metrics, latency);
    private final String previewPath;
    private volatile Status status = Status.CONNECTING;
    private volatile String error;
    private final java.util.concurrent.atomic.AtomicLong modelRuns = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastFrameNanos;
    private volatile boolean stopping;
    private volatile Pipeline pipeline;
    private volatile FrameSource source;
    private volatile AnalysisRate rate;
    private StatsWriter stats;

    /**
     * @param config    the camera's configuration (the service's settings with the camera's over them)
     * @param api       the API's server, where the camera's preview is added ({@code /cameras/<name>/}); null for
     *                  none
     * @param apiAccess the API's access rule, for the preview (null for none)
     * @param events    where the camera's rule events go (never blocks)
     * @param snapshots the directory event snapshots go under, or null
     */
    Camera(
            CameraSpec spec,
            SegmentConfig config,
            DeepLabModel model,
            HttpServer api,
            Filter apiAccess,
            Consumer<Event> events,
            Path snapshots,
            Clock clock) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.config = Objects.requireNonNull(config, "config");
        this.model = Objects.requireNonNull(model, "model");
        for (String out : spec.outputs()) {
            sinks.add(OutputSettings.overlaySink(out, spec.segmentSeconds(), config));
        }
        previewPath = "/cameras/" + spec.name();
        preview = api == null ? null : new MjpegHttpSink(api, previewPath, apiAccess, 10, 4);
        if (preview != null) {
            preview.showFigures(figures::now);
            sinks.add(preview);
        }
        zoneEvents = new ZoneEvents(spec, events, snapshots, clock);
        sinks.add(zoneEvents);
        thread = new Thread(this::run, "segment-camera-" + spec.name());
    }

    CameraSpec spec() {
        return spec;
    }

    /**
     * Adds the rules {@code updated} has beyond this camera's (the same camera with more rules, checked): they apply
     * from the next frame.
     */
    synchronized void addRules(CameraSpec updated) {
        for (Rule r : updated.rules()) {
            if (spec.rule(r.name()) == null) {
                zoneEvents.add(r);
            }
        }
        spec = updated;
    }

    PrometheusRegistry registry() {
        return registry;
    }

    Status status() {
        return status;
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            LiveOptions live = SourceSettings.liveOptions(config);
            SourceSpec sourceSpec = SourceSpec.parse(spec.source(), live);
            FrameSource camera = Sources.create(sourceSpec, live, 0, new Connection());
            rate = new AnalysisRate(camera, spec.fps());
            source = rate;
            if (stopping) {
                return;
            }
            List<PipelineListener> listeners =
                    new ArrayList<>(List.of(metrics, latency, recentLatency, new LastFrame()));
            if (preview != null) {
                listeners.add(figures);
            }
            stats = OutputSettings.stats(config);
            if (stats != null) {
                listeners.add(stats);
            }
            Pipeline.Builder builder =
                    Pipelines.builder(config, model, rate, sinks).listener(PipelineListener.all(listeners));
            builder.segmenter(countingRuns(builder.segmenter()));
            Pipeline p = builder.start();
            pipeline = p;
            metrics.bind(p);
            if (stopping) {
                p.stop();
            }
            status = Status.RUNNING;
            PipelineSummary summary = p.await();
            if (summary.failure() != null) {
                fail(summary.failure());
            } else {
                status = stopping ? Status.STOPPED : Status.ENDED;
                LOG.info(
                        "camera {}: {} frames out, {} dropped",
                        spec.name(),
                        summary.framesOut(),
                        summary.framesDropped());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = Status.STOPPED;
        } catch (Exception | Error e) {
            if (stopping) {
                status = Status.STOPPED;
            } else {
                fail(e);
            }
        } finally {
            closeOutputs();
        }
    }

    /**
     * The model's segmenter, counting its runs for this camera: on a live source most runs start on one frame and are
     * adopted by a later one, so the frames whose scores are the model's own undercount what the model did.
     */
    private FrameSegmenter.Factory countingRuns(FrameSegmenter.Factory factory) {
        return (width, height) -> {
            FrameSegmenter inner = factory.create(width, height);
            return new FrameSegmenter() {
                @Override
                public void segment(VideoFrame frame, ScoreGrid out) throws Exception {
                    inner.segment(frame, out);
                    modelRuns.incrementAndGet();
                }

                @Override
                public long poolCpuNanos() {
                    return inner.poolCpuNanos();
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        };
    }

    private void fail(Throwable e) {
        error = Redact.redact(String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage()));
        status = Status.FAILED;
        LOG.warn("camera {} stopped: {}", spec.name(), error);
    }

    /** The pipeline closes its sinks; these are what it may not have reached (it never started). */
    private void closeOutputs() {
        if (pipeline == null) {
            for (FrameSink s : sinks) {
                try {
                    s.close();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("camera {}: closing an output failed: {}", spec.name(), e.toString());
                }
            }
        }
        if (stats != null) {
            try {
                stats.close();
            } catch (IOException e) {
                LOG.warn("camera {}: closing the statistics failed: {}", spec.name(), e.toString());
            }
        }
    }

    /** The camera's state as the API returns it: never with credentials. */
    ObjectNode state() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("name", spec.name());
        s.put("source", Redact.redact(spec.source()));
        s.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        Boolean connected = metrics.sourceConnected();
        // a stopped or ended camera is not connected, whatever its source said last
        s.put("connected", status == Status.RUNNING && (connected == null || connected));
        s.put("fps", spec.fps());
        AnalysisRate r = rate;
        s.put("framesIn", r == null ? 0 : r.framesIn());
        s.put("fpsIn", r == null ? 0 : round(r.fpsIn()));
        s.put("framesOut", metrics.framesOut());
        s.put("framesDropped", metrics.drops());
        s.put("fpsOut", round(metrics.outputFps()));
        long last = lastFrameNanos;
        if (last == 0) {
            s.putNull("lastFrameAgeSeconds");
        } else {
            s.put("lastFrameAgeSeconds", round((System.nanoTime() - last) / 1e9));
        }
        long out = metrics.framesOut();
        s.put("modelRuns", modelRuns.get());
        s.put("keyframeShare", out == 0 ? 0 : round(Math.min(1, (double) modelRuns.get() / out)));
        s.put("reconnects", metrics.reconnects());
        double[] p = recentLatency.millis(0.5, 0.99);
        s.put("latencyP50Ms", millis(p[0]));
        s.put("latencyP99Ms", millis(p[1]));
        s.put("latencyP99MsSinceStart", millis(latency.millis(0.99)[0]));
        s.put("preview", previewPath + "/");
        if (error != null) {
            s.put("error", error);
        }
        s.set("camera", spec.redacted());
        return s;
    }

    /** Whole milliseconds, or -1 when there is no frame to say it of. */
    private static long millis(double ms) {
        return Double.isNaN(ms) ? -1 : Math.round(ms);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Stops the camera and finalizes its outputs; waits up to 30 s. */
    @Override
    public void close() {
        stopping = true;
        Pipeline p = pipeline;
        if (p != null) {
            p.stop();
        } else {
            FrameSource src = source;
            if (src != null) {
                try {
                    src.close(); // unblocks a connect in progress
                } catch (IOException | RuntimeException e) {
                    // stopping anyway
                }
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                LOG.warn("camera {} did not stop within 30 s", spec.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (status != Status.FAILED) {
            status = Status.STOPPED;
        }
    }

    private final class LastFrame implements PipelineListener {
        @Override
        public void onFrame(FrameReport report) {
            lastFrameNanos = System.nanoTime();
        }
    }

    /** The source's connection, to the metrics and the log. */
    private final class Connection implements SourceListener {
        @Override
        public void connected(VideoInfo info, int epoch) {
            metrics.connected(info, epoch);
            LOG.info(
                    "camera {}: connected, {}x{} at {} fps",
                    spec.name(),
                    info.width(),
                    info.height(),
                    info.frameRate());
        }

        @Override
        public void disconnected(String cause) {
            metrics.disconnected(cause);
            LOG.warn("camera {}: disconnected: {}", spec.name(), cause);
        }

        @Override
        public void reconnectAttempt(int attempt, long delayMillis) {
            metrics.reconnectAttempt(attempt, delayMillis);
        }

        @Override
        public void frameSizeChanged(int oldWidth, int oldHeight, int newWidth, int newHeight) {
            metrics.frameSizeChanged(oldWidth, oldHeight, newWidth, newHeight);
        }
    }
}
