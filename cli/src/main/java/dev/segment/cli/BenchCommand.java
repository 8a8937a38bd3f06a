package dev.segment.cli;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.FrameSink;
import dev.segment.codecs.OverlayRenderer;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.crf.CrfTimings;
import dev.segment.crf.ScoreKind;
import dev.segment.crf.TemporalCrf;
import dev.segment.crf.TemporalCrfConfig;
import dev.segment.engine.DeepLabSegmenters;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.app.Models;
import dev.segment.engine.app.OutputSettings;
import dev.segment.engine.crf.CrfRefiner;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.keyframes.Flow;
import dev.segment.engine.keyframes.LumaImage;
import dev.segment.engine.keyframes.Propagator;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.pipeline.Pipelines;
import dev.segment.engine.stages.ThreadCpu;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code segment bench INPUT --model GRAPH.pb}: throughput of each stage alone (decode, inference, CRF when on,
 * propagation, overlay+encode) on frames of a real clip, then of the full pipeline with the model on every frame
 * ({@code keyframes all}: how close it comes to its slowest stage, ideally 1.0, as the stages overlap on their own
 * threads) and with keyframes ({@code keyframes auto}: its speed against {@code all}). Prints numbers; asserts none.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Measure per-stage and full-pipeline throughput on a real clip.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INPUT", description = "A video file.")
    Path input;

    @Option(names = "--frames", paramLabel = "N", description = "Frames per measurement (default ${DEFAULT-VALUE}).")
    int frames = 100;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "Frames run before each measurement (default ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(
            names = "--start",
            paramLabel = "N",
            description = "First frame of the clip to use (default ${DEFAULT-VALUE}; e.g. 75 on the people clip, whose "
                    + "first 3 s are an empty room).")
    int start = 0;

    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || warmup < 0) {
            throw new ConfigException("--frames", "bench.frames", String.valueOf(frames), "must be at least 1");
        }
        if (start < 0) {
            throw new ConfigException("--start", "bench.start", String.valueOf(start), "must be at least 0");
        }
        SegmentConfig config = common.load(new ConfigOverrides());
        common.requireModel(config);
        PrintStream out = System.out;
        try (DeepLabModel model = Models.acquire(config, false)) {
            List<VideoFrame> clip = decodeClip(out);
            VideoFrame first = clip.get(0);
            out.printf(
                    Locale.ROOT,
                    "clip: %s, %dx%d, %d frames held in memory; model %s (%s)%n",
                    input,
                    first.width(),
                    first.height(),
                    clip.size(),
                    model.file().getFileName(),
                    config.inference().unpadded() ? "unpadded" : "padded");
            double decode = decodeFps();
            report(out, "decode only", decode);
            List<ByteBuffer> labels = new ArrayList<>();
            double infer = inferenceFps(model, config, clip, labels);
            report(out, "inference only", infer);
            double slowest = Math.min(decode, infer);
            String slowestName = decode < infer ? "decode" : "inference";
            if (config.crf().enabled()) {
                double crf = crfFps(config, model, clip);
                report(out, "crf only", crf);
                if (crf < slowest) {
                    slowest = crf;
                    slowestName = "crf";
                }
            }
            report(out, "propagate only", propagateFps(config, model, clip));
            out.printf(
                    Locale.ROOT,
                    "%-22s %8.2f cpu ms/frame (%s, thread CPU time)%n",
                    "overlay only",
                    overlayCpuMillis(config, clip, labels),
                    config.overlay().style().configName());
            double encode = encodeFps(config, clip, labels);
            report(out, "overlay+encode only", encode);
            if (encode < slowest) {
                slowest = encode;
                slowestName = "overlay+encode";
            }
            PipelineSummary all = pipeline(config.withOverride("keyframes.mode", "all", "bench"), model);
            report(out, "full, keyframes all", all.framesPerSecond());
            out.printf(
                    Locale.ROOT,
                    "full / slowest stage (%s) = %.2f (1.00: the pipeline as fast as that stage)%n",
                    slowestName,
                    all.framesPerSecond() / slowest);
            PipelineSummary auto = pipeline(config.withOverride("keyframes.mode", "auto", "bench"), model);
            report(out, "full, keyframes auto", auto.framesPerSecond());
            out.printf(
                    Locale.ROOT,
                    "keyframes auto: the model on %d of %d frames; %.2fx the speed of keyframes all%n",
                    auto.keyframes(),
                    auto.framesOut(),
                    auto.framesPerSecond() / all.framesPerSecond());
        }
        return ExitCodes.OK;
    }

    private static void report(PrintStream out, String what, double fps) {
        out.printf(Locale.ROOT, "%-22s %8.2f fps  %8.2f ms/frame%n", what, fps, 1000.0 / fps);
        out.flush();
    }

    /**
     * CPU time of the whole process, in ms: on a shared machine, wall time per frame depends on the other load, while
     * CPU time per frame of one stage depends much less on it (it still includes waits spent polling for work).
     */
    private static double processCpuMillis() {
        return ThreadCpu.process() / 1e6;
    }

    private static void reportCpu(PrintStream out, String what, double cpuMillis, int n) {
        out.printf(Locale.ROOT, "%-22s %8.2f cpu ms/frame (process CPU time, all threads)%n", what, cpuMillis / n);
        out.flush();
    }

    private List<VideoFrame> decodeClip(PrintStream out) throws IOException {
        List<VideoFrame> clip = new ArrayList<>();
        int keep = Math.min(frames, 60);
        try (FfmpegSource source =
                new FfmpegSource(input.toString(), SourceOptions.forFile().withStartFrame(start))) {
            VideoInfo info = source.open();
            for (int i = 0; i < keep; i++) {
                VideoFrame f = new VideoFrame(info.width(), info.height());
                if (!source.read(f)) {
                    break;
                }
                clip.add(f);
            }
        }
        if (clip.isEmpty()) {
            throw new IOException(input + ": no video frames decoded");
        }
        return clip;
    }

    private double decodeFps() throws IOException {
        try (FfmpegSource source =
                new FfmpegSource(input.toString(), SourceOptions.forFile().withStartFrame(start))) {
            VideoInfo info = source.open();
            VideoFrame f = new VideoFrame(info.width(), info.height());
            int n = 0;
            long t0 = System.nanoTime();
            while (n < frames + warmup && source.read(f)) {
                if (++n == warmup) {
                    t0 = System.nanoTime();
                }
            }
            return rate(Math.max(1, n - warmup), t0);
        }
    }

    private double inferenceFps(
            DeepLabModel model, SegmentConfig config, List<VideoFrame> clip, List<ByteBuffer> labelsOut)
            throws Exception {
        VideoFrame first = clip.get(0);
        ScoreGrid grid = new ScoreGrid();
        try (FrameSegmenter seg =
                new DeepLabSegmenters(model, config.inference().unpadded()).create(first.width(), first.height())) {
            for (int i = 0; i < warmup; i++) {
                seg.segment(clip.get(i % clip.size()), grid);
            }
            double cpu0 = processCpuMillis();
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                VideoFrame f = clip.get(i % clip.size());
                seg.segment(f, grid);
                ByteBuffer l = i < clip.size()
                        ? ByteBuffer.allocateDirect(f.width() * f.height())
                        : labelsOut.get(i % clip.size());
                grid.argmax(f.width(), f.height(), l);
                if (i < clip.size()) {
                    labelsOut.add(l);
                }
            }
            double fps = rate(frames, t0);
            reportCpu(System.out, "inference only", processCpuMillis() - cpu0, frames);
            return fps;
        }
    }

    private double crfFps(SegmentConfig config, DeepLabModel model, List<VideoFrame> clip) throws Exception {
        VideoFrame first = clip.get(0);
        List<ScoreGrid> grids = new ArrayList<>();
        try (FrameSegmenter seg =
                new DeepLabSegmenters(model, config.inference().unpadded()).create(first.width(), first.height())) {
            for (VideoFrame f : clip) {
                ScoreGrid g = new ScoreGrid();
                seg.segment(f, g);
                grids.add(g);
            }
        }
        ByteBuffer labels = ByteBuffer.allocateDirect(first.width() * first.height());
        try (CrfRefiner crf = new CrfRefiner(config.crf())) {
            System.out.println("crf backend: " + crf.backendDescription());
            for (int i = 0; i < warmup; i++) {
                crf.refine(clip.get(i % clip.size()), grids.get(i % clip.size()), labels);
            }
            double[] sums = new double[5];
            double cpu0 = processCpuMillis();
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                long s = System.nanoTime();
                crf.refine(clip.get(i % clip.size()), grids.get(i % clip.size()), labels);
                sums[4] += (System.nanoTime() - s) / 1e6;
                CrfTimings t = crf.lastTimings();
                sums[0] += t.latticeMillis();
                sums[1] += t.initMillis();
                sums[2] += t.iterationsMillis();
                sums[3] += t.totalMillis();
            }
            double fps = rate(frames, t0);
            reportCpu(System.out, "crf only", processCpuMillis() - cpu0, frames);
            double other = sums[3] - sums[0] - sums[1] - sums[2];
            System.out.printf(
                    Locale.ROOT,
                    "crf ms/frame: lattices %.1f, unary+start %.1f, iterations %.1f, labels and "
                            + "rest %.1f (native %.1f), outside native %.1f%n",
                    sums[0] / frames,
                    sums[1] / frames,
                    sums[2] / frames,
                    other / frames,
                    sums[3] / frames,
                    (sums[4] - sums[3]) / frames);
            compareCrfVariants(config, clip, grids);
            return fps;
        }
    }

    /** Class-pruning thresholds compared with the full CRF after "crf only" (the first is the default). */
    private static final double[] PRUNING_THRESHOLDS = {TemporalCrfConfig.PIPELINE_CLASS_PRUNING, 0.01, 0.2};

    /**
     * Runs the clip's frames through CRF variants side by side, each warm-started from its own previous frame: the
     * logits upsampled in Java and passed at full resolution (every class), the grid upsampled natively (every class),
     * and the grid with each class-pruning threshold. Prints per variant the label agreement with the native
     * every-class CRF, the classes the mean field computed (padded to a multiple of 8) and the CPU time of the calling
     * thread per frame (with --crf-threads 1 that is all of the CRF's work, and it depends little on other load).
     */
    private void compareCrfVariants(SegmentConfig config, List<VideoFrame> clip, List<ScoreGrid> grids)
            throws Exception {
        VideoFrame first = clip.get(0);
        int w = first.width();
        int h = first.height();
        int pixels = w * h;
        int c = grids.get(0).classes();
        int k = PRUNING_THRESHOLDS.length;
        ByteBuffer full = ByteBuffer.allocateDirect(pixels);
        ByteBuffer other = ByteBuffer.allocateDirect(pixels);
        long[] agree = new long[k + 1];
        long[] classes = new long[k + 1];
        long[] cpu = new long[k + 2];
        int n = Math.min(frames, clip.size());
        boolean javaPath = config.crf().scaleFor(w, h) == 1.0;
        FloatBuffer logits = javaPath
                ? ByteBuffer.allocateDirect(pixels * c * Float.BYTES)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer()
                : null;
        List<CrfRefiner> refiners = new ArrayList<>();
        // The CRF at another size beside the configured one, pipeline pruning: at half the frame's size when the
        // configured CRF runs at the frame's size (labels scaled back), else at the frame's size.
        SegmentConfig alt = javaPath
                ? config.withOverride("crf.scale", "0.5", "bench").withOverride("crf.maxPixels", "0", "bench")
                : config.withOverride("crf.scale", "1", "bench").withOverride("crf.maxPixels", "0", "bench");
        long altAgree = 0;
        long altCpu = 0;
        long[] person = new long[3]; // person pixels in both CRFs, in the configured one only, in the other only
        try (CrfRefiner all = new CrfRefiner(config.crf(), 0);
                CrfRefiner altCrf = new CrfRefiner(alt.crf());
                TemporalCrf javaCrf = javaPath
                        ? new TemporalCrf(
                                CrfRefiner.temporalConfig(config.crf()).withClassPruning(0))
                        : null) {
            for (double t : PRUNING_THRESHOLDS) {
                refiners.add(new CrfRefiner(config.crf(), t));
            }
            for (int i = 0; i < n; i++) {
                VideoFrame f = clip.get(i);
                ScoreGrid g = grids.get(i);
                long t0 = ThreadCpu.now();
                all.refine(f, g, full);
                long t1 = ThreadCpu.now();
                cpu[1] += t1 - t0;
                if (javaPath) {
                    g.logits(w, h, logits);
                    javaCrf.process(f.rgb(), w, h, logits, ScoreKind.LOGITS, c, other);
                    cpu[0] += ThreadCpu.now() - t1;
                    agree[0] += agreeing(full, other, pixels);
                    classes[0] += c;
                }
                long ta = ThreadCpu.now();
                altCrf.refine(f, g, other);
                altCpu += ThreadCpu.now() - ta;
                altAgree += agreeing(full, other, pixels);
                for (int p = 0; p < pixels; p++) {
                    boolean a = full.get(p) == PERSON;
                    boolean b = other.get(p) == PERSON;
                    person[a && b ? 0 : a ? 1 : 2] += a || b ? 1 : 0;
                }
                for (int j = 0; j < k; j++) {
                    long t2 = ThreadCpu.now();
                    refiners.get(j).refine(f, g, other);
                    cpu[j + 2] += ThreadCpu.now() - t2;
                    classes[j + 1] += refiners.get(j).lastClassesComputed();
                    agree[j + 1] += agreeing(full, other, pixels);
                }
            }
        } finally {
            for (CrfRefiner r : refiners) {
                r.close();
            }
        }
        PrintStream out = System.out;
        String grid = CrfRefiner.gridSize(config.crf(), w, h);
        out.printf(
                Locale.ROOT,
                "crf variants over %d frames (CRF grid %s; labels vs the native grid with all %d"
                        + " classes; calling thread's CPU ms/frame):%n",
                n,
                grid,
                c);
        if (javaPath) {
            out.printf(
                    Locale.ROOT,
                    "  logits upsampled in Java, all classes: agree %.4f%%, cpu %.1f ms%n",
                    100.0 * agree[0] / ((long) pixels * n),
                    cpu[0] / 1e6 / n);
        }
        out.printf(Locale.ROOT, "  grid upsampled natively, all classes:   cpu %.1f ms%n", cpu[1] / 1e6 / n);
        for (int j = 0; j < k; j++) {
            out.printf(
                    Locale.ROOT,
                    "  class pruning %.3g%s: agree %.4f%%, mean classes computed %.1f, cpu %.1f ms%n",
                    PRUNING_THRESHOLDS[j],
                    j == 0 ? " (default)" : "",
                    100.0 * agree[j + 1] / ((long) pixels * n),
                    (double) classes[j + 1] / n,
                    cpu[j + 2] / 1e6 / n);
        }
        out.printf(
                Locale.ROOT,
                "  CRF grid %s (class pruning %.3g): agree %.4f%%, person IoU with the %s CRF's"
                        + " %.4f, cpu %.1f ms%n",
                CrfRefiner.gridSize(alt.crf(), w, h),
                TemporalCrfConfig.PIPELINE_CLASS_PRUNING,
                100.0 * altAgree / ((long) pixels * n),
                javaPath ? "full-size" : grid + " grid",
                person[0] / (double) Math.max(1, person[0] + person[1] + person[2]),
                altCpu / 1e6 / n);
        out.flush();
    }

    /** PASCAL VOC's person class, the object of the bench clip. */
    private static final int PERSON = 15;

    private static long agreeing(ByteBuffer a, ByteBuffer b, int pixels) {
        long same = 0;
        for (int p = 0; p < pixels; p++) {
            if (a.get(p) == b.get(p)) {
                same++;
            }
        }
        return same;
    }

    /** The overlay alone on the clip's frames and labels: thread CPU milliseconds per frame. */
    private double overlayCpuMillis(SegmentConfig config, List<VideoFrame> clip, List<ByteBuffer> labels) {
        OverlayRenderer overlay = Pipelines.overlay(config);
        VideoFrame first = clip.get(0);
        ByteBuffer painted = ByteBuffer.allocateDirect(first.width() * first.height() * 3);
        long t0 = 0;
        for (int i = 0; i < frames + warmup; i++) {
            if (i == warmup) {
                t0 = ThreadCpu.now();
            }
            int k = i % clip.size();
            VideoFrame f = clip.get(k);
            overlay.render(f.rgb(), labels.get(k), f.width(), f.height(), painted);
        }
        return (ThreadCpu.now() - t0) / 1e6 / frames;
    }

    private double encodeFps(SegmentConfig config, List<VideoFrame> clip, List<ByteBuffer> labels) throws IOException {
        Path tmp = Files.createTempFile("segment-bench-encode", ".mp4");
        OverlayRenderer overlay = Pipelines.overlay(config);
        VideoFrame first = clip.get(0);
        ByteBuffer painted = ByteBuffer.allocateDirect(first.width() * first.height() * 3);
        VideoFileSink sink = new VideoFileSink(tmp, OutputSettings.video(config));
        try {
            sink.open(new VideoInfo(first.width(), first.height(), 25, frames, 0, 0, false, "bench"));
            long t0 = System.nanoTime();
            for (int i = 0; i < frames + warmup; i++) {
                if (i == warmup) {
                    t0 = System.nanoTime();
                }
                int k = i % clip.size();
                VideoFrame f = clip.get(k);
                ByteBuffer l = labels.get(k);
                overlay.render(f.rgb(), l, f.width(), f.height(), painted);
                sink.write(new BenchFrame(i, i * 40_000L, f, l, painted));
            }
            sink.close();
            return rate(frames, t0);
        } finally {
            sink.close();
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The propagation stage alone ({@link Propagator}, as the keyframe stage runs it) on consecutive frames of the
     * clip: luma at the working size, the motion back to the keyframe and the warp of its scores, with a new keyframe (from the model, outside the timing) every
     * {@code keyframes.maxInterval} frames.
     */
    private double propagateFps(SegmentConfig config, DeepLabModel model, List<VideoFrame> clip) throws Exception {
        VideoFrame first = clip.get(0);
        int interval = config.keyframes().maxInterval();
        List<ScoreGrid> keyGrids = new ArrayList<>();
        try (FrameSegmenter seg =
                new DeepLabSegmenters(model, config.inference().unpadded()).create(first.width(), first.height())) {
            for (int k = 0; k < clip.size(); k += interval) {
                ScoreGrid g = new ScoreGrid();
                seg.segment(clip.get(k), g);
                keyGrids.add(g);
            }
        }
        ScoreGrid out = new ScoreGrid();
        Flow flow = new Flow();
        LumaImage key = new LumaImage();
        LumaImage current = new LumaImage();
        try (Propagator propagator = new Propagator(config.keyframes())) {
            long t0 = System.nanoTime();
            int timed = 0;
            for (int i = 0; i < frames + warmup; i++) {
                if (i == warmup) {
                    t0 = System.nanoTime();
                    timed = 0;
                }
                int k = i % clip.size();
                VideoFrame f = clip.get(k);
                if (k % interval == 0) {
                    propagator.luma(f, key); // a keyframe: its luma is what later frames are measured against
                    continue;
                }
                propagator.luma(f, current);
                propagator.measure(current, key, flow);
                propagator.carry(keyGrids.get(k / interval), flow, f.width(), f.height(), out);
                timed++;
            }
            return timed * 1e9 / (System.nanoTime() - t0);
        }
    }

    private PipelineSummary pipeline(SegmentConfig config, DeepLabModel model) throws Exception {
        Path tmp = Files.createTempFile("segment-bench-pipeline", ".mp4");
        try {
            List<FrameSink> sinks = List.of(new VideoFileSink(tmp, OutputSettings.video(config)));
            Pipeline.Builder b = Pipelines.builder(
                            config,
                            model,
                            new FfmpegSource(
                                    input.toString(), SourceOptions.forFile().withStartFrame(start)),
                            sinks)
                    .maxFrames(frames);
            PipelineSummary s = b.start().await();
            if (s.failure() != null) {
                throw s.failure() instanceof Exception e ? e : new RuntimeException(s.failure());
            }
            return s;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static double rate(int n, long t0) {
        return n * 1e9 / (System.nanoTime() - t0);
    }

    /** One frame for the encode-only measurement. */
    private record BenchFrame(long index, long ptsMicros, VideoFrame input, ByteBuffer labels, ByteBuffer painted)
            implements SegmentedFrame {
        @Override
        public int width() {
            return input.width();
        }

        @Override
        public int height() {
            return input.height();
        }

        @Override
        public ByteBuffer overlay() {
            return painted.duplicate().position(0).limit(input.width() * input.height() * 3);
        }

        @Override
        public ByteBuffer labels() {
            return labels.duplicate().position(0);
        }
    }
}
