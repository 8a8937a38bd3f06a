package dev.segment.cli;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.MaskPngSink;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoSinkOptions;
import dev.segment.codecs.live.LiveOptions;
import dev.segment.codecs.live.ReconnectPolicy;
import dev.segment.codecs.live.Redact;
import dev.segment.codecs.live.SourceSpec;
import dev.segment.codecs.live.Sources;
import dev.segment.codecs.live.Transport;
import dev.segment.codecs.preview.MjpegHttpSink;
import dev.segment.codecs.preview.SegmentedRecordingSink;
import dev.segment.codecs.preview.StreamPushSink;
import dev.segment.codecs.preview.WindowPreviewSink;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.FrameReport;
import dev.segment.engine.Pipeline;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.Pipelines;
import dev.segment.engine.StatsWriter;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.ModelCache;
import dev.segment.engine.metrics.MetricsRegistry;
import dev.segment.engine.metrics.MetricsServer;
import dev.segment.engine.metrics.PipelineMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Segment a live source (rtsp://, /dev/videoN, lavfi:GRAPH, any FFmpeg URL) or a file and"
                + " stream/record/preview the overlay.")
final class StreamCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "rtsp://[user:pass@]host/path, /dev/videoN, a webcam index, lavfi:GRAPH, an URL or a file.")
    String source;

    @Option(names = "--out", paramLabel = "URI_OR_FILE", description = "Output (repeatable): rtsp://, rtmp://, a"
            + " .mp4/.mkv file, or a directory with --segment-seconds.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--segment-seconds", paramLabel = "S", description = "Directory outputs: a new file every S s.")
    double segmentSeconds = 60;

    @Option(names = "--http-preview", paramLabel = "PORT", description = "Browser preview (listen.httpPreviewPort).")
    String httpPreview;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Prometheus endpoint (listen.metricsPort).")
    String metricsPort;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Listen address (listen.bindAddress, 127.0.0.1).")
    String bind;

    @Option(names = "--max-frames", paramLabel = "N", description = "Stop after N output frames (source.maxFrames).")
    String maxFrames;

    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (source.durationSeconds).")
    String duration;

    @Option(names = "--transport", paramLabel = "tcp|udp", description = "RTSP transport (source.transport).")
    String transport;

    @Option(names = "--realtime", description = "Read a file at its frame rate, as a camera (source.realtime).")
    boolean realtime;

    @Option(names = "--backpressure", paramLabel = "auto|block|drop-oldest",
            description = "When the pipeline is full (pipeline.backpressure; auto: drop for live, block for files).")
    String backpressure;

    @Option(names = "--window", description = "Also show the overlay in a desktop window.")
    boolean window;

    @Option(names = "--masks", paramLabel = "DIR", description = "Write one VOC palette PNG per frame here.")
    String masks;

    @Option(names = "--stats", paramLabel = "FILE.jsonl", description = "Write one JSON line per frame here.")
    String stats;

    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() throws Exception {
        ConfigOverrides o = new ConfigOverrides();
        ConfigOptions.put(o, "listen.httpPreviewPort", httpPreview, "--http-preview");
        ConfigOptions.put(o, "listen.metricsPort", metricsPort, "--metrics-port");
        ConfigOptions.put(o, "listen.bindAddress", bind, "--bind");
        ConfigOptions.put(o, "source.maxFrames", maxFrames, "--max-frames");
        ConfigOptions.put(o, "source.durationSeconds", duration, "--duration");
        ConfigOptions.put(o, "source.transport", transport, "--transport");
        ConfigOptions.put(o, "source.realtime", realtime ? "true" : null, "--realtime");
        ConfigOptions.put(o, "pipeline.backpressure", backpressure, "--backpressure");
        ConfigOptions.put(o, "output.masksDir", masks, "--masks");
        ConfigOptions.put(o, "output.statsFile", stats, "--stats");
        SegmentConfig config = common.load(o);
        if (config.listen().httpPreviewPort() > 0) {
            config = common.load(o, LEGEND_ON); // the browser preview shows the legend unless told otherwise
        }
        common.requireModel(config);
        if (outputs.isEmpty() && config.listen().httpPreviewPort() == 0 && !window) {
            throw new ConfigException("--out", "output", "", "nothing to do: give --out, --http-preview or --window");
        }
        return run(config, source, null, 0, outputs, segmentSeconds, window, System.err);
    }

    /**
     * Defaults for a run watched on a screen (the browser preview, the live window): the legend on, so that a viewer
     * can tell the classes apart; {@code --legend off} or {@code overlay.legend: false} in a file still turns it off.
     */
    static final SegmentConfig LEGEND_ON = SegmentConfig.defaults().withOverlay(
            new dev.segment.config.OverlayConfig(SegmentConfig.defaults().overlay().alpha(), true));

    /** Shared by {@code stream} and {@code live}; {@code config} names a model. */
    static int run(SegmentConfig config, String sourceName, String captureSize, double captureFps, List<String> outs,
                   double segmentSeconds, boolean window, PrintStream err) throws Exception {
        LiveOptions liveOptions = liveOptions(config).withCapture(captureSize, captureFps);
        SourceSpec spec = SourceSpec.parse(sourceName, liveOptions);
        MetricsRegistry registry = new MetricsRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        LatencyStats latency = new LatencyStats();
        List<AutoCloseable> closeLast = new ArrayList<>();
        StatsWriter statsWriter = null;
        DeepLabModel model = ModelCache.processWide().acquire(Path.of(config.model().path()),
                Pipelines.inferenceThreads(config));
        try (model) {
            if (config.listen().metricsPort() > 0) {
                MetricsServer server = MetricsServer.start(registry, config.listen().bindAddress(),
                        config.listen().metricsPort());
                closeLast.add(server);
                err.println("segment: metrics at " + server.url());
            }
            List<FrameSink> sinks = new ArrayList<>();
            for (String out : outs) {
                sinks.add(sinkFor(out, segmentSeconds, config));
            }
            MjpegHttpSink preview = null;
            if (config.listen().httpPreviewPort() > 0) {
                preview = new MjpegHttpSink(config.listen().bindAddress(), config.listen().httpPreviewPort(), 15, 4);
                sinks.add(preview);
            }
            List<PipelineListener> listeners = new ArrayList<>(List.of(metrics, latency));
            if (config.output().masksDir() != null) {
                sinks.add(new MaskPngSink(Path.of(config.output().masksDir())));
            }
            if (config.output().statsFile() != null) {
                statsWriter = new StatsWriter(Path.of(config.output().statsFile()), Pipelines.classNames());
                listeners.add(statsWriter);
            }
            Pipeline[] running = new Pipeline[1];
            if (window) {
                sinks.add(new WindowPreviewSink(30, () -> {
                    if (running[0] != null) {
                        running[0].stop();
                    }
                }));
            }
            FrameSource src = Sources.create(spec, liveOptions, metrics);
            Pipeline pipeline = Pipelines.builder(config, model, src, sinks)
                    .listener(PipelineListener.all(listeners)).start();
            running[0] = pipeline;
            metrics.bind(pipeline);
            if (preview != null) {
                err.println("segment: browser preview at " + preview.url());
            }
            err.println("segment: " + spec.description() + " -> " + outs.stream().map(StreamPushSink::describe)
                    .toList() + (pipeline.info().live() ? " (live: frames dropped when the pipeline is behind)" : ""));
            Thread hook = new Thread(() -> {
                pipeline.stop();
                try {
                    pipeline.await(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }, "segment-finalize-on-signal");
            Runtime.getRuntime().addShutdownHook(hook);
            PipelineSummary summary;
            double limit = config.source().durationSeconds();
            if (limit > 0) {
                try {
                    summary = pipeline.await(Math.round(limit * 1000), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    pipeline.stop();
                    summary = pipeline.await();
                }
            } else {
                summary = pipeline.await();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook finalizes
            }
            err.println(latency.describe(summary, metrics.reconnects()));
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

    static LiveOptions liveOptions(SegmentConfig config) {
        var s = config.source();
        var r = s.reconnect();
        ReconnectPolicy policy = new ReconnectPolicy(r.maxAttempts(), r.initialDelayMs(),
                Math.max(r.initialDelayMs(), r.maxDelayMs()), r.jitter());
        return LiveOptions.DEFAULT.withTransport(Transport.parse(s.transport().name()))
                .withTimeouts(s.openTimeoutMs(), s.readTimeoutMs()).withRealtime(s.realtime()).withReconnect(policy);
    }

    static FrameSink sinkFor(String out, double segmentSeconds, SegmentConfig config) throws ConfigException {
        String lower = out.toLowerCase(Locale.ROOT);
        VideoSinkOptions video = VideoSinkOptions.defaults().withPreset(config.output().preset())
                .withCrf(config.output().quality()).withAudio(false);
        if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://") || lower.startsWith("rtmp://")
                || lower.startsWith("rtmps://")) {
            return new StreamPushSink(out, 2_000_000, 5000);
        }
        if (lower.endsWith(".mp4") || lower.endsWith(".mkv")) {
            return new VideoFileSink(Path.of(out), video);
        }
        if (lower.contains("://")) {
            throw new ConfigException("--out", "output", Redact.redact(out), "stream outputs are rtsp:// or rtmp://");
        }
        if (!(segmentSeconds > 0)) {
            throw new ConfigException("--segment-seconds", "segmentSeconds", Double.toString(segmentSeconds),
                    "must be > 0");
        }
        return new SegmentedRecordingSink(Path.of(out), "segment", "mp4", segmentSeconds, video);
    }

    /**
     * Exact capture-to-output latency percentiles over the run (first 1M frames), for the summary line and the
     * benchmark; the Prometheus histogram has bucket resolution only.
     */
    static final class LatencyStats implements PipelineListener {
        private final long[] nanos = new long[1 << 20];
        private int n;

        @Override
        public void onFrame(FrameReport report) {
            if (n < nanos.length) {
                nanos[n++] = report.latencyNanos();
            }
        }

        double percentileMillis(double q) {
            if (n == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(nanos, n);
            Arrays.sort(sorted);
            return sorted[Math.min(n - 1, (int) Math.ceil(q * n) - 1 < 0 ? 0 : (int) Math.ceil(q * n) - 1)] / 1e6;
        }

        String describe(PipelineSummary s, long reconnects) {
            long in = s.framesOut() + s.framesDropped();
            return String.format(Locale.ROOT, "segment: %d frames out, %d dropped (%.1f%% of %d), %.2f fps,"
                            + " capture-to-output latency p50 %.0f ms p99 %.0f ms, %d reconnects",
                    s.framesOut(), s.framesDropped(), in == 0 ? 0 : 100.0 * s.framesDropped() / in, in,
                    s.framesPerSecond(), percentileMillis(0.5), percentileMillis(0.99), reconnects);
        }
    }
}
