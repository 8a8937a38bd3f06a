package dev.segment.cli;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.MaskPngSink;
import dev.segment.codecs.Redact;
import dev.segment.codecs.SinkException;
import dev.segment.codecs.SourceException;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.live.LiveOptions;
import dev.segment.codecs.live.ReconnectingSource;
import dev.segment.codecs.live.SourceKind;
import dev.segment.codecs.live.SourceListener;
import dev.segment.codecs.live.SourceSpec;
import dev.segment.codecs.live.Sources;
import dev.segment.codecs.preview.MjpegHttpSink;
import dev.segment.codecs.preview.StreamPushSink;
import dev.segment.codecs.preview.WindowPreviewSink;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.DurationLimit;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.StatsWriter;
import dev.segment.engine.app.FinalizeOnSignal;
import dev.segment.engine.app.Models;
import dev.segment.engine.app.OutputSettings;
import dev.segment.engine.app.SourceSettings;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.metrics.LatencyPercentiles;
import dev.segment.engine.metrics.LiveFigures;
import dev.segment.engine.metrics.MetricsRegistries;
import dev.segment.engine.metrics.MetricsServer;
import dev.segment.engine.metrics.PipelineMetrics;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.pipeline.Pipelines;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code segment stream SOURCE --model GRAPH.pb --out URI_OR_FILE ...}: segments a camera, webcam, URL or file and
 * sends the overlay to any number of outputs at once (files, segmented recordings, RTSP/RTMP push, the browser
 * preview, masks, JSON-lines statistics), with a Prometheus endpoint. Live sources reconnect and drop frames at the
 * source when the pipeline is slower than the camera, so latency stays bounded; files never drop.
 */
@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Segment a live source (rtsp://, /dev/videoN, lavfi:GRAPH, any FFmpeg URL) or a file and"
                + " stream/record/preview the overlay.")
final class StreamCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "SOURCE",
            description = "rtsp://[user:pass@]host/path, /dev/videoN, a webcam index, lavfi:GRAPH, an URL or a file.")
    String source;

    @Option(
            names = "--out",
            paramLabel = "URI_OR_FILE",
            description = "Output (repeatable): rtsp://, rtmp://, a"
                    + " .mp4/.mkv file, or a directory with --segment-seconds.")
    List<String> outputs = new ArrayList<>();

    @Option(
            names = "--segment-seconds",
            paramLabel = "S",
            description = "Record into a directory --out: a new file every S seconds, each playable alone.")
    Double segmentSeconds;

    @Option(names = "--window", description = "Also show the overlay in a desktop window.")
    boolean window;

    @Mixin
    ConfigFlags fields = new ConfigFlags(
            ConfigFlag.HTTP_PREVIEW,
            ConfigFlag.METRICS_PORT,
            ConfigFlag.BIND,
            ConfigFlag.MAX_FRAMES,
            ConfigFlag.FRAMES,
            ConfigFlag.START,
            ConfigFlag.DURATION,
            ConfigFlag.TRANSPORT,
            ConfigFlag.REALTIME,
            ConfigFlag.BACKPRESSURE,
            ConfigFlag.MASKS,
            ConfigFlag.STATS);

    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() throws Exception {
        ConfigOverrides o = new ConfigOverrides();
        fields.putAll(o);
        SegmentConfig config = common.load(o);
        common.requireModel(config);
        if (outputs.isEmpty() && config.listen().httpPreviewPort() == 0 && !window) {
            throw new ConfigException("--out", "output", "", "nothing to do: give --out, --http-preview or --window");
        }
        return run(config, source, null, 0, new Outputs(outputs, segmentSeconds, common.overwrite), window, System.err);
    }

    /**
     * Shared by {@code stream} and {@code live}. {@code source.durationSeconds} bounds the whole run from here
     * (loading the model, connecting and reconnecting included): a camera that never answers ends the run at the
     * deadline with {@link ExitCodes#SOURCE_LOST} instead of being retried forever.
     */
    static int run(
            SegmentConfig config,
            String sourceName,
            String captureSize,
            double captureFps,
            Outputs outputs,
            boolean window,
            PrintStream err)
            throws Exception {
        List<String> outs = outputs.targets();
        long startNanos = System.nanoTime();
        LiveOptions liveOptions = SourceSettings.liveOptions(config).withCapture(captureSize, captureFps);
        SourceSpec spec = SourceSpec.parse(sourceName, liveOptions);
        long startFrame = config.source().startFrame();
        if (startFrame > 0 && spec.kind() != SourceKind.FILE) {
            throw new ConfigException(
                    ConfigFlag.START.flag,
                    ConfigFlag.START.path,
                    Long.toString(startFrame),
                    "is for files: " + spec.description() + " is live and starts at its current frame");
        }
        requireWebcam(spec);
        ListenPorts.requireFree(config.listen().bindAddress(), config.listen().metricsPort(), ConfigFlag.METRICS_PORT);
        ListenPorts.requireFree(
                config.listen().bindAddress(), config.listen().httpPreviewPort(), ConfigFlag.HTTP_PREVIEW);
        outputs.check(config);
        List<OutputLock> locks = new ArrayList<>();
        try {
            for (String out : outs) {
                if (OutputSettings.isVideoFile(out)) {
                    locks.add(OutputLock.acquire(Path.of(out)));
                }
            }
            outputs.refuseExistingFiles(); // after the locks: a file another run is writing is reported as that
            return run(config, spec, liveOptions, outs, outputs.segmentSeconds(), window, err, startNanos);
        } finally {
            for (OutputLock lock : locks) {
                lock.close();
            }
        }
    }

    private static int run(
            SegmentConfig config,
            SourceSpec spec,
            LiveOptions liveOptions,
            List<String> outs,
            Double segmentSeconds,
            boolean window,
            PrintStream err,
            long startNanos)
            throws Exception {
        PrometheusRegistry registry = MetricsRegistries.withJvmAndProcess();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        LatencyPercentiles latency = new LatencyPercentiles();
        List<AutoCloseable> closeLast = new ArrayList<>();
        StatsWriter statsWriter = null;
        DeepLabModel model = Models.acquire(config, spec.live());
        try (model) {
            if (spec.live()) {
                // Before connecting: the model's first run is slow, and on a camera every frame it delays is dropped.
                // The camera's size is not known yet; the padded graph's input is the same for every size, and 16:9
                // is the common camera aspect for the unpadded one.
                model.warmUp(640, 360, config.inference().unpadded());
            }
            MetricsServer server = startMetrics(config, registry);
            if (server != null) {
                closeLast.add(server);
                err.println("segment: metrics at " + server.url());
            }
            Pipeline[] running = new Pipeline[1];
            List<FrameSink> sinks = new ArrayList<>();
            for (String out : outs) {
                sinks.add(OutputSettings.overlaySink(out, segmentSeconds, config));
            }
            MjpegHttpSink preview = null;
            if (config.listen().httpPreviewPort() > 0) {
                preview = new MjpegHttpSink(
                        config.listen().bindAddress(), config.listen().httpPreviewPort(), 15, 4);
                sinks.add(preview);
            }
            List<PipelineListener> listeners = new ArrayList<>(List.of(metrics, latency));
            if (preview != null) {
                LiveFigures figures = new LiveFigures(metrics, latency);
                listeners.add(figures);
                preview.showFigures(figures::now);
            }
            statsWriter = addFileOutputs(config, window, running, sinks, listeners);
            LastSourceError lastError = new LastSourceError(metrics);
            FrameSource src = Sources.create(spec, liveOptions, config.source().startFrame(), lastError);
            double limit = config.source().durationSeconds();
            DurationLimit deadline = limit > 0
                    ? DurationLimit.start(startNanos, limit, () -> {
                        Pipeline p = running[0];
                        if (p != null) {
                            p.stop();
                        } else {
                            closeQuietly(src);
                        }
                    })
                    : null;
            closeLast.add(0, () -> {
                if (deadline != null) {
                    deadline.close();
                }
            });
            Thread connecting = reportSignalWhileConnecting(running, lastError, spec, startNanos, err);
            Pipeline pipeline;
            try {
                pipeline = Pipelines.builder(config, model, src, sinks)
                        .listener(PipelineListener.all(listeners))
                        .start();
                running[0] = pipeline;
            } catch (IOException | RuntimeException e) {
                if (deadline != null && deadline.fired()) {
                    // closed by the deadline while connecting (or, if loading the model took it all, before)
                    throw noFrameWithin(spec, limit, lastError.cause(), e);
                }
                throw preview != null && ListenPorts.isBindFailure(e)
                        ? ListenPorts.inUse(
                                config.listen().bindAddress(),
                                config.listen().httpPreviewPort(),
                                ConfigFlag.HTTP_PREVIEW,
                                e)
                        : e;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(connecting);
                } catch (IllegalStateException shuttingDown) {
                    // the hook reports
                }
            }
            metrics.bind(pipeline);
            if (deadline != null && deadline.fired()) {
                pipeline.stop(); // the deadline passed while the source was opening
            }
            if (preview != null) {
                err.println("segment: browser preview at " + preview.url());
            }
            err.println("segment: " + spec.description() + " -> " + destinations(outs, preview, window, config)
                    + (pipeline.info().live() ? " (live: frames dropped when the pipeline is behind)" : ""));
            AtomicBoolean reported = new AtomicBoolean();
            FinalizeOnSignal hook = FinalizeOnSignal.install(
                    pipeline,
                    Duration.ofSeconds(30),
                    s -> {
                        if (reported.compareAndSet(false, true)) {
                            err.println(summaryLine(s, latency, metrics.reconnects())
                                    .replaceFirst("^segment: ", "segment: interrupted; "));
                            err.flush();
                        }
                    },
                    e -> err.println("segment: interrupted; finalizing the outputs failed: " + e));
            PipelineSummary summary = pipeline.await();
            if (!hook.remove()) {
                return ExitCodes.INTERRUPTED; // the hook finalizes and reports
            }
            if (summary.failure() == null && summary.framesOut() == 0 && deadline != null && deadline.fired()) {
                throw noFrameWithin(spec, limit, lastError.cause(), null); // connected, but no frame came
            }
            if (reported.compareAndSet(false, true)) {
                err.println(summaryLine(summary, latency, metrics.reconnects()));
            }
            if (summary.failure() != null) {
                throw summary.failure() instanceof Exception e ? e : new RuntimeException(summary.failure());
            }
            return ExitCodes.OK;
        } finally {
            if (statsWriter != null) {
                statsWriter.close();
            }
            for (AutoCloseable c : closeLast) {
                c.close();
            }
        }
    }

    /** The Prometheus endpoint at {@code listen.metricsPort}, or null when none is configured. */
    private static MetricsServer startMetrics(SegmentConfig config, PrometheusRegistry registry) throws Exception {
        if (config.listen().metricsPort() <= 0) {
            return null;
        }
        return ListenPorts.mapBindFailure(
                () -> MetricsServer.start(
                        registry, config.listen().bindAddress(), config.listen().metricsPort()),
                config.listen().bindAddress(),
                config.listen().metricsPort(),
                ConfigFlag.METRICS_PORT);
    }

    /**
     * Adds the masks and the window to {@code sinks} and the statistics to {@code listeners}, as configured; returns
     * the statistics writer (the caller closes it) or null. Closing the window stops the pipeline in {@code running}.
     */
    private static StatsWriter addFileOutputs(
            SegmentConfig config,
            boolean window,
            Pipeline[] running,
            List<FrameSink> sinks,
            List<PipelineListener> listeners)
            throws IOException {
        MaskPngSink masks = OutputSettings.masks(config);
        if (masks != null) {
            sinks.add(masks);
        }
        if (window) {
            sinks.add(new WindowPreviewSink(30, () -> {
                if (running[0] != null) {
                    running[0].stop();
                }
            }));
        }
        StatsWriter stats = OutputSettings.stats(config);
        if (stats != null) {
            listeners.add(stats);
        }
        return stats;
    }

    /**
     * A signal while the source connects (a camera that never answers is retried until then): says so, as the
     * summary line would; the pipeline's own finalize hook takes over once it runs. The caller removes the hook.
     */
    private static Thread reportSignalWhileConnecting(
            Pipeline[] running, LastSourceError lastError, SourceSpec spec, long startNanos, PrintStream err) {
        Thread connecting = new Thread(
                () -> {
                    if (running[0] == null) {
                        err.println("segment: interrupted; "
                                + lastError.beforeTheFirstFrame(
                                        spec.description(), (System.nanoTime() - startNanos) / 1e9));
                        err.flush();
                    }
                },
                "segment-report-signal-while-connecting");
        Runtime.getRuntime().addShutdownHook(connecting);
        return connecting;
    }

    /** {@code /dev/videoN} (or a bare index) must exist: without a camera it is a missing input (exit 4). */
    private static void requireWebcam(SourceSpec spec) throws SourceException {
        if (spec.kind() != SourceKind.WEBCAM || Files.exists(Path.of(spec.input()))) {
            return;
        }
        List<String> found = new ArrayList<>();
        try (var devices = Files.newDirectoryStream(Path.of("/dev"), "video*")) {
            devices.forEach(d -> found.add(d.toString()));
        } catch (IOException e) {
            // no /dev listing: say nothing about other devices
        }
        java.util.Collections.sort(found);
        throw new SourceException(
                SourceException.Kind.NOT_FOUND,
                spec.input(),
                "no webcam at " + spec.input()
                        + " (no such video device); "
                        + (found.isEmpty()
                                ? "this machine has no /dev/video* device"
                                : "video devices here: " + String.join(", ", found)));
    }

    /** The one line a run that never got a frame ends with (exit 9). */
    private static SourceException noFrameWithin(SourceSpec spec, double seconds, String lastError, Exception cause) {
        lastError = ReconnectingSource.withoutSource(spec.description(), lastError);
        return new SourceException(
                SourceException.Kind.TIMEOUT,
                spec.description(),
                String.format(
                        Locale.ROOT,
                        "no frame within the %s s of --duration%s",
                        new java.math.BigDecimal(Double.toString(seconds))
                                .stripTrailingZeros()
                                .toPlainString(),
                        lastError == null ? "" : " (last error: " + lastError + ")"),
                cause);
    }

    /** Where the overlay goes, for the start line: "out.mp4, rtsp://***@host/x, browser preview, window". */
    private static String destinations(List<String> outs, MjpegHttpSink preview, boolean window, SegmentConfig config) {
        List<String> where = new ArrayList<>();
        outs.forEach(o -> where.add(StreamPushSink.describe(o)));
        if (preview != null) {
            where.add("browser preview");
        }
        if (window) {
            where.add("window");
        }
        if (config.output().masksDir() != null) {
            where.add("masks in " + config.output().masksDir());
        }
        if (config.output().statsFile() != null) {
            where.add("statistics in " + config.output().statsFile());
        }
        return where.isEmpty() ? "(no output)" : String.join(", ", where);
    }

    private static void closeQuietly(FrameSource src) {
        try {
            src.close();
        } catch (IOException | RuntimeException ignored) {
            // ending the run anyway
        }
    }

    /**
     * Remembers the last connection failure (redacted) and how many there were, for the "no frame" and "never
     * connected" messages; forwards to the metrics.
     */
    private static final class LastSourceError implements SourceListener {
        private final SourceListener next;
        private volatile String cause;
        private volatile boolean connected;
        private final AtomicInteger failures = new AtomicInteger();

        LastSourceError(SourceListener next) {
            this.next = next;
        }

        String cause() {
            return cause;
        }

        /** What a run that ends before its first frame did, e.g. "never connected to SRC: 6 attempts ...". */
        String beforeTheFirstFrame(String source, double seconds) {
            int failed = failures.get();
            if (connected) {
                return "connected to " + source + ", no frame written";
            }
            if (failed == 0) {
                return "never connected to " + source + " (still opening it)";
            }
            return String.format(
                    Locale.ROOT,
                    "never connected to %s: %d connection attempt%s in %.0f s failed" + " (last error: %s)",
                    source,
                    failed,
                    failed == 1 ? "" : "s",
                    seconds,
                    ReconnectingSource.withoutSource(source, cause));
        }

        @Override
        public void connected(VideoInfo info, int epoch) {
            connected = true;
            next.connected(info, epoch);
        }

        @Override
        public void disconnected(String why) {
            cause = why;
            if (!connected) {
                failures.incrementAndGet();
            }
            next.disconnected(why);
        }

        @Override
        public void reconnectAttempt(int attempt, long delayMillis) {
            next.reconnectAttempt(attempt, delayMillis);
        }

        @Override
        public void frameSizeChanged(int oldWidth, int oldHeight, int newWidth, int newHeight) {
            next.frameSizeChanged(oldWidth, oldHeight, newWidth, newHeight);
        }
    }

    /**
     * Where a stream's overlay goes ({@code --out}, repeatable) and how: a .mp4/.mkv file, a directory of files of
     * {@code segmentSeconds} each (only when that is given), or an rtsp:// or rtmp:// push.
     *
     * @param segmentSeconds the length of each file of a directory output, or null when not asked for
     * @param overwrite      replace output files (and the statistics file) that exist
     */
    record Outputs(List<String> targets, Double segmentSeconds, boolean overwrite) {
        Outputs {
            targets = List.copyOf(targets);
        }

        /**
         * Refuses, before the model loads, what the sinks would refuse later or do against the user's intent: an
         * unsupported extension, a directory without --segment-seconds (or the reverse), an output that exists.
         */
        void check(SegmentConfig config) throws ConfigException, SinkException {
            boolean directory = false;
            for (String out : targets) {
                if (OutputSettings.isPush(out)) {
                    continue;
                }
                if (out.contains("://")) {
                    throw new ConfigException(
                            "--out", "output", Redact.redact(out), "stream outputs are rtsp:// or" + " rtmp://");
                }
                if (segmentSeconds != null && OutputFiles.namesDirectory(out)) {
                    directory = true;
                    continue;
                }
                OutputFiles.requireVideoFile(
                        out,
                        null,
                        "or add --segment-seconds S to record a new file every S" + " seconds into that directory");
            }
            if (segmentSeconds != null && !directory) {
                throw new ConfigException(
                        "--segment-seconds",
                        "segmentSeconds",
                        segmentSeconds.toString(),
                        "is for a directory --out (a new file every S seconds); no --out is a directory");
            }
            if (segmentSeconds != null && !(segmentSeconds > 0)) {
                throw new ConfigException(
                        "--segment-seconds", "segmentSeconds", segmentSeconds.toString(), "must be > 0");
            }
            if (config.output().statsFile() != null) {
                OutputFiles.refuseExisting(Path.of(config.output().statsFile()), overwrite, "the statistics file");
            }
        }

        /** Refuses a video file output that exists: called once this run holds its lock, see {@link OutputLock}. */
        void refuseExistingFiles() throws SinkException {
            for (String out : targets) {
                if (OutputSettings.isVideoFile(out)) {
                    OutputFiles.refuseExisting(Path.of(out), overwrite, "the output video");
                }
            }
        }
    }

    /** The end-of-run line: frames, drops, speed, latency and reconnects. */
    static String summaryLine(PipelineSummary s, LatencyPercentiles latency, long reconnects) {
        long in = s.framesOut() + s.framesDropped();
        double[] p = latency.millis(0.5, 0.99);
        return String.format(
                Locale.ROOT,
                "segment: %d frames out, %d dropped (%.1f%% of %d), %.2f fps,"
                        + " capture-to-output latency p50 %.0f ms p99 %.0f ms, %d reconnects;"
                        + " the model on %.1f%% of the frames out, CPU %.0f ms a frame",
                s.framesOut(),
                s.framesDropped(),
                in == 0 ? 0 : 100.0 * s.framesDropped() / in,
                in,
                s.framesPerSecond(),
                p[0],
                p[1],
                reconnects,
                s.keyframePercent(),
                s.cpuMillisPerFrame());
    }
}
