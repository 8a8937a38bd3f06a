package dev.segment.cli;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VocPalette;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.app.Models;
import dev.segment.engine.app.SourceSettings;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.eval.TruthMasks;
import dev.segment.engine.eval.TruthSink;
import dev.segment.engine.eval.VideoScore;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.pipeline.Pipelines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code segment eval --video}: runs the real pipeline ({@link Pipelines#builder}, what {@code segment convert} runs)
 * over a clip once per mode row, with a {@link TruthSink} in place of the video file, and prints one line per row:
 * the object's IoU and the mIoU against the truth, the flicker, the truth's own flicker, frames per second of the run
 * and each stage's mean milliseconds. A short untimed run first loads the graph and the CRF library, so that the first
 * row's speed is not charged for them, and the truth masks are decoded before the runs (up to a memory budget) so
 * that the output stage's time is comparing labels, not decoding PNGs.
 */
final class VideoEval {
    private static final int WARM_UP_FRAMES = 2;

    private final PrintWriter out;
    private final Path video;
    private final TruthMasks truth;
    private final int object;
    private final ConfigOptions options;

    /**
     * @param truth   the per-frame truth, or null to measure flicker and speed only
     * @param object  the class whose IoU is reported, -1 for none
     * @param options the command's configuration flags, which say what to do when a row names no model
     */
    VideoEval(PrintWriter out, Path video, TruthMasks truth, int object, ConfigOptions options) {
        this.out = out;
        this.video = video;
        this.truth = truth;
        this.object = object;
        this.options = options;
    }

    /** One row's outcome. */
    record RowResult(String label, VideoScore score, PipelineSummary summary) {}

    /** Runs every row over {@code base} (the configuration the command's flags build) and prints the table. */
    List<RowResult> run(SegmentConfig base, List<ModeRows.Row> rows) throws Exception {
        List<SegmentConfig> configs = new ArrayList<>();
        for (ModeRows.Row row : rows) {
            SegmentConfig config = row.applyTo(base);
            options.requireModel(config);
            configs.add(config);
        }
        // one handle held over all rows keeps the graph loaded between them
        // TensorFlow's thread pools are sized once per process: with a row fed as a camera, as a camera's would be
        boolean anyAsShown = configs.stream().anyMatch(c -> c.source().realtime());
        try (DeepLabModel held = Models.acquire(configs.get(0), anyAsShown)) {
            if (object >= held.classCount()) {
                throw new IllegalArgumentException(
                        "--object " + object + " is not a class of the model (0.." + (held.classCount() - 1) + ")");
            }
            SegmentConfig warmUp = new ConfigOverrides()
                    .set("source.maxFrames", Integer.toString(WARM_UP_FRAMES), "eval warm-up")
                    .applyTo(configs.get(0));
            Run first = runOnce(warmUp, null);
            VideoInfo info = first.info;
            int start = base.source().startFrame();
            out.printf(
                    Locale.ROOT,
                    "clip: %s, %dx%d, %s%n",
                    video,
                    info.width(),
                    info.height(),
                    base.source().maxFrames() > 0
                            ? "frames " + start + ".." + (start + base.source().maxFrames() - 1) + " at most"
                            : "from frame " + start + " to the end");
            int preloaded = 0;
            if (truth != null) {
                long last =
                        base.source().maxFrames() > 0 ? start + base.source().maxFrames() - 1L : Long.MAX_VALUE;
                preloaded = truth.preload(
                        start,
                        last,
                        info.width(),
                        info.height(),
                        Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4));
            }
            out.printf(
                    Locale.ROOT,
                    "truth: %s%n",
                    truth == null
                            ? "none (flicker and speed only)"
                            : truth.dir() + " (" + truth.layout() + ", " + preloaded
                                    + " decoded before the runs), object " + objectName());
            out.printf(
                    Locale.ROOT,
                    "machine: %d cores; speed is of this run only (compare rows side by side)%n",
                    Runtime.getRuntime().availableProcessors());
            int width = 4;
            for (ModeRows.Row row : rows) {
                width = Math.max(width, row.label().length());
            }
            String labelFormat = "%-" + width + "s";
            StringBuilder header = new StringBuilder(String.format(
                    Locale.ROOT,
                    labelFormat + " %6s %9s %7s %8s %8s %8s %7s %7s %6s",
                    "mode",
                    "frames",
                    "IoU(" + (object < 0 ? "-" : VocPalette.className(object)) + ")",
                    "mIoU",
                    "flicker",
                    "truth fl",
                    "gt fl",
                    "VC_8",
                    "VC_16",
                    "fps"));
            for (FrameReport.Stage stage : FrameReport.Stage.values()) {
                header.append(String.format(Locale.ROOT, " %9s", stage.label() + " ms"));
            }
            out.println(header);
            out.flush();
            List<RowResult> results = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Run r = runOnce(configs.get(i), truth);
                RowResult result = new RowResult(rows.get(i).label(), r.score, r.summary);
                results.add(result);
                out.println(line(labelFormat, result));
                if (configs.get(i).source().realtime()) {
                    out.printf(
                            Locale.ROOT,
                            "  (fed as a camera at the clip's frame rate: %d of %d frames out, %.1f%%; every clip frame"
                                    + " scored against the output frame last shown)%n",
                            r.summary.framesOut(),
                            r.summary.framesIn(),
                            100.0 * r.summary.framesOut() / Math.max(1, r.summary.framesIn()));
                }
                out.flush();
            }
            return results;
        }
    }

    private record Run(VideoInfo info, VideoScore score, PipelineSummary summary) {}

    private Run runOnce(SegmentConfig config, TruthMasks masks) throws Exception {
        // source.realtime: the clip fed at its frame rate as a camera (frames dropped when the pipeline is behind),
        // scored as a viewer sees it
        boolean asShown = config.source().realtime();
        SourceOptions options = SourceSettings.fileOptions(config).withLive(asShown);
        FfmpegSource source = new FfmpegSource(video.toString(), options);
        try (DeepLabModel model = Models.acquire(config, asShown)) {
            VideoScore score = new VideoScore(model.classCount(), object);
            TruthSink sink = asShown
                    ? TruthSink.asShown(masks, config.source().startFrame(), score)
                    : new TruthSink(masks, config.source().startFrame(), score);
            try (Pipeline pipeline =
                    Pipelines.builder(config, model, source, List.of(sink)).start()) {
                PipelineSummary summary = pipeline.await();
                if (summary.failure() != null) {
                    Throwable t = summary.failure();
                    throw t instanceof Exception e ? e : new RuntimeException(t);
                }
                if (summary.framesOut() == 0) {
                    throw new java.io.IOException(video + ": no frame decoded from frame "
                            + config.source().startFrame());
                }
                if (asShown) {
                    sink.finish(summary.framesIn());
                    if (sink.frames() != summary.framesIn() || sink.framesOut() != summary.framesOut()) {
                        throw new IllegalStateException("scoring as shown: " + summary.framesIn() + " decoded, "
                                + summary.framesOut() + " written, " + sink.framesOut() + " scored as written, "
                                + sink.frames() + " clip frames scored");
                    }
                } else if (summary.framesDropped() != 0
                        || summary.framesIn() != summary.framesOut()
                        || sink.frames() != summary.framesOut()) {
                    throw new IllegalStateException("evaluation needs every frame: " + summary.framesIn()
                            + " decoded, " + summary.framesOut() + " written, " + summary.framesDropped()
                            + " dropped, " + sink.frames() + " scored");
                }
                return new Run(pipeline.info(), score, summary);
            }
        }
    }

    private String line(String labelFormat, RowResult r) {
        VideoScore s = r.score();
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                labelFormat + " %6d %9s %7s %8s %8s %8s %7s %7s %6.2f",
                r.label(),
                s.frames(),
                num(s.objectIou(), 4),
                num(s.meanIou(), 4),
                num(s.flicker(), 4),
                num(s.truthFlicker(), 4),
                num(s.maskedFlicker(), 4),
                num(s.consistency(8), 4),
                num(s.consistency(16), 4),
                r.summary().framesPerSecond()));
        for (FrameReport.Stage stage : FrameReport.Stage.values()) {
            PipelineSummary.StageStats stats = r.summary().stages().get(stage);
            line.append(String.format(
                    Locale.ROOT,
                    " %9s",
                    stats == null || stats.samples() == 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.1f", stats.meanMillis())));
        }
        return line.toString();
    }

    private String objectName() {
        return object < 0 ? "none" : VocPalette.className(object) + " (" + object + ")";
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
